#ifndef SALESMEET_SERVICES_SCHEDULING_CALENDARS_CALENDAR_READER_H_
#define SALESMEET_SERVICES_SCHEDULING_CALENDARS_CALENDAR_READER_H_

// Calendars and free/busy: who is in which meeting when, read through a
// CalendarSource (the store today, the Redis cache around it later), and
// when people are unavailable, read from their participant records.

#include "absl/status/statusor.h"
#include "common/call_scope.h"
#include "salesmeet/scheduling/v1/calendar.pb.h"
#include "services/scheduling/calendars/calendar_source.h"
#include "services/scheduling/scheduling_context.h"

namespace salesmeet::scheduling {

class CalendarReader {
 public:
  // `people` may serve records a few seconds old (RecentParticipantLookup).
  CalendarReader(ParticipantLookup& people, CalendarSource& calendars)
      : people_(people), calendars_(calendars) {}

  // NOT_FOUND when the participant does not exist. `incoming` (may be null)
  // is the call being served, whose deadline the participant lookup keeps.
  absl::StatusOr<v1::GetCalendarResponse> GetCalendar(
      const v1::GetCalendarRequest& request, const CallScope& incoming);

  // Unknown participants get an error of their own; UNAVAILABLE only when
  // the participant service cannot be reached.
  absl::StatusOr<v1::QueryFreeBusyResponse> QueryFreeBusy(
      const v1::QueryFreeBusyRequest& request, const CallScope& incoming);

 private:
  ParticipantLookup& people_;
  CalendarSource& calendars_;
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_CALENDARS_CALENDAR_READER_H_
