#include "common/calendar/weekly_load.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/field_checks.h"

namespace salesmeet {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

absl::TimeZone Zone(const char* name) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(name, &zone)) << name;
  return zone;
}

absl::Time Utc(int y, int m, int d, int h, int mi = 0) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, h, mi),
                         absl::UTCTimeZone());
}

absl::Time Local(absl::TimeZone zone, int y, int m, int d, int h, int mi = 0) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, h, mi), zone);
}

TimeSpan For(absl::Time start, absl::Duration length) {
  return {start, start + length};
}

// The whole horizon a test cares about, so nothing is clipped.
const TimeSpan kAllOf2026 = {Utc(2025, 12, 1, 0), Utc(2027, 2, 1, 0)};

TEST(IsoWeekOfTest, WeekYearDiffersFromCalendarYearAroundNewYear) {
  EXPECT_EQ(IsoWeekOf(absl::CivilDay(2026, 12, 31)), (IsoWeekKey{2026, 53}));
  EXPECT_EQ(IsoWeekOf(absl::CivilDay(2027, 1, 1)), (IsoWeekKey{2026, 53}));
  EXPECT_EQ(IsoWeekOf(absl::CivilDay(2027, 1, 4)), (IsoWeekKey{2027, 1}));
  EXPECT_EQ(IsoWeekOf(absl::CivilDay(2024, 12, 29)), (IsoWeekKey{2024, 52}));
  EXPECT_EQ(IsoWeekOf(absl::CivilDay(2024, 12, 30)), (IsoWeekKey{2025, 1}));
  EXPECT_EQ(IsoWeekOf(absl::CivilDay(2025, 1, 5)), (IsoWeekKey{2025, 1}));
}

TEST(WeekStartTest, IsMondayMidnightInTheZone) {
  absl::TimeZone rome = Zone("Europe/Rome");
  EXPECT_EQ(WeekStart({2025, 1}, rome), Local(rome, 2024, 12, 30, 0));
  EXPECT_EQ(WeekStart({2026, 53}, rome), Local(rome, 2026, 12, 28, 0));
}

TEST(WeeklyTotalsTest, MeetingAcrossSundayMidnightSplitsBetweenWeeks) {
  absl::TimeZone rome = Zone("Europe/Rome");
  // Sunday 2026-03-01 23:00 to Monday 00:30 in Rome; all of it is Sunday in
  // UTC, but the participant's week turns at their own midnight.
  auto totals =
      WeeklyTotals({For(Local(rome, 2026, 3, 1, 23), absl::Minutes(90))}, rome);
  EXPECT_THAT(totals,
              ElementsAre(Pair(IsoWeekKey{2026, 9}, absl::Minutes(60)),
                          Pair(IsoWeekKey{2026, 10}, absl::Minutes(30))));
}

TEST(WeeklyTotalsTest, SameMeetingLandsInTheWeekOfEachParticipantsZone) {
  struct Case {
    absl::Time start;
    const char* zone;
    IsoWeekKey week;
  };
  // 20:00 UTC on Sunday 2026-06-14 is still Sunday in Rome and Los Angeles
  // but already Monday in Tokyo; 03:00 UTC on Monday is still Sunday in Los
  // Angeles.
  const Case cases[] = {
      {Utc(2026, 6, 14, 20), "Europe/Rome", {2026, 24}},
      {Utc(2026, 6, 14, 20), "Asia/Tokyo", {2026, 25}},
      {Utc(2026, 6, 14, 20), "America/Los_Angeles", {2026, 24}},
      {Utc(2026, 6, 15, 3), "Europe/Rome", {2026, 25}},
      {Utc(2026, 6, 15, 3), "Asia/Tokyo", {2026, 25}},
      {Utc(2026, 6, 15, 3), "America/Los_Angeles", {2026, 24}},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(WeeklyTotals({For(c.start, absl::Hours(1))}, Zone(c.zone)),
                ElementsAre(Pair(c.week, absl::Hours(1))))
        << c.zone << " " << c.start;
  }
}

