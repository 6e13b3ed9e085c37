#include "services/scheduling/booking/attendee_records.h"

#include <set>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/field_checks.h"
#include "common/status_macros.h"
#include "services/scheduling/booking/meeting_validation.h"

namespace salesmeet::scheduling {

v1::AttendeeSnapshot SnapshotOf(const pv1::Participant& p, absl::Time now) {
  v1::AttendeeSnapshot snapshot;
  snapshot.set_kind(p.kind());
  snapshot.set_role(p.role());
  snapshot.set_team(p.team());
  if (p.kind() == salesmeet::type::v1::EMPLOYEE && p.has_hourly_cost()) {
    *snapshot.mutable_hourly_cost() = p.hourly_cost();
  }
  *snapshot.mutable_capture_time() = ToProtoTime(now);
  return snapshot;
}

// The records of those of `names` who still exist. Attendees a write removes
// are looked up only for their weekly loads: one who has since left the
// directory has none to show, and must not block their removal.
absl::StatusOr<ParticipantsByName> LookUpExisting(
    ParticipantLookup& people, const std::vector<std::string>& names,
    const CallScope& rpc) {
  absl::StatusOr<ParticipantsByName> all = people.Lookup(names, rpc);
  if (all.status().code() != absl::StatusCode::kNotFound) return all;
  ParticipantsByName existing;
  for (const std::string& name : names) {
    absl::StatusOr<ParticipantsByName> one = people.Lookup({name}, rpc);
    if (one.ok()) {
      existing.insert(one->begin(), one->end());
    } else if (one.status().code() != absl::StatusCode::kNotFound) {
      return one.status();
    }
  }
  return existing;
}

absl::StatusOr<ParticipantsByName> LookUpAttendees(ParticipantLookup& people,
                                                   const v1::Meeting& meeting,
                                                   const v1::Meeting* before,
                                                   const CallScope& rpc) {
  std::set<std::string> names;
  for (const v1::Attendee& a : meeting.attendees())
    names.insert(a.participant());
  absl::StatusOr<ParticipantsByName> found =
      people.Lookup({names.begin(), names.end()}, rpc);
  if (found.status().code() == absl::StatusCode::kNotFound) {
    // Name every attendee the participant service does not know, not only
    // the first it reported (one more lookup per unknown one, at most the
    // 100 attendees a meeting may have).
    absl::StatusOr<KnownParticipants> known =
        LookupKnown(people, {names.begin(), names.end()}, rpc);
    if (!known.ok()) return known.status();
    FieldErrors errors;
    for (int i = 0; i < meeting.attendees_size(); ++i) {
      const std::string& name = meeting.attendees(i).participant();
      if (known->missing.count(name) > 0) {
        errors.Add(absl::StrCat("meeting.attendees[", i, "].participant"),
                   absl::StrCat(name,
                                " does not exist in the participant "
                                "service"));
      }
    }
    if (!errors.empty()) return errors.ToStatus();
    // Known after all: the directory changed between the two lookups.
    found = std::move(known->found);
  }
  if (!found.ok() || before == nullptr) return found;
  std::vector<std::string> removed;
  for (const v1::Attendee& a : before->attendees()) {
    if (names.count(a.participant()) == 0) removed.push_back(a.participant());
  }
  if (removed.empty()) return found;
  ASSIGN_OR_RETURN(ParticipantsByName old,
                   LookUpExisting(people, removed, rpc));
  found->insert(old.begin(), old.end());
  return found;
}

absl::Status BookAttendees(v1::Meeting& meeting, const v1::Meeting* before,
                           const ParticipantsByName& people, absl::Time now) {
  for (v1::Attendee& attendee : *meeting.mutable_attendees()) {
    const v1::Attendee* kept = nullptr;
    if (before != nullptr) {
      for (const v1::Attendee& old : before->attendees()) {
        if (old.participant() == attendee.participant()) kept = &old;
      }
    }
    if (kept != nullptr) {
      *attendee.mutable_snapshot() = kept->snapshot();
      attendee.set_response(kept->response());
      continue;
    }
    const pv1::Participant& person = people.at(attendee.participant());
    *attendee.mutable_snapshot() = SnapshotOf(person, now);
    attendee.set_response(attendee.participant() == meeting.organizer()
                              ? v1::ACCEPTED
                              : v1::NEEDS_ACTION);
  }
  const pv1::Participant& organizer = people.at(meeting.organizer());
  if (organizer.kind() != salesmeet::type::v1::EMPLOYEE) {
    return InvalidFieldError("meeting.organizer",
                             absl::StrCat(meeting.organizer(),
                                          " is not an employee; meetings are "
                                          "organised by employees"));
  }
  if (meeting.time_zone().empty()) meeting.set_time_zone(organizer.time_zone());
  meeting.set_audience(AudienceOf(meeting));
  return absl::OkStatus();
}

}  // namespace salesmeet::scheduling
