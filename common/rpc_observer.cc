#include "common/rpc_observer.h"

#include <grpcpp/server_context.h>
#include <prometheus/counter.h>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "common/drain_gate.h"
#include "common/json_log.h"
#include "common/security/call_access.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace salesmeet {
namespace {

using grpc::experimental::InterceptionHookPoints;

// Health probes arrive every few seconds from Kubernetes; logging each one
// would drown the requests operators care about, so only failures are logged.
constexpr char kHealthPrefix[] = "/grpc.health.v1.Health/";

// The ErrorInfo reason of a refusal (FAILED_PRECONDITION or ABORTED: the
// caller asked for something the state does not allow, e.g. a double
// booking), or "" for any other status.
std::string RefusalReason(const grpc::Status& status) {
  if (status.error_code() != grpc::FAILED_PRECONDITION &&
      status.error_code() != grpc::ABORTED) {
    return "";
  }
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return "";
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) return info.reason();
  }
  return "";
}

class RpcObserver : public grpc::experimental::Interceptor {
 public:
  RpcObserver(RpcObserverFactory* factory,
              grpc::experimental::ServerRpcInfo* info)
      : factory_(factory),
        info_(info),
        start_(absl::Now()),
        admitted_(DrainGate::Process().Admit()) {
    factory_->AddInFlight(1);
  }
  // The interceptor lives until the call's status has been written, so a
  // draining server waits for this, not only for the handler's return.
  ~RpcObserver() override {
    factory_->AddInFlight(-1);
    if (admitted_) DrainGate::Process().Release();
  }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      // The access interceptor runs first and still holds the call's
      // decision here.
      factory_->Record(info_->method(), info_->server_context()->peer(),
                       CallerPrincipal(info_->server_context()),
                       status.error_code(), RefusalReason(status),
                       absl::ToDoubleSeconds(absl::Now() - start_));
    }
    methods->Proceed();
  }

 private:
  RpcObserverFactory* factory_;
  grpc::experimental::ServerRpcInfo* info_;
  absl::Time start_;
  const bool admitted_;
};

}  // namespace

const char* StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::OK:
      return "OK";
    case grpc::CANCELLED:
      return "CANCELLED";
    case grpc::UNKNOWN:
      return "UNKNOWN";
    case grpc::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::ABORTED:
      return "ABORTED";
    case grpc::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::INTERNAL:
      return "INTERNAL";
    case grpc::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "UNKNOWN";
  }
}

RpcObserverFactory::RpcObserverFactory(prometheus::Registry& registry,
                                       bool access_log)
    : access_log_(access_log),
      handled_(prometheus::BuildCounter()
                   .Name("grpc_server_handled_total")
                   .Help("RPCs completed, by method and status code.")
                   .Register(registry)),
      refusals_(prometheus::BuildCounter()
                    .Name("grpc_server_refusals_total")
                    .Help("RPCs refused because the state does not allow "
                          "them (FAILED_PRECONDITION, ABORTED), by method "
                          "and ErrorInfo reason, e.g. SCHEDULING_CONFLICT.")
                    .Register(registry)),
      latency_(prometheus::BuildHistogram()
                   .Name("grpc_server_handling_seconds")
                   .Help("Time from receiving an RPC to sending its status.")
                   .Register(registry)),
      in_flight_(prometheus::BuildGauge()
                     .Name("grpc_server_in_flight")
                     .Help("RPCs currently being handled.")
                     .Register(registry)
                     .Add({})) {}

grpc::experimental::Interceptor* RpcObserverFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RpcObserver(this, info);
}

void RpcObserverFactory::Record(const std::string& method,
                                const std::string& peer,
                                const std::string& principal,
                                grpc::StatusCode code,
                                const std::string& refusal, double seconds) {
  // Buckets from 100µs to 10s: local reads sit at the bottom, slot searches
  // and drains at the top.
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
      0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
  const std::string code_name = StatusCodeName(code);
  handled_.Add({{"method", method}, {"code", code_name}}).Increment();
  if (!refusal.empty()) {
    refusals_.Add({{"method", method}, {"reason", refusal}}).Increment();
  }
  latency_.Add({{"method", method}, {"code", code_name}}, kBuckets)
      .Observe(seconds);
  if (!access_log_) return;
  if (code == grpc::OK && absl::StartsWith(method, kHealthPrefix)) return;
  LogJson(code == grpc::OK || code == grpc::NOT_FOUND ||
                  code == grpc::INVALID_ARGUMENT ||
                  code == grpc::FAILED_PRECONDITION ||
                  code == grpc::ALREADY_EXISTS || code == grpc::ABORTED
              ? LogLevel::kInfo
              : LogLevel::kWarning,
          "rpc",
          {{"method", method},
           {"code", code_name},
           {"reason", refusal},
           {"latency_ms", seconds * 1000.0},
           {"peer", peer},
           {"principal", principal}});
}

}  // namespace salesmeet
