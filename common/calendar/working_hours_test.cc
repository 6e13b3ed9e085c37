#include "common/calendar/working_hours.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "common/calendar/recurrence.h"
#include "common/field_checks.h"

namespace salesmeet {

// Failure messages show spans as UTC times rather than bytes.
void PrintTo(const TimeSpan& span, std::ostream* os) {
  *os << "["
      << absl::FormatTime("%Y-%m-%d %H:%M", span.start, absl::UTCTimeZone())
      << ", "
      << absl::FormatTime("%Y-%m-%d %H:%M", span.end, absl::UTCTimeZone())
      << ") UTC";
}

namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

absl::Time Utc(int y, int m, int d, int h, int mi = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, h, mi, 0),
                         absl::UTCTimeZone());
}

TimeSpan UtcSpan(int y, int m, int d, int h1, int mi1, int h2, int mi2) {
  return {Utc(y, m, d, h1, mi1), Utc(y, m, d, h2, mi2)};
}

absl::Time Local(const char* zone_name, int y, int m, int d, int h,
                 int mi = 0) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(zone_name, &zone));
  return ToAbsolute(absl::CivilSecond(y, m, d, h, mi, 0), zone);
}

google::type::TimeOfDay Clock(int h, int m) {
  google::type::TimeOfDay t;
  t.set_hours(h);
  t.set_minutes(m);
  return t;
}

// Builds a participant the way the participant service stores one.
class Person {
 public:
  explicit Person(const std::string& zone) { p_.set_time_zone(zone); }

  Person& Works(google::type::DayOfWeek day, int h1, int m1, int h2, int m2) {
    auto* period = p_.add_working_hours();
    period->set_day(day);
    *period->mutable_start_time() = Clock(h1, m1);
    *period->mutable_end_time() = Clock(h2, m2);
    return *this;
  }
  Person& Weekdays(int h1, int h2) {
    for (auto day :
         {google::type::MONDAY, google::type::TUESDAY, google::type::WEDNESDAY,
          google::type::THURSDAY, google::type::FRIDAY}) {
      Works(day, h1, 0, h2, 0);
    }
    return *this;
  }
  Person& Off(absl::Time start, absl::Time end) {
    auto* entry = p_.add_time_off();
    *entry->mutable_interval()->mutable_start_time() = ToProtoTime(start);
    *entry->mutable_interval()->mutable_end_time() = ToProtoTime(end);
    entry->set_reason("Annual leave");
    return *this;
  }
  Availability Build() const {
    absl::StatusOr<Availability> a = Availability::ForParticipant(p_);
    EXPECT_TRUE(a.ok()) << a.status();
    return *std::move(a);
  }

 private:
  participant::v1::Participant p_;
};

// The whole local day of `day` in UTC terms, generous enough for any zone.
TimeSpan AroundDay(int y, int m, int d) {
  return {Utc(y, m, d, 0) - absl::Hours(14), Utc(y, m, d, 0) + absl::Hours(38)};
}

TEST(AvailabilityTest, RomeMondayNineToFiveIsEightToFourUtcInWinter) {
  Availability rome =
      Person("Europe/Rome").Works(google::type::MONDAY, 9, 0, 17, 0).Build();
  EXPECT_THAT(rome.WorkingSpans(AroundDay(2026, 1, 12)),
              ElementsAre(UtcSpan(2026, 1, 12, 8, 0, 16, 0)));
}

TEST(AvailabilityTest, RomeMondayNineToFiveIsSevenToThreeUtcInSummer) {
  Availability rome =
      Person("Europe/Rome").Works(google::type::MONDAY, 9, 0, 17, 0).Build();
  EXPECT_THAT(rome.WorkingSpans(AroundDay(2026, 7, 13)),
              ElementsAre(UtcSpan(2026, 7, 13, 7, 0, 15, 0)));
}

TEST(AvailabilityTest, MondayAfterSpringForwardSundayStartsAnHourEarlierInUtc) {
  Availability rome =
      Person("Europe/Rome").Works(google::type::MONDAY, 9, 0, 17, 0).Build();
  // Clocks go forward on Sunday 2026-03-29; the Mondays either side differ.
  const TimeSpan fortnight{Utc(2026, 3, 22, 0), Utc(2026, 4, 1, 0)};
  EXPECT_THAT(rome.WorkingSpans(fortnight),
              ElementsAre(UtcSpan(2026, 3, 23, 8, 0, 16, 0),
                          UtcSpan(2026, 3, 30, 7, 0, 15, 0)));
}

TEST(AvailabilityTest, SpringForwardSundayNightBlockLosesTheMissingHour) {
  // 01:00-04:00 local on the night clocks jump from 02:00 to 03:00: two real
  // hours, 00:00-02:00 UTC.
  Availability rome =
      Person("Europe/Rome").Works(google::type::SUNDAY, 1, 0, 4, 0).Build();
  EXPECT_THAT(rome.WorkingSpans(AroundDay(2026, 3, 29)),
              ElementsAre(UtcSpan(2026, 3, 29, 0, 0, 2, 0)));
}

