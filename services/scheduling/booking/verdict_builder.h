#ifndef SALESMEET_SERVICES_SCHEDULING_BOOKING_VERDICT_BUILDER_H_
#define SALESMEET_SERVICES_SCHEDULING_BOOKING_VERDICT_BUILDER_H_

// Judges one proposed write inside its transaction: the double bookings it
// makes (read from the store, never a cache), what it costs, how it changes
// each person's weekly meeting load, and what the policy says. The result
// is the Verdict every create, update and preview returns, and the refusal
// when the write must not happen.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/calendar/recurrence.h"
#include "common/calendar/time_span.h"
#include "common/errors.h"
#include "salesmeet/participant/v1/participant.pb.h"
#include "salesmeet/scheduling/v1/meeting.pb.h"
#include "salesmeet/scheduling/v1/policy.pb.h"
#include "salesmeet/scheduling/v1/verdict.pb.h"
#include "services/scheduling/participants/participant_lookup.h"
#include "services/scheduling/store/meeting_store.h"

namespace salesmeet::scheduling {

struct WriteProposal {
  // The meeting as it would be stored (snapshots, audience, zone resolved)
  // and its series.
  const v1::Meeting* after = nullptr;
  const Recurrence* after_series = nullptr;
  // The meeting as stored before the write; null for a create.
  const v1::Meeting* before = nullptr;
  const Recurrence* before_series = nullptr;
  // Current records of everyone in `before` and `after`.
  const ParticipantsByName* people = nullptr;
  // The span checked and counted (Verdict.horizon_window).
  TimeSpan window;
  // For an occurrence move or restore: judge that occurrence only.
  std::optional<absl::Time> only_occurrence;
  // False for updates that change neither timing nor attendees.
  bool check_conflicts = true;
  bool allow_conflicts = false;
};

struct Judgement {
  v1::Verdict verdict;
  // PreconditionFailure violations: rejecting rules, then blocking
  // conflicts (the first 20).
  std::vector<PreconditionViolation> violations;
  std::vector<std::string> rejecting_rules;
  int blocking_conflicts = 0;
};

absl::StatusOr<Judgement> JudgeProposal(MeetingTransaction& tx,
                                        const v1::SchedulingPolicy& policy,
                                        const WriteProposal& proposal);

// OK when the judgement lets the write through; otherwise FAILED_PRECONDITION
// with PreconditionFailure, ErrorInfo (POLICY_REJECTED or
// SCHEDULING_CONFLICT, with the rules and the conflict count) and the
// Verdict itself as details.
absl::Status RefusalOf(const Judgement& judgement);

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_BOOKING_VERDICT_BUILDER_H_
