#include "services/participant/participant_service.h"

#include "common/grpc_status.h"

namespace salesmeet::participant {

grpc::Status ParticipantServiceImpl::CreateParticipant(
    grpc::ServerContext*, const v1::CreateParticipantRequest* request,
    v1::Participant* response) {
  return Respond(people_.Create(*request), response);
}

grpc::Status ParticipantServiceImpl::GetParticipant(
    grpc::ServerContext*, const v1::GetParticipantRequest* request,
    v1::Participant* response) {
  return Respond(people_.Get(*request), response);
}

grpc::Status ParticipantServiceImpl::BatchGetParticipants(
    grpc::ServerContext*, const v1::BatchGetParticipantsRequest* request,
    v1::BatchGetParticipantsResponse* response) {
  return Respond(people_.BatchGet(*request), response);
}

grpc::Status ParticipantServiceImpl::ListParticipants(
    grpc::ServerContext*, const v1::ListParticipantsRequest* request,
    v1::ListParticipantsResponse* response) {
  return Respond(people_.List(*request), response);
}

grpc::Status ParticipantServiceImpl::UpdateParticipant(
    grpc::ServerContext*, const v1::UpdateParticipantRequest* request,
    v1::Participant* response) {
  return Respond(people_.Update(*request), response);
}

grpc::Status ParticipantServiceImpl::DeleteParticipant(
    grpc::ServerContext*, const v1::DeleteParticipantRequest* request,
    google::protobuf::Empty*) {
  return ToGrpcStatus(people_.Delete(*request));
}

grpc::Status ParticipantServiceImpl::CreateTeam(
    grpc::ServerContext*, const v1::CreateTeamRequest* request,
    v1::Team* response) {
  return Respond(teams_.Create(*request), response);
}

grpc::Status ParticipantServiceImpl::GetTeam(grpc::ServerContext*,
                                             const v1::GetTeamRequest* request,
                                             v1::Team* response) {
  return Respond(teams_.Get(*request), response);
}

grpc::Status ParticipantServiceImpl::ListTeams(
    grpc::ServerContext*, const v1::ListTeamsRequest* request,
    v1::ListTeamsResponse* response) {
  return Respond(teams_.List(*request), response);
}

grpc::Status ParticipantServiceImpl::UpdateTeam(
    grpc::ServerContext*, const v1::UpdateTeamRequest* request,
    v1::Team* response) {
  return Respond(teams_.Update(*request), response);
}

grpc::Status ParticipantServiceImpl::DeleteTeam(
    grpc::ServerContext*, const v1::DeleteTeamRequest* request,
    google::protobuf::Empty*) {
  return ToGrpcStatus(teams_.Delete(*request));
}

}  // namespace salesmeet::participant
