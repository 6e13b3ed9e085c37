#ifndef SALESMEET_SERVICES_ANALYTICS_PROJECTION_PROJECTION_H_
#define SALESMEET_SERVICES_ANALYTICS_PROJECTION_PROJECTION_H_

// The read model and the state of its feed subscription. A batch from the
// feed is committed to the store first, with its sequence, and only then
// applied in memory, so what reports see never runs ahead of what a restart
// would load. Reports read under a reader lock; a batch takes the writer
// lock only for the in-memory part.

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "salesmeet/analytics/v1/analytics_service.pb.h"
#include "services/analytics/projection/projection_store.h"
#include "services/analytics/projection/read_model.h"

namespace salesmeet::analytics {

namespace av1 = ::salesmeet::analytics::v1;

class Projection {
 public:
  // Loads everything `store` holds into memory. `clock` gives the time.
  static absl::StatusOr<std::unique_ptr<Projection>> Open(
      ProjectionStore& store, std::function<absl::Time()> clock);

  Projection(const Projection&) = delete;
  Projection& operator=(const Projection&) = delete;

  // Applies one message of the feed: its changes (after dropping any this
  // projection already has, which a reconnect can resend), then what it
  // says of the head. ABORTED on a gap; the caller reconnects from
  // applied_sequence(). Other errors come from the store; nothing is
  // applied then.
  absl::Status ApplyFeedMessage(
      const sv1::WatchMeetingChangesResponse& message);

  // The feed connection's state, for FeedStatus and Freshness.
  void MarkConnected(absl::Time at);
  void MarkDisconnected(const absl::Status& why, absl::Time at,
                        absl::Time next_retry);

  // Scheduling's policy (its currency table), as last read; null if never.
  std::shared_ptr<const sv1::SchedulingPolicy> policy() const;
  absl::Status SetPolicy(const sv1::SchedulingPolicy& policy);

  int64_t applied_sequence() const;
  av1::Freshness Freshness() const;
  av1::FeedStatus FeedStatus() const;

  // Runs `read` with the read model held still, and the freshness that
  // describes exactly that state.
  template <typename Reader>
  auto Read(Reader&& read) const {
    absl::ReaderMutexLock lock(&model_mu_);
    return read(model_, Freshness());
  }

 private:
  Projection(ProjectionStore& store, std::function<absl::Time()> clock)
      : store_(store), clock_(std::move(clock)) {}

  ProjectionStore& store_;
  const std::function<absl::Time()> clock_;

  // absl::Mutex, not std::shared_mutex: a waiting writer holds back new
  // readers, so a steady stream of reports cannot starve the feed.
  mutable absl::Mutex model_mu_;
  ReadModel model_ ABSL_GUARDED_BY(model_mu_);

  mutable absl::Mutex mu_;
  FeedPosition position_ ABSL_GUARDED_BY(mu_);
  int64_t head_sequence_ ABSL_GUARDED_BY(mu_) = 0;
  // The send time of the last feed message that found us caught up.
  std::optional<absl::Time> caught_up_at_ ABSL_GUARDED_BY(mu_);
  bool connected_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time connect_time_ ABSL_GUARDED_BY(mu_);
  absl::Status last_error_ ABSL_GUARDED_BY(mu_);
  absl::Time last_error_time_ ABSL_GUARDED_BY(mu_);
  absl::Time next_retry_time_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<const sv1::SchedulingPolicy> policy_ ABSL_GUARDED_BY(mu_);
};

}  // namespace salesmeet::analytics

#endif  // SALESMEET_SERVICES_ANALYTICS_PROJECTION_PROJECTION_H_
