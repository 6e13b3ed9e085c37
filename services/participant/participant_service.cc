#include "services/participant/participant_service.h"

#include "common/grpc_status.h"

namespace salesmeet::participant {

grpc::Status ParticipantServiceImpl::CreateParticipant(
    grpc::ServerContext*, const v1::CreateParticipantRequest* request,
    v1::Participant* response) {
  return Serve(*request, response, [&] { return people_.Create(*request); });
}

grpc::Status ParticipantServiceImpl::GetParticipant(
    grpc::ServerContext*, const v1::GetParticipantRequest* request,
    v1::Participant* response) {
  return Serve(*request, response, [&] { return people_.Get(*request); });
}

grpc::Status ParticipantServiceImpl::BatchGetParticipants(
    grpc::ServerContext*, const v1::BatchGetParticipantsRequest* request,
    v1::BatchGetParticipantsResponse* response) {
  return Serve(*request, response, [&] { return people_.BatchGet(*request); });
}

grpc::Status ParticipantServiceImpl::ListParticipants(
    grpc::ServerContext*, const v1::ListParticipantsRequest* request,
    v1::ListParticipantsResponse* response) {
  return Serve(*request, response, [&] { return people_.List(*request); });
}

grpc::Status ParticipantServiceImpl::UpdateParticipant(
    grpc::ServerContext*, const v1::UpdateParticipantRequest* request,
    v1::Participant* response) {
  return Serve(*request, response, [&] { return people_.Update(*request); });
}

grpc::Status ParticipantServiceImpl::DeleteParticipant(
    grpc::ServerContext*, const v1::DeleteParticipantRequest* request,
    google::protobuf::Empty*) {
  return Serve(*request, [&] { return people_.Delete(*request); });
}

grpc::Status ParticipantServiceImpl::CreateTeam(
    grpc::ServerContext*, const v1::CreateTeamRequest* request,
    v1::Team* response) {
  return Serve(*request, response, [&] { return teams_.Create(*request); });
}

grpc::Status ParticipantServiceImpl::GetTeam(grpc::ServerContext*,
                                             const v1::GetTeamRequest* request,
                                             v1::Team* response) {
  return Serve(*request, response, [&] { return teams_.Get(*request); });
}

grpc::Status ParticipantServiceImpl::ListTeams(
    grpc::ServerContext*, const v1::ListTeamsRequest* request,
    v1::ListTeamsResponse* response) {
  return Serve(*request, response, [&] { return teams_.List(*request); });
}

grpc::Status ParticipantServiceImpl::UpdateTeam(
    grpc::ServerContext*, const v1::UpdateTeamRequest* request,
    v1::Team* response) {
  return Serve(*request, response, [&] { return teams_.Update(*request); });
}

grpc::Status ParticipantServiceImpl::DeleteTeam(
    grpc::ServerContext*, const v1::DeleteTeamRequest* request,
    google::protobuf::Empty*) {
  return Serve(*request, [&] { return teams_.Delete(*request); });
}

}  // namespace salesmeet::participant
