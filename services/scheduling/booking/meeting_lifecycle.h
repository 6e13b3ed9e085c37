#ifndef SALESMEET_SERVICES_SCHEDULING_BOOKING_MEETING_LIFECYCLE_H_
#define SALESMEET_SERVICES_SCHEDULING_BOOKING_MEETING_LIFECYCLE_H_

// The state changes that only remove time or record facts, so they are not
// judged by the policy: cancelling, completing with an outcome, answering an
// invitation, cancelling one occurrence and ending a series early. Each one
// refuses what makes no sense in the meeting's state (FAILED_PRECONDITION
// with a reason) and commits with its feed event.

#include "absl/status/statusor.h"
#include "salesmeet/scheduling/v1/scheduling_service.pb.h"
#include "services/scheduling/scheduling_context.h"

namespace salesmeet::scheduling {

class MeetingLifecycle {
 public:
  MeetingLifecycle(MeetingStore& store, CommitListeners listeners, Clock clock)
      : store_(store), listeners_(listeners), clock_(std::move(clock)) {}

  absl::StatusOr<v1::Meeting> Cancel(const v1::CancelMeetingRequest& request);
  absl::StatusOr<v1::Meeting> Complete(
      const v1::CompleteMeetingRequest& request);
  absl::StatusOr<v1::Meeting> Respond(
      const v1::RespondToMeetingRequest& request);
  absl::StatusOr<v1::Meeting> CancelOccurrence(
      const v1::CancelOccurrenceRequest& request);
  absl::StatusOr<v1::Meeting> TruncateSeries(
      const v1::TruncateSeriesRequest& request);

 private:
  // Runs one write: `change` edits the loaded meeting and says which feed
  // event it makes; the meeting is then saved with that event and the feed
  // notified after the commit.
  struct Edit {
    v1::MeetingChangeType type;
    std::optional<absl::Time> occurrence;
    std::string attendee;
  };
  absl::StatusOr<v1::Meeting> Apply(
      absl::string_view name, absl::string_view etag,
      const std::function<absl::StatusOr<Edit>(v1::Meeting&, absl::Time)>&
          change);

  MeetingStore& store_;
  const CommitListeners listeners_;
  const Clock clock_;
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_BOOKING_MEETING_LIFECYCLE_H_
