#ifndef SALESMEET_SERVICES_SCHEDULING_BOOKING_TYPES_H_
#define SALESMEET_SERVICES_SCHEDULING_BOOKING_TYPES_H_

// Plain types the scheduling logic passes between its parts: spans of time,
// concrete occurrences, and attendees with the participant record fetched
// for the write being judged.

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "salesmeet/participant/v1/participant.pb.h"
#include "salesmeet/scheduling/v1/meeting.pb.h"

namespace salesmeet::scheduling {

namespace pv1 = ::salesmeet::participant::v1;
namespace v1 = ::salesmeet::scheduling::v1;

// A half-open span of absolute time, [start, end).
struct TimeSpan {
  absl::Time start;
  absl::Time end;

  absl::Duration length() const { return end - start; }
  bool Overlaps(const TimeSpan& other) const {
    return start < other.end && other.start < end;
  }
  friend bool operator==(const TimeSpan& a, const TimeSpan& b) {
    return a.start == b.start && a.end == b.end;
  }
};

// One concrete occurrence of a meeting: where the rule put it
// (original_start, its identity) and where it actually is, exceptions
// applied.
struct OccurrenceTime {
  absl::Time original_start;
  TimeSpan span;
};

// An attendee of the meeting being written, with the participant record the
// participant service returned for this write.
struct AttendeeRecord {
  v1::Attendee attendee;  // As it will be stored, snapshot included.
  pv1::Participant participant;
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_BOOKING_TYPES_H_
