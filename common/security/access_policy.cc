#include "common/security/access_policy.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/errors.h"
#include "salesmeet/security/v1/access_policy.pb.h"

namespace salesmeet {
namespace {

namespace sv1 = salesmeet::security::v1;

bool IsRoleName(absl::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-';
  });
}

// "pkg.Service" with at least one dot and only identifier characters.
bool IsServiceName(absl::string_view name) {
  if (name.empty() || !absl::StrContains(name, '.')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(c) || c == '_' || c == '.';
  });
}

bool IsMethodName(absl::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return absl::ascii_isalnum(c) || c == '_'; });
}

bool IsMethodPattern(absl::string_view pattern) {
  if (pattern == "*") return true;
  const size_t slash = pattern.find('/');
  if (slash == absl::string_view::npos) return false;
  absl::string_view method = pattern.substr(slash + 1);
  return IsServiceName(pattern.substr(0, slash)) &&
         (method == "*" || IsMethodName(method));
}

bool IsMember(absl::string_view member) {
  for (absl::string_view prefix : {"spiffe://", "dns:", "user:", "group:"}) {
    if (absl::StartsWith(member, prefix) && member.size() > prefix.size() &&
        member.size() <= 512) {
      return true;
    }
  }
  return false;
}

// `method` is gRPC's "/pkg.Service/Method".
bool Matches(absl::string_view pattern, absl::string_view method) {
  if (pattern == "*") return true;
  absl::ConsumePrefix(&method, "/");
  if (absl::EndsWith(pattern, "/*")) {
    absl::string_view service = pattern.substr(0, pattern.size() - 1);
    return absl::StartsWith(method, service) &&
           method.find('/', service.size()) == absl::string_view::npos;
  }
  return method == pattern;
}

}  // namespace

absl::StatusOr<AccessPolicy> AccessPolicy::Parse(absl::string_view json) {
  sv1::AccessPolicy file;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &file, options);
  if (!parsed.ok()) {
    return InvalidFieldError(
        "access policy",
        TruncateUtf8(
            absl::StrCat("not a valid policy: ", std::string(parsed.message())),
            kMaxDescriptionBytes));
  }
  FieldErrors errors;
  AccessPolicy policy;
  absl::flat_hash_map<std::string, size_t> role_index;
  for (int i = 0; i < file.roles_size(); ++i) {
    const sv1::Role& role = file.roles(i);
    const std::string path = absl::StrCat("roles[", i, "]");
    if (!IsRoleName(role.name())) {
      errors.Add(absl::StrCat(path, ".name"),
                 "must be 1 to 64 lower-case letters, digits or '-'");
    } else if (!role_index.emplace(role.name(), i).second) {
      errors.Add(
          absl::StrCat(path, ".name"),
          absl::StrCat("role ", Quoted(role.name()), " is defined twice"));
    }
    Role compiled;
    for (int m = 0; m < role.methods_size(); ++m) {
      if (!IsMethodPattern(role.methods(m))) {
        errors.Add(absl::StrCat(path, ".methods[", m, "]"),
                   "must be \"*\", \"pkg.Service/*\" or "
                   "\"pkg.Service/Method\"");
      }
      compiled.methods.push_back(role.methods(m));
    }
    for (int p = 0; p < role.permissions_size(); ++p) {
      if (role.permissions(p) != kPiiPermission) {
        errors.Add(absl::StrCat(path, ".permissions[", p, "]"),
                   "the only permission is \"pii\"");
      }
      compiled.permissions.push_back(role.permissions(p));
    }
    policy.roles_.push_back(std::move(compiled));
  }
  for (int i = 0; i < file.bindings_size(); ++i) {
    const sv1::Binding& binding = file.bindings(i);
    const std::string path = absl::StrCat("bindings[", i, "]");
    auto role = role_index.find(binding.role());
    if (role == role_index.end()) {
      errors.Add(absl::StrCat(path, ".role"),
                 absl::StrCat("no role named ", Quoted(binding.role())));
      continue;
    }
    for (int m = 0; m < binding.members_size(); ++m) {
      if (!IsMember(binding.members(m))) {
        errors.Add(absl::StrCat(path, ".members[", m, "]"),
                   "must start with spiffe://, dns:, user: or group:");
        continue;
      }
      policy.roles_by_member_[binding.members(m)].push_back(role->second);
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  return policy;
}

std::vector<const AccessPolicy::Role*> AccessPolicy::RolesOf(
    const std::vector<std::string>& members) const {
  std::vector<const Role*> roles;
  for (const std::string& member : members) {
    auto it = roles_by_member_.find(member);
    if (it == roles_by_member_.end()) continue;
    for (size_t index : it->second) roles.push_back(&roles_[index]);
  }
  return roles;
}

bool AccessPolicy::Allows(const std::vector<std::string>& members,
                          absl::string_view method) const {
  for (const Role* role : RolesOf(members)) {
    for (const std::string& pattern : role->methods) {
      if (Matches(pattern, method)) return true;
    }
  }
  return false;
}

bool AccessPolicy::HasPermission(const std::vector<std::string>& members,
                                 absl::string_view permission) const {
  for (const Role* role : RolesOf(members)) {
    if (std::find(role->permissions.begin(), role->permissions.end(),
                  permission) != role->permissions.end()) {
      return true;
    }
  }
  return false;
}

}  // namespace salesmeet
