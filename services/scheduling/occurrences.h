#ifndef SALESMEET_SERVICES_SCHEDULING_OCCURRENCES_H_
#define SALESMEET_SERVICES_SCHEDULING_OCCURRENCES_H_

// A meeting's concrete occurrences: its rule expanded, EXDATEs removed, and
// its occurrence exceptions (moves, cancellations) applied.

#include <vector>

#include "absl/status/statusor.h"
#include "services/scheduling/booking_types.h"
#include "services/scheduling/meeting_store.h"
#include "services/scheduling/recurrence.h"

namespace salesmeet::scheduling {

// One occurrence with what happened to it.
struct MeetingOccurrence {
  OccurrenceTime time;
  bool exception = false;  // It has an OccurrenceException.
  bool moved = false;
  bool cancelled = false;
};

// The meeting's timing as a validated Recurrence, for a write. The meeting's
// time_zone must be set (the scheduler stores the resolved zone). Field
// errors name paths under "meeting."; `check_until` bounds the rule's
// consistency checks.
absl::StatusOr<Recurrence> SeriesOf(const v1::Meeting& meeting,
                                    absl::Time check_until);

// The timing of a meeting read from the store, which passed SeriesOf when it
// was written: parsed without the consistency checks.
absl::StatusOr<Recurrence> StoredSeriesOf(const v1::Meeting& meeting);

// Occurrences whose actual span overlaps `window`, ordered by start, moved
// ones where they were moved to. Cancelled ones only when asked.
std::vector<MeetingOccurrence> ExpandOccurrences(const v1::Meeting& meeting,
                                                 const Recurrence& series,
                                                 TimeSpan window,
                                                 bool include_cancelled);

// Just the times of the occurrences that happen (not cancelled).
std::vector<OccurrenceTime> ActiveOccurrences(const v1::Meeting& meeting,
                                              const Recurrence& series,
                                              TimeSpan window);

// What the store indexes the meeting by: its earliest start, latest end
// (none for an endless series) and whether it keeps people busy.
MeetingIndex IndexOf(const v1::Meeting& meeting, const Recurrence& series);

// The exception for `original_start`, or null.
const v1::OccurrenceException* FindException(const v1::Meeting& meeting,
                                             absl::Time original_start);

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_OCCURRENCES_H_
