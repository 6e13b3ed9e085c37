#ifndef SALESMEET_SERVICES_SCHEDULING_PARTICIPANTS_PARTICIPANT_LOOKUP_H_
#define SALESMEET_SERVICES_SCHEDULING_PARTICIPANTS_PARTICIPANT_LOOKUP_H_

// What scheduling asks the participant service: the current records of a
// meeting's attendees, and whether a team exists. An interface: the server
// uses GrpcParticipantLookup, tests InMemoryParticipantLookup, and calendar
// reads RecentParticipantLookup in front of either.

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/call_scope.h"
#include "common/participant_records.h"
#include "salesmeet/participant/v1/participant.pb.h"

namespace salesmeet::scheduling {

namespace pv1 = ::salesmeet::participant::v1;

class ParticipantLookup {
 public:
  virtual ~ParticipantLookup() = default;

  // The participants named (duplicates allowed). NOT_FOUND, with a
  // ResourceInfo naming it, when one does not exist; UNAVAILABLE when the
  // participant service cannot answer in time. `incoming` (may be null) is
  // the call being served: its deadline and cancellation carry over.
  virtual absl::StatusOr<ParticipantsByName> Lookup(
      const std::vector<std::string>& names, const CallScope& incoming) = 0;

  // OK when the team exists, NOT_FOUND when not, UNAVAILABLE as above.
  virtual absl::Status CheckTeam(const std::string& team,
                                 const CallScope& incoming) = 0;

  // For iCalendar exports: the records with names and email addresses as
  // the caller may see them; never cached. Names that do not exist are left
  // out. By default what Lookup gives, which holds no addresses.
  virtual absl::StatusOr<ParticipantsByName> LookupForCaller(
      const std::vector<std::string>& names, const CallScope& incoming);
};

// The participants among `names` that exist, and for each name that does
// not, the NOT_FOUND the participant service answered. For calls that answer
// per participant (free/busy) instead of failing as a whole; UNAVAILABLE and
// other errors still fail. The participant service names only the first unknown
// name of a batch, so each unknown name costs one more lookup.
struct KnownParticipants {
  ParticipantsByName found;
  absl::flat_hash_map<std::string, absl::Status> missing;
};
absl::StatusOr<KnownParticipants> LookupKnown(ParticipantLookup& people,
                                              std::vector<std::string> names,
                                              const CallScope& incoming);

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_PARTICIPANTS_PARTICIPANT_LOOKUP_H_
