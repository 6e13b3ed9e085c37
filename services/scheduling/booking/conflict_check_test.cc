// Double-booking detection: the overlap rules at the edges of intervals,
// which conflicts block and how they are listed, and which of the other
// meetings in the store keep someone busy.

#include "services/scheduling/booking/conflict_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "common/field_checks.h"
#include "services/scheduling/scheduling_test_fixture.h"

namespace salesmeet::scheduling {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

absl::Time At(int day, int hour, int minute = 0) {
  return Rome(3, day, hour, minute);
}

OccurrenceTime Span(absl::Time start, absl::Time end) {
  return {start, {start, end}};
}

// The meeting being written: ada required, dev optional.
v1::Meeting Written() {
  v1::Meeting m;
  m.set_name("meetings/new");
  v1::Attendee* ada = m.add_attendees();
  ada->set_participant("participants/ada");
  v1::Attendee* dev = m.add_attendees();
  dev->set_participant("participants/dev");
  dev->set_optional(true);
  return m;
}

// Each person busy in one other meeting from `start` to `end`.
std::map<std::string, std::vector<BusyOccurrence>> BusyFrom(
    absl::Time start, absl::Time end,
    const std::vector<std::string>& who = {"ada"}) {
  std::map<std::string, std::vector<BusyOccurrence>> busy;
  for (const std::string& id : who) {
    busy["participants/" + id].push_back(
        {"meetings/other", "Pipeline review", Span(start, end)});
  }
  return busy;
}

ConflictReport Check(
    absl::Time start, absl::Time end,
    const std::map<std::string, std::vector<BusyOccurrence>>& busy) {
  return FindConflicts(Written(), {Span(start, end)}, busy);
}

TEST(FindConflictsTest, MeetingsThatTouchDoNotConflict) {
  auto busy = BusyFrom(At(10, 10), At(10, 11));
  EXPECT_EQ(Check(At(10, 11), At(10, 12), busy).total, 0);
  EXPECT_EQ(Check(At(10, 9), At(10, 10), busy).total, 0);
}

TEST(FindConflictsTest, AMinuteOfOverlapConflicts) {
  auto busy = BusyFrom(At(10, 10), At(10, 11));
  ConflictReport report = Check(At(10, 10, 59), At(10, 12), busy);
  ASSERT_EQ(report.total, 1);
  EXPECT_EQ(ToAbslTime(report.listed[0].overlap().start_time()),
            At(10, 10, 59));
  EXPECT_EQ(ToAbslTime(report.listed[0].overlap().end_time()), At(10, 11));
}

TEST(FindConflictsTest, AMeetingInsideAnotherOverlapsForItsWholeLength) {
  auto busy = BusyFrom(At(10, 9), At(10, 12));
  ConflictReport report = Check(At(10, 10), At(10, 10, 30), busy);
  ASSERT_EQ(report.total, 1);
  EXPECT_EQ(ToAbslTime(report.listed[0].overlap().start_time()), At(10, 10));
  EXPECT_EQ(ToAbslTime(report.listed[0].overlap().end_time()), At(10, 10, 30));
}

TEST(FindConflictsTest, AMeetingAroundAnotherOverlapsForTheOthersLength) {
  auto busy = BusyFrom(At(10, 10), At(10, 10, 30));
  ConflictReport report = Check(At(10, 9), At(10, 12), busy);
  ASSERT_EQ(report.total, 1);
  EXPECT_EQ(ToAbslTime(report.listed[0].overlap().start_time()), At(10, 10));
  EXPECT_EQ(ToAbslTime(report.listed[0].overlap().end_time()), At(10, 10, 30));
}

TEST(FindConflictsTest, IdenticalSpansConflict) {
  auto busy = BusyFrom(At(10, 10), At(10, 11));
  ConflictReport report = Check(At(10, 10), At(10, 11), busy);
  ASSERT_EQ(report.total, 1);
  const v1::Conflict& c = report.listed[0];
  EXPECT_EQ(c.attendee(), "participants/ada");
  EXPECT_EQ(c.other_meeting(), "meetings/other");
  EXPECT_EQ(c.other_meeting_title(), "Pipeline review");
  EXPECT_EQ(ToAbslTime(c.occurrence_start_time()), At(10, 10));
  EXPECT_EQ(ToAbslTime(c.other_occurrence_start_time()), At(10, 10));
}

TEST(FindConflictsTest, AnOptionalAttendeesConflictDoesNotBlock) {
  auto busy = BusyFrom(At(10, 10), At(10, 11), {"dev"});
  ConflictReport report = Check(At(10, 10), At(10, 11), busy);
  EXPECT_EQ(report.total, 1);
  EXPECT_EQ(report.blocking, 0);
  EXPECT_TRUE(report.listed[0].optional());
}

TEST(FindConflictsTest, BlockingConflictsAreListedFirst) {
  auto busy = BusyFrom(At(10, 10), At(10, 11), {"dev"});
  busy["participants/ada"].push_back(
      {"meetings/late", "Late", Span(At(10, 10, 30), At(10, 11))});
  ConflictReport report = Check(At(10, 10), At(10, 11), busy);
  ASSERT_EQ(report.listed.size(), 2u);
  EXPECT_EQ(report.listed[0].attendee(), "participants/ada");
  EXPECT_EQ(report.listed[1].attendee(), "participants/dev");
  EXPECT_EQ(report.blocking, 1);
}

TEST(FindConflictsTest, PeopleWhoAreNotAttendeesAreIgnored) {
  auto busy = BusyFrom(At(10, 10), At(10, 11), {"bob"});
  EXPECT_EQ(Check(At(10, 10), At(10, 11), busy).total, 0);
}

TEST(FindConflictsTest, EachOwnOccurrenceIsCheckedAgainstEachBusyOne) {
  std::map<std::string, std::vector<BusyOccurrence>> busy;
  for (int day : {10, 11, 12}) {
    busy["participants/ada"].push_back(
        {"meetings/daily", "Daily", Span(At(day, 9), At(day, 9, 15))});
  }
  ConflictReport report = FindConflicts(
      Written(),
      {Span(At(10, 9), At(10, 10)), Span(At(11, 9, 15), At(11, 10)),
       Span(At(12, 8, 45), At(12, 9, 5))},
      busy);
  ASSERT_EQ(report.total, 2);  // Not the 11th: it starts as the other ends.
  EXPECT_EQ(ToAbslTime(report.listed[0].occurrence_start_time()), At(10, 9));
  EXPECT_EQ(ToAbslTime(report.listed[1].occurrence_start_time()),
            At(12, 8, 45));
}

TEST(FindConflictsTest, ListsTwentyAndCountsTheRest) {
  std::map<std::string, std::vector<BusyOccurrence>> busy;
  std::vector<OccurrenceTime> mine;
  for (int day = 1; day <= 25; ++day) {
    busy["participants/ada"].push_back(
        {"meetings/daily", "Daily", Span(At(day, 9), At(day, 10))});
    mine.push_back(Span(At(day, 9, 30), At(day, 10, 30)));
  }
  ConflictReport report = FindConflicts(Written(), mine, busy);
  EXPECT_EQ(report.total, 25);
  EXPECT_EQ(report.blocking, 25);
  ASSERT_EQ(report.listed.size(), 20u);
  EXPECT_EQ(ToAbslTime(report.listed[19].occurrence_start_time()),
            At(20, 9, 30));
}

// LoadBusyOccurrences against meetings booked in a real store.
class BusyOccurrencesTest : public SchedulingTest {
 protected:
  std::vector<std::pair<std::string, absl::Time>> BusyOf(
      const std::string& id, TimeSpan window, const std::string& self = "") {
    std::vector<std::pair<std::string, absl::Time>> out;
    absl::Status status = store_->Read([&](MeetingTransaction& tx) {
      absl::StatusOr<std::map<std::string, std::vector<BusyOccurrence>>> busy =
          LoadBusyOccurrences(tx, {"participants/" + id}, self, window);
      if (!busy.ok()) return busy.status();
      for (const BusyOccurrence& b : (*busy)["participants/" + id]) {
        out.emplace_back(IdFromName(b.meeting), b.time.span.start);
      }
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return out;
  }

  const TimeSpan march_ = {Rome(3, 1, 0), Rome(4, 1, 0)};
};

TEST_F(BusyOccurrencesTest, ListsEveryMeetingOfThePersonInStartOrder) {
  MustCreate(Meeting(Rome(3, 12, 10)), "later");
  MustCreate(Recurring(Meeting(Rome(3, 10, 14), absl::Hours(1), {"ada"}),
                       "FREQ=WEEKLY;COUNT=2"),
             "series");
  EXPECT_THAT(BusyOf("ada", march_),
              ElementsAre(Pair("series", Rome(3, 10, 14)),
                          Pair("later", Rome(3, 12, 10)),
                          Pair("series", Rome(3, 17, 14))));
  EXPECT_THAT(BusyOf("bob", march_),
              ElementsAre(Pair("later", Rome(3, 12, 10))));
}

TEST_F(BusyOccurrencesTest, LeavesOutTheMeetingBeingWritten) {
  MustCreate(Meeting(Rome(3, 12, 10)), "self");
  EXPECT_THAT(BusyOf("ada", march_, "meetings/self"), IsEmpty());
}

TEST_F(BusyOccurrencesTest, LeavesOutCancelledMeetingsAndOccurrences) {
  v1::Meeting single = MustCreate(Meeting(Rome(3, 12, 10)), "single");
  v1::Meeting series = MustCreate(
      Recurring(Meeting(Rome(3, 10, 14)), "FREQ=WEEKLY;COUNT=2"), "series");
  v1::CancelMeetingRequest cancel;
  cancel.set_name(single.name());
  ASSERT_TRUE(lifecycle_->Cancel(cancel).ok());
  v1::CancelOccurrenceRequest cancel_one;
  cancel_one.set_name(series.name());
  *cancel_one.mutable_original_start_time() = ToProtoTime(Rome(3, 10, 14));
  ASSERT_TRUE(lifecycle_->CancelOccurrence(cancel_one).ok());
  EXPECT_THAT(BusyOf("ada", march_),
              ElementsAre(Pair("series", Rome(3, 17, 14))));
}

TEST_F(BusyOccurrencesTest, FollowsAnOccurrenceMovedOutOfOrIntoTheWindow) {
  v1::Meeting series = MustCreate(
      Recurring(Meeting(Rome(3, 10, 14)), "FREQ=WEEKLY;COUNT=3"), "series");
  v1::MoveOccurrenceRequest move;
  move.set_name(series.name());
  *move.mutable_original_start_time() = ToProtoTime(Rome(3, 24, 14));
  *move.mutable_start_time() = ToProtoTime(Rome(3, 11, 9));
  *move.mutable_end_time() = ToProtoTime(Rome(3, 11, 10));
  ASSERT_TRUE(booker_->MoveOccurrence(move, CallScope()).ok());
  EXPECT_THAT(BusyOf("ada", {Rome(3, 10, 0), Rome(3, 12, 0)}),
              ElementsAre(Pair("series", Rome(3, 10, 14)),
                          Pair("series", Rome(3, 11, 9))));
  EXPECT_THAT(BusyOf("ada", {Rome(3, 24, 0), Rome(3, 25, 0)}), IsEmpty());
}

}  // namespace
}  // namespace salesmeet::scheduling
