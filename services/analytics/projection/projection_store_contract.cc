// The ProjectionStore contract: what every backend must do.

#include "services/analytics/projection/projection_store_contract.h"

#include <gmock/gmock.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/field_checks.h"

namespace salesmeet::analytics {

void ProjectionStoreContractTest::SetUp() {
  std::string pattern = ::testing::TempDir() + "projection-store-XXXXXX";
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  directory_ = pattern;
  Reopen();
}

void ProjectionStoreContractTest::TearDown() {
  store_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

void ProjectionStoreContractTest::Reopen() {
  store_.reset();
  absl::StatusOr<std::unique_ptr<ProjectionStore>> opened =
      GetParam().open(directory_);
  ASSERT_TRUE(opened.ok()) << opened.status();
  store_ = *std::move(opened);
}

namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

absl::Time Committed(int64_t sequence) {
  return absl::FromUnixSeconds(1'800'000'000 + sequence);
}

// Change `sequence`, setting meeting `id`'s title to `title`.
sv1::MeetingChange Change(int64_t sequence, const std::string& id,
                          const std::string& title) {
  sv1::MeetingChange change;
  change.set_sequence(sequence);
  change.set_type(sv1::MEETING_UPDATED);
  *change.mutable_commit_time() = ToProtoTime(Committed(sequence));
  change.mutable_meeting()->set_name("meetings/" + id);
  change.mutable_meeting()->set_title(title);
  return change;
}

absl::StatusOr<FeedPosition> Append(
    ProjectionStore& store, const std::vector<sv1::MeetingChange>& changes) {
  std::vector<const sv1::MeetingChange*> pointers;
  for (const sv1::MeetingChange& c : changes) pointers.push_back(&c);
  return store.Append(pointers);
}

// What Load visits, name -> title, and the position it returns.
struct Loaded {
  std::map<std::string, std::string> titles;
  FeedPosition position;
};

Loaded LoadAll(ProjectionStore& store) {
  Loaded loaded;
  absl::StatusOr<FeedPosition> position =
      store.Load([&](const sv1::Meeting& m) {
        loaded.titles[m.name()] = m.title();
        return absl::OkStatus();
      });
  EXPECT_TRUE(position.ok()) << position.status();
  if (position.ok()) loaded.position = *position;
  return loaded;
}

TEST_P(ProjectionStoreContractTest, AnEmptyStoreIsAtSequenceZero) {
  Loaded loaded = LoadAll(store());
  EXPECT_THAT(loaded.titles, IsEmpty());
  EXPECT_EQ(loaded.position.applied_sequence, 0);
  EXPECT_EQ(loaded.position.applied_commit_time, absl::InfinitePast());
}

TEST_P(ProjectionStoreContractTest,
       AppendedChangesKeepEachMeetingsLatestState) {
  ASSERT_TRUE(Append(store(), {Change(1, "a", "first"), Change(2, "b", "bee"),
                               Change(3, "a", "second")})
                  .ok());
  Loaded loaded = LoadAll(store());
  EXPECT_THAT(loaded.titles, ElementsAre(Pair("meetings/a", "second"),
                                         Pair("meetings/b", "bee")));
  EXPECT_EQ(loaded.position.applied_sequence, 3);
  EXPECT_EQ(loaded.position.applied_commit_time, Committed(3));
}

TEST_P(ProjectionStoreContractTest, AppendReturnsTheNewPosition) {
  absl::StatusOr<FeedPosition> position =
      Append(store(), {Change(1, "a", "x"), Change(2, "a", "y")});
  ASSERT_TRUE(position.ok()) << position.status();
  EXPECT_EQ(position->applied_sequence, 2);
  EXPECT_EQ(position->applied_commit_time, Committed(2));
}

TEST_P(ProjectionStoreContractTest, WhatIsAlreadyStoredIsSkipped) {
  // Replicas sharing one store each follow the feed: a change another one
  // stored first is not written again, and the rest of the batch is.
  ASSERT_TRUE(Append(store(), {Change(1, "a", "x"), Change(2, "a", "y")}).ok());
  absl::StatusOr<FeedPosition> repeat =
      Append(store(), {Change(2, "a", "again"), Change(3, "b", "new")});
  ASSERT_TRUE(repeat.ok()) << repeat.status();
  EXPECT_EQ(repeat->applied_sequence, 3);
  Loaded loaded = LoadAll(store());
  EXPECT_THAT(loaded.titles,
              ElementsAre(Pair("meetings/a", "y"), Pair("meetings/b", "new")));
  EXPECT_EQ(loaded.position.applied_sequence, 3);
}

TEST_P(ProjectionStoreContractTest,
       ABatchBehindTheStoreAnswersItsOwnLastPosition) {
  // A slower replica is told where its own batch ends, not where the store
  // is, so it goes on to apply what lies between in memory too.
  ASSERT_TRUE(Append(store(), {Change(1, "a", "x"), Change(2, "a", "y"),
                               Change(3, "b", "z")})
                  .ok());
  absl::StatusOr<FeedPosition> behind = Append(store(), {Change(1, "a", "x")});
  ASSERT_TRUE(behind.ok()) << behind.status();
  EXPECT_EQ(behind->applied_sequence, 1);
  EXPECT_EQ(behind->applied_commit_time, Committed(1));
  EXPECT_EQ(LoadAll(store()).position.applied_sequence, 3);
}

TEST_P(ProjectionStoreContractTest, AGapIsAbortedAndWritesNothing) {
  ASSERT_TRUE(Append(store(), {Change(1, "a", "x")}).ok());
  EXPECT_EQ(Append(store(), {Change(3, "b", "skipped two")}).status().code(),
            absl::StatusCode::kAborted);
  // A gap inside the batch is refused too, the batch's first change with it.
  EXPECT_EQ(Append(store(), {Change(2, "b", "ok"), Change(4, "c", "gap")})
                .status()
                .code(),
            absl::StatusCode::kAborted);
  Loaded loaded = LoadAll(store());
  EXPECT_THAT(loaded.titles, ElementsAre(Pair("meetings/a", "x")));
  EXPECT_EQ(loaded.position.applied_sequence, 1);
}

TEST_P(ProjectionStoreContractTest, MeetingsPositionAndPolicySurviveARestart) {
  ASSERT_TRUE(Append(store(), {Change(1, "a", "x")}).ok());
  sv1::SchedulingPolicy policy;
  policy.set_reporting_currency("EUR");
  ASSERT_TRUE(store().SavePolicy(policy).ok());
  Reopen();
  Loaded loaded = LoadAll(store());
  EXPECT_THAT(loaded.titles, ElementsAre(Pair("meetings/a", "x")));
  EXPECT_EQ(loaded.position.applied_sequence, 1);
  absl::StatusOr<std::optional<sv1::SchedulingPolicy>> kept =
      store().LoadPolicy();
  ASSERT_TRUE(kept.ok() && kept->has_value());
  EXPECT_EQ((*kept)->reporting_currency(), "EUR");
  // The feed resumes right after the position.
  EXPECT_TRUE(Append(store(), {Change(2, "b", "y")}).ok());
}

TEST_P(ProjectionStoreContractTest, ThereIsNoPolicyUntilOneIsSaved) {
  absl::StatusOr<std::optional<sv1::SchedulingPolicy>> none =
      store().LoadPolicy();
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  EXPECT_TRUE(store().Ping().ok());
}

TEST_P(ProjectionStoreContractTest, KeepsOnePageTokenSecretAcrossARestart) {
  absl::StatusOr<std::string> secret = store().PageTokenSecret();
  ASSERT_TRUE(secret.ok()) << secret.status();
  EXPECT_FALSE(secret->empty());
  Reopen();
  EXPECT_EQ(*store().PageTokenSecret(), *secret);
}

TEST_P(ProjectionStoreContractTest, TwoWritersOfTheSameChangeBothSucceed) {
  // Two replicas racing to apply the same next change: one stores it, the
  // other finds it stored; neither fails and the position moves once.
  ASSERT_TRUE(Append(store(), {Change(1, "a", "x")}).ok());
  std::atomic<int> ok{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w) {
    writers.emplace_back([&] {
      if (Append(store(), {Change(2, "b", "same")}).ok()) ++ok;
    });
  }
  for (std::thread& t : writers) t.join();
  EXPECT_EQ(ok, 2);
  Loaded loaded = LoadAll(store());
  EXPECT_EQ(loaded.position.applied_sequence, 2);
  EXPECT_THAT(loaded.titles,
              ElementsAre(Pair("meetings/a", "x"), Pair("meetings/b", "same")));
}

}  // namespace
}  // namespace salesmeet::analytics
