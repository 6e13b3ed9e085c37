#ifndef SALESMEET_SERVICES_SCHEDULING_CHANGE_FEED_CHANGE_FEED_H_
#define SALESMEET_SERVICES_SCHEDULING_CHANGE_FEED_CHANGE_FEED_H_

// The WatchMeetingChanges side of the outbox: events are written by the
// writers' own transactions; watchers read them back from the store at
// their own pace and wait on a notifier between batches. A slow watcher only
// slows its own stream: writers never wait for watchers.

#include <cstdint>
#include <functional>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "salesmeet/scheduling/v1/change.pb.h"
#include "services/scheduling/store/meeting_store.h"

namespace salesmeet::scheduling {

// The latest committed sequence, and a way to wait for a newer one.
class ChangeNotifier {
 public:
  explicit ChangeNotifier(int64_t head) : head_(head) {}

  // Called by writers after their commit.
  void Published(int64_t sequence);
  // Waits until the head passes `after`, the timeout ends or Close() is
  // called; returns the head then.
  int64_t WaitBeyond(int64_t after, absl::Duration timeout);
  int64_t head();
  // Wakes every waiter for good: the server is shutting down.
  void Close();
  bool closed();

 private:
  absl::Mutex mu_;
  int64_t head_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

struct WatchOptions {
  int64_t after_sequence = 0;
  absl::Duration heartbeat = absl::Seconds(10);
  int batch_size = 500;
  // Stamps send_time; the heartbeat's timer runs on real time.
  Clock clock = RealClock();
};

// Streams the feed after `options.after_sequence` through `send` until
// `send` returns false (the client went away), `cancelled()` turns true, or
// the notifier closes (UNAVAILABLE: reconnect). OUT_OF_RANGE when the
// starting point lies beyond the head. `send` gets batches of changes, or
// an empty heartbeat.
absl::Status StreamChanges(
    MeetingStore& store, ChangeNotifier& notifier, const WatchOptions& options,
    const std::function<bool(const v1::WatchMeetingChangesResponse&)>& send,
    const std::function<bool()>& cancelled);

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_CHANGE_FEED_CHANGE_FEED_H_
