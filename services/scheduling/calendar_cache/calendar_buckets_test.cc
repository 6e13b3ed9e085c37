#include "services/scheduling/calendar_cache/calendar_buckets.h"

#include <gtest/gtest.h>

namespace salesmeet::scheduling {
namespace {

absl::Time Utc(int year, int month, int day, int hour = 0, int minute = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0),
                         absl::UTCTimeZone());
}

CalendarOccurrence At(const std::string& meeting, absl::Time start,
                      absl::Duration length = absl::Hours(1)) {
  CalendarOccurrence o;
  o.meeting = meeting;
  o.title = "Demo";
  o.purpose = v1::PRODUCT_UPDATE;
  o.time.original_start = start;
  o.time.span = {start, start + length};
  o.optional = true;
  o.response = v1::ACCEPTED;
  return o;
}

std::vector<std::string> Names(const std::vector<CalendarOccurrence>& list) {
  std::vector<std::string> names;
  for (const CalendarOccurrence& o : list) names.push_back(o.meeting);
  return names;
}

TEST(WeekStartTest, IsMondayMidnightUtc) {
  // Wednesday 4 March 2026 → Monday 2 March.
  EXPECT_EQ(BucketWeekStart(Utc(2026, 3, 4, 15)), Utc(2026, 3, 2));
  EXPECT_EQ(BucketWeekStart(Utc(2026, 3, 2)), Utc(2026, 3, 2));
  // Sunday 23:59 still belongs to the week before.
  EXPECT_EQ(BucketWeekStart(Utc(2026, 3, 8, 23, 59)), Utc(2026, 3, 2));
}

TEST(WeekStartTest, FloorsBeforeTheEpoch) {
  EXPECT_EQ(BucketWeekStart(Utc(1969, 12, 31)), Utc(1969, 12, 29));
}

TEST(WeeksOverlappingTest, CoversTheWindowWithoutAnExtraWeekAtItsEnd) {
  std::vector<absl::Time> weeks =
      WeeksOverlapping({Utc(2026, 3, 4), Utc(2026, 3, 16)});
  EXPECT_EQ(weeks, (std::vector<absl::Time>{Utc(2026, 3, 2), Utc(2026, 3, 9)}));
}

TEST(BucketKeyTest, CarriesGenerationVersionAndWeek) {
  EXPECT_EQ(BucketKey(3, "participants/ada", 7, Utc(2026, 3, 2)),
            "salesmeet:cal:3:participants/ada:7:1772409600");
  EXPECT_EQ(VersionKey("participants/ada"), "salesmeet:cal:v:participants/ada");
}

TEST(BucketCodecTest, RoundTripsEveryField) {
  CalendarOccurrence o = At("meetings/m1", Utc(2026, 3, 4, 9));
  o.organizer = "participants/ada";
  o.format = v1::IN_PERSON;
  o.state = v1::SCHEDULED;
  o.recurring = true;
  o.moved = true;
  o.time.original_start = Utc(2026, 3, 3, 9);
  absl::StatusOr<std::vector<CalendarOccurrence>> back =
      DecodeBucket(EncodeBucket({o}));
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->size(), 1u);
  const CalendarOccurrence& b = (*back)[0];
  EXPECT_EQ(b.meeting, o.meeting);
  EXPECT_EQ(b.organizer, o.organizer);
  EXPECT_EQ(b.format, o.format);
  EXPECT_EQ(b.time.original_start, o.time.original_start);
  EXPECT_EQ(b.time.span, o.time.span);
  EXPECT_TRUE(b.recurring && b.moved && b.optional);
  EXPECT_EQ(b.response, v1::ACCEPTED);
}

TEST(BucketCodecTest, AnEmptyBucketIsAnEmptyCalendarNotAMiss) {
  absl::StatusOr<std::vector<CalendarOccurrence>> back =
      DecodeBucket(EncodeBucket({}));
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->empty());
}

TEST(AssembleTest, KeepsAnOccurrenceCrossingWeeksOnce) {
  // Sunday 23:00 to Monday 01:00 sits in both weeks' buckets.
  CalendarOccurrence night =
      At("meetings/night", Utc(2026, 3, 8, 23), absl::Hours(2));
  std::vector<CalendarOccurrence> first = {night};
  std::vector<CalendarOccurrence> second = {
      night, At("meetings/later", Utc(2026, 3, 10, 9))};
  EXPECT_EQ(
      Names(Assemble({&first, &second}, {Utc(2026, 3, 2), Utc(2026, 3, 16)})),
      (std::vector<std::string>{"meetings/night", "meetings/later"}));
}

TEST(AssembleTest, ClipsToTheWindowAndOrdersByStartThenMeeting) {
  std::vector<CalendarOccurrence> week = {
      At("meetings/b", Utc(2026, 3, 4, 9)),
      At("meetings/a", Utc(2026, 3, 4, 9)),
      At("meetings/early", Utc(2026, 3, 2, 9)),
      At("meetings/late", Utc(2026, 3, 6, 9))};
  EXPECT_EQ(Names(Assemble({&week}, {Utc(2026, 3, 3), Utc(2026, 3, 5)})),
            (std::vector<std::string>{"meetings/a", "meetings/b"}));
}

TEST(AssembleTest, KeepsOccurrencesThatOnlyPartlyOverlapTheWindow) {
  std::vector<CalendarOccurrence> week = {
      At("meetings/edge", Utc(2026, 3, 4, 8, 30)),
      At("meetings/touching", Utc(2026, 3, 4, 8))};
  EXPECT_EQ(Names(Assemble({&week}, {Utc(2026, 3, 4, 9), Utc(2026, 3, 5)})),
            (std::vector<std::string>{"meetings/edge"}));
}

}  // namespace
}  // namespace salesmeet::scheduling
