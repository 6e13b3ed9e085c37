#include "common/calendar/weekly_load.h"

#include <algorithm>
#include <set>

#include "common/field_checks.h"

namespace salesmeet {
namespace {

absl::CivilDay MondayOf(absl::CivilDay day) {
  return absl::PrevWeekday(day + 1, absl::Weekday::monday);
}

absl::CivilDay MondayOf(IsoWeekKey week) {
  // 4 January is in week 1 by definition (week 1 holds the first Thursday).
  const absl::CivilDay week_one = MondayOf(absl::CivilDay(week.year, 1, 4));
  return week_one + 7 * (week.week - 1);
}

// The first instant after `after` at which the local date reaches `monday`.
// A skipped midnight is reached when the clocks jump past it. Only when a
// clock change repeats midnight back into Sunday can the local date reach
// Monday twice; time spent in the repeated Sunday then ends at the second.
absl::Time NextMondayAfter(absl::CivilDay monday, absl::TimeZone zone,
                           absl::Time after) {
  const auto lookup = zone.At(absl::CivilSecond(monday));
  if (lookup.kind == absl::TimeZone::TimeInfo::SKIPPED) return lookup.trans;
  return lookup.pre > after ? lookup.pre : lookup.post;
}

std::vector<TimeSpan> ClipTo(const std::vector<TimeSpan>& spans,
                             const TimeSpan& window) {
  std::vector<TimeSpan> clipped;
  for (const TimeSpan& span : spans) {
    TimeSpan part{std::max(span.start, window.start),
                  std::min(span.end, window.end)};
    if (part.start < part.end) clipped.push_back(part);
  }
  return clipped;
}

}  // namespace

IsoWeekKey IsoWeekOf(absl::CivilDay day) {
  // The Thursday of a week decides its year, and counting Thursdays from
  // 1 January gives its number.
  const absl::CivilDay thursday = MondayOf(day) + 3;
  return {static_cast<int>(thursday.year()),
          (absl::GetYearDay(thursday) - 1) / 7 + 1};
}

absl::Time WeekStart(IsoWeekKey week, absl::TimeZone zone) {
  return NextMondayAfter(MondayOf(week), zone, absl::InfinitePast());
}

std::map<IsoWeekKey, absl::Duration> WeeklyTotals(
    const std::vector<TimeSpan>& spans, absl::TimeZone zone) {
  std::map<IsoWeekKey, absl::Duration> totals;
  for (const TimeSpan& span : spans) {
    absl::Time t = span.start;
    while (t < span.end) {
      const absl::CivilDay day = absl::ToCivilDay(t, zone);
      absl::Time next = NextMondayAfter(MondayOf(day) + 7, zone, t);
      // Cannot happen with real zone data; stops a loop if it ever did.
      if (next <= t) next = span.end;
      const absl::Time piece_end = std::min(next, span.end);
      totals[IsoWeekOf(day)] += piece_end - t;
      t = piece_end;
    }
  }
  return totals;
}

std::vector<scheduling::v1::WeeklyLoad> CompareWeeks(
    const std::string& participant, absl::TimeZone zone,
    std::optional<absl::Duration> budget, const std::vector<TimeSpan>& before,
    const std::vector<TimeSpan>& after, const TimeSpan& window) {
  const auto before_totals = WeeklyTotals(ClipTo(before, window), zone);
  const auto after_totals = WeeklyTotals(ClipTo(after, window), zone);
  std::set<IsoWeekKey> weeks;
  for (const auto& [week, total] : before_totals) weeks.insert(week);
  for (const auto& [week, total] : after_totals) weeks.insert(week);

  auto total_in = [](const std::map<IsoWeekKey, absl::Duration>& totals,
                     IsoWeekKey week) {
    auto it = totals.find(week);
    return it == totals.end() ? absl::ZeroDuration() : it->second;
  };

  std::vector<scheduling::v1::WeeklyLoad> loads;
  for (IsoWeekKey week : weeks) {
    const absl::Duration was = total_in(before_totals, week);
    const absl::Duration will_be = total_in(after_totals, week);
    if (was == will_be) continue;
    scheduling::v1::WeeklyLoad& load = loads.emplace_back();
    load.set_participant(participant);
    load.mutable_week()->set_year(week.year);
    load.mutable_week()->set_week(week.week);
    load.set_time_zone(zone.name());
    *load.mutable_before() = ToProtoDuration(was);
    *load.mutable_after() = ToProtoDuration(will_be);
    if (budget.has_value()) {
      *load.mutable_budget() = ToProtoDuration(*budget);
      load.set_over_budget(will_be > *budget);
    }
  }
  return loads;
}

}  // namespace salesmeet
