#ifndef SALESMEET_COMMON_ERROR_TEST_SUPPORT_H_
#define SALESMEET_COMMON_ERROR_TEST_SUPPORT_H_

// Reading the rich details of an error in a test: what a caller would act
// on. Tests only.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/errors.h"

namespace salesmeet {

// The first field a BadRequest names, or "" when there is none.
inline std::string FirstBadField(const absl::Status& status) {
  google::rpc::BadRequest bad;
  if (!GetBadRequest(status, &bad) || bad.field_violations().empty()) {
    return "";
  }
  return bad.field_violations(0).field();
}

// Every field a BadRequest names, in order.
inline std::vector<std::string> BadFields(const absl::Status& status) {
  google::rpc::BadRequest bad;
  std::vector<std::string> fields;
  if (GetBadRequest(status, &bad)) {
    for (const auto& v : bad.field_violations()) fields.push_back(v.field());
  }
  return fields;
}

// The ErrorInfo reason, or "" when there is none.
inline std::string ErrorReason(const absl::Status& status) {
  google::rpc::ErrorInfo info;
  return GetErrorInfo(status, &info) ? info.reason() : "";
}

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_ERROR_TEST_SUPPORT_H_
