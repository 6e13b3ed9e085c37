#ifndef SALESMEET_SERVICES_SCHEDULING_CALENDARS_ATTENDEE_TIMELINE_H_
#define SALESMEET_SERVICES_SCHEDULING_CALENDARS_ATTENDEE_TIMELINE_H_

// One attendee's obstacles to candidate slots, answered in a single sweep:
// their time off, time outside working hours and busy time are merged into
// sorted spans once, and each question moves a cursor forward instead of
// testing every interval, so judging all candidates is linear.

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/calendar/time_span.h"
#include "salesmeet/participant/v1/participant.pb.h"
#include "salesmeet/scheduling/v1/meeting.pb.h"
#include "services/scheduling/calendars/slot_query.h"

namespace salesmeet::scheduling {

// Why an attendee cannot make a slot, as bits so a verdict on everyone
// takes a byte per attendee.
enum ObstacleBit : uint8_t {
  kBusy = 1,
  kBuffer = 2,  // Only when not kBusy.
  kOffHours = 4,
  kTimeOff = 8,
  kOverBudget = 16,
};

class AttendeeTimeline {
 public:
  // Reads `attendee` over `horizon`, which must cover every slot and buffer
  // asked about. The weekly budget is only checked with `check_budget`, and
  // only for an employee who has one. INTERNAL when their stored time zone
  // is unknown to this server.
  static absl::StatusOr<AttendeeTimeline> Build(const SlotAttendee& attendee,
                                                TimeSpan horizon,
                                                bool check_budget);

  // ObstacleBits for `slot` with the given buffers. Calls must come with
  // starts that never decrease (and a fixed slot length): the cursors only
  // move forward.
  uint8_t Obstacles(TimeSpan slot, absl::Duration buffer_before,
                    absl::Duration buffer_after);

 private:
  // An ISO week of the attendee's zone and its meeting time so far.
  struct Week {
    TimeSpan span;
    absl::Duration total;
  };

  AttendeeTimeline() = default;

  bool OverBudget(TimeSpan slot);

  std::vector<TimeSpan> time_off_, off_hours_, busy_;
  std::optional<absl::Duration> budget_;
  std::vector<Week> weeks_;
  size_t time_off_at_ = 0, off_hours_at_ = 0, busy_at_ = 0, buffer_at_ = 0,
         week_at_ = 0;
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_CALENDARS_ATTENDEE_TIMELINE_H_
