#include "common/server_runner.h"

#include <fcntl.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <poll.h>
#include <prometheus/exposer.h>
#include <prometheus/gauge.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <limits>
#include <optional>
#include <thread>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/clock.h"
#include "common/drain_gate.h"
#include "common/json_log.h"
#include "common/rpc_observer.h"
#include "common/security/access_guard.h"
#include "common/security/access_interceptor.h"
#include "common/security/call_access.h"
#include "common/security/tls_credentials.h"
#include "grpc/health/v1/health.pb.h"

ABSL_FLAG(std::optional<int>, port, std::nullopt,
          "gRPC port; unset uses the service's default, 0 picks a free one");
ABSL_FLAG(std::optional<int>, metrics_port, std::nullopt,
          "Prometheus /metrics port; unset uses the service's default, 0 "
          "picks a free one, -1 turns metrics off");
ABSL_FLAG(std::string, bind_host, "0.0.0.0",
          "Address to listen on for gRPC and metrics");
ABSL_FLAG(int, max_message_bytes, 4 << 20,
          "Largest request message accepted, in bytes");
ABSL_FLAG(absl::Duration, drain_grace, absl::Seconds(1),
          "After SIGTERM, how long to report NOT_SERVING before refusing new "
          "calls");
ABSL_FLAG(absl::Duration, shutdown_timeout, absl::Seconds(15),
          "After draining starts, how long in-flight calls may take before "
          "they are cancelled");
ABSL_FLAG(absl::Duration, health_interval, absl::Seconds(5),
          "How often the database is probed to keep health up to date");
ABSL_FLAG(absl::Duration, max_connection_age, absl::Minutes(5),
          "Close client connections older than this (gracefully, +-10% "
          "jitter) so that clients rebalance over new replicas; 0 never");
ABSL_FLAG(bool, access_log, true, "Log one JSON line per RPC");

