#ifndef SALESMEET_COMMON_SECURITY_CALL_ACCESS_H_
#define SALESMEET_COMMON_SECURITY_CALL_ACCESS_H_

// What handlers ask about the call they serve. The access interceptor
// decides every call before its handler runs and files the decision here;
// gRPC's interceptors cannot refuse a call themselves, so the handler's
// entry (Serve in common/grpc_status.h) returns the refusal.

#include <grpcpp/grpcpp.h>

#include <string>

#include "absl/status/status.h"

namespace salesmeet {

// Turns enforcement on for this process (the server runner does when an
// access policy is configured). From then on a call with no decision on
// file is refused: deny by default.
void EnforceCallAccess();

// OK when the call may run (or access control is off), otherwise its
// UNAUTHENTICATED, PERMISSION_DENIED or RESOURCE_EXHAUSTED status.
absl::Status AdmitCall(const grpc::ServerContextBase* context);

// Whether the caller may see personal data (always, with access control
// off).
bool CallerMaySeePii(const grpc::ServerContextBase* context);

// The caller's principal for logs, "" when unknown.
std::string CallerPrincipal(const grpc::ServerContextBase* context);

// For the interceptor.
struct FiledAccess {
  absl::Status status;
  std::string principal;
  bool pii = false;
};
void FileCallAccess(const grpc::ServerContextBase* context, FiledAccess access);
void ForgetCallAccess(const grpc::ServerContextBase* context);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_SECURITY_CALL_ACCESS_H_
