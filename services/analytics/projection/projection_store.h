#ifndef SALESMEET_SERVICES_ANALYTICS_PROJECTION_PROJECTION_STORE_H_
#define SALESMEET_SERVICES_ANALYTICS_PROJECTION_PROJECTION_STORE_H_

// Where the projection keeps what it has applied from scheduling's change
// feed: each meeting's latest state and the feed position, always written
// in the same transaction, so a restart resumes exactly where the last
// commit left off. An interface, so other databases can back it.

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/field_checks.h"
#include "common/page_token.h"
#include "salesmeet/scheduling/v1/change.pb.h"
#include "salesmeet/scheduling/v1/policy.pb.h"

namespace salesmeet::analytics {

namespace sv1 = ::salesmeet::scheduling::v1;

// How far the projection has applied the feed.
struct FeedPosition {
  // The sequence of the last change applied; 0 before the first.
  int64_t applied_sequence = 0;
  // That change's commit time; InfinitePast before the first.
  absl::Time applied_commit_time = absl::InfinitePast();
};

// Where a batch of changes leaves its reader: after the last of them, or at
// `stored` when there are none.
inline FeedPosition PositionAfter(
    const std::vector<const sv1::MeetingChange*>& changes,
    FeedPosition stored) {
  if (changes.empty()) return stored;
  FeedPosition after;
  after.applied_sequence = changes.back()->sequence();
  after.applied_commit_time = ToAbslTime(changes.back()->commit_time());
  return after;
}

class ProjectionStore : public PageTokenSecretStore {
 public:
  virtual ~ProjectionStore() = default;

  // Calls `visit` with every stored meeting, then returns the position they
  // reflect, read in one transaction.
  virtual absl::StatusOr<FeedPosition> Load(
      const std::function<absl::Status(const sv1::Meeting&)>& visit) = 0;

  // Stores the meetings of `changes` (in feed order) that continue the
  // stored feed, and moves the position to the last, in one transaction.
  // Changes at or below the stored position are skipped: another replica
  // sharing the store, or an earlier attempt, stored them already. Returns
  // the position right after the last of `changes`, which may lie behind
  // the store's. ABORTED, writing nothing, on a gap.
  virtual absl::StatusOr<FeedPosition> Append(
      const std::vector<const sv1::MeetingChange*>& changes) = 0;

  // Scheduling's policy as last read (it holds the currency table).
  virtual absl::Status SavePolicy(const sv1::SchedulingPolicy& policy) = 0;
  virtual absl::StatusOr<std::optional<sv1::SchedulingPolicy>> LoadPolicy() = 0;

  // OK while the database can be read.
  virtual absl::Status Ping() = 0;
};

}  // namespace salesmeet::analytics

#endif  // SALESMEET_SERVICES_ANALYTICS_PROJECTION_PROJECTION_STORE_H_
