#ifndef SALESMEET_COMMON_GRPC_STATUS_H_
#define SALESMEET_COMMON_GRPC_STATUS_H_

// The one place where absl::Status becomes grpc::Status and back.

#include <grpcpp/grpcpp.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/drain_gate.h"
#include "common/request_limits.h"
#include "common/security/call_access.h"
#include "google/rpc/status.pb.h"

namespace salesmeet {

// Maps code and message, and packs every google.rpc detail the status carries
// (see errors.h) into a serialized google.rpc.Status, which gRPC sends as the
// grpc-status-details-bin trailer that grpcurl and other clients decode.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The same google.rpc.Status, for errors reported inside a response (e.g. a
// per-participant error in free/busy) rather than as the call's status.
google::rpc::Status ToRpcStatus(const absl::Status& status);

// The inverse, for clients of our peers: keeps code, message and details.
absl::Status FromGrpcStatus(const grpc::Status& status);

// Finishes a unary handler: copies the value into `response` when OK.
template <typename T>
grpc::Status Respond(absl::StatusOr<T> result, T* response) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

// What every call meets before its work: UNAVAILABLE once the server
// drains (drain_gate.h), the access decision (security/call_access.h), and
// the limits every request meets (request_limits.h).
template <typename Request>
absl::Status Admit(const grpc::ServerContextBase* context,
                   const Request& request) {
  if (DrainGate::Process().refusing()) return DrainGate::Refusal();
  if (absl::Status access = AdmitCall(context); !access.ok()) return access;
  return CheckRequestLimits(request);
}

// Serves a unary call: Admit, then runs `work` (returning
// absl::StatusOr<T>) and finishes like Respond.
template <typename Request, typename T, typename Work>
grpc::Status Serve(const grpc::ServerContextBase* context,
                   const Request& request, T* response, Work&& work) {
  if (absl::Status admitted = Admit(context, request); !admitted.ok()) {
    return ToGrpcStatus(admitted);
  }
  return Respond<T>(std::forward<Work>(work)(), response);
}

// The same for a call whose work returns only an absl::Status.
template <typename Request, typename Work>
grpc::Status Serve(const grpc::ServerContextBase* context,
                   const Request& request, Work&& work) {
  if (absl::Status admitted = Admit(context, request); !admitted.ok()) {
    return ToGrpcStatus(admitted);
  }
  return ToGrpcStatus(std::forward<Work>(work)());
}

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_GRPC_STATUS_H_
