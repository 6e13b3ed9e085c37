#ifndef SALESMEET_SERVICES_SCHEDULING_PARTICIPANTS_IN_MEMORY_PARTICIPANT_LOOKUP_H_
#define SALESMEET_SERVICES_SCHEDULING_PARTICIPANTS_IN_MEMORY_PARTICIPANT_LOOKUP_H_

// A participant directory held in memory, for tests and tools.

#include <string>
#include <vector>

#include "services/scheduling/participants/participant_lookup.h"

namespace salesmeet::scheduling {

// A directory held in memory: a real implementation for tests and tools.
class InMemoryParticipantLookup : public ParticipantLookup {
 public:
  void Put(participant::v1::Participant participant);
  void PutTeam(const std::string& team);
  // Forgets a participant, as DeleteParticipant does.
  void Remove(const std::string& name) { participants_.erase(name); }
  // While set, every call fails with UNAVAILABLE, like a peer that is down.
  void SetUnavailable(bool unavailable) { unavailable_ = unavailable; }

  absl::StatusOr<ParticipantsByName> Lookup(
      const std::vector<std::string>& names,
      const CallScope& incoming) override;
  absl::Status CheckTeam(const std::string& team,
                         const CallScope& incoming) override;

 private:
  ParticipantsByName participants_;
  std::vector<std::string> teams_;
  bool unavailable_ = false;
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_PARTICIPANTS_IN_MEMORY_PARTICIPANT_LOOKUP_H_