TEST(AvailabilityTest, FallBackSundayNightBlockGainsTheRepeatedHour) {
  // 01:00-04:00 local on the night 02:00-03:00 happens twice: four hours,
  // from 01:00 CEST (23:00 UTC Saturday) to 04:00 CET (03:00 UTC).
  Availability rome =
      Person("Europe/Rome").Works(google::type::SUNDAY, 1, 0, 4, 0).Build();
  EXPECT_THAT(
      rome.WorkingSpans(AroundDay(2026, 10, 25)),
      ElementsAre(TimeSpan{Utc(2026, 10, 24, 23), Utc(2026, 10, 25, 3)}));
}

TEST(AvailabilityTest, BlockEndingAtTwentyFourEndsAtNextLocalMidnight) {
  Availability rome =
      Person("Europe/Rome").Works(google::type::FRIDAY, 18, 0, 24, 0).Build();
  EXPECT_THAT(rome.WorkingSpans(AroundDay(2026, 1, 16)),
              ElementsAre(TimeSpan{Local("Europe/Rome", 2026, 1, 16, 18),
                                   Local("Europe/Rome", 2026, 1, 17, 0)}));
  EXPECT_TRUE(
      rome.IsWithinWorkingHours({Local("Europe/Rome", 2026, 1, 16, 23),
                                 Local("Europe/Rome", 2026, 1, 17, 0)}));
}

TEST(AvailabilityTest, AdjacentBlocksOnOneDayMergeIntoOneSpan) {
  Availability rome = Person("Europe/Rome")
                          .Works(google::type::MONDAY, 9, 0, 12, 0)
                          .Works(google::type::MONDAY, 12, 0, 17, 0)
                          .Build();
  EXPECT_THAT(rome.WorkingSpans(AroundDay(2026, 1, 12)),
              ElementsAre(UtcSpan(2026, 1, 12, 8, 0, 16, 0)));
  // A meeting across the seam between the two blocks fits.
  EXPECT_TRUE(rome.IsWithinWorkingHours(UtcSpan(2026, 1, 12, 10, 30, 11, 30)));
}

TEST(AvailabilityTest, OvernightShiftAcrossMidnightMergesIntoOneSpan) {
  Availability rome = Person("Europe/Rome")
                          .Works(google::type::MONDAY, 20, 0, 24, 0)
                          .Works(google::type::TUESDAY, 0, 0, 2, 0)
                          .Build();
  EXPECT_THAT(rome.WorkingSpans(AroundDay(2026, 1, 12)),
              ElementsAre(TimeSpan{Utc(2026, 1, 12, 19), Utc(2026, 1, 13, 1)}));
}

TEST(AvailabilityTest, TimeOffCutsTheWorkingDayInTwo) {
  Availability rome = Person("Europe/Rome")
                          .Works(google::type::MONDAY, 9, 0, 17, 0)
                          .Off(Utc(2026, 1, 12, 11), Utc(2026, 1, 12, 13))
                          .Build();
  const TimeSpan day = AroundDay(2026, 1, 12);
  EXPECT_THAT(rome.WorkingSpans(day),
              ElementsAre(UtcSpan(2026, 1, 12, 8, 0, 11, 0),
                          UtcSpan(2026, 1, 12, 13, 0, 16, 0)));
  EXPECT_THAT(rome.TimeOffSpans(day),
              ElementsAre(UtcSpan(2026, 1, 12, 11, 0, 13, 0)));
  EXPECT_FALSE(rome.IsWithinWorkingHours(UtcSpan(2026, 1, 12, 10, 30, 11, 30)));
  EXPECT_TRUE(rome.OverlapsTimeOff(UtcSpan(2026, 1, 12, 10, 30, 11, 30)));
  EXPECT_FALSE(rome.OverlapsTimeOff(UtcSpan(2026, 1, 12, 10, 0, 11, 0)));
}

TEST(AvailabilityTest, TimeOffOutsideWorkingHoursIsReportedAsTimeOffOnly) {
  Availability rome = Person("Europe/Rome")
                          .Works(google::type::MONDAY, 9, 0, 17, 0)
                          .Off(Utc(2026, 1, 12, 15), Utc(2026, 1, 12, 20))
                          .Build();
  const TimeSpan evening = UtcSpan(2026, 1, 12, 14, 0, 22, 0);
  EXPECT_THAT(rome.WorkingSpans(evening),
              ElementsAre(UtcSpan(2026, 1, 12, 14, 0, 15, 0)));
  EXPECT_THAT(rome.TimeOffSpans(evening),
              ElementsAre(UtcSpan(2026, 1, 12, 15, 0, 20, 0)));
  EXPECT_THAT(rome.OffHoursSpans(evening),
              ElementsAre(UtcSpan(2026, 1, 12, 20, 0, 22, 0)));
}

