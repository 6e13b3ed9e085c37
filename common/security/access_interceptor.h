#ifndef SALESMEET_COMMON_SECURITY_ACCESS_INTERCEPTOR_H_
#define SALESMEET_COMMON_SECURITY_ACCESS_INTERCEPTOR_H_

// The server interceptor that puts the access guard in front of every
// handler (call_access.h says why the handler returns the refusal), refuses
// reflection to callers the policy does not grant it, and writes one JSON
// audit line per state-changing call.

#include <grpcpp/support/server_interceptor.h>

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/security/access_guard.h"

namespace google::protobuf {
class Message;
}

namespace salesmeet {

class AccessInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `guard` may be null: access control off, audit lines still written.
  explicit AccessInterceptorFactory(AccessGuard* guard) : guard_(guard) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  AccessGuard* guard_;
};

// Whether a method changes state (and is audited): every salesmeet method
// except the reads (Get, BatchGet, List, Query, Find, Watch, Export).
bool IsStateChanging(absl::string_view method);

// The resource names a request or response refers to ("participants/ada",
// "meetings/m1"), read from reference fields only, so free text, emails
// and tokens never reach the audit trail. At most 32.
void CollectResourceNames(const google::protobuf::Message& message,
                          std::vector<std::string>& names);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_SECURITY_ACCESS_INTERCEPTOR_H_
