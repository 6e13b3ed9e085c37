#ifndef SALESMEET_COMMON_GRPC_STATUS_H_
#define SALESMEET_COMMON_GRPC_STATUS_H_

// The one place where absl::Status becomes grpc::Status and back.

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"

namespace salesmeet {

// Maps code and message, and packs every google.rpc detail the status carries
// (see errors.h) into a serialized google.rpc.Status, which gRPC sends as the
// grpc-status-details-bin trailer that grpcurl and other clients decode.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The inverse, for clients of our peers: keeps code, message and details.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_GRPC_STATUS_H_
