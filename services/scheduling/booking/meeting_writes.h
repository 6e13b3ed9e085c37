#ifndef SALESMEET_SERVICES_SCHEDULING_BOOKING_MEETING_WRITES_H_
#define SALESMEET_SERVICES_SCHEDULING_BOOKING_MEETING_WRITES_H_

// Steps every meeting write shares: reading the meeting it changes, the
// state checks, and saving it together with its change-feed event.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/calendar/recurrence.h"
#include "common/calendar/time_span.h"
#include "salesmeet/participant/v1/participant.pb.h"
#include "salesmeet/scheduling/v1/meeting.pb.h"
#include "services/scheduling/scheduling_context.h"
#include "services/scheduling/store/meeting_store.h"

namespace salesmeet::scheduling {

inline constexpr absl::string_view kMeetingType =
    "salesmeet.scheduling.v1.Meeting";

// The id in "meetings/{id}", or INVALID_ARGUMENT naming `field`.
absl::StatusOr<std::string> MeetingIdFrom(absl::string_view name,
                                          absl::string_view field);

// The meeting, NOT_FOUND when missing, ABORTED when `etag` is set and stale.
absl::StatusOr<v1::Meeting> LoadForWrite(MeetingTransaction& tx,
                                         absl::string_view name,
                                         absl::string_view etag);

// FAILED_PRECONDITION with reason `reason` (MEETING_STATE, NOT_RECURRING,
// OCCURRENCE_STATE, ...) naming the meeting.
absl::Status StateError(absl::string_view reason, const v1::Meeting& meeting,
                        absl::string_view description);

// FAILED_PRECONDITION (MEETING_STATE) unless the meeting is SCHEDULED.
absl::Status RequireScheduled(const v1::Meeting& meeting,
                              absl::string_view action);

// The occurrence of a recurring meeting that `original_start` names:
// FAILED_PRECONDITION (NOT_RECURRING) for a single meeting, NOT_FOUND when
// the rule has no occurrence then (or it was removed by EXDATE).
// An occurrence excluded by EXDATE counts only with `allow_excluded` (a
// series can be cut at one).
absl::Status RequireOccurrence(const v1::Meeting& meeting,
                               const Recurrence& series,
                               absl::Time original_start,
                               bool allow_excluded = false);

// RequireOccurrence, and FAILED_PRECONDITION (OCCURRENCE_STATE, saying
// `why`) when that occurrence was cancelled on its own.
absl::Status RequireLiveOccurrence(const v1::Meeting& meeting,
                                   const Recurrence& series,
                                   absl::Time original_start,
                                   absl::string_view why);

// The meeting's exception for `original_start`, created when missing.
v1::OccurrenceException& ExceptionFor(v1::Meeting& meeting,
                                      absl::Time original_start,
                                      absl::Time now);

// Drops exceptions that only hold nothing (no move, no cancel, no answers).
void PruneEmptyExceptions(v1::Meeting& meeting);

// The most occurrence exceptions a series may hold.
inline constexpr int kMaxOccurrenceExceptions = 1000;

// A saved meeting write: the feed event as stored (with its sequence) and
// every participant whose calendar it may change.
struct SavedChange {
  v1::MeetingChange change;
  std::vector<std::string> touched;  // Attendees before and after.
};

// Stamps the meeting, saves it with its index and appends the feed event in
// the same transaction. FAILED_PRECONDITION (TOO_MANY_EXCEPTIONS) when the
// meeting has more than kMaxOccurrenceExceptions.
absl::StatusOr<SavedChange> SaveWithChange(
    MeetingTransaction& tx, v1::Meeting& meeting, const Recurrence& series,
    v1::MeetingChangeType type, absl::Time now,
    std::optional<absl::Time> occurrence = std::nullopt,
    absl::string_view attendee = "");

// After a write committed: wakes the change feed's watchers and tells the
// calendar cache whose calendars changed. Nothing for an empty `saved`
// (a replayed or refused write).
void AnnounceCommitted(const CommitListeners& listeners,
                       const SavedChange& saved);

// An Occurrence message for one expanded occurrence.
v1::Occurrence ToOccurrenceMessage(const v1::Meeting& meeting,
                                   absl::Time original_start, TimeSpan span,
                                   bool exception, bool moved, bool cancelled);

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_BOOKING_MEETING_WRITES_H_
