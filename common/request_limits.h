#ifndef SALESMEET_COMMON_REQUEST_LIMITS_H_
#define SALESMEET_COMMON_REQUEST_LIMITS_H_

// Limits every request meets before any handler looks at it: no string
// longer than kMaxRequestStringBytes or holding control characters, no
// repeated field (or map) with more than kMaxRequestRepeated entries, no
// enum number the enum does not define, and every Duration, Timestamp and
// Money within its type's range (Money within +-kMaxMoneyUnits).
//
// They sit far above every documented per-field limit (a description's 2000
// characters, BatchGetParticipants' 1000 names), which validators still
// check precisely. Their job is to make refusing a hostile request cost
// about as much as reading it: a validator never walks 100,000 update-mask
// paths or copies a megabyte-long time zone into an error.

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "common/field_checks.h"
#include "google/protobuf/message.h"

namespace salesmeet {

inline constexpr size_t kMaxRequestStringBytes = 16 * 1024;
inline constexpr int kMaxRequestRepeated = 1000;

// OK, or INVALID_ARGUMENT naming each offending field by its path in the
// request (e.g. "meeting.attendees[2].participant", "update_mask.paths").
// Text may hold tab, line feed and carriage return, but no other control
// character: NUL in a title or name breaks every system it is copied to.
absl::Status CheckRequestLimits(const google::protobuf::Message& request);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_REQUEST_LIMITS_H_