namespace salesmeet {
namespace {

// Written by the signal handler, read by Run(): the self-pipe trick keeps
// the handler async-signal-safe and lets Run() wait with a timeout.
int g_signal_pipe[2] = {-1, -1};

void OnTerminationSignal(int signo) {
  const char byte = static_cast<char>(signo);
  ssize_t ignored = write(g_signal_pipe[1], &byte, 1);
  (void)ignored;
}

absl::Status InstallSignalHandlers() {
  if (g_signal_pipe[0] < 0) {
    if (pipe2(g_signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
      return absl::InternalError("cannot create the signal pipe");
    }
  }
  struct sigaction action = {};
  action.sa_handler = OnTerminationSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  // A peer closing its socket must never kill the process.
  signal(SIGPIPE, SIG_IGN);
  return absl::OkStatus();
}

// Waits up to `timeout` for a termination signal; returns it, or 0.
int WaitForSignal(absl::Duration timeout) {
  struct pollfd fd = {g_signal_pipe[0], POLLIN, 0};
  int rc = poll(&fd, 1, static_cast<int>(absl::ToInt64Milliseconds(timeout)));
  if (rc <= 0) return 0;
  char byte = 0;
  if (read(g_signal_pipe[0], &byte, 1) != 1) return 0;
  return byte;
}

}  // namespace

ServerOptions ServerOptionsFromFlags(std::string service_name,
                                     int default_grpc_port,
                                     int default_metrics_port) {
  ServerOptions options;
  options.service_name = std::move(service_name);
  options.bind_host = absl::GetFlag(FLAGS_bind_host);
  options.grpc_port = absl::GetFlag(FLAGS_port).value_or(default_grpc_port);
  options.metrics_port =
      absl::GetFlag(FLAGS_metrics_port).value_or(default_metrics_port);
  options.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  options.drain_grace = absl::GetFlag(FLAGS_drain_grace);
  options.shutdown_timeout = absl::GetFlag(FLAGS_shutdown_timeout);
  options.health_interval = absl::GetFlag(FLAGS_health_interval);
  options.max_connection_age = absl::GetFlag(FLAGS_max_connection_age);
  options.access_log = absl::GetFlag(FLAGS_access_log);
  return options;
}

ServerRunner::ServerRunner(ServerOptions options)
    : options_(std::move(options)),
      registry_(std::make_shared<prometheus::Registry>()) {
  RouteProtobufLogToJson();
}

ServerRunner::~ServerRunner() = default;

void ServerRunner::AddService(grpc::Service* service, std::string health_name) {
  services_.emplace_back(service, std::move(health_name));
}

void ServerRunner::SetStoreProbe(std::function<absl::Status()> probe) {
  probe_ = std::move(probe);
}

void ServerRunner::SetServing(grpc::Server& server, bool serving) {
  grpc::HealthCheckServiceInterface* health = server.GetHealthCheckService();
  if (health == nullptr) return;
  health->SetServingStatus(serving);  // The overall "" service too.
  for (const auto& [service, name] : services_) {
    health->SetServingStatus(name, serving);
  }
  serving_ = serving;
}

absl::Status ServerRunner::Run() {
  absl::Status status = InstallSignalHandlers();
  if (!status.ok()) return status;

  std::unique_ptr<prometheus::Exposer> exposer;
  int metrics_port = -1;
  if (options_.metrics_port >= 0) {
    try {
      exposer = std::make_unique<prometheus::Exposer>(
          absl::StrCat(options_.bind_host, ":", options_.metrics_port));
    } catch (const std::exception& e) {
      return absl::UnavailableError(
          absl::StrCat("cannot serve metrics on port ", options_.metrics_port,
                       ": ", e.what()));
    }
    exposer->RegisterCollectable(registry_);
    std::vector<int> ports = exposer->GetListeningPorts();
    metrics_port = ports.empty() ? options_.metrics_port : ports.front();
  }

  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      MakeServerCredentials(ServerTlsFilesFromFlags());
  if (!credentials.ok()) return credentials.status();
  if (absl::Status peers = PeerCredentialsFromFlags().status(); !peers.ok()) {
    return peers;
  }
  // Never destroyed: calls the drain leaves running still use it as the
  // process exits.
  AccessGuard* guard = nullptr;
  const AccessSettings access = AccessSettingsFromFlags();
  if (!access.policy_path.empty()) {
    absl::StatusOr<Clock> clock = ClockFromFlags();
    if (!clock.ok()) return clock.status();
    absl::StatusOr<std::unique_ptr<AccessGuard>> created =
        AccessGuard::Create(access, *clock, *registry_);
    if (!created.ok()) return created.status();
    guard = created->release();
    EnforceCallAccess();
  }
  if (ServerTlsFilesFromFlags().cert.empty() || guard == nullptr) {
    LogJson(LogLevel::kWarning,
            "development mode: anyone who can reach the port can call "
            "anything",
            {{"service", options_.service_name},
             {"tls", ServerTlsFilesFromFlags().cert.empty() ? "off" : "on"},
             {"access_policy", guard == nullptr ? "off" : "on"}});
  }

  grpc::EnableDefaultHealthCheckService(true);
  // gRPC's built-in health service carries no protobuf descriptors, so
  // reflection could list it but not describe it, and grpcurl could not call
  // it. Touching the generated file registers it in the pool reflection
  // reads.
  grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int grpc_port = 0;
  builder.AddListeningPort(
      absl::StrCat(options_.bind_host, ":", options_.grpc_port), *credentials,
      &grpc_port);
  builder.SetMaxReceiveMessageSize(options_.max_message_bytes);
  // Without this a round_robin client keeps its first connections forever
  // and never uses replicas added later. Calls in flight (change-feed
  // streams too) are not cut: the age's grace period is gRPC's default,
  // unlimited.
  if (options_.max_connection_age > absl::ZeroDuration()) {
    builder.AddChannelArgument(
        GRPC_ARG_MAX_CONNECTION_AGE_MS,
        static_cast<int>(std::min<int64_t>(
            absl::ToInt64Milliseconds(options_.max_connection_age),
            std::numeric_limits<int>::max())));
  }
  for (const auto& [service, name] : services_)
    builder.RegisterService(service);
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  // The access check comes first so the observer records its refusals.
  interceptors.push_back(std::make_unique<AccessInterceptorFactory>(guard));
  interceptors.push_back(
      std::make_unique<RpcObserverFactory>(*registry_, options_.access_log));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));

  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || grpc_port == 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", options_.bind_host, ":", options_.grpc_port));
  }

  prometheus::Gauge& store_healthy =
      prometheus::BuildGauge()
          .Name("store_healthy")
          .Help(
              "1 while the last probe of the service's database "
              "succeeded, 0 otherwise (probed every --health_interval).")
          .Register(*registry_)
          .Add({});
  auto probe_store = [&] {
    absl::Status probe = probe_ ? probe_() : absl::OkStatus();
    if (probe.ok() != serving_) {
      LogJson(probe.ok() ? LogLevel::kInfo : LogLevel::kError,
              probe.ok() ? "store reachable; SERVING"
                         : "store unreachable; NOT_SERVING",
              {{"service", options_.service_name},
               {"error", std::string(probe.message())}});
    }
    store_healthy.Set(probe.ok() ? 1 : 0);
    SetServing(*server, probe.ok());
  };
  // Start NOT_SERVING and flip only after the store answers.
  SetServing(*server, false);
  serving_ = true;  // So the first probe logs only a failure.
  probe_store();
  LogJson(LogLevel::kInfo, "serving",
          {{"service", options_.service_name},
           {"grpc_port", grpc_port},
           {"metrics_port", metrics_port}});

  int signo = 0;
  while ((signo = WaitForSignal(options_.health_interval)) == 0) {
    probe_store();
  }

  LogJson(
      LogLevel::kInfo, "draining",
      {{"service", options_.service_name},
       {"signal", signo},
       {"grace_ms", absl::ToInt64Milliseconds(options_.drain_grace)},
       {"timeout_ms", absl::ToInt64Milliseconds(options_.shutdown_timeout)}});
  SetServing(*server, false);
  if (drain_hook_) drain_hook_();
  // The metrics endpoint stops alongside the drain: civetweb can take two
  // seconds to notice, which should not add to the shutdown.
  std::thread metrics_stopper(
      [exposer = std::move(exposer)]() mutable { exposer.reset(); });
  if (options_.drain_grace > absl::ZeroDuration()) {
    absl::SleepFor(options_.drain_grace);
  }
  // From here every new call is refused UNAVAILABLE by its handler, and
  // the calls already working finish; see drain_gate.h for why the server
  // is then left without gRPC's Shutdown().
  const absl::Time start = absl::Now();
  DrainGate& gate = DrainGate::Process();
  gate.StartRefusing();
  const bool idle = gate.WaitUntilIdle(options_.shutdown_timeout);
  // The last answers are written; give the transport a moment to flush
  // them to the sockets before the exit closes them.
  absl::SleepFor(absl::Milliseconds(100));
  // A handler blocked in a slow store call past the timeout was never
  // acknowledged, and its transaction rolls back if it had not committed.
  LogJson(idle ? LogLevel::kInfo : LogLevel::kWarning,
          idle ? "stopped" : "stopped with handlers still running",
          {{"service", options_.service_name},
           {"shutdown_ms", absl::ToInt64Milliseconds(absl::Now() - start)}});
  metrics_stopper.detach();
  std::_Exit(0);
}

}  // namespace salesmeet
