#ifndef SALESMEET_SERVICES_SCHEDULING_BOOKING_TYPES_H_
#define SALESMEET_SERVICES_SCHEDULING_BOOKING_TYPES_H_

// Plain types the scheduling logic passes between its parts: attendees with
// the participant record fetched for the write being judged, and (from
// common/calendar) spans of time and concrete occurrences.

#include <string>
#include <vector>

#include "common/calendar/time_span.h"
#include "salesmeet/participant/v1/participant.pb.h"
#include "salesmeet/scheduling/v1/meeting.pb.h"

namespace salesmeet::scheduling {

namespace pv1 = ::salesmeet::participant::v1;
namespace v1 = ::salesmeet::scheduling::v1;

// An attendee of the meeting being written, with the participant record the
// participant service returned for this write.
struct AttendeeRecord {
  v1::Attendee attendee;  // As it will be stored, snapshot included.
  pv1::Participant participant;
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_BOOKING_TYPES_H_
