#include "services/scheduling/calendar_cache/calendar_buckets.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/field_checks.h"
#include "salesmeet/scheduling/v1/calendar.pb.h"

namespace salesmeet::scheduling {
namespace {

// 1970-01-01 was a Thursday; the first Monday is four days later.
const absl::Time kFirstMonday = absl::UnixEpoch() + absl::Hours(24 * 4);

bool Before(const CalendarOccurrence& a, const CalendarOccurrence& b) {
  return std::tie(a.time.span.start, a.meeting, a.time.original_start) <
         std::tie(b.time.span.start, b.meeting, b.time.original_start);
}

}  // namespace

absl::Time BucketWeekStart(absl::Time t) {
  const absl::Duration since = t - kFirstMonday;
  absl::Duration remainder;
  int64_t weeks = absl::IDivDuration(since, kWeek, &remainder);
  if (kFirstMonday + weeks * kWeek > t) --weeks;  // Floor, not truncation.
  return kFirstMonday + weeks * kWeek;
}

std::vector<absl::Time> WeeksOverlapping(TimeSpan window) {
  std::vector<absl::Time> weeks;
  for (absl::Time w = BucketWeekStart(window.start); w < window.end;
       w += kWeek) {
    weeks.push_back(w);
  }
  return weeks;
}

std::string GenerationKey() { return "salesmeet:cal:gen"; }

std::string VersionKey(const std::string& participant) {
  return absl::StrCat("salesmeet:cal:v:", participant);
}

std::string BucketKey(int64_t generation, const std::string& participant,
                      int64_t version, absl::Time week) {
  return absl::StrCat("salesmeet:cal:", generation, ":", participant, ":",
                      version, ":", absl::ToUnixSeconds(week));
}

std::string EncodeBucket(const std::vector<CalendarOccurrence>& occurrences) {
  v1::GetCalendarResponse bucket;
  for (const CalendarOccurrence& o : occurrences) {
    *bucket.add_entries() = ToCalendarEntry(o);
  }
  return bucket.SerializeAsString();
}

absl::StatusOr<std::vector<CalendarOccurrence>> DecodeBucket(
    const std::string& value) {
  v1::GetCalendarResponse bucket;
  if (!bucket.ParseFromString(value)) {
    return absl::DataLossError("calendar cache bucket does not parse");
  }
  std::vector<CalendarOccurrence> occurrences;
  occurrences.reserve(bucket.entries_size());
  for (v1::CalendarEntry& entry : *bucket.mutable_entries()) {
    occurrences.push_back(FromCalendarEntry(std::move(entry)));
  }
  return occurrences;
}

std::vector<CalendarOccurrence> Overlapping(
    const std::vector<CalendarOccurrence>& calendar, TimeSpan span) {
  std::vector<CalendarOccurrence> out;
  for (const CalendarOccurrence& o : calendar) {
    if (o.time.span.Overlaps(span)) out.push_back(o);
  }
  return out;
}

std::vector<CalendarOccurrence> Assemble(
    const std::vector<const std::vector<CalendarOccurrence>*>& buckets,
    TimeSpan window) {
  std::vector<CalendarOccurrence> out;
  // Keys point into the buckets, which outlive this call.
  absl::flat_hash_set<std::pair<absl::string_view, int64_t>> seen;
  for (const std::vector<CalendarOccurrence>* bucket : buckets) {
    for (const CalendarOccurrence& o : *bucket) {
      if (!o.time.span.Overlaps(window)) continue;
      if (!seen.insert({o.meeting, absl::ToUnixNanos(o.time.original_start)})
               .second) {
        continue;
      }
      out.push_back(o);
    }
  }
  std::sort(out.begin(), out.end(), Before);
  return out;
}

}  // namespace salesmeet::scheduling
