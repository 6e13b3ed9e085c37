// FeedFollower against an in-process scheduling service that serves a
// known feed: every change applied once across a broken stream, resuming
// from the last applied sequence, the policy read, and a prompt stop.

#include "services/analytics/feed/feed_follower.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/field_checks.h"
#include "services/analytics/projection/sqlite_projection_store.h"

namespace salesmeet::analytics {
namespace {

// A scheduling service whose feed holds `changes` (sequences 1..n). The
// first stream sends everything up to `break_after` and then fails, as a
// restarting server does; later streams send the rest and stay open.
class FakeScheduling final : public sv1::SchedulingService::Service {
 public:
  FakeScheduling(int changes, int break_after)
      : changes_(changes), break_after_(break_after) {}

  grpc::Status WatchMeetingChanges(
      grpc::ServerContext* context,
      const sv1::WatchMeetingChangesRequest* request,
      grpc::ServerWriter<sv1::WatchMeetingChangesResponse>* writer) override {
    bool first;
    {
      absl::MutexLock lock(&mu_);
      first = resumed_from_.empty();
      resumed_from_.push_back(request->after_sequence());
    }
    const int last = first ? break_after_ : changes_;
    for (int64_t s = request->after_sequence() + 1; s <= last; ++s) {
      sv1::WatchMeetingChangesResponse message;
      sv1::MeetingChange* change = message.add_changes();
      change->set_sequence(s);
      change->set_type(sv1::MEETING_CREATED);
      *change->mutable_commit_time() = ToProtoTime(absl::FromUnixSeconds(s));
      change->mutable_meeting()->set_name(absl::StrCat("meetings/m", s));
      message.set_head_sequence(changes_);
      if (!writer->Write(message)) return grpc::Status::OK;
    }
    if (first) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "restart");
    while (!context->IsCancelled()) absl::SleepFor(absl::Milliseconds(20));
    return grpc::Status::CANCELLED;
  }

  grpc::Status GetSchedulingPolicy(grpc::ServerContext*,
                                   const sv1::GetSchedulingPolicyRequest*,
                                   sv1::SchedulingPolicy* policy) override {
    policy->set_reporting_currency("EUR");
    return grpc::Status::OK;
  }

  std::vector<int64_t> resumed_from() {
    absl::MutexLock lock(&mu_);
    return resumed_from_;
  }

 private:
  const int changes_;
  const int break_after_;
  absl::Mutex mu_;
  std::vector<int64_t> resumed_from_ ABSL_GUARDED_BY(mu_);
};

class FeedFollowerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "feed-follower-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    auto store = SqliteProjectionStore::Open(directory_ + "/analytics.db", 2);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    auto projection = Projection::Open(*store_, [] { return absl::Now(); });
    ASSERT_TRUE(projection.ok()) << projection.status();
    projection_ = *std::move(projection);
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }

  FeedFollowerOptions Serve(FakeScheduling& scheduling) {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&scheduling);
    server_ = builder.BuildAndStart();
    FeedFollowerOptions options;
    options.scheduling_target = absl::StrCat("127.0.0.1:", port);
    options.heartbeat_interval = absl::Seconds(1);
    options.min_backoff = absl::Milliseconds(10);
    options.max_backoff = absl::Milliseconds(50);
    return options;
  }

  // Waits (generously: a liveness bound, not a speed check) for `done`.
  template <typename Done>
  bool Eventually(Done done) {
    const absl::Time deadline = absl::Now() + absl::Seconds(20);
    while (absl::Now() < deadline) {
      if (done()) return true;
      absl::SleepFor(absl::Milliseconds(10));
    }
    return done();
  }

  std::string directory_;
  std::unique_ptr<SqliteProjectionStore> store_;
  std::unique_ptr<Projection> projection_;
  std::unique_ptr<grpc::Server> server_;
  prometheus::Registry metrics_;
};

TEST_F(FeedFollowerTest, ResumesFromTheLastAppliedSequenceAfterABrokenStream) {
  FakeScheduling scheduling(/*changes=*/5, /*break_after=*/3);
  FeedFollower follower(*projection_, Serve(scheduling), metrics_);
  follower.Start();
  EXPECT_TRUE(Eventually([&] { return projection_->applied_sequence() == 5; }));
  follower.Stop();
  EXPECT_EQ(projection_->applied_sequence(), 5);
  const std::vector<int64_t> resumed = scheduling.resumed_from();
  ASSERT_GE(resumed.size(), 2u);
  EXPECT_EQ(resumed[0], 0);
  EXPECT_EQ(resumed[1], 3);
}

TEST_F(FeedFollowerTest, EveryChangeIsStoredOnce) {
  FakeScheduling scheduling(/*changes=*/5, /*break_after=*/3);
  FeedFollower follower(*projection_, Serve(scheduling), metrics_);
  follower.Start();
  ASSERT_TRUE(Eventually([&] { return projection_->applied_sequence() == 5; }));
  follower.Stop();
  int meetings = 0;
  absl::StatusOr<FeedPosition> position =
      store_->Load([&](const sv1::Meeting&) {
        ++meetings;
        return absl::OkStatus();
      });
  ASSERT_TRUE(position.ok()) << position.status();
  EXPECT_EQ(meetings, 5);
  EXPECT_EQ(position->applied_sequence, 5);
}

TEST_F(FeedFollowerTest, ReadsSchedulingsPolicy) {
  FakeScheduling scheduling(/*changes=*/1, /*break_after=*/1);
  FeedFollower follower(*projection_, Serve(scheduling), metrics_);
  follower.Start();
  EXPECT_TRUE(Eventually([&] { return projection_->policy() != nullptr; }));
  follower.Stop();
  ASSERT_NE(projection_->policy(), nullptr);
  EXPECT_EQ(projection_->policy()->reporting_currency(), "EUR");
}

TEST_F(FeedFollowerTest, StopReturnsWhileAStreamIsOpen) {
  FakeScheduling scheduling(/*changes=*/2, /*break_after=*/0);
  FeedFollower follower(*projection_, Serve(scheduling), metrics_);
  follower.Start();
  ASSERT_TRUE(Eventually([&] {
    return projection_->applied_sequence() == 2 &&
           projection_->FeedStatus().connected();
  }));
  follower.Stop();  // Returns although the stream would stay open.
  follower.Stop();  // Idempotent.
  SUCCEED();
}

}  // namespace
}  // namespace salesmeet::analytics