TEST(WeeklyTotalsTest, WeeksWithDaylightSavingChangesAre167And169Hours) {
  absl::TimeZone rome = Zone("Europe/Rome");
  // Booked solid from Monday 2026-03-16 to Monday 2026-04-06, Rome time:
  // clocks spring forward on Sunday 03-29, in week 13.
  auto spring = WeeklyTotals(
      {{Local(rome, 2026, 3, 16, 0), Local(rome, 2026, 4, 6, 0)}}, rome);
  EXPECT_THAT(spring,
              ElementsAre(Pair(IsoWeekKey{2026, 12}, absl::Hours(168)),
                          Pair(IsoWeekKey{2026, 13}, absl::Hours(167)),
                          Pair(IsoWeekKey{2026, 14}, absl::Hours(168))));
  // They fall back on Sunday 2026-10-25, in week 43.
  auto autumn = WeeklyTotals(
      {{Local(rome, 2026, 10, 19, 0), Local(rome, 2026, 10, 26, 0)}}, rome);
  EXPECT_THAT(autumn,
              ElementsAre(Pair(IsoWeekKey{2026, 43}, absl::Hours(169))));
}

TEST(WeeklyTotalsTest, WeekStartsWhenClocksSkipMondayMidnight) {
  absl::TimeZone tehran = Zone("Asia/Tehran");
  // On Monday 2021-03-22 Tehran's clocks jumped from 00:00 to 01:00, so
  // week 12 began at 01:00 local and was 167 hours long.
  const absl::Time week12 = WeekStart({2021, 12}, tehran);
  EXPECT_EQ(week12, Utc(2021, 3, 21, 20, 30));
  EXPECT_EQ(absl::FormatTime("%a %H:%M", week12, tehran), "Mon 01:00");
  auto totals = WeeklyTotals(
      {{Local(tehran, 2021, 3, 15, 0), Local(tehran, 2021, 3, 29, 0)}}, tehran);
  EXPECT_THAT(totals,
              ElementsAre(Pair(IsoWeekKey{2021, 11}, absl::Hours(168)),
                          Pair(IsoWeekKey{2021, 12}, absl::Hours(167))));
}

TEST(WeeklyTotalsTest, MeetingsAroundNewYearCountInTheIsoWeekYear) {
  absl::TimeZone rome = Zone("Europe/Rome");
  auto totals =
      WeeklyTotals({For(Local(rome, 2027, 1, 1, 10), absl::Hours(1)),
                    For(Local(rome, 2024, 12, 30, 10), absl::Hours(2))},
                   rome);
  EXPECT_THAT(totals, ElementsAre(Pair(IsoWeekKey{2025, 1}, absl::Hours(2)),
                                  Pair(IsoWeekKey{2026, 53}, absl::Hours(1))));
}

TEST(WeeklyTotalsTest, OverlappingMeetingsEachCountInFull) {
  absl::TimeZone rome = Zone("Europe/Rome");
  auto totals =
      WeeklyTotals({For(Local(rome, 2026, 3, 3, 9), absl::Hours(1)),
                    For(Local(rome, 2026, 3, 3, 9, 30), absl::Hours(1))},
                   rome);
  EXPECT_THAT(totals, ElementsAre(Pair(IsoWeekKey{2026, 10}, absl::Hours(2))));
}

TEST(CompareWeeksTest, ReportsBeforeAndAfterInTheParticipantsZone) {
  absl::TimeZone tokyo = Zone("Asia/Tokyo");
  const TimeSpan existing = For(Local(tokyo, 2026, 3, 3, 9), absl::Hours(1));
  const TimeSpan added = For(Local(tokyo, 2026, 3, 4, 9), absl::Minutes(30));
  auto loads = CompareWeeks("participants/ken", tokyo, std::nullopt, {existing},
                            {existing, added}, kAllOf2026);
  ASSERT_EQ(loads.size(), 1u);
  EXPECT_EQ(loads[0].participant(), "participants/ken");
  EXPECT_EQ(loads[0].time_zone(), "Asia/Tokyo");
  EXPECT_EQ(loads[0].week().year(), 2026);
  EXPECT_EQ(loads[0].week().week(), 10);
  EXPECT_EQ(ToAbslDuration(loads[0].before()), absl::Hours(1));
  EXPECT_EQ(ToAbslDuration(loads[0].after()), absl::Minutes(90));
  EXPECT_FALSE(loads[0].has_budget());
  EXPECT_FALSE(loads[0].over_budget());
}

