#include "services/analytics/person_load.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/time/civil_time.h"
#include "common/field_checks.h"
#include "services/scheduling/weekly_load.h"
#include "services/scheduling/working_hours.h"

namespace salesmeet::analytics {
namespace {

using scheduling::IsoWeekKey;

// An ISO week lasts 7 local days; a day of margin covers any zone offset.
constexpr absl::Duration kWeekMargin = absl::Hours(24 * 8);

TimeSpan Clip(TimeSpan span, TimeSpan window) {
  return {std::max(span.start, window.start), std::min(span.end, window.end)};
}

absl::Duration Total(const std::vector<TimeSpan>& spans) {
  absl::Duration total;
  for (const TimeSpan& span : spans) total += span.length();
  return total;
}

// The union of `spans` (sorted by start) inside `window`, sorted and merged.
std::vector<TimeSpan> UnionWithin(const std::vector<TimeSpan>& spans,
                                  TimeSpan window) {
  std::vector<TimeSpan> merged;
  for (const TimeSpan& span : spans) {
    const TimeSpan part = Clip(span, window);
    if (part.end <= part.start) continue;
    if (!merged.empty() && part.start <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, part.end);
    } else {
      merged.push_back(part);
    }
  }
  return merged;
}

// How much of `span` sorted, merged `spans` cover.
absl::Duration OverlapWith(TimeSpan span, const std::vector<TimeSpan>& spans) {
  auto it = std::upper_bound(
      spans.begin(), spans.end(), span.start,
      [](absl::Time t, const TimeSpan& s) { return t < s.end; });
  absl::Duration covered;
  for (; it != spans.end() && it->start < span.end; ++it) {
    covered += Clip(*it, span).length();
  }
  return covered;
}

// `from` minus `remove`, both sorted and merged.
std::vector<TimeSpan> Subtract(const std::vector<TimeSpan>& from,
                               const std::vector<TimeSpan>& remove) {
  std::vector<TimeSpan> out;
  size_t r = 0;
  for (TimeSpan rest : from) {
    while (r < remove.size() && remove[r].end <= rest.start) ++r;
    for (size_t i = r; i < remove.size() && remove[i].start < rest.end; ++i) {
      if (remove[i].start > rest.start)
        out.push_back({rest.start, remove[i].start});
      rest.start = std::max(rest.start, remove[i].end);
    }
    if (rest.start < rest.end) out.push_back(rest);
  }
  return out;
}

// Working time, meeting share, focus and outside-hours figures.
void AddWorkingFigures(const scheduling::Availability& hours,
                       const std::vector<TimeSpan>& spans, TimeSpan range,
                       absl::Duration focus_minimum,
                       av1::ParticipantLoad& row) {
  // A free block is judged by its whole length, so look past the range's
  // ends by the minimum: a block reaching that far is long enough anyway.
  const TimeSpan wide{range.start - focus_minimum, range.end + focus_minimum};
  const std::vector<TimeSpan> wide_working = hours.WorkingSpans(wide);
  const std::vector<TimeSpan> working = UnionWithin(wide_working, range);
  const absl::Duration working_time = Total(working);
  *row.mutable_working_time() = ToProtoDuration(working_time);

  absl::Duration busy_working;
  for (const TimeSpan& busy : UnionWithin(spans, range)) {
    busy_working += OverlapWith(busy, working);
  }
  row.set_meeting_share(working_time > absl::ZeroDuration()
                            ? absl::FDivDuration(busy_working, working_time)
                            : 0.0);

  absl::Duration focus_time;
  int focus_blocks = 0;
  for (const TimeSpan& free :
       Subtract(wide_working, UnionWithin(spans, wide))) {
    const TimeSpan inside = Clip(free, range);
    if (free.length() < focus_minimum || inside.end <= inside.start) continue;
    focus_time += inside.length();
    ++focus_blocks;
  }
  *row.mutable_focus_time() = ToProtoDuration(focus_time);
  row.set_focus_block_count(focus_blocks);

  absl::Duration outside;
  for (const TimeSpan& span : spans) {
    const TimeSpan inside = Clip(span, range);
    if (inside.end <= inside.start) continue;
    outside += inside.length() - OverlapWith(inside, working);
  }
  *row.mutable_outside_working_hours_time() = ToProtoDuration(outside);
}

// The weeks the range touches in `zone` whose whole meeting time exceeds
// `budget`; returns the excess added up.
absl::Duration AddWeeksOverBudget(const std::vector<TimeSpan>& spans,
                                  absl::TimeZone zone, TimeSpan range,
                                  absl::Duration budget,
                                  av1::ParticipantLoad& row) {
  const IsoWeekKey first =
      scheduling::IsoWeekOf(absl::ToCivilDay(range.start, zone));
  const IsoWeekKey last = scheduling::IsoWeekOf(
      absl::ToCivilDay(range.end - absl::Nanoseconds(1), zone));
  absl::Duration over;
  for (const auto& [week, total] : scheduling::WeeklyTotals(spans, zone)) {
    if (week < first || last < week || total <= budget) continue;
    av1::WeekOverBudget* entry = row.add_weeks_over_budget();
    entry->mutable_week()->set_year(week.year);
    entry->mutable_week()->set_week(week.week);
    *entry->mutable_meeting_time() = ToProtoDuration(total);
    *entry->mutable_budget() = ToProtoDuration(budget);
    *entry->mutable_excess() = ToProtoDuration(total - budget);
    over += total - budget;
  }
  return over;
}

}  // namespace

TimeSpan LoadCollectionWindow(TimeSpan range) {
  return {range.start - kWeekMargin, range.end + kWeekMargin};
}

PersonLoad ComputePersonLoad(const std::string& name,
                             const pv1::Participant* record,
                             std::vector<TimeSpan> spans, TimeSpan range,
                             absl::Duration focus_block_minimum) {
  std::sort(spans.begin(), spans.end(),
            [](const TimeSpan& a, const TimeSpan& b) {
              return a.start < b.start || (a.start == b.start && a.end < b.end);
            });
  PersonLoad out;
  av1::ParticipantLoad& row = out.row;
  row.set_participant(name);
  absl::Duration meeting_time;
  for (const TimeSpan& span : spans) {
    const TimeSpan inside = Clip(span, range);
    if (inside.start < inside.end) meeting_time += inside.length();
  }
  *row.mutable_meeting_time() = ToProtoDuration(meeting_time);
  *row.mutable_over_budget_time() = ToProtoDuration(absl::ZeroDuration());

  std::optional<scheduling::Availability> hours;
  if (record != nullptr) {
    row.set_team(record->team());
    absl::StatusOr<scheduling::Availability> read =
        scheduling::Availability::ForParticipant(*record);
    // The participant service only stores IANA zones; a record it could not
    // read is treated like a missing one rather than failing the report.
    if (read.ok()) hours = *std::move(read);
  }
  row.set_time_zone(hours.has_value() ? record->time_zone() : "UTC");
  if (!hours.has_value()) return out;

  AddWorkingFigures(*hours, spans, range, focus_block_minimum, row);
  if (record->has_weekly_meeting_budget()) {
    const absl::Duration budget =
        ToAbslDuration(record->weekly_meeting_budget());
    *row.mutable_weekly_budget() = record->weekly_meeting_budget();
    out.over_budget =
        AddWeeksOverBudget(spans, hours->zone(), range, budget, row);
  }
  *row.mutable_over_budget_time() = ToProtoDuration(out.over_budget);
  return out;
}

}  // namespace salesmeet::analytics
