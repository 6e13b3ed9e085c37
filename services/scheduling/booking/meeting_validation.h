#ifndef SALESMEET_SERVICES_SCHEDULING_BOOKING_MEETING_VALIDATION_H_
#define SALESMEET_SERVICES_SCHEDULING_BOOKING_MEETING_VALIDATION_H_

// The rules a meeting's own fields must satisfy, before anyone is looked up
// (attendees' existence, kinds and roles are checked by the booker with the
// participant service's answer).

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/calendar/time_span.h"
#include "common/errors.h"
#include "salesmeet/participant/v1/participant.pb.h"
#include "salesmeet/scheduling/v1/meeting.pb.h"

namespace salesmeet::scheduling {

inline constexpr absl::Duration kMinMeetingLength = absl::Minutes(5);
inline constexpr absl::Duration kMaxMeetingLength = absl::Hours(24);
inline constexpr int kMaxAttendees = 500;

// Adds a violation for every field rule `meeting` breaks, with paths under
// "meeting.". `now` and `horizon` bound how far start_time may lie from now.
// The recurrence is checked separately (it needs the resolved zone).
void ValidateMeetingFields(const v1::Meeting& meeting, absl::Time now,
                           absl::Duration horizon, FieldErrors& errors);

// An absolute https URI with a host, no spaces, at most 2000 characters.
bool IsHttpsUri(absl::string_view uri);

// CUSTOMER_FACING when any attendee is a customer contact (by snapshot),
// otherwise INTERNAL.
v1::Audience AudienceOf(const v1::Meeting& meeting);

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_BOOKING_MEETING_VALIDATION_H_
