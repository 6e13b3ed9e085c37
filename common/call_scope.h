#ifndef SALESMEET_COMMON_CALL_SCOPE_H_
#define SALESMEET_COMMON_CALL_SCOPE_H_

// What domain logic knows of the call it serves: when it must be done. Adapters
// make one from their gRPC call (ScopeOf); a downstream call made inside it
// inherits the deadline and the caller's cancellation (DownstreamContext,
// common/client_channel.h). Domain code sees no gRPC type.

#include "absl/time/time.h"

namespace grpc {
class ServerContext;
}

namespace salesmeet {

class CallScope {
 public:
  // No deadline and never cancelled: background work and tests.
  CallScope() = default;

  // The incoming call's deadline; InfiniteFuture without one.
  absl::Time deadline() const;

 private:
  friend CallScope ScopeOf(const grpc::ServerContext* rpc);
  friend class DownstreamCall;
  const grpc::ServerContext* rpc_ = nullptr;  // Null: unbounded.
};

// The scope of an incoming gRPC call; null gives the unbounded scope.
CallScope ScopeOf(const grpc::ServerContext* rpc);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_CALL_SCOPE_H_
