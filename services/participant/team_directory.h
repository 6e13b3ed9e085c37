#ifndef SALESMEET_SERVICES_PARTICIPANT_TEAM_DIRECTORY_H_
#define SALESMEET_SERVICES_PARTICIPANT_TEAM_DIRECTORY_H_

// The rules for teams: a manager who is an existing employee, idempotent
// creates, masked updates, and deletes that never strand members silently.

#include "absl/status/statusor.h"
#include "common/page_token.h"
#include "salesmeet/participant/v1/participant_service.pb.h"
#include "services/participant/participant_directory.h"
#include "services/participant/participant_store.h"

namespace salesmeet::participant {

class TeamDirectory {
 public:
  TeamDirectory(ParticipantStore& store, const PageTokenCodec& tokens,
                Clock clock = absl::Now)
      : store_(store), tokens_(tokens), clock_(std::move(clock)) {}

  absl::StatusOr<v1::Team> Create(const v1::CreateTeamRequest& request);
  absl::StatusOr<v1::Team> Get(const v1::GetTeamRequest& request);
  absl::StatusOr<v1::ListTeamsResponse> List(
      const v1::ListTeamsRequest& request);
  absl::StatusOr<v1::Team> Update(const v1::UpdateTeamRequest& request);
  absl::Status Delete(const v1::DeleteTeamRequest& request);

 private:
  ParticipantStore& store_;
  const PageTokenCodec& tokens_;
  Clock clock_;
};

}  // namespace salesmeet::participant

#endif  // SALESMEET_SERVICES_PARTICIPANT_TEAM_DIRECTORY_H_
