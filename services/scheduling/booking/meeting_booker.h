#ifndef SALESMEET_SERVICES_SCHEDULING_BOOKING_MEETING_BOOKER_H_
#define SALESMEET_SERVICES_SCHEDULING_BOOKING_MEETING_BOOKER_H_

// The judged writes: booking a meeting or series, changing it, and moving or
// restoring one occurrence. Each one looks its attendees up in the
// participant service first (outside any transaction, so a slow peer never
// holds the write lock), then judges and commits inside one write
// transaction, so the conflict check sees every booking committed before it.

#include <optional>

#include "absl/status/statusor.h"
#include "common/calendar/recurrence.h"
#include "common/call_scope.h"
#include "salesmeet/scheduling/v1/scheduling_service.pb.h"
#include "services/scheduling/booking/verdict_builder.h"
#include "services/scheduling/scheduling_context.h"

namespace salesmeet::scheduling {

class MeetingBooker {
 public:
  MeetingBooker(MeetingStore& store, ParticipantLookup& people,
                CommitListeners listeners, Clock clock)
      : store_(store),
        people_(people),
        listeners_(listeners),
        clock_(std::move(clock)) {}

  // `rpc` (may be null) is the incoming call: its deadline bounds the calls
  // to the participant service.
  absl::StatusOr<v1::CreateMeetingResponse> Create(
      const v1::CreateMeetingRequest& request, const CallScope& rpc);
  absl::StatusOr<v1::UpdateMeetingResponse> Update(
      const v1::UpdateMeetingRequest& request, const CallScope& rpc);
  absl::StatusOr<v1::MoveOccurrenceResponse> MoveOccurrence(
      const v1::MoveOccurrenceRequest& request, const CallScope& rpc);
  absl::StatusOr<v1::RestoreOccurrenceResponse> RestoreOccurrence(
      const v1::RestoreOccurrenceRequest& request, const CallScope& rpc);

 private:
  // Judges the proposal and, unless validate_only, commits `after` with its
  // feed event, all in one transaction that first checks the meeting is
  // still the one the proposal was built from. Returns the verdict.
  absl::StatusOr<v1::Verdict> JudgeAndCommit(
      const WriteProposal& proposal, v1::Meeting& after,
      const Recurrence& series, v1::MeetingChangeType type,
      std::optional<absl::Time> occurrence, bool validate_only, absl::Time now);

  MeetingStore& store_;
  ParticipantLookup& people_;
  const CommitListeners listeners_;
  const Clock clock_;
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_BOOKING_MEETING_BOOKER_H_
