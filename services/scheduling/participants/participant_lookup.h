#ifndef SALESMEET_SERVICES_SCHEDULING_PARTICIPANTS_PARTICIPANT_LOOKUP_H_
#define SALESMEET_SERVICES_SCHEDULING_PARTICIPANTS_PARTICIPANT_LOOKUP_H_

// What scheduling asks the participant service: the current records of a
// meeting's attendees, and whether a team exists. An interface, so the
// scheduler's tests use an in-memory directory and the server the gRPC one.

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/participant_records.h"
#include "salesmeet/participant/v1/participant_service.grpc.pb.h"

namespace grpc {
class ServerContext;
}

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
      const std::vector<std::string>& names,
      const grpc::ServerContext* incoming) = 0;

  // OK when the team exists, NOT_FOUND when not, UNAVAILABLE as above.
  virtual absl::Status CheckTeam(const std::string& team,
                                 const grpc::ServerContext* incoming) = 0;
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
absl::StatusOr<KnownParticipants> LookupKnown(
    ParticipantLookup& people, std::vector<std::string> names,
    const grpc::ServerContext* incoming);

// Calls the participant service over gRPC: every call has a deadline (the
// caller's, capped at `timeout`) and UNAVAILABLE is retried by the channel.
class GrpcParticipantLookup : public ParticipantLookup {
 public:
  GrpcParticipantLookup(std::string target, absl::Duration timeout);

  absl::StatusOr<ParticipantsByName> Lookup(
      const std::vector<std::string>& names,
      const grpc::ServerContext* incoming) override;
  absl::Status CheckTeam(const std::string& team,
                         const grpc::ServerContext* incoming) override;

 private:
  const std::string target_;
  const absl::Duration timeout_;
  std::unique_ptr<participant::v1::ParticipantService::Stub> stub_;
};

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
      const grpc::ServerContext* incoming) override;
  absl::Status CheckTeam(const std::string& team,
                         const grpc::ServerContext* incoming) override;

 private:
  ParticipantsByName participants_;
  std::vector<std::string> teams_;
  bool unavailable_ = false;
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_PARTICIPANTS_PARTICIPANT_LOOKUP_H_
