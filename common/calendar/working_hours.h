#ifndef SALESMEET_COMMON_CALENDAR_WORKING_HOURS_H_
#define SALESMEET_COMMON_CALENDAR_WORKING_HOURS_H_

// When a participant can be met: their weekly working hours, read in their
// own time zone day by day (so daylight saving moves them with the local
// clock), minus their time off. The policy judge, free/busy and slot finding
// all read availability through this one class so they agree to the minute.

#include <array>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/calendar/time_span.h"
#include "salesmeet/participant/v1/participant.pb.h"

namespace salesmeet {

// One participant's availability. Every span it returns is half-open,
// sorted, merged (no two touch or overlap) and clipped to the window asked
// about. For any window, WorkingSpans, OffHoursSpans and TimeOffSpans
// partition it: they are pairwise disjoint and together cover it exactly.
// Where time off falls inside working hours or outside them, it is reported
// only as time off ("out of office" beats "outside working hours").
// Windows must be finite: the work grows with the number of local days in
// them, which callers bound (free/busy allows at most 366).
class Availability {
 public:
  // Reads time_zone, working_hours and time_off from `participant`. Fails
  // with INVALID_ARGUMENT only when the stored time zone is not an IANA name.
  // Working-hour blocks with an unspecified day or an end not after their
  // start are skipped, as are time-off entries that do not end after they
  // start: the participant service never stores them.
  static absl::StatusOr<Availability> ForParticipant(
      const participant::v1::Participant& participant);

  // The time inside `window` when the person works and is not on time off.
  // Each weekly block is placed on every local date in their zone with
  // ToAbsolute() (the project's rule for local times in DST gaps and
  // overlaps); an end of 24:00 is the next local midnight. Blocks that touch,
  // on the same day or across midnight, come back as one span.
  std::vector<TimeSpan> WorkingSpans(TimeSpan window) const;

  // The time inside `window` outside working hours and not on time off:
  // free/busy's "outside working hours".
  std::vector<TimeSpan> OffHoursSpans(TimeSpan window) const;

  // The time inside `window` outside the weekly working hours, whether or
  // not it is also time off: what a slot search counts as "outside working
  // hours", an obstacle of its own beside time off. Not part of the
  // partition above.
  std::vector<TimeSpan> OutsideScheduleSpans(TimeSpan window) const;

  // The time off that overlaps `window`, clipped to it and merged:
  // free/busy's "out of office". Reported whether or not it falls in
  // working hours.
  std::vector<TimeSpan> TimeOffSpans(TimeSpan window) const;

  // True when the whole of `span` lies in working hours and none of it in
  // time off. Edges are half-open: a 09:00-17:00 meeting fits a 09:00-17:00
  // day; a 16:30-17:30 one does not. An empty span is never within.
  bool IsWithinWorkingHours(TimeSpan span) const;

  // True when any part of `span` falls in time off.
  bool OverlapsTimeOff(TimeSpan span) const;

  absl::TimeZone zone() const { return zone_; }

 private:
  // A weekly block as seconds since local midnight; end may be 86400.
  struct DailyBlock {
    int start_second;
    int end_second;
  };

  Availability(absl::TimeZone zone,
               std::array<std::vector<DailyBlock>, 7> blocks,
               std::vector<TimeSpan> time_off)
      : zone_(zone),
        blocks_(std::move(blocks)),
        time_off_(std::move(time_off)) {}

  // Working hours in `window` before time off is taken out, merged.
  std::vector<TimeSpan> ScheduledSpans(TimeSpan window) const;

  absl::TimeZone zone_;
  // Indexed by absl::Weekday (Monday = 0), sorted by start.
  std::array<std::vector<DailyBlock>, 7> blocks_;
  // Sorted and merged.
  std::vector<TimeSpan> time_off_;
};

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_CALENDAR_WORKING_HOURS_H_
