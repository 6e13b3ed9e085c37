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
  SlotSearcher(SchedulingContext context, CalendarSource& calendars)
      : context_(context), calendars_(calendars) {}

  // INVALID_ARGUMENT names bad fields and every unknown attendee
  // (required_attendees[i], optional_attendees[i]); UNAVAILABLE when the
  // participant service cannot be reached.
  absl::StatusOr<v1::FindMeetingSlotsResponse> Find(
      const v1::FindMeetingSlotsRequest& request, const CallScope& incoming);

 private:
  SchedulingContext context_;
  CalendarSource& calendars_;
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_CALENDARS_SLOT_SEARCH_H_
