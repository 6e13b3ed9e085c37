#include "services/analytics/people/people_directory.h"

#include <utility>

#include "common/json_log.h"

namespace salesmeet::analytics {

PeopleDirectory::PeopleDirectory(PeopleFetcher fetch, absl::Duration ttl,
                                 std::function<absl::Time()> clock)
    : fetch_(std::move(fetch)), ttl_(ttl), clock_(std::move(clock)) {}

absl::StatusOr<std::shared_ptr<const ParticipantsByName>>
PeopleDirectory::Everyone(const CallScope& incoming) {
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

}  // namespace salesmeet::analytics
