#include "services/analytics/person_load.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
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

// Working time, meeting share, focus and outside-hours figures, from the
// working time in `wide` (the range widened by the focus minimum).
void AddWorkingFigures(const std::vector<TimeSpan>& wide_working,
                       const std::vector<TimeSpan>& spans, TimeSpan range,
                       TimeSpan wide, absl::Duration focus_minimum,
                       av1::ParticipantLoad& row) {
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

// The weeks the range touches in `zone` whose whole meeting time, from
// `spans` (sorted by start), exceeds `budget`; returns the excess added up.
// Weeks are scheduling's (IsoWeekOf, WeekStart). Their bounds are found
// once per person rather than per span as WeeklyTotals does, which
// matters with a year of meetings.
absl::Duration AddWeeksOverBudget(const std::vector<TimeSpan>& spans,
                                  absl::TimeZone zone, TimeSpan range,
                                  absl::Duration budget,
                                  av1::ParticipantLoad& row) {
  struct Week {
    IsoWeekKey key;
    TimeSpan span;
    absl::Duration total;
  };
  std::vector<Week> weeks;
  absl::CivilDay day = absl::ToCivilDay(range.start, zone);
  IsoWeekKey key = scheduling::IsoWeekOf(day);
  absl::Time start = scheduling::WeekStart(key, zone);
  while (start < range.end) {
    day += 7;
    const IsoWeekKey next = scheduling::IsoWeekOf(day);
    const absl::Time end = scheduling::WeekStart(next, zone);
    weeks.push_back({key, {start, end}, absl::ZeroDuration()});
    key = next;
    start = end;
  }
  for (const TimeSpan& span : spans) {
    auto it = std::upper_bound(
        weeks.begin(), weeks.end(), span.start,
        [](absl::Time t, const Week& w) { return t < w.span.end; });
    for (; it != weeks.end() && it->span.start < span.end; ++it) {
      it->total += Clip(span, it->span).length();
    }
  }
  absl::Duration over;
  for (const Week& week : weeks) {
    if (week.total <= budget) continue;
    av1::WeekOverBudget* entry = row.add_weeks_over_budget();
    entry->mutable_week()->set_year(week.key.year);
    entry->mutable_week()->set_week(week.key.week);
    *entry->mutable_meeting_time() = ToProtoDuration(week.total);
    *entry->mutable_budget() = ToProtoDuration(budget);
    *entry->mutable_excess() = ToProtoDuration(week.total - budget);
    over += week.total - budget;
  }
  return over;
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

const std::vector<TimeSpan>& LoadCalculator::ScheduledSpans(
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
  absl::StatusOr<scheduling::Availability> hours =
      scheduling::Availability::ForParticipant(hours_only);
  std::vector<TimeSpan> spans;
  if (hours.ok()) spans = hours->WorkingSpans(wide_);
  return scheduled_.emplace(std::move(key), std::move(spans)).first->second;
}

PersonLoad LoadCalculator::Compute(const std::string& name,
                                   const pv1::Participant* record,
                                   std::vector<TimeSpan> spans) {
  std::sort(spans.begin(), spans.end(),
            [](const TimeSpan& a, const TimeSpan& b) {
              return a.start < b.start || (a.start == b.start && a.end < b.end);
            });
  PersonLoad out;
  av1::ParticipantLoad& row = out.row;
  row.set_participant(name);
  absl::Duration meeting_time;
  for (const TimeSpan& span : spans) {
    const TimeSpan inside = Clip(span, range_);
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

  // Working time is the weekly hours minus time off, as WorkingSpans has it.
  const std::vector<TimeSpan> wide_working =
      Subtract(ScheduledSpans(*record), hours->TimeOffSpans(wide_));
  AddWorkingFigures(wide_working, spans, range_, wide_, focus_minimum_, row);
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
