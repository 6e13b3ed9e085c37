#ifndef SALESMEET_COMMON_UPDATE_MASK_H_
#define SALESMEET_COMMON_UPDATE_MASK_H_

// Update masks (AIP-134): which fields an Update call changes.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

namespace salesmeet {

struct UpdateMaskRules {
  // Paths a caller may change, top level ("customer") or nested
  // ("customer.lifecycle").
  std::set<std::string> updatable;
  // Paths that exist but cannot change, with the reason given to the caller
  // (e.g. "kind" -> "cannot be changed after creation").
  std::map<std::string, std::string> immutable;
};

// Turns the request's mask into the list of paths to apply:
// - "*" means every top-level updatable path;
// - an empty mask means every top-level updatable field set in `patch`;
// - any other path must be updatable, else INVALID_ARGUMENT naming
//   update_mask.paths[i].
absl::StatusOr<std::vector<std::string>> ResolveUpdateMask(
    const google::protobuf::FieldMask& mask,
    const google::protobuf::Message& patch, const UpdateMaskRules& rules);

// Copies the fields at `paths` from `patch` into `target`. A message or
// repeated field is replaced whole, and a field unset in `patch` is cleared.
void ApplyUpdateMask(const std::vector<std::string>& paths,
                     const google::protobuf::Message& patch,
                     google::protobuf::Message* target);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_UPDATE_MASK_H_
