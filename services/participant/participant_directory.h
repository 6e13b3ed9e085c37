#ifndef SALESMEET_SERVICES_PARTICIPANT_PARTICIPANT_DIRECTORY_H_
#define SALESMEET_SERVICES_PARTICIPANT_PARTICIPANT_DIRECTORY_H_

// The rules for people: creating them idempotently, keeping emails unique
// and references (team, account owner) valid, updating by mask and etag, and
// refusing deletes that would orphan accounts or teams.

#include <functional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/page_token.h"
#include "salesmeet/participant/v1/participant_service.pb.h"
#include "services/participant/participant_store.h"

namespace salesmeet::participant {

class ParticipantDirectory {
 public:
  ParticipantDirectory(ParticipantStore& store, const PageTokenCodec& tokens,
                       Clock clock = absl::Now)
      : store_(store), tokens_(tokens), clock_(std::move(clock)) {}

  absl::StatusOr<v1::Participant> Create(
      const v1::CreateParticipantRequest& request);
  absl::StatusOr<v1::Participant> Get(const v1::GetParticipantRequest& request);
  absl::StatusOr<v1::BatchGetParticipantsResponse> BatchGet(
      const v1::BatchGetParticipantsRequest& request);
  absl::StatusOr<v1::ListParticipantsResponse> List(
      const v1::ListParticipantsRequest& request);
  absl::StatusOr<v1::Participant> Update(
      const v1::UpdateParticipantRequest& request);
  absl::Status Delete(const v1::DeleteParticipantRequest& request);

 private:
  ParticipantStore& store_;
  const PageTokenCodec& tokens_;
  Clock clock_;
};

}  // namespace salesmeet::participant

#endif  // SALESMEET_SERVICES_PARTICIPANT_PARTICIPANT_DIRECTORY_H_
