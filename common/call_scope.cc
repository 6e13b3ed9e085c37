#include "common/call_scope.h"

#include <grpcpp/server_context.h>

namespace salesmeet {

absl::Time CallScope::deadline() const {
  if (rpc_ == nullptr) return absl::InfiniteFuture();
  return absl::FromChrono(rpc_->deadline());
}

CallScope ScopeOf(const grpc::ServerContext* rpc) {
  CallScope scope;
  scope.rpc_ = rpc;
  return scope;
}

}  // namespace salesmeet
