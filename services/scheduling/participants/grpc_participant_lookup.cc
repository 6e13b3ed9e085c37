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

absl::StatusOr<ParticipantsByName> GrpcParticipantLookup::Lookup(
    const std::vector<std::string>& names, const CallScope& incoming) {
  ParticipantsByName found;
  for (size_t first = 0; first < names.size(); first += kBatchLimit) {
    pv1::BatchGetParticipantsRequest request;
    for (size_t i = first; i < std::min(names.size(), first + kBatchLimit);
         ++i) {
      request.add_names(names[i]);
    }
    pv1::BatchGetParticipantsResponse response;
    std::unique_ptr<grpc::ClientContext> context =
        DownstreamContext(incoming, timeout_);
    grpc::Status status =
        stub_->BatchGetParticipants(context.get(), request, &response);
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
