#ifndef SALESMEET_COMMON_SECURITY_ACCESS_POLICY_H_
#define SALESMEET_COMMON_SECURITY_ACCESS_POLICY_H_

// Who may call which method: roles grant methods (and the "pii" right), and
// bindings give roles to members. Deny by default. The file format is
// salesmeet.security.v1.AccessPolicy in JSON.

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace salesmeet {

// The right to see personal data (customer contacts' emails).
inline constexpr char kPiiPermission[] = "pii";

class AccessPolicy {
 public:
  // Parses and checks a policy file's text; errors are INVALID_ARGUMENT and
  // name the field, e.g. "roles[2].methods[0]".
  static absl::StatusOr<AccessPolicy> Parse(absl::string_view json);

  // `members`: everything the caller proved, e.g. {"user:dev-viewer",
  // "group:salesmeet-viewers"}. `method`: gRPC's "/pkg.Service/Method".
  bool Allows(const std::vector<std::string>& members,
              absl::string_view method) const;
  bool HasPermission(const std::vector<std::string>& members,
                     absl::string_view permission) const;

  size_t role_count() const { return roles_.size(); }

 private:
  struct Role {
    std::vector<std::string> methods;  // "*", "pkg.Svc/*" or "pkg.Svc/M".
    std::vector<std::string> permissions;
  };
  std::vector<const Role*> RolesOf(
      const std::vector<std::string>& members) const;

  std::vector<Role> roles_;
  absl::flat_hash_map<std::string, std::vector<size_t>> roles_by_member_;
};

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_SECURITY_ACCESS_POLICY_H_
