#include "common/calendar/request_interval.h"

#include "absl/strings/str_cat.h"
#include "common/field_checks.h"

namespace salesmeet {

TimeSpan CheckRequestInterval(const type::v1::Interval& interval,
                              absl::string_view field, FieldErrors& errors) {
  if (!interval.has_start_time() || !interval.has_end_time() ||
      !IsValidTimestamp(interval.start_time()) ||
      !IsValidTimestamp(interval.end_time())) {
    errors.Add(field, "needs start_time and end_time");
    return {};
  }
  const TimeSpan span{ToAbslTime(interval.start_time()),
                      ToAbslTime(interval.end_time())};
  if (span.end <= span.start) {
    errors.Add(absl::StrCat(field, ".end_time"), "must be after start_time");
  } else if (span.length() > kMaxRequestInterval) {
    errors.Add(field, "must be at most 366 days long");
  }
  return span;
}

}  // namespace salesmeet
