#include "common/update_mask.h"

#include <google/protobuf/util/field_mask_util.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"

namespace salesmeet {

using google::protobuf::FieldDescriptor;
using google::protobuf::FieldMask;
using google::protobuf::Message;
using google::protobuf::util::FieldMaskUtil;

absl::StatusOr<std::vector<std::string>> ResolveUpdateMask(
    const FieldMask& mask, const Message& patch, const UpdateMaskRules& rules) {
  std::vector<std::string> paths;
  if (mask.paths_size() == 0) {
    std::vector<const FieldDescriptor*> set_fields;
    patch.GetReflection()->ListFields(patch, &set_fields);
    for (const FieldDescriptor* field : set_fields) {
      if (rules.updatable.count(field->name()) > 0) {
        paths.push_back(field->name());
      }
    }
    return paths;
  }
  FieldErrors errors;
  for (int i = 0; i < mask.paths_size(); ++i) {
    const std::string& path = mask.paths(i);
    const std::string field = absl::StrCat("update_mask.paths[", i, "]");
    if (path == "*") {
      if (mask.paths_size() != 1) {
        errors.Add(field, "\"*\" cannot be combined with other paths");
        continue;
      }
      for (const std::string& p : rules.updatable) {
        if (!absl::StrContains(p, '.')) paths.push_back(p);
      }
      continue;
    }
    if (rules.updatable.count(path) > 0) {
      paths.push_back(path);
      continue;
    }
    auto immutable = rules.immutable.find(path);
    if (immutable != rules.immutable.end()) {
      errors.Add(field, absl::StrCat(Quoted(path), " ", immutable->second));
    } else {
      errors.Add(field, absl::StrCat(Quoted(path),
                                     " is not a field that can be updated"));
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  return paths;
}

void ApplyUpdateMask(const std::vector<std::string>& paths,
                     const Message& patch, Message* target) {
  FieldMask mask;
  for (const std::string& path : paths) mask.add_paths(path);
  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(patch, mask, options, target);
}

}  // namespace salesmeet
