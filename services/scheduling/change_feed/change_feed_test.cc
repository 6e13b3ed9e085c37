// StreamChanges: the backlog, then live changes as writers commit, resuming
// without gaps or repeats, heartbeats, and the ways a stream ends.

#include "services/scheduling/change_feed/change_feed.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "services/scheduling/scheduling_test_fixture.h"

namespace salesmeet::scheduling {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// One watcher on its own thread, as a WatchMeetingChanges call runs, that
// records what it was sent.
class Watcher {
 public:
  Watcher(MeetingStore& store, ChangeNotifier& notifier, WatchOptions options)
      : thread_([this, &store, &notifier, options] {
          absl::Status status = StreamChanges(
              store, notifier, options,
              [this](const v1::WatchMeetingChangesResponse& r) {
                absl::MutexLock lock(&mu_);
                responses_.push_back(r);
                return true;
              },
              [this] { return cancelled_.load(); });
          absl::MutexLock lock(&mu_);
          status_ = status;
          done_ = true;
        }) {}

  ~Watcher() { Stop(); }

  // Cancels, as a client hanging up does, and waits for the stream to end.
  void Stop() {
    cancelled_ = true;
    if (thread_.joinable()) thread_.join();
  }

  // Waits until `count` changes arrived (or 10 seconds passed).
  std::vector<int64_t> WaitForChanges(size_t count) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, count]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return SequencesLocked().size() >= count;
    };
    mu_.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(10));
    return SequencesLocked();
  }

  // Waits until a heartbeat (a response without changes) arrived.
  bool WaitForHeartbeat() {
    absl::MutexLock lock(&mu_);
    auto beat = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      for (const auto& r : responses_) {
        if (r.changes().empty()) return true;
      }
      return false;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&beat), absl::Seconds(10));
  }

  // Waits for the stream to end on its own; its final status.
  std::optional<absl::Status> WaitForEnd() {
    absl::MutexLock lock(&mu_);
    if (!mu_.AwaitWithTimeout(absl::Condition(&done_), absl::Seconds(10))) {
      return std::nullopt;
    }
    return status_;
  }

  int64_t LastHead() {
    absl::MutexLock lock(&mu_);
    return responses_.empty() ? -1 : responses_.back().head_sequence();
  }

 private:
  std::vector<int64_t> SequencesLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    std::vector<int64_t> sequences;
    for (const auto& r : responses_) {
      for (const auto& c : r.changes()) sequences.push_back(c.sequence());
    }
    return sequences;
  }

  absl::Mutex mu_;
  std::vector<v1::WatchMeetingChangesResponse> responses_ ABSL_GUARDED_BY(mu_);
  absl::Status status_ ABSL_GUARDED_BY(mu_);
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  std::atomic<bool> cancelled_{false};
  std::thread thread_;
};

class ChangeFeedTest : public SchedulingTest {
 protected:
  // Books `count` meetings on consecutive days: one change each.
  void Book(int count) {
    for (int i = 0; i < count; ++i) {
      MustCreate(Meeting(Rome(3, 10, 8) + absl::Hours(24 * booked_++)));
    }
  }

  WatchOptions After(int64_t sequence) {
    WatchOptions options;
    options.after_sequence = sequence;
    return options;
  }

  int booked_ = 0;
};

TEST_F(ChangeFeedTest, SendsTheBacklogThenLiveChanges) {
  Book(3);
  Watcher watcher(*store_, *feed_, After(0));
  EXPECT_THAT(watcher.WaitForChanges(3), ElementsAre(1, 2, 3));
  Book(2);
  EXPECT_THAT(watcher.WaitForChanges(5), ElementsAre(1, 2, 3, 4, 5));
  EXPECT_EQ(watcher.LastHead(), 5);
}

TEST_F(ChangeFeedTest, ResumingFromASequenceMissesNothingAndRepeatsNothing) {
  Book(2);
  std::vector<int64_t> seen;
  {
    Watcher first(*store_, *feed_, After(0));
    seen = first.WaitForChanges(2);
  }
  Book(3);  // Committed while nobody watched.
  Watcher resumed(*store_, *feed_, After(seen.back()));
  EXPECT_THAT(resumed.WaitForChanges(3), ElementsAre(3, 4, 5));
  Book(1);
  EXPECT_THAT(resumed.WaitForChanges(4), ElementsAre(3, 4, 5, 6));
}

