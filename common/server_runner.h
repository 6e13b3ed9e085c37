#ifndef SALESMEET_COMMON_SERVER_RUNNER_H_
#define SALESMEET_COMMON_SERVER_RUNNER_H_

// What every salesmeet server does around its handlers: listen, serve
// health and reflection, cap message sizes, observe every RPC, export
// metrics, follow the store's health, and shut down gracefully on SIGTERM.

#include <grpcpp/grpcpp.h>
#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace salesmeet {

struct ServerOptions {
  std::string service_name;  // "participant", used in logs.
  std::string bind_host = "0.0.0.0";
  int grpc_port = 0;     // 0 picks a free port; the chosen one is logged.
  int metrics_port = 0;  // 0 picks a free port; -1 turns metrics off.
  int max_message_bytes = 4 << 20;
  // How long to report NOT_SERVING before refusing new calls, so load
  // balancers stop routing here first.
  absl::Duration drain_grace = absl::Seconds(1);
  // How long in-flight calls get to finish once shutdown starts; after that
  // they are cancelled.
  absl::Duration shutdown_timeout = absl::Seconds(15);
  // How often the store probe runs to keep health up to date.
  absl::Duration health_interval = absl::Seconds(5);
  // Connections older than this are closed with GOAWAY (calls in flight
  // finish), so clients re-resolve and spread over new replicas; zero keeps
  // them open for good.
  absl::Duration max_connection_age = absl::Minutes(5);
  bool access_log = true;
};

// Reads the shared server flags (--port, --metrics_port, --bind_host,
// --max_message_bytes, --drain_grace, --shutdown_timeout, --health_interval,
// --max_connection_age, --access_log). A port flag left unset takes the
// service's default.
ServerOptions ServerOptionsFromFlags(std::string service_name,
                                     int default_grpc_port,
                                     int default_metrics_port);

class ServerRunner {
 public:
  explicit ServerRunner(ServerOptions options);
  ~ServerRunner();
  ServerRunner(const ServerRunner&) = delete;
  ServerRunner& operator=(const ServerRunner&) = delete;

  // Where services register their own metrics (store latency, cache hits).
  prometheus::Registry& metrics() { return *registry_; }

  // Serves `service` (not owned) and reports its health under `health_name`,
  // its full gRPC service name.
  void AddService(grpc::Service* service, std::string health_name);

  // Called at start and then every health_interval; health is SERVING only
  // while it returns OK.
  void SetStoreProbe(std::function<absl::Status()> probe);

  // Called once when draining starts, e.g. to end long-lived streams so
  // they do not hold the shutdown until its deadline.
  void SetDrainHook(std::function<void()> hook) {
    drain_hook_ = std::move(hook);
  }

  // Serves until SIGTERM or SIGINT, then drains: NOT_SERVING and the drain
  // hook at once, new calls refused UNAVAILABLE after drain_grace, and the
  // process exits 0 once the calls already working end (or shutdown_timeout
  // passes). Returns only with the error of a server that could not start.
  absl::Status Run();

 private:
  void SetServing(grpc::Server& server, bool serving);

  ServerOptions options_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::vector<std::pair<grpc::Service*, std::string>> services_;
  std::function<absl::Status()> probe_;
  std::function<void()> drain_hook_;
  bool serving_ = false;
};

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_SERVER_RUNNER_H_
