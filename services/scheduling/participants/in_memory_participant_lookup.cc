#include "services/scheduling/participants/in_memory_participant_lookup.h"

#include <algorithm>

#include "common/errors.h"

namespace salesmeet::scheduling {

void InMemoryParticipantLookup::Put(pv1::Participant participant) {
  std::string name = participant.name();
  participants_[name] = std::move(participant);
}

void InMemoryParticipantLookup::PutTeam(const std::string& team) {
  teams_.push_back(team);
}

absl::StatusOr<ParticipantsByName> InMemoryParticipantLookup::Lookup(
    const std::vector<std::string>& names, const CallScope&) {
  if (unavailable_)
    return ParticipantServiceUnavailable("the participant service is down");
  ParticipantsByName found;
  for (const std::string& name : names) {
    auto it = participants_.find(name);
    if (it == participants_.end()) {
      return ResourceNotFoundError("salesmeet.participant.v1.Participant",
                                   name);
    }
    found[name] = it->second;
  }
  return found;
}

absl::Status InMemoryParticipantLookup::CheckTeam(const std::string& team,
                                                  const CallScope&) {
  if (unavailable_)
    return ParticipantServiceUnavailable("the participant service is down");
  if (std::find(teams_.begin(), teams_.end(), team) == teams_.end()) {
    return ResourceNotFoundError("salesmeet.participant.v1.Team", team);
  }
  return absl::OkStatus();
}

}  // namespace salesmeet::scheduling
