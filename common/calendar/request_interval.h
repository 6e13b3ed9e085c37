#ifndef SALESMEET_COMMON_CALENDAR_REQUEST_INTERVAL_H_
#define SALESMEET_COMMON_CALENDAR_REQUEST_INTERVAL_H_

// The one check of an Interval a request names (calendars, listings,
// reports), so every method words its errors the same way.

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/calendar/time_span.h"
#include "common/errors.h"
#include "salesmeet/type/v1/time.pb.h"

namespace salesmeet {

// The longest interval a request may name.
inline constexpr absl::Duration kMaxRequestInterval = absl::Hours(24 * 366);

// Checks an Interval the request has set: both ends set and valid, the end
// after the start, at most kMaxRequestInterval long. Problems are added to
// `errors`, naming `field` (e.g. "interval", "scope.interval") or its
// end_time; the span returned is meaningful only when none was added.
TimeSpan CheckRequestInterval(const type::v1::Interval& interval,
                              absl::string_view field, FieldErrors& errors);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_CALENDAR_REQUEST_INTERVAL_H_
