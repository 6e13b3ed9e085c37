#ifndef SALESMEET_SERVICES_SCHEDULING_CALENDARS_SLOT_SEARCH_H_
#define SALESMEET_SERVICES_SCHEDULING_CALENDARS_SLOT_SEARCH_H_

// FindMeetingSlots end to end: validates the request, looks the attendees
// up, reads their calendars (through the same CalendarSource as GetCalendar,
// so the cache serves it), prices a slot, and hands everything to the slot
// finder.

#include "absl/status/statusor.h"
#include "common/call_scope.h"
#include "salesmeet/scheduling/v1/calendar.pb.h"
#include "services/scheduling/calendars/calendar_source.h"
#include "services/scheduling/scheduling_context.h"

namespace salesmeet::scheduling {

class SlotSearcher {
 public:
  // `people` may serve records a few seconds old (RecentParticipantLookup).
  SlotSearcher(MeetingStore& store, ParticipantLookup& people,
               CalendarSource& calendars, Clock clock)
      : store_(store),
        people_(people),
        calendars_(calendars),
        clock_(std::move(clock)) {}

  // INVALID_ARGUMENT names bad fields and every unknown attendee
  // (required_attendees[i], optional_attendees[i]); UNAVAILABLE when the
  // participant service cannot be reached.
  absl::StatusOr<v1::FindMeetingSlotsResponse> Find(
      const v1::FindMeetingSlotsRequest& request, const CallScope& incoming);

 private:
  MeetingStore& store_;
  ParticipantLookup& people_;
  CalendarSource& calendars_;
  const Clock clock_;
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_CALENDARS_SLOT_SEARCH_H_
