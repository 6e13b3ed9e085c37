#include "services/scheduling/participants/recent_participants.h"

#include <utility>

namespace salesmeet::scheduling {

RecentParticipantLookup::RecentParticipantLookup(ParticipantLookup& source,
                                                 absl::Duration ttl,
                                                 absl::Duration stale_limit,
                                                 Clock clock)
    : source_(source),
      ttl_(ttl),
      stale_limit_(stale_limit),
      clock_(std::move(clock)) {}

absl::StatusOr<ParticipantsByName> RecentParticipantLookup::Lookup(
    const std::vector<std::string>& names, const CallScope& incoming) {
  ParticipantsByName found;
  std::vector<std::string> missing;
  {
    const absl::Time now = clock_();
    absl::MutexLock lock(&mu_);
    for (const std::string& name : names) {
      auto it = kept_.find(name);
      if (it != kept_.end() && now - it->second.fetched < ttl_) {
        found.emplace(name, it->second.record);
      } else if (!found.contains(name)) {
        missing.push_back(name);
      }
    }
  }
  if (missing.empty()) return found;

  absl::StatusOr<ParticipantsByName> fetched =
      source_.Lookup(missing, incoming);
  const absl::Time now = clock_();
  absl::MutexLock lock(&mu_);
  if (!fetched.ok()) {
    if (fetched.status().code() != absl::StatusCode::kUnavailable) {
      return fetched.status();
    }
    // The participant service is down: older records will do for a while.
    for (const std::string& name : missing) {
      auto it = kept_.find(name);
      if (it == kept_.end() || now - it->second.fetched >= stale_limit_) {
        return fetched.status();
      }
      found.emplace(name, it->second.record);
    }
    return found;
  }
  for (auto& [name, record] : *fetched) {
    kept_.insert_or_assign(name, Kept{record, now});
    found.insert_or_assign(name, std::move(record));
  }
  return found;
}

}  // namespace salesmeet::scheduling
