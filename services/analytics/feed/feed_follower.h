#ifndef SALESMEET_SERVICES_ANALYTICS_FEED_FEED_FOLLOWER_H_
#define SALESMEET_SERVICES_ANALYTICS_FEED_FEED_FOLLOWER_H_

// Keeps the projection subscribed to scheduling's WatchMeetingChanges: it
// resumes from the last applied sequence, applies each message, reconnects
// with exponential back-off when the stream fails or goes quiet, and reads
// scheduling's policy (its currency table) on every connection and
// periodically. Reports never wait for it.

#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "salesmeet/scheduling/v1/scheduling_service.grpc.pb.h"
#include "services/analytics/projection/projection.h"

namespace grpc {
class ClientContext;
}
namespace prometheus {
class Counter;
class Gauge;
class Registry;
}  // namespace prometheus

namespace salesmeet::analytics {

struct FeedFollowerOptions {
  std::string scheduling_target;  // host:port
  // Asked of scheduling; a stream silent for three of these is presumed
  // dead and replaced.
  absl::Duration heartbeat_interval = absl::Seconds(5);
  // Reconnection delays double from min to max, with jitter.
  absl::Duration min_backoff = absl::Milliseconds(250);
  absl::Duration max_backoff = absl::Seconds(30);
  // How often the policy is read again while connected.
  absl::Duration policy_refresh = absl::Seconds(5);
  // Deadline of a GetSchedulingPolicy call.
  absl::Duration call_timeout = absl::Seconds(3);
  // Times shown in the feed status and the lag gauge; timers use real time.
  Clock clock = RealClock();
};

class FeedFollower {
 public:
  FeedFollower(Projection& projection, FeedFollowerOptions options,
               prometheus::Registry& metrics);
  ~FeedFollower();
  FeedFollower(const FeedFollower&) = delete;
  FeedFollower& operator=(const FeedFollower&) = delete;

  // Starts following in the background.
  void Start();
  // Ends the stream and waits for the threads; idempotent.
  void Stop();

 private:
  // Reconnects until stopped.
  void FollowLoop();
  // One connection, from open to failure; returns why it ended.
  absl::Status FollowOnce();
  // Replaces silent streams, refreshes the policy and the lag gauge.
  void WatchLoop();
  void RefreshPolicy();
  void UpdateGauges();
  // Sleeps up to `delay`; false when stopping.
  bool Wait(absl::Duration delay);

  Projection& projection_;
  const FeedFollowerOptions options_;
  std::unique_ptr<scheduling::v1::SchedulingService::Stub> stub_;

  prometheus::Gauge& connected_gauge_;
  prometheus::Gauge& applied_gauge_;
  prometheus::Gauge& pending_gauge_;
  prometheus::Gauge& lag_gauge_;
  prometheus::Counter& applied_changes_;
  prometheus::Counter& reconnects_;

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  grpc::ClientContext* stream_ ABSL_GUARDED_BY(mu_) = nullptr;
  absl::Time last_message_ ABSL_GUARDED_BY(mu_);
  bool policy_due_ ABSL_GUARDED_BY(mu_) = true;
  std::thread follower_;
  std::thread watcher_;
};

}  // namespace salesmeet::analytics

#endif  // SALESMEET_SERVICES_ANALYTICS_FEED_FEED_FOLLOWER_H_