TEST(CompareWeeksTest, OverBudgetOnlyWhenAfterExceedsIt) {
  absl::TimeZone rome = Zone("Europe/Rome");
  const TimeSpan w10 = For(Local(rome, 2026, 3, 3, 9), absl::Hours(2));
  const TimeSpan w11 = For(Local(rome, 2026, 3, 10, 9), absl::Hours(1));
  auto loads =
      CompareWeeks("participants/ada", rome, absl::Hours(2), {},
                   {w10, w11, For(w11.end, absl::Hours(2))}, kAllOf2026);
  ASSERT_EQ(loads.size(), 2u);
  EXPECT_EQ(loads[0].week().week(), 10);
  EXPECT_EQ(ToAbslDuration(loads[0].budget()), absl::Hours(2));
  EXPECT_FALSE(loads[0].over_budget());  // Exactly at budget.
  EXPECT_EQ(loads[1].week().week(), 11);
  EXPECT_TRUE(loads[1].over_budget());  // 3h against 2h.
}

TEST(CompareWeeksTest, WeeksWhoseTotalIsUnchangedAreOmitted) {
  absl::TimeZone rome = Zone("Europe/Rome");
  const TimeSpan monday = For(Local(rome, 2026, 3, 9, 9), absl::Hours(1));
  const TimeSpan friday = For(Local(rome, 2026, 3, 13, 9), absl::Hours(1));
  const TimeSpan next_week = For(Local(rome, 2026, 3, 17, 9), absl::Hours(1));
  // Moving Monday's meeting to Friday leaves week 11's total as it was;
  // only week 12, which gains a meeting, is reported.
  auto loads = CompareWeeks("participants/ada", rome, absl::Hours(20), {monday},
                            {friday, next_week}, kAllOf2026);
  ASSERT_EQ(loads.size(), 1u);
  EXPECT_EQ(loads[0].week().week(), 12);
  EXPECT_EQ(ToAbslDuration(loads[0].before()), absl::ZeroDuration());
}

TEST(CompareWeeksTest, MovingAMeetingToAnotherWeekReportsBothInOrder) {
  absl::TimeZone rome = Zone("Europe/Rome");
  const TimeSpan w12 = For(Local(rome, 2026, 3, 17, 9), absl::Hours(1));
  const TimeSpan w11 = For(Local(rome, 2026, 3, 10, 9), absl::Hours(1));
  auto loads = CompareWeeks("participants/ada", rome, std::nullopt, {w12},
                            {w11}, kAllOf2026);
  ASSERT_EQ(loads.size(), 2u);
  EXPECT_EQ(loads[0].week().week(), 11);
  EXPECT_EQ(ToAbslDuration(loads[0].after()), absl::Hours(1));
  EXPECT_EQ(loads[1].week().week(), 12);
  EXPECT_EQ(ToAbslDuration(loads[1].after()), absl::ZeroDuration());
}

TEST(CompareWeeksTest, OnlyTimeInsideTheWindowCounts) {
  absl::TimeZone rome = Zone("Europe/Rome");
  const absl::Time now = Local(rome, 2026, 3, 11, 12);  // Wednesday, W11.
  const TimeSpan window = {now, now + absl::Hours(24 * 365)};
  const TimeSpan past = For(Local(rome, 2026, 3, 9, 9), absl::Hours(1));
  const TimeSpan across_now = For(now - absl::Hours(1), absl::Hours(2));
  // The meeting already over and the hour before now are outside the
  // window; only the hour after now is counted.
  auto loads = CompareWeeks("participants/ada", rome, std::nullopt, {},
                            {past, across_now}, window);
  ASSERT_EQ(loads.size(), 1u);
  EXPECT_EQ(ToAbslDuration(loads[0].after()), absl::Hours(1));
  // A change wholly outside the window is no change at all.
  EXPECT_TRUE(
      CompareWeeks("participants/ada", rome, std::nullopt, {}, {past}, window)
          .empty());
}

}  // namespace
}  // namespace salesmeet
