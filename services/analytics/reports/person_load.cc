#include "services/analytics/reports/person_load.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/calendar/span_algebra.h"
#include "common/calendar/weekly_load.h"
#include "common/calendar/working_hours.h"
#include "common/field_checks.h"

namespace salesmeet::analytics {
namespace {

// An ISO week lasts 7 local days; a day of margin covers any zone offset.
constexpr absl::Duration kWeekMargin = absl::Hours(24 * 8);

SpanSeconds ToSpanSeconds(TimeSpan span) {
  return {absl::ToUnixSeconds(span.start), absl::ToUnixSeconds(span.end)};
}

std::vector<SpanSeconds> ToSpanSeconds(const std::vector<TimeSpan>& spans) {
  std::vector<SpanSeconds> out;
  out.reserve(spans.size());
  for (const TimeSpan& span : spans) out.push_back(ToSpanSeconds(span));
  return out;
}

SpanSeconds Clip(SpanSeconds span, SpanSeconds window) {
  return {std::max(span.start, window.start), std::min(span.end, window.end)};
}

int64_t Total(const std::vector<SpanSeconds>& spans) {
  int64_t total = 0;
  for (const SpanSeconds& span : spans) total += span.length();
  return total;
}

// How much of each of `spans` (sorted by start, overlaps allowed) the
// sorted, merged `cover` covers, added up: one walk over both lists.
int64_t CoveredTime(const std::vector<SpanSeconds>& spans,
                    const std::vector<SpanSeconds>& cover) {
  int64_t covered = 0;
  size_t first = 0;
  for (const SpanSeconds& span : spans) {
    while (first < cover.size() && cover[first].end <= span.start) ++first;
    for (size_t i = first; i < cover.size() && cover[i].start < span.end; ++i) {
      covered += Clip(cover[i], span).length();
    }
  }
  return covered;
}

// Working time, meeting share, focus and outside-hours figures, from the
// working time in `wide` (the range widened by the focus minimum) and the
// meeting spans sorted by start.
void AddWorkingFigures(const std::vector<SpanSeconds>& wide_working,
                       const std::vector<SpanSeconds>& spans, SpanSeconds range,
                       SpanSeconds wide, int64_t focus_minimum,
                       av1::ParticipantLoad& row) {
  const std::vector<SpanSeconds> working =
      MergeSortedWithin(wide_working, range);
  const int64_t working_time = Total(working);
  *row.mutable_working_time() = ToProtoDuration(absl::Seconds(working_time));

  const int64_t busy_working =
      CoveredTime(MergeSortedWithin(spans, range), working);
  row.set_meeting_share(working_time > 0 ? static_cast<double>(busy_working) /
                                               static_cast<double>(working_time)
                                         : 0.0);

  int64_t focus_time = 0;
  int focus_blocks = 0;
  for (const SpanSeconds& free :
       SubtractSpans(wide_working, MergeSortedWithin(spans, wide))) {
    const SpanSeconds inside = Clip(free, range);
    if (free.length() < focus_minimum || inside.end <= inside.start) continue;
    focus_time += inside.length();
    ++focus_blocks;
  }
  *row.mutable_focus_time() = ToProtoDuration(absl::Seconds(focus_time));
  row.set_focus_block_count(focus_blocks);

  // Meetings overlapping each other each count in full, as in meeting_time.
  std::vector<SpanSeconds> inside;
  inside.reserve(spans.size());
  int64_t meeting_inside = 0;
  for (const SpanSeconds& span : spans) {
    const SpanSeconds part = Clip(span, range);
    if (part.end <= part.start) continue;
    inside.push_back(part);
    meeting_inside += part.length();
  }
  *row.mutable_outside_working_hours_time() = ToProtoDuration(
      absl::Seconds(meeting_inside - CoveredTime(inside, working)));
}

// The weeks the range touches in `zone` whose whole meeting time, from
// `spans` (sorted by start), exceeds `budget`; returns the excess added up.
// Weeks are scheduling's (IsoWeekOf, WeekStart). Their bounds are found
// once per person rather than per span as WeeklyTotals does, which
// matters with a year of meetings.
absl::Duration AddWeeksOverBudget(const std::vector<SpanSeconds>& spans,
                                  absl::TimeZone zone, TimeSpan range,
                                  absl::Duration budget,
                                  av1::ParticipantLoad& row) {
  struct Week {
    IsoWeekKey key;
    SpanSeconds span;
    int64_t total;
  };
  std::vector<Week> weeks;
  absl::CivilDay day = absl::ToCivilDay(range.start, zone);
  IsoWeekKey key = IsoWeekOf(day);
  absl::Time start = WeekStart(key, zone);
  while (start < range.end) {
    day += 7;
    const IsoWeekKey next = IsoWeekOf(day);
    const absl::Time end = WeekStart(next, zone);
    weeks.push_back({key, ToSpanSeconds(TimeSpan{start, end}), 0});
    key = next;
    start = end;
  }
  // Spans come sorted by start, so the first week that can hold one only
  // moves forward.
  size_t first = 0;
  for (const SpanSeconds& span : spans) {
    while (first < weeks.size() && weeks[first].span.end <= span.start) {
      ++first;
    }
    for (size_t i = first; i < weeks.size() && weeks[i].span.start < span.end;
         ++i) {
      weeks[i].total += Clip(span, weeks[i].span).length();
    }
  }
  const int64_t budget_seconds = absl::ToInt64Seconds(budget);
  int64_t over = 0;
  for (const Week& week : weeks) {
    if (week.total <= budget_seconds) continue;
    av1::WeekOverBudget* entry = row.add_weeks_over_budget();
    entry->mutable_week()->set_year(week.key.year);
    entry->mutable_week()->set_week(week.key.week);
    *entry->mutable_meeting_time() = ToProtoDuration(absl::Seconds(week.total));
    *entry->mutable_budget() = ToProtoDuration(budget);
    *entry->mutable_excess() =
        ToProtoDuration(absl::Seconds(week.total - budget_seconds));
    over += week.total - budget_seconds;
  }
  return absl::Seconds(over);
}

}  // namespace

TimeSpan LoadCollectionWindow(TimeSpan range) {
  return {range.start - kWeekMargin, range.end + kWeekMargin};
}

LoadCalculator::LoadCalculator(TimeSpan range,
                               absl::Duration focus_block_minimum)
    : range_(range),
      focus_minimum_(focus_block_minimum),
      wide_{range.start - focus_block_minimum,
            range.end + focus_block_minimum} {}

const std::vector<SpanSeconds>& LoadCalculator::ScheduledSpans(
    const pv1::Participant& record) {
  std::string key = record.time_zone();
  for (const auto& p : record.working_hours()) {
    absl::StrAppend(&key, ";", p.day(), " ", p.start_time().hours(), ":",
                    p.start_time().minutes(), ":", p.start_time().seconds(),
                    "-", p.end_time().hours(), ":", p.end_time().minutes(), ":",
                    p.end_time().seconds());
  }
  auto it = scheduled_.find(key);
  if (it != scheduled_.end()) return it->second;
  pv1::Participant hours_only;
  hours_only.set_time_zone(record.time_zone());
  *hours_only.mutable_working_hours() = record.working_hours();
  // The zone was read already: this cannot fail.
  absl::StatusOr<Availability> hours = Availability::ForParticipant(hours_only);
  std::vector<SpanSeconds> spans;
  if (hours.ok()) spans = ToSpanSeconds(hours->WorkingSpans(wide_));
  return scheduled_.emplace(std::move(key), std::move(spans)).first->second;
}

PersonLoad LoadCalculator::Compute(const std::string& name,
                                   const pv1::Participant* record,
                                   std::vector<SpanSeconds> spans) {
  std::sort(spans.begin(), spans.end(),
            [](const SpanSeconds& a, const SpanSeconds& b) {
              return a.start < b.start || (a.start == b.start && a.end < b.end);
            });
  const SpanSeconds range = ToSpanSeconds(range_);
  PersonLoad out;
  av1::ParticipantLoad& row = out.row;
  row.set_participant(name);
  int64_t meeting_time = 0;
  for (const SpanSeconds& span : spans) {
    const SpanSeconds inside = Clip(span, range);
    if (inside.start < inside.end) meeting_time += inside.length();
  }
  *row.mutable_meeting_time() = ToProtoDuration(absl::Seconds(meeting_time));
  *row.mutable_over_budget_time() = ToProtoDuration(absl::ZeroDuration());

  std::optional<Availability> hours;
  if (record != nullptr) {
    row.set_team(record->team());
    absl::StatusOr<Availability> read = Availability::ForParticipant(*record);
    // The participant service only stores IANA zones; a record it could not
    // read is treated like a missing one rather than failing the report.
    if (read.ok()) hours = *std::move(read);
  }
  row.set_time_zone(hours.has_value() ? record->time_zone() : "UTC");
  if (!hours.has_value()) return out;

  // Working time is the weekly hours minus time off, as WorkingSpans has it.
  const std::vector<SpanSeconds> wide_working = SubtractSpans(
      ScheduledSpans(*record), ToSpanSeconds(hours->TimeOffSpans(wide_)));
  AddWorkingFigures(wide_working, spans, range, ToSpanSeconds(wide_),
                    absl::ToInt64Seconds(focus_minimum_), row);
  if (record->has_weekly_meeting_budget()) {
    const absl::Duration budget =
        ToAbslDuration(record->weekly_meeting_budget());
    *row.mutable_weekly_budget() = record->weekly_meeting_budget();
    out.over_budget =
        AddWeeksOverBudget(spans, hours->zone(), range_, budget, row);
  }
  *row.mutable_over_budget_time() = ToProtoDuration(out.over_budget);
  return out;
}

}  // namespace salesmeet::analytics
