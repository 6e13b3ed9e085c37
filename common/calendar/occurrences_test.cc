// A meeting's concrete occurrences in a window, at the window's edges, with
// moves and cancellations applied, and what the store indexes it by.

#include "common/calendar/occurrences.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "common/calendar/calendar_test_support.h"
#include "common/field_checks.h"

namespace salesmeet {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// A meeting as the store holds it: Tuesdays 10:00-11:00 in Rome from
// 10 March 2026, weekly when `rrule` is set.
scheduling::v1::Meeting Stored(const std::string& rrule = "") {
  scheduling::v1::Meeting m;
  m.set_name("meetings/m");
  m.set_state(scheduling::v1::SCHEDULED);
  m.set_time_zone("Europe/Rome");
  *m.mutable_start_time() = ToProtoTime(Rome(3, 10, 10));
  *m.mutable_end_time() = ToProtoTime(Rome(3, 10, 11));
  m.mutable_recurrence()->set_rrule(rrule);
  return m;
}

scheduling::v1::OccurrenceException* Moved(scheduling::v1::Meeting& m,
                                           absl::Time original,
                                           absl::Time start,
                                           absl::Duration length) {
  scheduling::v1::OccurrenceException* e = m.add_occurrence_exceptions();
  *e->mutable_original_start_time() = ToProtoTime(original);
  *e->mutable_start_time() = ToProtoTime(start);
  *e->mutable_end_time() = ToProtoTime(start + length);
  return e;
}

void Cancelled(scheduling::v1::Meeting& m, absl::Time original) {
  scheduling::v1::OccurrenceException* e = m.add_occurrence_exceptions();
  *e->mutable_original_start_time() = ToProtoTime(original);
  e->set_cancelled(true);
}

Recurrence SeriesOrDie(const scheduling::v1::Meeting& m) {
  absl::StatusOr<Recurrence> series = StoredSeriesOf(m);
  EXPECT_TRUE(series.ok()) << series.status();
  return *std::move(series);
}

// The actual starts of the occurrences in [from, to).
std::vector<absl::Time> Starts(const scheduling::v1::Meeting& m,
                               absl::Time from, absl::Time to,
                               bool include_cancelled = false) {
  std::vector<absl::Time> starts;
  for (const MeetingOccurrence& o :
       ExpandOccurrences(m, SeriesOrDie(m), {from, to}, include_cancelled)) {
    starts.push_back(o.time.span.start);
  }
  return starts;
}

TEST(OccurrencesTest, AWindowEndingAtTheStartHoldsNothing) {
  EXPECT_THAT(Starts(Stored(), Rome(3, 10, 9), Rome(3, 10, 10)), IsEmpty());
}

TEST(OccurrencesTest, AWindowStartingAtTheEndHoldsNothing) {
  EXPECT_THAT(Starts(Stored(), Rome(3, 10, 11), Rome(3, 10, 12)), IsEmpty());
}

TEST(OccurrencesTest, AWindowInsideTheMeetingHoldsIt) {
  EXPECT_THAT(Starts(Stored(), Rome(3, 10, 10, 20), Rome(3, 10, 10, 40)),
              ElementsAre(Rome(3, 10, 10)));
}

TEST(OccurrencesTest, AMinuteOfOverlapAtEitherEdgeCounts) {
  EXPECT_THAT(Starts(Stored(), Rome(3, 10, 10, 59), Rome(3, 10, 12)),
              ElementsAre(Rome(3, 10, 10)));
  EXPECT_THAT(Starts(Stored(), Rome(3, 10, 9), Rome(3, 10, 10, 1)),
              ElementsAre(Rome(3, 10, 10)));
}

TEST(OccurrencesTest, ASeriesYieldsOnlyTheOccurrencesInTheWindow) {
  EXPECT_THAT(
      Starts(Stored("FREQ=WEEKLY"), Rome(3, 17, 10, 30), Rome(4, 7, 10)),
      ElementsAre(Rome(3, 17, 10), Rome(3, 24, 10), Rome(3, 31, 10)));
}

TEST(OccurrencesTest, AnOccurrenceMovedOutOfTheWindowLeavesIt) {
  scheduling::v1::Meeting m = Stored("FREQ=WEEKLY");
  Moved(m, Rome(3, 17, 10), Rome(3, 19, 10), absl::Hours(1));
  EXPECT_THAT(Starts(m, Rome(3, 16, 0), Rome(3, 18, 0)), IsEmpty());
}

TEST(OccurrencesTest, AnOccurrenceMovedIntoTheWindowJoinsIt) {
  scheduling::v1::Meeting m = Stored("FREQ=WEEKLY");
  Moved(m, Rome(4, 14, 10), Rome(3, 19, 15), absl::Minutes(30));
  std::vector<MeetingOccurrence> in = ExpandOccurrences(
      m, SeriesOrDie(m), {Rome(3, 18, 0), Rome(3, 20, 0)}, false);
  ASSERT_EQ(in.size(), 1u);
  EXPECT_TRUE(in[0].moved);
  EXPECT_TRUE(in[0].exception);
  EXPECT_EQ(in[0].time.original_start, Rome(4, 14, 10));
  EXPECT_EQ(in[0].time.span, (TimeSpan{Rome(3, 19, 15), Rome(3, 19, 15, 30)}));
}

TEST(OccurrencesTest, AMovedOccurrenceIsOrderedByWhereItIsNow) {
  scheduling::v1::Meeting m = Stored("FREQ=WEEKLY");
  Moved(m, Rome(3, 24, 10), Rome(3, 16, 10), absl::Hours(1));
  EXPECT_THAT(Starts(m, Rome(3, 10, 0), Rome(3, 24, 0)),
              ElementsAre(Rome(3, 10, 10), Rome(3, 16, 10), Rome(3, 17, 10)));
}

TEST(OccurrencesTest, ACancelledOccurrenceIsLeftOutUnlessAskedFor) {
  scheduling::v1::Meeting m = Stored("FREQ=WEEKLY");
  Cancelled(m, Rome(3, 17, 10));
  EXPECT_THAT(Starts(m, Rome(3, 10, 0), Rome(3, 18, 0)),
              ElementsAre(Rome(3, 10, 10)));
  std::vector<MeetingOccurrence> all = ExpandOccurrences(
      m, SeriesOrDie(m), {Rome(3, 10, 0), Rome(3, 18, 0)}, true);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_TRUE(all[1].cancelled);
  EXPECT_EQ(all[1].time.span.start, Rome(3, 17, 10));
}

TEST(OccurrencesTest, ActiveOccurrencesSkipCancelledOnes) {
  scheduling::v1::Meeting m = Stored("FREQ=WEEKLY;COUNT=3");
  Cancelled(m, Rome(3, 17, 10));
  std::vector<OccurrenceTime> active =
      ActiveOccurrences(m, SeriesOrDie(m), {Rome(3, 1, 0), Rome(5, 1, 0)});
  ASSERT_EQ(active.size(), 2u);
  EXPECT_EQ(active[1].original_start, Rome(3, 24, 10));
}

TEST(OccurrencesTest, AnExcludedDateIsNeverAnOccurrence) {
  scheduling::v1::Meeting m = Stored("FREQ=WEEKLY");
  *m.mutable_recurrence()->add_exdates() = ToProtoTime(Rome(3, 17, 10));
  EXPECT_THAT(Starts(m, Rome(3, 10, 0), Rome(3, 18, 0), true),
              ElementsAre(Rome(3, 10, 10)));
}

TEST(OccurrencesTest, FindsTheExceptionOfAnOccurrence) {
  scheduling::v1::Meeting m = Stored("FREQ=WEEKLY");
  Cancelled(m, Rome(3, 17, 10));
  EXPECT_NE(FindException(m, Rome(3, 17, 10)), nullptr);
  EXPECT_EQ(FindException(m, Rome(3, 24, 10)), nullptr);
}

TEST(OccurrencesTest, ASingleMeetingIsIndexedByItsOwnSpan) {
  scheduling::v1::Meeting m = Stored();
  MeetingIndex index = IndexOf(m, SeriesOrDie(m));
  EXPECT_EQ(index.first_start, Rome(3, 10, 10));
  ASSERT_TRUE(index.last_end.has_value());
  EXPECT_EQ(*index.last_end, Rome(3, 10, 11));
  EXPECT_TRUE(index.busy);
}

TEST(OccurrencesTest, ABoundedSeriesIsIndexedToItsLastOccurrence) {
  scheduling::v1::Meeting m = Stored("FREQ=WEEKLY;COUNT=3");
  absl::StatusOr<Recurrence> series = SeriesOf(m, Rome(3, 1, 0));
  ASSERT_TRUE(series.ok()) << series.status();
  MeetingIndex index = IndexOf(m, *series);
  ASSERT_TRUE(index.last_end.has_value());
  EXPECT_EQ(*index.last_end, Rome(3, 24, 11));
}

TEST(OccurrencesTest, AnEndlessSeriesHasNoIndexedEnd) {
  scheduling::v1::Meeting m = Stored("FREQ=WEEKLY");
  absl::StatusOr<Recurrence> series = SeriesOf(m, Rome(3, 1, 0));
  ASSERT_TRUE(series.ok()) << series.status();
  EXPECT_FALSE(IndexOf(m, *series).last_end.has_value());
}

TEST(OccurrencesTest, MovedOccurrencesWidenTheIndexedSpan) {
  scheduling::v1::Meeting m = Stored("FREQ=WEEKLY;COUNT=3");
  Moved(m, Rome(3, 10, 10), Rome(3, 9, 8), absl::Hours(1));
  Moved(m, Rome(3, 24, 10), Rome(3, 27, 16), absl::Hours(2));
  absl::StatusOr<Recurrence> series = SeriesOf(m, Rome(3, 1, 0));
  ASSERT_TRUE(series.ok()) << series.status();
  MeetingIndex index = IndexOf(m, *series);
  EXPECT_EQ(index.first_start, Rome(3, 9, 8));
  EXPECT_EQ(*index.last_end, Rome(3, 27, 18));
}

TEST(OccurrencesTest, ACancelledMeetingKeepsNobodyBusy) {
  scheduling::v1::Meeting m = Stored();
  m.set_state(scheduling::v1::CANCELLED);
  EXPECT_FALSE(IndexOf(m, SeriesOrDie(m)).busy);
  m.set_state(scheduling::v1::COMPLETED);
  EXPECT_TRUE(IndexOf(m, SeriesOrDie(m)).busy);
}

TEST(OccurrencesTest, AnUnknownTimeZoneNamesTheField) {
  scheduling::v1::Meeting m = Stored();
  m.set_time_zone("Mars/Olympus");
  absl::Status status = SeriesOf(m, Rome(3, 1, 0)).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(GetBadRequest(status, &bad));
  EXPECT_EQ(bad.field_violations(0).field(), "meeting.time_zone");
}

TEST(OccurrencesTest, AStartTheRuleDoesNotProduceNamesTheRule) {
  scheduling::v1::Meeting m =
      Stored("FREQ=WEEKLY;BYDAY=MO");  // 10 March is a Tuesday.
  absl::Status status = SeriesOf(m, Rome(3, 1, 0)).status();
  google::rpc::BadRequest bad;
  ASSERT_TRUE(GetBadRequest(status, &bad));
  EXPECT_EQ(bad.field_violations(0).field(), "meeting.recurrence.rrule");
}

}  // namespace
}  // namespace salesmeet