TEST(AvailabilityTest, NewYorkDayFromAUtcWindowAcrossMidnightUtc) {
  Availability ny = Person("America/New_York").Weekdays(9, 17).Build();
  // Monday 20:00 UTC to Tuesday 20:00 UTC; New York is UTC-5 in January.
  const TimeSpan window{Utc(2026, 1, 12, 20), Utc(2026, 1, 13, 20)};
  EXPECT_THAT(ny.WorkingSpans(window),
              ElementsAre(UtcSpan(2026, 1, 12, 20, 0, 22, 0),
                          UtcSpan(2026, 1, 13, 14, 0, 20, 0)));
  EXPECT_THAT(
      ny.OffHoursSpans(window),
      ElementsAre(TimeSpan{Utc(2026, 1, 12, 22), Utc(2026, 1, 13, 14)}));
}

TEST(AvailabilityTest, LosAngelesDayCrossingMidnightUtcIsOneSpan) {
  Availability la = Person("America/Los_Angeles").Weekdays(9, 17).Build();
  // 09:00-17:00 PST is 17:00-01:00 UTC.
  EXPECT_THAT(la.WorkingSpans({Utc(2026, 1, 12, 12), Utc(2026, 1, 13, 12)}),
              ElementsAre(TimeSpan{Utc(2026, 1, 12, 17), Utc(2026, 1, 13, 1)}));
  EXPECT_TRUE(la.IsWithinWorkingHours(
      {Utc(2026, 1, 12, 23, 30), Utc(2026, 1, 13, 0, 30)}));
}

TEST(AvailabilityTest, MeetingRunningPastFiveIsOutsideWorkingHours) {
  Availability rome = Person("Europe/Rome").Weekdays(9, 17).Build();
  EXPECT_FALSE(
      rome.IsWithinWorkingHours({Local("Europe/Rome", 2026, 1, 12, 16, 30),
                                 Local("Europe/Rome", 2026, 1, 12, 17, 30)}));
  EXPECT_FALSE(
      rome.IsWithinWorkingHours({Local("Europe/Rome", 2026, 1, 12, 8, 59),
                                 Local("Europe/Rome", 2026, 1, 12, 10)}));
}

TEST(AvailabilityTest, MeetingExactlyNineToFiveIsInsideWorkingHours) {
  Availability rome = Person("Europe/Rome").Weekdays(9, 17).Build();
  EXPECT_TRUE(
      rome.IsWithinWorkingHours({Local("Europe/Rome", 2026, 1, 12, 9),
                                 Local("Europe/Rome", 2026, 1, 12, 17)}));
}

TEST(AvailabilityTest, WeekendMeetingIsOutsideWorkingHours) {
  Availability rome = Person("Europe/Rome").Weekdays(9, 17).Build();
  EXPECT_FALSE(
      rome.IsWithinWorkingHours({Local("Europe/Rome", 2026, 1, 17, 10),
                                 Local("Europe/Rome", 2026, 1, 17, 11)}));
}

TEST(AvailabilityTest, NoWorkingHoursMeansAlwaysOffHours) {
  Availability nobody = Person("Europe/Rome").Build();
  const TimeSpan day = AroundDay(2026, 1, 12);
  EXPECT_THAT(nobody.WorkingSpans(day), IsEmpty());
  EXPECT_THAT(nobody.OffHoursSpans(day), ElementsAre(day));
}

TEST(AvailabilityTest, WorkingOffHoursAndTimeOffPartitionAnyWindow) {
  Availability rome = Person("Europe/Rome")
                          .Weekdays(9, 17)
                          .Works(google::type::SATURDAY, 22, 0, 24, 0)
                          .Works(google::type::SUNDAY, 0, 0, 3, 0)
                          .Off(Utc(2026, 3, 25, 10), Utc(2026, 3, 31, 12))
                          .Off(Utc(2026, 10, 20, 0), Utc(2026, 10, 20, 9))
                          .Build();
  for (const TimeSpan& window :
       {TimeSpan{Utc(2026, 3, 20, 5, 17), Utc(2026, 4, 7, 13, 3)},
        TimeSpan{Utc(2026, 10, 17, 0), Utc(2026, 10, 28, 0)},
        TimeSpan{Utc(2026, 1, 1, 0), Utc(2027, 1, 1, 0)}}) {
    std::vector<TimeSpan> all = rome.WorkingSpans(window);
    for (const auto& more :
         {rome.OffHoursSpans(window), rome.TimeOffSpans(window)}) {
      all.insert(all.end(), more.begin(), more.end());
    }
    std::sort(all.begin(), all.end(), [](const TimeSpan& a, const TimeSpan& b) {
      return a.start < b.start;
    });
    ASSERT_FALSE(all.empty());
    EXPECT_EQ(all.front().start, window.start);
    EXPECT_EQ(all.back().end, window.end);
    for (size_t i = 1; i < all.size(); ++i) {
      EXPECT_EQ(all[i - 1].end, all[i].start) << "gap or overlap at " << i;
    }
  }
}

TEST(AvailabilityTest, UnknownTimeZoneIsInvalidArgument) {
  participant::v1::Participant p;
  p.set_time_zone("Mars/Olympus_Mons");
  EXPECT_EQ(Availability::ForParticipant(p).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace salesmeet
