#include "services/participant/participant_service.h"

#include "common/grpc_status.h"
#include "common/security/call_access.h"

namespace salesmeet::participant {
namespace {

// Customer contacts' and partners' email addresses are personal data: only
// callers granted the "pii" permission see them; others get the field
// empty. Employees' work addresses are not hidden.
void HideContactEmail(const grpc::ServerContext* context,
                      v1::Participant& participant) {
  if (participant.kind() != salesmeet::type::v1::EMPLOYEE &&
      !CallerMaySeePii(context)) {
    participant.clear_email();
  }
}

template <typename Result>
Result Shown(const grpc::ServerContext* context, Result result) {
  if (!result.ok()) return result;
  if constexpr (std::is_same_v<typename Result::value_type, v1::Participant>) {
    HideContactEmail(context, *result);
  } else {
    for (v1::Participant& participant : *result->mutable_participants()) {
      HideContactEmail(context, participant);
    }
  }
  return result;
}

}  // namespace
}  // namespace salesmeet::participant

namespace salesmeet::participant {

grpc::Status ParticipantServiceImpl::CreateParticipant(
    grpc::ServerContext* context, const v1::CreateParticipantRequest* request,
    v1::Participant* response) {
  return Serve(context, *request, response,
               [&] { return Shown(context, people_.Create(*request)); });
}

grpc::Status ParticipantServiceImpl::GetParticipant(
    grpc::ServerContext* context, const v1::GetParticipantRequest* request,
    v1::Participant* response) {
  return Serve(context, *request, response,
               [&] { return Shown(context, people_.Get(*request)); });
}

grpc::Status ParticipantServiceImpl::BatchGetParticipants(
    grpc::ServerContext* context,
    const v1::BatchGetParticipantsRequest* request,
    v1::BatchGetParticipantsResponse* response) {
  return Serve(context, *request, response,
               [&] { return Shown(context, people_.BatchGet(*request)); });
}

grpc::Status ParticipantServiceImpl::ListParticipants(
    grpc::ServerContext* context, const v1::ListParticipantsRequest* request,
    v1::ListParticipantsResponse* response) {
  return Serve(context, *request, response,
               [&] { return Shown(context, people_.List(*request)); });
}

grpc::Status ParticipantServiceImpl::UpdateParticipant(
    grpc::ServerContext* context, const v1::UpdateParticipantRequest* request,
    v1::Participant* response) {
  return Serve(context, *request, response,
               [&] { return Shown(context, people_.Update(*request)); });
}

grpc::Status ParticipantServiceImpl::DeleteParticipant(
    grpc::ServerContext* context, const v1::DeleteParticipantRequest* request,
    google::protobuf::Empty*) {
  return Serve(context, *request, [&] { return people_.Delete(*request); });
}

grpc::Status ParticipantServiceImpl::CreateTeam(
    grpc::ServerContext* context, const v1::CreateTeamRequest* request,
    v1::Team* response) {
  return Serve(context, *request, response,
               [&] { return teams_.Create(*request); });
}

grpc::Status ParticipantServiceImpl::GetTeam(grpc::ServerContext* context,
                                             const v1::GetTeamRequest* request,
                                             v1::Team* response) {
  return Serve(context, *request, response,
               [&] { return teams_.Get(*request); });
}

grpc::Status ParticipantServiceImpl::ListTeams(
    grpc::ServerContext* context, const v1::ListTeamsRequest* request,
    v1::ListTeamsResponse* response) {
  return Serve(context, *request, response,
               [&] { return teams_.List(*request); });
}

grpc::Status ParticipantServiceImpl::UpdateTeam(
    grpc::ServerContext* context, const v1::UpdateTeamRequest* request,
    v1::Team* response) {
  return Serve(context, *request, response,
               [&] { return teams_.Update(*request); });
}

grpc::Status ParticipantServiceImpl::DeleteTeam(
    grpc::ServerContext* context, const v1::DeleteTeamRequest* request,
    google::protobuf::Empty*) {
  return Serve(context, *request, [&] { return teams_.Delete(*request); });
}

}  // namespace salesmeet::participant
