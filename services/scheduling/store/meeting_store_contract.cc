#include "services/scheduling/store/meeting_store_contract.h"

#include <gmock/gmock.h>
#include <stdlib.h>

#include <filesystem>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/civil_time.h"
#include "common/field_checks.h"

namespace salesmeet::scheduling {

void MeetingStoreContractTest::SetUp() {
  std::string pattern = ::testing::TempDir() + "meeting-store-XXXXXX";
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  directory_ = pattern;
  absl::StatusOr<std::unique_ptr<MeetingStore>> opened =
      GetParam().open(directory_);
  ASSERT_TRUE(opened.ok()) << opened.status();
  store_ = *std::move(opened);
}

void MeetingStoreContractTest::TearDown() {
  store_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

absl::Time Day(int day, int hour = 9) {
  return absl::FromCivil(absl::CivilSecond(2027, 6, day, hour, 0, 0),
                         absl::UTCTimeZone());
}

// A meeting `id` organised by ada, with `attendees`, on 2027-06-`day`.
v1::Meeting MeetingOn(const std::string& id, int day,
                      std::vector<std::string> attendees = {"ada"}) {
  v1::Meeting m;
  m.set_name("meetings/" + id);
  m.set_organizer("participants/ada");
  m.set_state(v1::SCHEDULED);
  m.set_purpose(v1::STRATEGY);
  m.set_format(v1::ONE_ON_ONE);
  m.set_audience(v1::INTERNAL);
  *m.mutable_start_time() = ToProtoTime(Day(day));
  *m.mutable_end_time() = ToProtoTime(Day(day, 10));
  for (const std::string& who : attendees) {
    m.add_attendees()->set_participant("participants/" + who);
  }
  return m;
}

MeetingIndex IndexFor(const v1::Meeting& m) {
  return {ToAbslTime(m.start_time()), ToAbslTime(m.end_time()),
          m.state() != v1::CANCELLED};
}

absl::Status Put(MeetingStore& store, const v1::Meeting& m) {
  return store.Write(
      [&](MeetingTransaction& tx) { return tx.PutMeeting(m, IndexFor(m)); });
}

std::vector<std::string> Names(const std::vector<v1::Meeting>& meetings) {
  std::vector<std::string> names;
  for (const v1::Meeting& m : meetings) names.push_back(m.name());
  return names;
}

std::vector<std::string> Listed(MeetingStore& store, const MeetingQuery& q) {
  std::vector<v1::Meeting> found;
  EXPECT_TRUE(store
                  .Read([&](MeetingTransaction& tx) -> absl::Status {
                    absl::StatusOr<std::vector<v1::Meeting>> listed =
                        tx.ListMeetings(q);
                    if (!listed.ok()) return listed.status();
                    found = *std::move(listed);
                    return absl::OkStatus();
                  })
                  .ok());
  return Names(found);
}

std::vector<std::string> BusyOf(MeetingStore& store, const std::string& who,
                                absl::Time from, absl::Time to) {
  std::vector<v1::Meeting> found;
  EXPECT_TRUE(store
                  .Read([&](MeetingTransaction& tx) -> absl::Status {
                    const std::string name = "participants/" + who;
                    auto busy = tx.BusyMeetingsOf({name}, from, to);
                    if (!busy.ok()) return busy.status();
                    found = (*busy)[name];
                    return absl::OkStatus();
                  })
                  .ok());
  return Names(found);
}

std::optional<v1::Meeting> Find(MeetingStore& store, const std::string& id) {
  std::optional<v1::Meeting> found;
  EXPECT_TRUE(store
                  .Read([&](MeetingTransaction& tx) -> absl::Status {
                    absl::StatusOr<std::optional<v1::Meeting>> m =
                        tx.FindMeeting(id);
                    if (!m.ok()) return m.status();
                    found = *std::move(m);
                    return absl::OkStatus();
                  })
                  .ok());
  return found;
}

absl::StatusOr<v1::MeetingChange> Append(MeetingTransaction& tx,
                                         const std::string& id) {
  v1::MeetingChange change;
  change.set_type(v1::MEETING_CREATED);
  *change.mutable_meeting() = MeetingOn(id, 1);
  return tx.AppendChange(change, Day(1));
}

std::vector<int64_t> Sequences(const std::vector<v1::MeetingChange>& changes) {
  std::vector<int64_t> out;
  for (const v1::MeetingChange& c : changes) out.push_back(c.sequence());
  return out;
}

TEST_P(MeetingStoreContractTest, AStoredMeetingIsFoundByIdAndAMissingOneIsNot) {
  ASSERT_TRUE(Put(store(), MeetingOn("m1", 7)).ok());
  std::optional<v1::Meeting> found = Find(store(), "m1");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->SerializeAsString(), MeetingOn("m1", 7).SerializeAsString());
  EXPECT_FALSE(Find(store(), "nope").has_value());
}

TEST_P(MeetingStoreContractTest, PuttingAMeetingAgainReplacesItAndItsIndex) {
  ASSERT_TRUE(Put(store(), MeetingOn("m1", 7, {"ada", "bo"})).ok());
  ASSERT_TRUE(Put(store(), MeetingOn("m1", 20, {"ada", "cy"})).ok());
  EXPECT_EQ(Find(store(), "m1")->start_time().seconds(),
            absl::ToUnixSeconds(Day(20)));
  EXPECT_THAT(BusyOf(store(), "bo", Day(1), Day(30)), IsEmpty());
  EXPECT_THAT(BusyOf(store(), "cy", Day(1), Day(30)),
              ElementsAre("meetings/m1"));
  EXPECT_THAT(BusyOf(store(), "ada", Day(6), Day(8)), IsEmpty());
}

TEST_P(MeetingStoreContractTest, AFailedWriteLeavesNothingBehind) {
  const absl::Status failed =
      store().Write([&](MeetingTransaction& tx) -> absl::Status {
        const v1::Meeting m = MeetingOn("m1", 7);
        EXPECT_TRUE(tx.PutMeeting(m, IndexFor(m)).ok());
        EXPECT_TRUE(tx.PutCreateRequest("key", {"fp", "answer"}, Day(1)).ok());
        EXPECT_TRUE(Append(tx, "m1").ok());
        v1::SchedulingPolicy policy;
        policy.mutable_rules()->set_max_attendees(3);
        EXPECT_TRUE(tx.PutPolicy(policy).ok());
        return absl::AbortedError("changed my mind");
      });
  EXPECT_EQ(failed.code(), absl::StatusCode::kAborted);
  EXPECT_FALSE(Find(store(), "m1").has_value());
  EXPECT_EQ(*store().HeadSequence(), 0);
  ASSERT_TRUE(store()
                  .Read([&](MeetingTransaction& tx) -> absl::Status {
                    EXPECT_FALSE(tx.FindCreateRequest("key")->has_value());
                    EXPECT_FALSE(tx.GetPolicy()->has_value());
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_P(MeetingStoreContractTest, ListingsFilterOnEveryField) {
  v1::Meeting cancelled = MeetingOn("cancelled", 3);
  cancelled.set_state(v1::CANCELLED);
  v1::Meeting pitch = MeetingOn("pitch", 4, {"ada", "carla"});
  pitch.set_organizer("participants/bo");
  pitch.set_purpose(v1::PROSPECT_PITCH);
  pitch.set_format(v1::VIDEO_CONFERENCE);
  pitch.set_audience(v1::CUSTOMER_FACING);
  for (const v1::Meeting& m : {MeetingOn("plain", 2), cancelled, pitch}) {
    ASSERT_TRUE(Put(store(), m).ok());
  }
  auto only = [](auto set) {
    MeetingQuery q;
    set(q);
    return q;
  };
  EXPECT_THAT(Listed(store(), only([](MeetingQuery& q) {
                       q.participant = "participants/carla";
                     })),
              ElementsAre("meetings/pitch"));
  EXPECT_THAT(Listed(store(), only([](MeetingQuery& q) {
                       q.organizer = "participants/bo";
                     })),
              ElementsAre("meetings/pitch"));
  EXPECT_THAT(
      Listed(store(), only([](MeetingQuery& q) { q.state = v1::CANCELLED; })),
      ElementsAre("meetings/cancelled"));
  EXPECT_THAT(Listed(store(), only([](MeetingQuery& q) {
                       q.purpose = v1::PROSPECT_PITCH;
                     })),
              ElementsAre("meetings/pitch"));
  EXPECT_THAT(Listed(store(), only([](MeetingQuery& q) {
                       q.format = v1::VIDEO_CONFERENCE;
                     })),
              ElementsAre("meetings/pitch"));
  EXPECT_THAT(Listed(store(), only([](MeetingQuery& q) {
                       q.audience = v1::CUSTOMER_FACING;
                     })),
              ElementsAre("meetings/pitch"));
}

TEST_P(MeetingStoreContractTest, ListingsAreOrderedByStartThenIdAndPageOn) {
  for (const v1::Meeting& m : {MeetingOn("c", 5), MeetingOn("b", 9),
                               MeetingOn("a", 5), MeetingOn("d", 1)}) {
    ASSERT_TRUE(Put(store(), m).ok());
  }
  MeetingQuery first;
  first.limit = 3;
  EXPECT_THAT(Listed(store(), first),
              ElementsAre("meetings/d", "meetings/a", "meetings/c"));
  MeetingQuery next;
  next.after = std::make_pair(Day(5), std::string("c"));
  EXPECT_THAT(Listed(store(), next), ElementsAre("meetings/b"));
}

TEST_P(MeetingStoreContractTest, OverlapFiltersUseTheIndexAndAnEndlessSeries) {
  v1::Meeting endless = MeetingOn("endless", 2);
  ASSERT_TRUE(store()
                  .Write([&](MeetingTransaction& tx) {
                    return tx.PutMeeting(endless, {Day(2), std::nullopt, true});
                  })
                  .ok());
  ASSERT_TRUE(Put(store(), MeetingOn("early", 1)).ok());
  MeetingQuery q;
  q.overlaps_from = Day(20);
  q.overlaps_to = Day(21);
  EXPECT_THAT(Listed(store(), q), ElementsAre("meetings/endless"));
  // Half-open: a meeting ending when the span starts does not overlap it.
  q.overlaps_from = Day(1, 10);
  q.overlaps_to = Day(1, 11);
  EXPECT_THAT(Listed(store(), q), IsEmpty());
}

TEST_P(MeetingStoreContractTest,
       BusyMeetingsAreTheInvitedOnesThatKeepPeopleBusy) {
  v1::Meeting cancelled = MeetingOn("cancelled", 7, {"ada"});
  cancelled.set_state(v1::CANCELLED);
  for (const v1::Meeting& m :
       {MeetingOn("mine", 7, {"ada"}), MeetingOn("theirs", 7, {"bo"}),
        cancelled, MeetingOn("later", 21, {"ada"})}) {
    ASSERT_TRUE(Put(store(), m).ok());
  }
  EXPECT_THAT(BusyOf(store(), "ada", Day(6), Day(8)),
              ElementsAre("meetings/mine"));
}

TEST_P(MeetingStoreContractTest, CreateRequestsAreKeptForRetries) {
  ASSERT_TRUE(
      store()
          .Write([&](MeetingTransaction& tx) {
            return tx.PutCreateRequest("req-1", {"fp", "answer"}, Day(1));
          })
          .ok());
  ASSERT_TRUE(store()
                  .Read([&](MeetingTransaction& tx) -> absl::Status {
                    absl::StatusOr<std::optional<StoredCreateRequest>> kept =
                        tx.FindCreateRequest("req-1");
                    EXPECT_TRUE(kept.ok() && kept->has_value());
                    EXPECT_EQ((*kept)->fingerprint, "fp");
                    EXPECT_EQ((*kept)->response, "answer");
                    EXPECT_FALSE(tx.FindCreateRequest("req-2")->has_value());
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_P(MeetingStoreContractTest, TheFeedNumbersChangesInCommitOrderAndResumes) {
  ASSERT_TRUE(store()
                  .Write([&](MeetingTransaction& tx) -> absl::Status {
                    absl::StatusOr<v1::MeetingChange> one = Append(tx, "a");
                    absl::StatusOr<v1::MeetingChange> two = Append(tx, "b");
                    EXPECT_EQ(one->sequence(), 1);
                    EXPECT_EQ(two->sequence(), 2);
                    EXPECT_TRUE(one->has_commit_time());
                    return absl::OkStatus();
                  })
                  .ok());
  // A rolled-back write leaves no gap.
  EXPECT_FALSE(store()
                   .Write([&](MeetingTransaction& tx) -> absl::Status {
                     EXPECT_TRUE(Append(tx, "lost").ok());
                     return absl::InternalError("rolled back");
                   })
                   .ok());
  ASSERT_TRUE(store()
                  .Write([&](MeetingTransaction& tx) {
                    return Append(tx, "c").status();
                  })
                  .ok());
  EXPECT_EQ(*store().HeadSequence(), 3);
  EXPECT_THAT(Sequences(*store().ReadChanges(0, 10)), ElementsAre(1, 2, 3));
  EXPECT_THAT(Sequences(*store().ReadChanges(1, 10)), ElementsAre(2, 3));
  EXPECT_THAT(Sequences(*store().ReadChanges(0, 2)), ElementsAre(1, 2));
  EXPECT_THAT(*store().ReadChanges(3, 10), IsEmpty());
  EXPECT_EQ(store().ReadChanges(1, 10)->front().meeting().name(), "meetings/b");
}

TEST_P(MeetingStoreContractTest, ConcurrentWritersGetEverySequenceOnce) {
  constexpr int kWriters = 4;
  constexpr int kEach = 25;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kEach; ++i) {
        EXPECT_TRUE(
            store()
                .Write([&](MeetingTransaction& tx) {
                  return Append(tx, absl::StrCat("w", w, "-", i)).status();
                })
                .ok());
      }
    });
  }
  for (std::thread& t : writers) t.join();
  std::vector<int64_t> seen = Sequences(*store().ReadChanges(0, 1000));
  ASSERT_EQ(seen.size(), size_t{kWriters * kEach});
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], int64_t(i + 1));
}

TEST_P(MeetingStoreContractTest, AReaderDoesNotSeeAnUncommittedWrite) {
  absl::Notification written, read;
  std::thread writer([&] {
    EXPECT_TRUE(store()
                    .Write([&](MeetingTransaction& tx) -> absl::Status {
                      const v1::Meeting m = MeetingOn("pending", 7);
                      EXPECT_TRUE(tx.PutMeeting(m, IndexFor(m)).ok());
                      written.Notify();
                      read.WaitForNotification();
                      return absl::OkStatus();
                    })
                    .ok());
  });
  written.WaitForNotification();
  EXPECT_FALSE(Find(store(), "pending").has_value());
  read.Notify();
  writer.join();
  EXPECT_TRUE(Find(store(), "pending").has_value());
}

TEST_P(MeetingStoreContractTest, ThePolicyIsTheDefaultUntilOneIsStored) {
  v1::SchedulingPolicy policy;
  policy.mutable_rules()->set_max_attendees(12);
  ASSERT_TRUE(store()
                  .Read([&](MeetingTransaction& tx) -> absl::Status {
                    EXPECT_FALSE(tx.GetPolicy()->has_value());
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_TRUE(
      store()
          .Write([&](MeetingTransaction& tx) { return tx.PutPolicy(policy); })
          .ok());
  ASSERT_TRUE(store()
                  .Read([&](MeetingTransaction& tx) -> absl::Status {
                    absl::StatusOr<std::optional<v1::SchedulingPolicy>> got =
                        tx.GetPolicy();
                    EXPECT_TRUE(got.ok() && got->has_value());
                    EXPECT_EQ((*got)->rules().max_attendees(), 12);
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_P(MeetingStoreContractTest, PingsAndKeepsOnePageTokenSecret) {
  EXPECT_TRUE(store().Ping().ok());
  absl::StatusOr<std::string> secret = store().PageTokenSecret();
  ASSERT_TRUE(secret.ok()) << secret.status();
  EXPECT_FALSE(secret->empty());
  EXPECT_EQ(*store().PageTokenSecret(), *secret);
}

}  // namespace
}  // namespace salesmeet::scheduling
