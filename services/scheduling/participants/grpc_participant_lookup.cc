#include "services/scheduling/participants/grpc_participant_lookup.h"

#include <algorithm>

#include "common/client_channel.h"
#include "common/errors.h"
#include "common/grpc_status.h"

namespace salesmeet::scheduling {
namespace {

constexpr int kBatchLimit = 1000;  // BatchGetParticipants takes at most this.

}  // namespace

GrpcParticipantLookup::GrpcParticipantLookup(std::string target,
                                             absl::Duration timeout)
    : target_(std::move(target)),
      timeout_(timeout),
      stub_(pv1::ParticipantService::NewStub(
          CreatePeerChannel(target_, ChannelOptions{timeout, 4}))) {}

grpc::Status GrpcParticipantLookup::BatchGet(
    const std::vector<std::string>& names, size_t first,
    const CallScope& incoming, bool as_caller,
    pv1::BatchGetParticipantsResponse& response) {
  pv1::BatchGetParticipantsRequest request;
  for (size_t i = first; i < std::min(names.size(), first + kBatchLimit); ++i) {
    request.add_names(names[i]);
  }
  std::unique_ptr<grpc::ClientContext> context =
      DownstreamContext(incoming, timeout_);
  if (as_caller && !OnBehalfOfCaller(incoming, *context)) as_caller = false;
  grpc::Status status =
      stub_->BatchGetParticipants(context.get(), request, &response);
  if (as_caller && (status.error_code() == grpc::PERMISSION_DENIED ||
                    status.error_code() == grpc::UNAUTHENTICATED)) {
    // The caller may not read participants in batches: show what this
    // service may see instead.
    response.Clear();
    return BatchGet(names, first, incoming, /*as_caller=*/false, response);
  }
  return status;
}

absl::StatusOr<ParticipantsByName> GrpcParticipantLookup::Lookup(
    const std::vector<std::string>& names, const CallScope& incoming) {
  ParticipantsByName found;
  for (size_t first = 0; first < names.size(); first += kBatchLimit) {
    pv1::BatchGetParticipantsResponse response;
    grpc::Status status =
        BatchGet(names, first, incoming, /*as_caller=*/false, response);
    if (ParticipantServiceFailed(status)) {
      return ParticipantServiceDown(target_, status);
    }
    // NOT_FOUND and INVALID_ARGUMENT keep their details for the caller.
    if (!status.ok()) return FromGrpcStatus(status);
    for (pv1::Participant& p : *response.mutable_participants()) {
      KeepReferencesOnly(p);
      std::string name = p.name();
      found.emplace(std::move(name), std::move(p));
    }
  }
  return found;
}

absl::StatusOr<ParticipantsByName> GrpcParticipantLookup::LookupForCaller(
    const std::vector<std::string>& names, const CallScope& incoming) {
  ParticipantsByName found;
  for (size_t first = 0; first < names.size(); first += kBatchLimit) {
    pv1::BatchGetParticipantsResponse response;
    grpc::Status status =
        BatchGet(names, first, incoming, /*as_caller=*/true, response);
    if (ParticipantServiceFailed(status)) {
      return ParticipantServiceDown(target_, status);
    }
    // A participant deleted since the meeting was booked: this batch goes
    // without addresses rather than failing the export.
    if (status.error_code() == grpc::NOT_FOUND) continue;
    if (!status.ok()) return FromGrpcStatus(status);
    for (pv1::Participant& p : *response.mutable_participants()) {
      std::string name = p.name();
      found.emplace(std::move(name), std::move(p));
    }
  }
  return found;
}

absl::Status GrpcParticipantLookup::CheckTeam(const std::string& team,
                                              const CallScope& incoming) {
  pv1::GetTeamRequest request;
  request.set_name(team);
  pv1::Team response;
  std::unique_ptr<grpc::ClientContext> context =
      DownstreamContext(incoming, timeout_);
  grpc::Status status = stub_->GetTeam(context.get(), request, &response);
  if (ParticipantServiceFailed(status)) {
    return ParticipantServiceDown(target_, status);
  }
  return FromGrpcStatus(status);
}

}  // namespace salesmeet::scheduling
