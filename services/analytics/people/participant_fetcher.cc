#include "services/analytics/people/participant_fetcher.h"

#include <memory>
#include <utility>

#include "common/client_channel.h"
#include "salesmeet/participant/v1/participant_service.grpc.pb.h"

namespace salesmeet::analytics {

namespace pv1 = ::salesmeet::participant::v1;

PeopleFetcher ListParticipantsFetcher(const std::string& target,
                                      absl::Duration timeout) {
  std::shared_ptr<pv1::ParticipantService::Stub> stub =
      pv1::ParticipantService::NewStub(
          CreatePeerChannel(target, ChannelOptions{timeout, 4}));
  return [stub, target, timeout](
             const CallScope& incoming) -> absl::StatusOr<ParticipantsByName> {
    ParticipantsByName everyone;
    pv1::ListParticipantsRequest request;
    request.set_page_size(1000);
    do {
      std::unique_ptr<grpc::ClientContext> context =
          DownstreamContext(incoming, timeout);
      pv1::ListParticipantsResponse page;
      grpc::Status status =
          stub->ListParticipants(context.get(), request, &page);
      if (!status.ok()) return ParticipantServiceDown(target, status);
      for (pv1::Participant& p : *page.mutable_participants()) {
        KeepReferencesOnly(p);
        std::string name = p.name();
        everyone.insert_or_assign(std::move(name), std::move(p));
      }
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    return everyone;
  };
}

}  // namespace salesmeet::analytics
