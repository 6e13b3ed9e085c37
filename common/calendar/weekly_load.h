#ifndef SALESMEET_COMMON_CALENDAR_WEEKLY_LOAD_H_
#define SALESMEET_COMMON_CALENDAR_WEEKLY_LOAD_H_

// Meeting time per ISO week in a participant's own time zone, and how a
// write changes it: the arithmetic behind Verdict.weekly_loads and the
// OVER_WEEKLY_BUDGET rule.

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/calendar/time_span.h"
#include "salesmeet/scheduling/v1/verdict.pb.h"

namespace salesmeet {

// An ISO 8601 week: `year` is the ISO week-numbering year, which differs
// from the calendar year around New Year (2027-01-01 is in 2026-W53).
// Ordered chronologically.
struct IsoWeekKey {
  int year = 0;
  int week = 0;

  friend bool operator<(const IsoWeekKey& a, const IsoWeekKey& b) {
    return std::tie(a.year, a.week) < std::tie(b.year, b.week);
  }
  friend bool operator==(const IsoWeekKey& a, const IsoWeekKey& b) {
    return a.year == b.year && a.week == b.week;
  }
};

// The ISO week a calendar day belongs to.
IsoWeekKey IsoWeekOf(absl::CivilDay day);

// The instant a week starts in `zone`: the first instant whose local date
// is that week's Monday. Usually Monday 00:00; where a clock change skips
// midnight, the moment the clocks jump.
absl::Time WeekStart(IsoWeekKey week, absl::TimeZone zone);

// Meeting time per ISO week of `zone`. A span across a week boundary counts
// in both weeks, each for its part; overlapping spans each count in full
// (two meetings at once are two meetings' worth of load). Empty or
// inverted spans count nothing, and weeks with nothing are absent.
std::map<IsoWeekKey, absl::Duration> WeeklyTotals(
    const std::vector<TimeSpan>& spans, absl::TimeZone zone);

// One WeeklyLoad for every week whose meeting time differs between `before`
// and `after`, in week order. Only the parts of spans inside `window` count,
// so a week cut by the window's edge shows the time inside it. `participant`
// is "participants/{id}"; `budget` is their weekly_meeting_budget, if any.
// over_budget is set when there is a budget and `after` exceeds it.
std::vector<scheduling::v1::WeeklyLoad> CompareWeeks(
    const std::string& participant, absl::TimeZone zone,
    std::optional<absl::Duration> budget, const std::vector<TimeSpan>& before,
    const std::vector<TimeSpan>& after, const TimeSpan& window);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_CALENDAR_WEEKLY_LOAD_H_
