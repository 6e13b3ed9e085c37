#ifndef SALESMEET_COMMON_RPC_OBSERVER_H_
#define SALESMEET_COMMON_RPC_OBSERVER_H_

// A server interceptor that watches every RPC once and reports it twice: a
// JSON access-log line and Prometheus request/latency metrics per method and
// status code. Handlers contain none of this.

#include <grpcpp/support/server_interceptor.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>

namespace salesmeet {

// The canonical name of a gRPC status code, e.g. "INVALID_ARGUMENT".
const char* StatusCodeName(grpc::StatusCode code);

class RpcObserverFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `access_log` turns the per-request log lines on or off.
  RpcObserverFactory(prometheus::Registry& registry, bool access_log);

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

  // Called by the interceptor when an RPC sends its status.
  // `refusal`: the ErrorInfo reason of a FAILED_PRECONDITION or ABORTED,
  // otherwise "".
  // `principal`: who called, "" when access control is off or the caller
  // proved nothing.
  void Record(const std::string& method, const std::string& peer,
              const std::string& principal, grpc::StatusCode code,
              const std::string& refusal, double seconds);
  void AddInFlight(double delta) { in_flight_.Increment(delta); }

 private:
  const bool access_log_;
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Counter>& refusals_;
  prometheus::Family<prometheus::Histogram>& latency_;
  prometheus::Gauge& in_flight_;
};

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_RPC_OBSERVER_H_
