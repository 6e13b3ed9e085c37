#include "services/analytics/people_directory.h"

#include <utility>

#include "common/client_channel.h"
#include "common/json_log.h"

namespace salesmeet::analytics {

namespace pv1 = participant::v1;

PeopleDirectory::PeopleDirectory(PeopleFetcher fetch, absl::Duration ttl,
                                 std::function<absl::Time()> clock)
    : fetch_(std::move(fetch)), ttl_(ttl), clock_(std::move(clock)) {}

absl::StatusOr<std::shared_ptr<const ParticipantsByName>>
PeopleDirectory::Everyone(const grpc::ServerContext* incoming) {
  {
    absl::MutexLock lock(&mu_);
    auto fresh_or_someone_refreshing =
        [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
          return !refreshing_ ||
                 (copy_ != nullptr && clock_() - fetched_at_ < ttl_);
        };
    mu_.Await(absl::Condition(&fresh_or_someone_refreshing));
    if (copy_ != nullptr && clock_() - fetched_at_ < ttl_) return copy_;
    if (refreshing_) return copy_;  // Stale but someone is on it.
    refreshing_ = true;
  }
  absl::StatusOr<ParticipantsByName> fetched = fetch_(incoming);
  absl::MutexLock lock(&mu_);
  refreshing_ = false;
  if (fetched.ok()) {
    copy_ = std::make_shared<const ParticipantsByName>(*std::move(fetched));
    fetched_at_ = clock_();
    return copy_;
  }
  if (copy_ != nullptr) {
    LogJson(LogLevel::kWarning,
            "participant service unavailable; reports use people as last read",
            {{"error", std::string(fetched.status().message())},
             {"age_s", absl::ToInt64Seconds(clock_() - fetched_at_)}});
    return copy_;
  }
  return fetched.status();
}

PeopleFetcher ListParticipantsFetcher(const std::string& target,
                                      absl::Duration timeout) {
  std::shared_ptr<pv1::ParticipantService::Stub> stub =
      pv1::ParticipantService::NewStub(
          CreatePeerChannel(target, ChannelOptions{timeout, 4}));
  return [stub, target, timeout](const grpc::ServerContext* incoming)
             -> absl::StatusOr<ParticipantsByName> {
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
        std::string name = p.name();
        everyone.insert_or_assign(std::move(name), std::move(p));
      }
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    return everyone;
  };
}

}  // namespace salesmeet::analytics
