#include "services/analytics/projection/projection.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "common/field_checks.h"
#include "services/analytics/projection/sqlite_projection_store.h"
#include "services/analytics/reports/report_test_fixture.h"

namespace salesmeet::analytics {
namespace {

using testing::At;
using testing::Employee;
using testing::Meeting;

// A projection over a real SQLite file that a test can close and reopen,
// as a restart would.
class ProjectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("projection_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Reopen();
  }
  void TearDown() override {
    projection_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Reopen() {
    projection_.reset();
    store_.reset();
    auto store = SqliteProjectionStore::Open((dir_ / "a.db").string(), 2);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    auto projection = Projection::Open(*store_, [this] { return now_; });
    ASSERT_TRUE(projection.ok()) << projection.status();
    projection_ = *std::move(projection);
  }

  // A feed message carrying changes `first`..`last`, each rewriting meeting
  // "m{sequence % 3}" to last an hour more than the one before.
  sv1::WatchMeetingChangesResponse Message(int first, int last, int head) {
    sv1::WatchMeetingChangesResponse message;
    for (int sequence = first; sequence <= last; ++sequence) {
      sv1::MeetingChange* change = message.add_changes();
      change->set_sequence(sequence);
      *change->mutable_commit_time() =
          ToProtoTime(At("UTC", 2027, 1, 1, 0) + absl::Minutes(sequence));
      change->set_type(sv1::MEETING_UPDATED);
      *change->mutable_meeting() =
          Meeting(absl::StrCat("m", sequence % 3), At("UTC", 2027, 1, 4, 0),
                  absl::Hours(sequence), {Employee("ada", "emea", 100)});
    }
    message.set_head_sequence(head);
    *message.mutable_send_time() = ToProtoTime(now_);
    return message;
  }

  // Total meeting length in the model, hours: what a report would count.
  int64_t ModelHours() {
    return projection_->Read([](const ReadModel& model, const av1::Freshness&) {
      int64_t hours = 0;
      model.ForEachMeeting([&](const MeetingFacts& meeting) {
        meeting.ForEachOccurrence(
            {absl::InfinitePast(), absl::InfiniteFuture()},
            [&](const OccurrenceFacts& o) {
              hours += absl::ToInt64Hours(o.span.length());
            });
      });
      return hours;
    });
  }

  std::filesystem::path dir_;
  absl::Time now_ = At("UTC", 2027, 1, 2, 0);
  std::unique_ptr<SqliteProjectionStore> store_;
  std::unique_ptr<Projection> projection_;
};

TEST_F(ProjectionTest, RestartResumesFromTheLastCommittedSequence) {
  ASSERT_TRUE(projection_->ApplyFeedMessage(Message(1, 4, 6)).ok());
  // Meetings m1 (sequence 4: 4 h), m2 (2 h), m0 (3 h).
  EXPECT_EQ(ModelHours(), 9);
  Reopen();
  EXPECT_EQ(projection_->applied_sequence(), 4);
  EXPECT_EQ(ModelHours(), 9);
  ASSERT_TRUE(projection_->ApplyFeedMessage(Message(5, 6, 6)).ok());
  // m2 becomes 5 h, m0 6 h.
  EXPECT_EQ(ModelHours(), 4 + 5 + 6);
}

TEST_F(ProjectionTest, ResentChangesAfterAReconnectAreNotAppliedTwice) {
  ASSERT_TRUE(projection_->ApplyFeedMessage(Message(1, 4, 4)).ok());
  // A reconnect from an older position resends 3 and 4 along with 5.
  ASSERT_TRUE(projection_->ApplyFeedMessage(Message(3, 5, 5)).ok());
  EXPECT_EQ(projection_->applied_sequence(), 5);
  EXPECT_EQ(ModelHours(), 4 + 5 + 3);
}

TEST_F(ProjectionTest, AGapIsRefusedAndNothingOfTheBatchIsWritten) {
  ASSERT_TRUE(projection_->ApplyFeedMessage(Message(1, 2, 2)).ok());
  absl::Status gap = projection_->ApplyFeedMessage(Message(4, 5, 5));
  EXPECT_EQ(gap.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(projection_->applied_sequence(), 2);
  Reopen();
  EXPECT_EQ(projection_->applied_sequence(), 2);
  EXPECT_EQ(ModelHours(), 1 + 2);
}

TEST_F(ProjectionTest, CancelledMeetingCountsNowhere) {
  sv1::WatchMeetingChangesResponse message = Message(1, 1, 2);
  sv1::MeetingChange* cancel = message.add_changes();
  *cancel = message.changes(0);
  cancel->set_sequence(2);
  cancel->mutable_meeting()->set_state(sv1::CANCELLED);
  ASSERT_TRUE(projection_->ApplyFeedMessage(message).ok());
  EXPECT_EQ(ModelHours(), 0);
  Reopen();
  EXPECT_EQ(ModelHours(), 0);
}

TEST_F(ProjectionTest,
       FreshnessFollowsHeartbeatsOnlyWhileConnectedAndCaughtUp) {
  projection_->MarkConnected(now_);
  ASSERT_TRUE(projection_->ApplyFeedMessage(Message(1, 3, 5)).ok());
  av1::Freshness behind = projection_->Freshness();
  EXPECT_EQ(behind.as_of_sequence(), 3);
  EXPECT_EQ(behind.pending_changes(), 2);
  // Behind the head: as of the last applied change's commit.
  EXPECT_EQ(ToAbslTime(behind.as_of_time()),
            At("UTC", 2027, 1, 1, 0) + absl::Minutes(3));

  now_ += absl::Minutes(10);
  ASSERT_TRUE(projection_->ApplyFeedMessage(Message(4, 5, 5)).ok());
  av1::Freshness caught_up = projection_->Freshness();
  EXPECT_EQ(caught_up.pending_changes(), 0);
  EXPECT_TRUE(caught_up.feed_connected());
  EXPECT_EQ(ToAbslTime(caught_up.as_of_time()), now_);

  projection_->MarkDisconnected(absl::UnavailableError("gone"), now_,
                                now_ + absl::Seconds(1));
  av1::Freshness down = projection_->Freshness();
  EXPECT_FALSE(down.feed_connected());
  EXPECT_EQ(ToAbslTime(down.as_of_time()),
            At("UTC", 2027, 1, 1, 0) + absl::Minutes(5));
  av1::FeedStatus status = projection_->FeedStatus();
  EXPECT_EQ(status.last_error().code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(status.has_next_retry_time());
}

TEST_F(ProjectionTest, PolicyIsKeptAcrossRestarts) {
  EXPECT_EQ(projection_->policy(), nullptr);
  sv1::SchedulingPolicy policy;
  policy.set_reporting_currency("EUR");
  ASSERT_TRUE(projection_->SetPolicy(policy).ok());
  Reopen();
  ASSERT_NE(projection_->policy(), nullptr);
  EXPECT_EQ(projection_->policy()->reporting_currency(), "EUR");
}

}  // namespace
}  // namespace salesmeet::analytics
