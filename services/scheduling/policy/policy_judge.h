#ifndef SALESMEET_SERVICES_SCHEDULING_POLICY_POLICY_JUDGE_H_
#define SALESMEET_SERVICES_SCHEDULING_POLICY_POLICY_JUDGE_H_

// Judges one write against the scheduling policy: every rule, for every
// attendee and occurrence it concerns, with the mode the policy (and the
// relevant team's override) gives it. The scheduler computes the facts
// (occurrences, cost, weekly loads) and this module only decides what they
// break, so the rules can be tested without a store or a server.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/calendar/time_span.h"
#include "common/errors.h"
#include "google/type/money.pb.h"
#include "salesmeet/participant/v1/participant.pb.h"
#include "salesmeet/scheduling/v1/meeting.pb.h"
#include "salesmeet/scheduling/v1/policy.pb.h"
#include "salesmeet/scheduling/v1/verdict.pb.h"

namespace salesmeet::scheduling {

// An attendee of the meeting being written, with the participant record the
// participant service returned for this write.
struct AttendeeRecord {
  v1::Attendee attendee;  // As it will be stored, snapshot included.
  participant::v1::Participant participant;
};

// Everything the policy looks at for one create, update, occurrence move or
// restore, after the write.
struct JudgedWrite {
  // The meeting as it will be stored: format, video_conference, agenda,
  // audience, organizer, and attendees with their snapshots.
  v1::Meeting meeting;
  // The attendees with their current participant records. Working hours,
  // time zone and time off come from the record; the team whose override
  // applies, the kind and the role from the attendee's snapshot.
  std::vector<AttendeeRecord> attendees;
  // The occurrences inside the horizon window, exceptions applied.
  std::vector<OccurrenceTime> occurrences;
  // The cost of one occurrence of the meeting's regular length, as in
  // Verdict.cost_per_occurrence.
  google::type::Money cost_per_occurrence;
  // Optional: the cost of each entry of `occurrences`, in the same order,
  // for series whose moved occurrences differ in length. Empty when every
  // occurrence costs cost_per_occurrence.
  std::vector<google::type::Money> occurrence_costs;
  // Verdict.weekly_loads for this write.
  std::vector<v1::WeeklyLoad> weekly_loads;
};

// Every finding the policy makes about `write`, REJECT before WARN, then by
// rule, occurrence (whole-meeting findings first), attendee and week. Rules
// in OFF mode find nothing. Where each rule's mode comes from:
// - OVER_WEEKLY_BUDGET and OUTSIDE_WORKING_HOURS: the attendee's team;
// - every other rule: the organizer's team.
// COST_WITHOUT_AGENDA is one finding per meeting: about the meeting when an
// occurrence of regular length costs too much, otherwise about the first
// (longer, moved) occurrence that does.
// Fails only when an attendee's stored time zone is unknown to this
// server's time zone database (INTERNAL), because their working hours
// cannot then be judged.
absl::StatusOr<std::vector<v1::PolicyFinding>> JudgeWrite(
    const v1::SchedulingPolicy& policy, const JudgedWrite& write);

// The google.rpc.PreconditionFailure violations for the REJECT findings
// among `findings`: one per rejecting rule, in rule order. type is the rule
// name ("VIDEO_WITHOUT_LINK"); subject the attendee of the rule's first
// finding, or for whole-meeting rules the field to fix
// ("meeting.video_conference.join_uri"); description that finding's
// message and how many more the rule has. Empty when nothing rejects.
std::vector<PreconditionViolation> RejectionViolations(
    const std::vector<v1::PolicyFinding>& findings);

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_POLICY_POLICY_JUDGE_H_
