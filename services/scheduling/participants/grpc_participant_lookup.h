#ifndef SALESMEET_SERVICES_SCHEDULING_PARTICIPANTS_GRPC_PARTICIPANT_LOOKUP_H_
#define SALESMEET_SERVICES_SCHEDULING_PARTICIPANTS_GRPC_PARTICIPANT_LOOKUP_H_

// The participant lookup the server uses: the participant service over gRPC.

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "salesmeet/participant/v1/participant_service.grpc.pb.h"
#include "services/scheduling/participants/participant_lookup.h"

namespace salesmeet::scheduling {

// Calls the participant service over gRPC: every call has a deadline (the
// caller's, capped at `timeout`) and UNAVAILABLE is retried by the channel.
class GrpcParticipantLookup : public ParticipantLookup {
 public:
  GrpcParticipantLookup(std::string target, absl::Duration timeout);

  absl::StatusOr<ParticipantsByName> Lookup(
      const std::vector<std::string>& names,
      const CallScope& incoming) override;
  absl::Status CheckTeam(const std::string& team,
                         const CallScope& incoming) override;

  // The participant service applies its rules to the caller's token; a
  // caller without one, or one refused BatchGetParticipants, sees what this
  // service may.
  absl::StatusOr<ParticipantsByName> LookupForCaller(
      const std::vector<std::string>& names,
      const CallScope& incoming) override;

 private:
  // One BatchGetParticipants of names[first..first + the batch limit), as
  // the caller when `as_caller` and the caller sent a token.
  grpc::Status BatchGet(
      const std::vector<std::string>& names, size_t first,
      const CallScope& incoming, bool as_caller,
      participant::v1::BatchGetParticipantsResponse& response);

  const std::string target_;
  const absl::Duration timeout_;
  std::unique_ptr<participant::v1::ParticipantService::Stub> stub_;
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_PARTICIPANTS_GRPC_PARTICIPANT_LOOKUP_H_
