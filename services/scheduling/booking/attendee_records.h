#ifndef SALESMEET_SERVICES_SCHEDULING_BOOKING_ATTENDEE_RECORDS_H_
#define SALESMEET_SERVICES_SCHEDULING_BOOKING_ATTENDEE_RECORDS_H_

// Turning a meeting's attendee list into booked attendees: looking them up
// in the participant service, taking their snapshots, and deriving what
// follows from who they are (audience, default time zone).

#include "absl/status/statusor.h"
#include "common/calendar/time_span.h"
#include "common/call_scope.h"
#include "salesmeet/participant/v1/participant.pb.h"
#include "salesmeet/scheduling/v1/meeting.pb.h"
#include "services/scheduling/participants/participant_lookup.h"

namespace salesmeet::scheduling {

namespace pv1 = ::salesmeet::participant::v1;

// Current records of every attendee of `meeting` and of those of `before`
// (may be null) who still exist. An unknown attendee of `meeting` is
// INVALID_ARGUMENT naming meeting.attendees[i].participant; an unreachable
// participant service is UNAVAILABLE.
absl::StatusOr<ParticipantsByName> LookUpAttendees(ParticipantLookup& people,
                                                   const v1::Meeting& meeting,
                                                   const v1::Meeting* before,
                                                   const CallScope& rpc);

// Who the participant is at `now`, as a meeting stores it for an attendee:
// kind, role, team and (employees only) hourly cost.
v1::AttendeeSnapshot SnapshotOf(const pv1::Participant& participant,
                                absl::Time now);

// Fills what the server owns on `meeting`'s attendees: attendees who were in
// `before` keep their snapshot and response; new ones get a snapshot taken
// `now` and NEEDS_ACTION (the organizer ACCEPTED). Then derives the audience
// and, when empty, the time zone (the organizer's). INVALID_ARGUMENT when
// the organizer is not an employee.
absl::Status BookAttendees(v1::Meeting& meeting, const v1::Meeting* before,
                           const ParticipantsByName& people, absl::Time now);

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_BOOKING_ATTENDEE_RECORDS_H_
