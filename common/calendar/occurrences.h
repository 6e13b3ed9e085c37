#ifndef SALESMEET_COMMON_CALENDAR_OCCURRENCES_H_
#define SALESMEET_COMMON_CALENDAR_OCCURRENCES_H_

// A meeting's concrete occurrences: its rule expanded, EXDATEs removed, and
// its occurrence exceptions (moves, cancellations) applied.

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "common/calendar/recurrence.h"
#include "common/calendar/time_span.h"
#include "salesmeet/scheduling/v1/meeting.pb.h"

namespace salesmeet {

// What a store indexes a meeting by: the earliest start and latest end of
// any of its occurrences (no end for a series that never ends), and whether
// its occurrences make attendees busy (not cancelled).
struct MeetingIndex {
  absl::Time first_start;
  std::optional<absl::Time> last_end;
  bool busy = true;
};

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
absl::StatusOr<Recurrence> SeriesOf(const scheduling::v1::Meeting& meeting,
                                    absl::Time check_until);

// The timing of a meeting read from the store, which passed SeriesOf when it
// was written: parsed without the consistency checks.
absl::StatusOr<Recurrence> StoredSeriesOf(
    const scheduling::v1::Meeting& meeting);

// Occurrences whose actual span overlaps `window`, ordered by start, moved
// ones where they were moved to. Cancelled ones only when asked.
std::vector<MeetingOccurrence> ExpandOccurrences(
    const scheduling::v1::Meeting& meeting, const Recurrence& series,
    TimeSpan window, bool include_cancelled);

// Just the times of the occurrences that happen (not cancelled).
std::vector<OccurrenceTime> ActiveOccurrences(
    const scheduling::v1::Meeting& meeting, const Recurrence& series,
    TimeSpan window);

// What the store indexes the meeting by: its earliest start, latest end
// (none for an endless series) and whether it keeps people busy.
MeetingIndex IndexOf(const scheduling::v1::Meeting& meeting,
                     const Recurrence& series);

// The exception for `original_start`, or null.
const scheduling::v1::OccurrenceException* FindException(
    const scheduling::v1::Meeting& meeting, absl::Time original_start);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_CALENDAR_OCCURRENCES_H_
