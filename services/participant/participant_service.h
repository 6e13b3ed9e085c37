#ifndef SALESMEET_SERVICES_PARTICIPANT_PARTICIPANT_SERVICE_H_
#define SALESMEET_SERVICES_PARTICIPANT_PARTICIPANT_SERVICE_H_

// The gRPC edge of the participant service: each handler makes one call
// into a directory and maps the result. Validation, rules and storage live
// behind it.

#include "salesmeet/participant/v1/participant_service.grpc.pb.h"
#include "services/participant/participant_directory.h"
#include "services/participant/team_directory.h"

namespace salesmeet::participant {

class ParticipantServiceImpl final : public v1::ParticipantService::Service {
 public:
  ParticipantServiceImpl(ParticipantDirectory& people, TeamDirectory& teams)
      : people_(people), teams_(teams) {}

  grpc::Status CreateParticipant(grpc::ServerContext* context,
                                 const v1::CreateParticipantRequest* request,
                                 v1::Participant* response) override;
  grpc::Status GetParticipant(grpc::ServerContext* context,
                              const v1::GetParticipantRequest* request,
                              v1::Participant* response) override;
  grpc::Status BatchGetParticipants(
      grpc::ServerContext* context,
      const v1::BatchGetParticipantsRequest* request,
      v1::BatchGetParticipantsResponse* response) override;
  grpc::Status ListParticipants(
      grpc::ServerContext* context, const v1::ListParticipantsRequest* request,
      v1::ListParticipantsResponse* response) override;
  grpc::Status UpdateParticipant(grpc::ServerContext* context,
                                 const v1::UpdateParticipantRequest* request,
                                 v1::Participant* response) override;
  grpc::Status DeleteParticipant(grpc::ServerContext* context,
                                 const v1::DeleteParticipantRequest* request,
                                 google::protobuf::Empty* response) override;
  grpc::Status CreateTeam(grpc::ServerContext* context,
                          const v1::CreateTeamRequest* request,
                          v1::Team* response) override;
  grpc::Status GetTeam(grpc::ServerContext* context,
                       const v1::GetTeamRequest* request,
                       v1::Team* response) override;
  grpc::Status ListTeams(grpc::ServerContext* context,
                         const v1::ListTeamsRequest* request,
                         v1::ListTeamsResponse* response) override;
  grpc::Status UpdateTeam(grpc::ServerContext* context,
                          const v1::UpdateTeamRequest* request,
                          v1::Team* response) override;
  grpc::Status DeleteTeam(grpc::ServerContext* context,
                          const v1::DeleteTeamRequest* request,
                          google::protobuf::Empty* response) override;

 private:
  ParticipantDirectory& people_;
  TeamDirectory& teams_;
};

}  // namespace salesmeet::participant

#endif  // SALESMEET_SERVICES_PARTICIPANT_PARTICIPANT_SERVICE_H_
