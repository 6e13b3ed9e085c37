#include "common/calendar/working_hours.h"

#include <algorithm>

#include "absl/time/civil_time.h"
#include "common/calendar/recurrence.h"
#include "common/calendar/span_algebra.h"
#include "common/field_checks.h"

namespace salesmeet {
namespace {

constexpr int kSecondsPerDay = 24 * 60 * 60;

// google.type.DayOfWeek runs MONDAY = 1 .. SUNDAY = 7; absl::Weekday runs
// monday = 0 .. sunday = 6. -1 for DAY_OF_WEEK_UNSPECIFIED.
int WeekdayIndex(google::type::DayOfWeek day) {
  if (day < google::type::MONDAY || day > google::type::SUNDAY) return -1;
  return static_cast<int>(day) - 1;
}

int WeekdayIndex(absl::Weekday day) { return static_cast<int>(day); }

int SecondOfDay(const google::type::TimeOfDay& t) {
  return std::clamp(t.hours() * 3600 + t.minutes() * 60 + t.seconds(), 0,
                    kSecondsPerDay);
}

}  // namespace

absl::StatusOr<Availability> Availability::ForParticipant(
    const participant::v1::Participant& participant) {
  absl::StatusOr<absl::TimeZone> zone =
      LoadIanaTimeZone(participant.time_zone());
  if (!zone.ok()) return zone.status();

  std::array<std::vector<DailyBlock>, 7> blocks;
  for (const auto& period : participant.working_hours()) {
    const int day = WeekdayIndex(period.day());
    const DailyBlock block{SecondOfDay(period.start_time()),
                           SecondOfDay(period.end_time())};
    if (day < 0 || block.end_second <= block.start_second) continue;
    blocks[day].push_back(block);
  }
  for (auto& day : blocks) {
    std::sort(day.begin(), day.end(),
              [](const DailyBlock& a, const DailyBlock& b) {
                return a.start_second < b.start_second;
              });
  }

  std::vector<TimeSpan> time_off;
  for (const auto& entry : participant.time_off()) {
    time_off.push_back({ToAbslTime(entry.interval().start_time()),
                        ToAbslTime(entry.interval().end_time())});
  }
  return Availability(*zone, std::move(blocks),
                      MergeSpans(std::move(time_off)));
}

std::vector<TimeSpan> Availability::ScheduledSpans(TimeSpan window) const {
  if (window.end <= window.start) return {};
  // One local day of margin on each side: a block on the local date before
  // the window's first one can still reach into it (e.g. 22:00-24:00 seen
  // from a window that starts at midnight UTC, east of Greenwich).
  const absl::CivilDay first = absl::ToCivilDay(window.start, zone_) - 1;
  const absl::CivilDay last = absl::ToCivilDay(window.end, zone_) + 1;
  std::vector<TimeSpan> spans;
  for (absl::CivilDay day = first; day <= last; ++day) {
    const absl::CivilSecond midnight(day);
    for (const DailyBlock& block :
         blocks_[WeekdayIndex(absl::GetWeekday(day))]) {
      // Each end is converted on its own, so a block that spans a DST change
      // is as long as the clock says (7 or 9 real hours for 08:00-16:00),
      // and an hour that does not exist is no working time.
      const TimeSpan span{ToAbsolute(midnight + block.start_second, zone_),
                          ToAbsolute(midnight + block.end_second, zone_)};
      if (span.Overlaps(window)) spans.push_back(span);
    }
  }
  return ClipSpans(MergeSpans(std::move(spans)), window);
}

std::vector<TimeSpan> Availability::WorkingSpans(TimeSpan window) const {
  return SubtractSpans(ScheduledSpans(window), time_off_);
}

std::vector<TimeSpan> Availability::OffHoursSpans(TimeSpan window) const {
  if (window.end <= window.start) return {};
  std::vector<TimeSpan> taken = ScheduledSpans(window);
  const std::vector<TimeSpan> off = TimeOffSpans(window);
  taken.insert(taken.end(), off.begin(), off.end());
  return SubtractSpans<TimeSpan>({window}, MergeSpans(std::move(taken)));
}

std::vector<TimeSpan> Availability::OutsideScheduleSpans(
    TimeSpan window) const {
  if (window.end <= window.start) return {};
  return SubtractSpans<TimeSpan>({window}, MergeSpans(ScheduledSpans(window)));
}

std::vector<TimeSpan> Availability::TimeOffSpans(TimeSpan window) const {
  if (window.end <= window.start) return {};
  return ClipSpans(time_off_, window);
}

bool Availability::IsWithinWorkingHours(TimeSpan span) const {
  if (span.end <= span.start) return false;
  const std::vector<TimeSpan> working = WorkingSpans(span);
  return working.size() == 1 && working.front() == span;
}

bool Availability::OverlapsTimeOff(TimeSpan span) const {
  if (span.end <= span.start) return false;
  // The first entry that ends after the span starts is the only candidate.
  auto it = std::upper_bound(
      time_off_.begin(), time_off_.end(), span.start,
      [](absl::Time t, const TimeSpan& entry) { return t < entry.end; });
  return it != time_off_.end() && it->start < span.end;
}

}  // namespace salesmeet
