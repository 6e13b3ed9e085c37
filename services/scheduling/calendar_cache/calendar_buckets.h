#ifndef SALESMEET_SERVICES_SCHEDULING_CALENDAR_CACHE_CALENDAR_BUCKETS_H_
#define SALESMEET_SERVICES_SCHEDULING_CALENDAR_CACHE_CALENDAR_BUCKETS_H_

// How the calendar cache cuts calendars into week buckets and names them in
// Redis: pure functions, so the layout is tested without a Redis.
//
// Keys:
//   salesmeet:cal:gen                          generation (missing = 0)
//   salesmeet:cal:v:{participant}              version (missing = 0)
//   salesmeet:cal:{gen}:{participant}:{version}:{week start, unix seconds}
// The version keys carry no generation so that one MGET reads the
// generation and every version together; the buckets carry both, so a
// bump of either orphans them (they then expire by TTL).

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/calendar/time_span.h"
#include "salesmeet/participant/v1/participant.pb.h"
#include "salesmeet/scheduling/v1/meeting.pb.h"
#include "services/scheduling/calendars/calendar_source.h"

namespace salesmeet::scheduling {

inline constexpr absl::Duration kWeek = absl::Hours(24 * 7);

// Monday 00:00 UTC of the week holding `t`.
absl::Time BucketWeekStart(absl::Time t);

// The starts of every week that overlaps `window` (start < end), in order.
std::vector<absl::Time> WeeksOverlapping(TimeSpan window);

std::string GenerationKey();
std::string VersionKey(const std::string& participant);
std::string BucketKey(int64_t generation, const std::string& participant,
                      int64_t version, absl::Time week);

// A bucket's value: the occurrences, as a serialized GetCalendarResponse
// (only its entries are set).
std::string EncodeBucket(const std::vector<CalendarOccurrence>& occurrences);
absl::StatusOr<std::vector<CalendarOccurrence>> DecodeBucket(
    const std::string& value);

// The occurrences of `calendar` (ordered as CalendarSource orders them)
// that overlap `span`.
std::vector<CalendarOccurrence> Overlapping(
    const std::vector<CalendarOccurrence>& calendar, TimeSpan span);

// Joins one participant's buckets into what the uncached source answers
// for `window`: occurrences overlapping it, each once (one crossing a week
// boundary sits in both buckets), ordered by start, meeting, original start.
std::vector<CalendarOccurrence> Assemble(
    const std::vector<const std::vector<CalendarOccurrence>*>& buckets,
    TimeSpan window);

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_CALENDAR_CACHE_CALENDAR_BUCKETS_H_
