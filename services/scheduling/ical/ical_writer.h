#ifndef SALESMEET_SERVICES_SCHEDULING_ICAL_ICAL_WRITER_H_
#define SALESMEET_SERVICES_SCHEDULING_ICAL_ICAL_WRITER_H_

// Meetings as iCalendar (RFC 5545), built with libical: one VEVENT per
// meeting (a series as its RRULE and EXDATEs), one more per changed
// occurrence (RECURRENCE-ID: moved, cancelled, or answered differently),
// and a VTIMEZONE for every zone they use, so that any calendar program
// expands them to the same instants salesmeet does.

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "salesmeet/scheduling/v1/meeting.pb.h"

namespace salesmeet::scheduling {

// How a participant appears in ORGANIZER and ATTENDEE: a calendar address
// ("mailto:..." where the caller may see it, otherwise a URN naming the
// participant) and a display name (CN), possibly empty.
struct CalendarAddress {
  std::string uri;
  std::string common_name;
};
using AddressOf = std::function<CalendarAddress(const std::string& name)>;

// The calendar address for a participant whose email is not to be shown:
// "urn:salesmeet:participants/ana".
std::string ParticipantUrn(const std::string& participant_name);

struct ICalendarOptions {
  std::string product_id = "-//salesmeet//scheduling//EN";
  // DTSTAMP of every event: when the calendar was made.
  absl::Time stamp;
  // The UID's domain part: "<meeting id>@<uid_domain>".
  std::string uid_domain = "salesmeet";
};

// The VCALENDAR (METHOD:PUBLISH) holding `meetings`. INTERNAL only if
// libical fails on data salesmeet itself validated.
absl::StatusOr<std::string> WriteICalendar(
    const std::vector<v1::Meeting>& meetings, const AddressOf& address_of,
    const ICalendarOptions& options);

// The UID a meeting's events carry: stable for the meeting's life, the same
// in every export and message about it.
std::string MeetingUid(const v1::Meeting& meeting,
                       const ICalendarOptions& options);

// SEQUENCE (RFC 5545 3.8.7.4): how often the organizer revised the
// meeting, as whole seconds from creation to the last update. It only
// grows, as calendar programs require; two revisions within one second
// share a number.
int MeetingSequence(const v1::Meeting& meeting);

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_ICAL_ICAL_WRITER_H_
