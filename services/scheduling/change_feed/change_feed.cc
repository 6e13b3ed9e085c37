#include "services/scheduling/change_feed/change_feed.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors.h"
#include "common/field_checks.h"

namespace salesmeet::scheduling {

void ChangeNotifier::Published(int64_t sequence) {
  absl::MutexLock lock(&mu_);
  head_ = std::max(head_, sequence);
}

int64_t ChangeNotifier::WaitBeyond(int64_t after, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto ready = [this, after]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return head_ > after || closed_;
  };
  mu_.AwaitWithTimeout(absl::Condition(&ready), timeout);
  return head_;
}

int64_t ChangeNotifier::head() {
  absl::MutexLock lock(&mu_);
  return head_;
}

void ChangeNotifier::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
}

bool ChangeNotifier::closed() {
  absl::MutexLock lock(&mu_);
  return closed_;
}

absl::Status StreamChanges(
    MeetingStore& store, ChangeNotifier& notifier, const WatchOptions& options,
    const std::function<bool(const v1::WatchMeetingChangesResponse&)>& send,
    const std::function<bool()>& cancelled) {
  absl::StatusOr<int64_t> head = store.HeadSequence();
  if (!head.ok()) return head.status();
  if (options.after_sequence < 0 || options.after_sequence > *head) {
    return WithErrorInfo(
        absl::OutOfRangeError(absl::StrCat(
            "after_sequence ", options.after_sequence,
            " is outside the feed, whose latest sequence is ", *head,
            "; is the client pointed at another database?")),
        "SEQUENCE_OUT_OF_RANGE", {{"head_sequence", absl::StrCat(*head)}});
  }
  int64_t cursor = options.after_sequence;
  // Cancellation is polled at least this often while waiting.
  constexpr absl::Duration kPoll = absl::Milliseconds(250);
  absl::Time next_heartbeat = absl::Now() + options.heartbeat;
  while (!cancelled()) {
    if (notifier.closed()) {
      return absl::UnavailableError(
          "the server is shutting down; reconnect with the last sequence "
          "applied");
    }
    absl::StatusOr<std::vector<v1::MeetingChange>> batch =
        store.ReadChanges(cursor, options.batch_size);
    if (!batch.ok()) return batch.status();
    if (!batch->empty()) {
      v1::WatchMeetingChangesResponse response;
      for (v1::MeetingChange& change : *batch) {
        *response.add_changes() = std::move(change);
      }
      cursor = response.changes(response.changes_size() - 1).sequence();
      response.set_head_sequence(std::max(notifier.head(), cursor));
      *response.mutable_send_time() = ToProtoTime(options.clock());
      if (!send(response)) return absl::OkStatus();
      next_heartbeat = absl::Now() + options.heartbeat;
      continue;
    }
    const absl::Time now = absl::Now();
    if (now >= next_heartbeat) {
      v1::WatchMeetingChangesResponse heartbeat;
      heartbeat.set_head_sequence(std::max(notifier.head(), cursor));
      *heartbeat.mutable_send_time() = ToProtoTime(options.clock());
      if (!send(heartbeat)) return absl::OkStatus();
      next_heartbeat = now + options.heartbeat;
      continue;
    }
    notifier.WaitBeyond(cursor, std::min(kPoll, next_heartbeat - now));
  }
  return absl::OkStatus();
}

}  // namespace salesmeet::scheduling
