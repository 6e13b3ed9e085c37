#include "services/scheduling/participants/participant_lookup.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/client_channel.h"
#include "common/errors.h"
#include "common/grpc_status.h"

namespace salesmeet::scheduling {
namespace {

namespace pv1 = participant::v1;

constexpr int kBatchLimit = 1000;  // BatchGetParticipants takes at most this.

}  // namespace

absl::StatusOr<KnownParticipants> LookupKnown(
    ParticipantLookup& people, std::vector<std::string> names,
    const grpc::ServerContext* incoming) {
  KnownParticipants known;
  while (!names.empty()) {
    absl::StatusOr<ParticipantsByName> found = people.Lookup(names, incoming);
    if (found.ok()) {
      known.found = *std::move(found);
      break;
    }
    google::rpc::ResourceInfo info;
    if (!absl::IsNotFound(found.status()) ||
        !GetResourceInfo(found.status(), &info)) {
      return found.status();
    }
    auto kept = std::remove(names.begin(), names.end(), info.resource_name());
    // A NOT_FOUND for something not asked about is not ours to absorb.
    if (kept == names.end()) return found.status();
    names.erase(kept, names.end());
    known.missing.emplace(info.resource_name(), found.status());
  }
  return known;
}

GrpcParticipantLookup::GrpcParticipantLookup(std::string target,
                                             absl::Duration timeout)
    : target_(std::move(target)),
      timeout_(timeout),
      stub_(pv1::ParticipantService::NewStub(
          CreatePeerChannel(target_, ChannelOptions{timeout, 4}))) {}

absl::StatusOr<ParticipantsByName> GrpcParticipantLookup::Lookup(
    const std::vector<std::string>& names,
    const grpc::ServerContext* incoming) {
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
    if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
        status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
      return ParticipantServiceDown(target_, status);
    }
    // NOT_FOUND and INVALID_ARGUMENT keep their details for the caller.
    if (!status.ok()) return FromGrpcStatus(status);
    for (pv1::Participant& p : *response.mutable_participants()) {
      std::string name = p.name();
      found.emplace(std::move(name), std::move(p));
    }
  }
  return found;
}

absl::Status GrpcParticipantLookup::CheckTeam(
    const std::string& team, const grpc::ServerContext* incoming) {
  pv1::GetTeamRequest request;
  request.set_name(team);
  pv1::Team response;
  std::unique_ptr<grpc::ClientContext> context =
      DownstreamContext(incoming, timeout_);
  grpc::Status status = stub_->GetTeam(context.get(), request, &response);
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
      status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return ParticipantServiceDown(target_, status);
  }
  return FromGrpcStatus(status);
}

void InMemoryParticipantLookup::Put(pv1::Participant participant) {
  std::string name = participant.name();
  participants_[name] = std::move(participant);
}

void InMemoryParticipantLookup::PutTeam(const std::string& team) {
  teams_.push_back(team);
}

absl::StatusOr<ParticipantsByName> InMemoryParticipantLookup::Lookup(
    const std::vector<std::string>& names, const grpc::ServerContext*) {
  if (unavailable_)
    return ParticipantServiceUnavailable("the participant service is down");
  ParticipantsByName found;
  for (const std::string& name : names) {
    auto it = participants_.find(name);
    if (it == participants_.end()) {
      return ResourceNotFoundError("salesmeet.participant.v1.Participant",
                                   name);
    }
    found[name] = it->second;
  }
  return found;
}

absl::Status InMemoryParticipantLookup::CheckTeam(const std::string& team,
                                                  const grpc::ServerContext*) {
  if (unavailable_)
    return ParticipantServiceUnavailable("the participant service is down");
  if (std::find(teams_.begin(), teams_.end(), team) == teams_.end()) {
    return ResourceNotFoundError("salesmeet.participant.v1.Team", team);
  }
  return absl::OkStatus();
}

}  // namespace salesmeet::scheduling