TEST_F(ChangeFeedTest, LargeBacklogsArriveInBatchesInOrder) {
  Book(7);
  WatchOptions options = After(0);
  options.batch_size = 3;
  Watcher watcher(*store_, *feed_, options);
  EXPECT_THAT(watcher.WaitForChanges(7), ElementsAre(1, 2, 3, 4, 5, 6, 7));
}

TEST_F(ChangeFeedTest, EachEventCarriesTheMeetingsFullState) {
  Book(1);
  std::vector<v1::MeetingChange> changes = Changes();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].meeting().attendees(0).snapshot().role(),
            tv1::SALES_REP);
  EXPECT_EQ(ToAbslTime(changes[0].commit_time()), now_);
}

TEST_F(ChangeFeedTest, SendsHeartbeatsWhileIdle) {
  Book(1);
  WatchOptions options = After(1);
  options.heartbeat = absl::Milliseconds(50);
  Watcher watcher(*store_, *feed_, options);
  EXPECT_TRUE(watcher.WaitForHeartbeat());
  EXPECT_EQ(watcher.LastHead(), 1);
}

TEST_F(ChangeFeedTest, AStartBeyondTheHeadIsOutOfRange) {
  Book(2);
  absl::Status status = StreamChanges(
      *store_, *feed_, After(3),
      [](const v1::WatchMeetingChangesResponse&) { return true; },
      [] { return false; });
  EXPECT_EQ(status.code(), absl::StatusCode::kOutOfRange);
}

TEST_F(ChangeFeedTest, ANegativeStartIsOutOfRange) {
  absl::Status status = StreamChanges(
      *store_, *feed_, After(-1),
      [](const v1::WatchMeetingChangesResponse&) { return true; },
      [] { return false; });
  EXPECT_EQ(status.code(), absl::StatusCode::kOutOfRange);
}

TEST_F(ChangeFeedTest, StartingAtTheHeadWaitsForTheNextChange) {
  Book(2);
  Watcher watcher(*store_, *feed_, After(2));
  Book(1);
  EXPECT_THAT(watcher.WaitForChanges(1), ElementsAre(3));
}

TEST_F(ChangeFeedTest, ClosingTheNotifierEndsTheStreamWithUnavailable) {
  Book(1);
  Watcher watcher(*store_, *feed_, After(0));
  ASSERT_THAT(watcher.WaitForChanges(1), ElementsAre(1));  // It is live.
  feed_->Close();
  std::optional<absl::Status> status = watcher.WaitForEnd();
  ASSERT_TRUE(status.has_value()) << "the stream did not end";
  EXPECT_EQ(status->code(), absl::StatusCode::kUnavailable);
}

TEST_F(ChangeFeedTest, AFailedSendEndsTheStream) {
  Book(3);
  WatchOptions options = After(0);
  options.batch_size = 1;
  int sends = 0;
  absl::Status status = StreamChanges(
      *store_, *feed_, options,
      [&sends](const v1::WatchMeetingChangesResponse&) {
        ++sends;
        return false;  // The client went away.
      },
      [] { return false; });
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(sends, 1);
}

TEST_F(ChangeFeedTest, CancellingEndsAnIdleStream) {
  Watcher watcher(*store_, *feed_, After(0));
  watcher.Stop();
  std::optional<absl::Status> status = watcher.WaitForEnd();
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(status->ok()) << *status;
}

TEST_F(ChangeFeedTest, PreviewsAndRefusalsAppendNothing) {
  Book(1);
  v1::CreateMeetingRequest preview;
  *preview.mutable_meeting() = Meeting(Rome(4, 1, 10));
  preview.set_validate_only(true);
  ASSERT_TRUE(booker_->Create(preview, CallScope()).ok());
  ASSERT_FALSE(Create(Meeting(Rome(3, 10, 8))).ok());  // A conflict.
  EXPECT_EQ(*store_->HeadSequence(), 1);
  EXPECT_EQ(feed_->head(), 1);
  EXPECT_THAT(store_->ReadChanges(1, 10).value(), IsEmpty());
}

}  // namespace
}  // namespace salesmeet::scheduling
