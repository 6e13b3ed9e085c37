#include "common/calendar/recurrence.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/errors.h"

namespace salesmeet {
namespace {

absl::TimeZone Zone(const char* name) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(name, &zone)) << name;
  return zone;
}

absl::Time Utc(int y, int m, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, h, mi, 0),
                         absl::UTCTimeZone());
}

absl::Time Local(absl::TimeZone zone, int y, int m, int d, int h, int mi) {
  return ToAbsolute(absl::CivilSecond(y, m, d, h, mi, 0), zone);
}

absl::StatusOr<Recurrence> Make(absl::Time start, absl::TimeZone zone,
                                const std::string& rrule,
                                std::vector<absl::Time> exdates = {},
                                absl::Duration duration = absl::Hours(1)) {
  return Recurrence::Create({start, duration, zone, rrule, std::move(exdates)},
                            "meeting.recurrence.rrule",
                            "meeting.recurrence.exdates",
                            start + absl::Hours(24 * 365));
}

std::string BadField(const absl::Status& status) {
  google::rpc::BadRequest bad;
  if (!GetBadRequest(status, &bad) || bad.field_violations().empty()) return "";
  return bad.field_violations(0).field();
}

// Local wall-clock hour:minute of each start.
std::vector<std::string> LocalTimes(const std::vector<absl::Time>& starts,
                                    absl::TimeZone zone) {
  std::vector<std::string> out;
  for (absl::Time t : starts)
    out.push_back(absl::FormatTime("%m-%d %H:%M", t, zone));
  return out;
}

TEST(ToAbsoluteTest, SpringForwardGapMovesForwardByTheGap) {
  absl::TimeZone rome = Zone("Europe/Rome");
  // 2026-03-29: clocks jump from 02:00 to 03:00 in Rome.
  EXPECT_EQ(Local(rome, 2026, 3, 29, 2, 30), Utc(2026, 3, 29, 1, 30));
  EXPECT_EQ(absl::FormatTime("%H:%M", Local(rome, 2026, 3, 29, 2, 30), rome),
            "03:30");
}

TEST(ToAbsoluteTest, FallBackOverlapTakesTheEarlierInstant) {
  absl::TimeZone rome = Zone("Europe/Rome");
  // 2026-10-25: 02:00-03:00 happens twice; the first is CEST (UTC+2).
  EXPECT_EQ(Local(rome, 2026, 10, 25, 2, 30), Utc(2026, 10, 25, 0, 30));
}

TEST(RecurrenceTest, WeeklyRomeMeetingStaysAtNineLocalAcrossBothDstChanges) {
  absl::TimeZone rome = Zone("Europe/Rome");
  auto r = Make(Local(rome, 2026, 3, 16, 9, 0), rome, "FREQ=WEEKLY;BYDAY=MO");
  ASSERT_TRUE(r.ok()) << r.status();
  std::vector<absl::Time> starts =
      r->OriginalStarts(Utc(2026, 3, 1, 0, 0), Utc(2026, 11, 10, 0, 0));
  ASSERT_GT(starts.size(), 30u);
  for (absl::Time t : starts) {
    EXPECT_EQ(absl::FormatTime("%a %H:%M", t, rome), "Mon 09:00");
  }
  // Winter is UTC+1, summer UTC+2: the UTC hour moves, the local one not.
  EXPECT_EQ(starts[1], Utc(2026, 3, 23, 8, 0));  // Before 29 March.
  EXPECT_EQ(starts[2], Utc(2026, 3, 30, 7, 0));  // After the spring change.
  EXPECT_EQ(r->OriginalStarts(Utc(2026, 10, 26, 0, 0), Utc(2026, 10, 27, 0, 0))
                .front(),
            Utc(2026, 10, 26, 8, 0));  // After the autumn change.
}

TEST(RecurrenceTest, NewYorkDailyStandupKeepsLocalTimeOverBothChanges) {
  absl::TimeZone ny = Zone("America/New_York");
  auto r = Make(Local(ny, 2026, 3, 6, 8, 30), ny, "FREQ=DAILY;COUNT=5", {},
                absl::Minutes(15));
  ASSERT_TRUE(r.ok()) << r.status();
  std::vector<absl::Time> starts =
      r->OriginalStarts(absl::InfinitePast(), absl::InfiniteFuture());
  ASSERT_EQ(starts.size(), 5u);
  EXPECT_THAT(
      LocalTimes(starts, ny),
      ::testing::ElementsAre("03-06 08:30", "03-07 08:30", "03-08 08:30",
                             "03-09 08:30", "03-10 08:30"));
  EXPECT_EQ(starts[1] - starts[0], absl::Hours(24));
  EXPECT_EQ(starts[2] - starts[1], absl::Hours(23));  // 8 March springs ahead.
  auto autumn = Make(Local(ny, 2026, 10, 31, 8, 30), ny, "FREQ=DAILY;COUNT=2");
  auto fall =
      autumn->OriginalStarts(absl::InfinitePast(), absl::InfiniteFuture());
  EXPECT_EQ(fall[1] - fall[0], absl::Hours(25));  // 1 November falls back.
}

TEST(RecurrenceTest, OccurrenceInTheSpringGapIsHeldAfterTheGap) {
  absl::TimeZone rome = Zone("Europe/Rome");
  auto r = Make(Local(rome, 2026, 3, 22, 2, 30), rome, "FREQ=WEEKLY;COUNT=3",
                {}, absl::Minutes(30));
  ASSERT_TRUE(r.ok()) << r.status();
  auto starts = r->OriginalStarts(absl::InfinitePast(), absl::InfiniteFuture());
  EXPECT_THAT(
      LocalTimes(starts, rome),
      ::testing::ElementsAre("03-22 02:30", "03-29 03:30", "04-05 02:30"));
}

TEST(RecurrenceTest, OccurrenceInTheAutumnOverlapTakesTheFirstInstance) {
  absl::TimeZone rome = Zone("Europe/Rome");
  auto r = Make(Local(rome, 2026, 10, 18, 2, 30), rome, "FREQ=WEEKLY;COUNT=2",
                {}, absl::Minutes(30));
  ASSERT_TRUE(r.ok()) << r.status();
  auto starts = r->OriginalStarts(absl::InfinitePast(), absl::InfiniteFuture());
  ASSERT_EQ(starts.size(), 2u);
  EXPECT_EQ(starts[1], Utc(2026, 10, 25, 0, 30));
  EXPECT_EQ(rome.At(starts[1]).is_dst, true);
}

TEST(RecurrenceTest, CountLimitsOccurrences) {
  absl::TimeZone utc = absl::UTCTimeZone();
  auto r = Make(Utc(2026, 1, 5, 9, 0), utc, "FREQ=WEEKLY;COUNT=4");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(
      r->OriginalStarts(absl::InfinitePast(), absl::InfiniteFuture()).size(),
      4u);
  EXPECT_EQ(*r->last_start(), Utc(2026, 1, 26, 9, 0));
}

TEST(RecurrenceTest, UntilIsInclusiveAndInUtc) {
  absl::TimeZone rome = Zone("Europe/Rome");
  // Mondays 09:00 Rome = 08:00 UTC in January; UNTIL exactly the third.
  auto r = Make(Local(rome, 2026, 1, 5, 9, 0), rome,
                "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260119T080000Z");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(
      r->OriginalStarts(absl::InfinitePast(), absl::InfiniteFuture()).size(),
      3u);
  EXPECT_EQ(*r->last_start(), Utc(2026, 1, 19, 8, 0));
}

TEST(RecurrenceTest, ExdateRemovesExactlyThatOccurrence) {
  absl::TimeZone utc = absl::UTCTimeZone();
  auto r = Make(Utc(2026, 1, 5, 9, 0), utc, "FREQ=WEEKLY;COUNT=4",
                {Utc(2026, 1, 12, 9, 0)});
  ASSERT_TRUE(r.ok()) << r.status();
  auto starts = r->OriginalStarts(absl::InfinitePast(), absl::InfiniteFuture());
  EXPECT_EQ(starts, (std::vector<absl::Time>{Utc(2026, 1, 5, 9, 0),
                                             Utc(2026, 1, 19, 9, 0),
                                             Utc(2026, 1, 26, 9, 0)}));
  EXPECT_FALSE(r->IsOccurrence(Utc(2026, 1, 12, 9, 0), false));
  EXPECT_TRUE(r->IsOccurrence(Utc(2026, 1, 12, 9, 0), true));
}

TEST(RecurrenceTest, ExdateThatIsNoOccurrenceIsRefused) {
  absl::TimeZone utc = absl::UTCTimeZone();
  auto r = Make(Utc(2026, 1, 5, 9, 0), utc, "FREQ=WEEKLY;COUNT=4",
                {Utc(2026, 1, 12, 10, 0)});
  EXPECT_EQ(BadField(r.status()), "meeting.recurrence.exdates[0]");
}

TEST(RecurrenceTest, ByDayWithSeveralDays) {
  absl::TimeZone ny = Zone("America/New_York");
  auto r = Make(Local(ny, 2026, 2, 2, 14, 0), ny,
                "FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=6");
  ASSERT_TRUE(r.ok()) << r.status();
  auto starts = r->OriginalStarts(absl::InfinitePast(), absl::InfiniteFuture());
  std::vector<std::string> days;
  for (absl::Time t : starts)
    days.push_back(absl::FormatTime("%a %H:%M", t, ny));
  EXPECT_THAT(days,
              ::testing::ElementsAre("Mon 14:00", "Wed 14:00", "Fri 14:00",
                                     "Mon 14:00", "Wed 14:00", "Fri 14:00"));
}

TEST(RecurrenceTest, MonthlyLastTuesdayWithBySetPos) {
  absl::TimeZone rome = Zone("Europe/Rome");
  auto r = Make(Local(rome, 2026, 1, 27, 10, 0), rome,
                "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=-1;COUNT=4");
  ASSERT_TRUE(r.ok()) << r.status();
  auto starts = r->OriginalStarts(absl::InfinitePast(), absl::InfiniteFuture());
  EXPECT_THAT(LocalTimes(starts, rome),
              ::testing::ElementsAre("01-27 10:00", "02-24 10:00",
                                     "03-31 10:00", "04-28 10:00"));
}

TEST(RecurrenceTest, StartThatTheRuleDoesNotProduceIsRefused) {
  absl::TimeZone utc = absl::UTCTimeZone();
  auto r = Make(Utc(2026, 3, 4, 9, 0), utc, "FREQ=WEEKLY;BYDAY=MO");  // A Wed.
  EXPECT_EQ(BadField(r.status()), "meeting.recurrence.rrule");
}

TEST(RecurrenceTest, MalformedAndUnsupportedRulesAreInvalidArgument) {
  absl::TimeZone utc = absl::UTCTimeZone();
  const absl::Time monday = Utc(2026, 1, 5, 9, 0);
  for (const char* bad :
       {"FREQ=BOGUS", "FREQ=HOURLY", "FREQ=SECONDLY", "BYDAY=MO",
        "FREQ=WEEKLY;BYHOUR=9", "FREQ=WEEKLY;COUNT=2;UNTIL=20270101T000000Z",
        "FREQ=WEEKLY;UNTIL=20270101", "FREQ=WEEKLY;COUNT=0",
        "FREQ=WEEKLY;FREQ=DAILY", "FREQ=WEEKLY;X-FOO=1", "FREQ=WEEKLY;;",
        "FREQ=WEEKLY;UNTIL=20250101T000000Z", "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=WEEKLY;UNTIL=20270230T000000Z", "FREQ=WEEKLY;UNTIL=2027-01-01"}) {
    EXPECT_EQ(BadField(Make(monday, utc, bad).status()),
              "meeting.recurrence.rrule")
        << bad;
  }
}

// libical searched month by month to the year 2582 for a first occurrence
// of such a rule: seconds of CPU for each request naming one.
TEST(RecurrenceTest, RuleThatCanNeverOccurIsRefusedAtOnce) {
  absl::TimeZone utc = absl::UTCTimeZone();
  auto r = Make(Utc(2026, 11, 17, 10, 0), utc, "FREQ=MONTHLY;BYDAY=-6FR");
  EXPECT_EQ(BadField(r.status()), "meeting.recurrence.rrule");
  EXPECT_THAT(r.status().message(), ::testing::HasSubstr("can never occur"));
}

// libical stops reading at a NUL, so it would see a rule the checks never
// saw: "FREQ=MONTHLY;BYDAY=-1SU;BYMONTHDAY=1" here.
TEST(RecurrenceTest, CharactersOutsideTheRuleGrammarAreRefused) {
  absl::TimeZone utc = absl::UTCTimeZone();
  for (const std::string& rule :
       {std::string("FREQ=MONTHLY;BYDAY=-1SU;BYMONTHDAY=1\0X,2", 40),
        std::string("FREQ=WEEKLY;BYDAY=MO TU"),
        std::string("FREQ=WEEKLY;BYDAY=MO\tTU")}) {
    EXPECT_EQ(
        BadField(Recurrence::FromStored(
                     {Utc(2026, 11, 17, 10, 0), absl::Hours(1), utc, rule, {}})
                     .status()),
        "meeting.recurrence.rrule")
        << rule;
  }
}

TEST(RecurrenceTest, PrefixAndLowerCaseAreAccepted) {
  absl::TimeZone utc = absl::UTCTimeZone();
  EXPECT_TRUE(
      Make(Utc(2026, 1, 5, 9, 0), utc, "RRULE:freq=weekly;byday=mo").ok());
}

TEST(RecurrenceTest, SelfOverlappingSeriesIsRefused) {
  absl::TimeZone utc = absl::UTCTimeZone();
  auto r = Make(Utc(2026, 1, 5, 9, 0), utc, "FREQ=DAILY", {}, absl::Hours(25));
  EXPECT_EQ(BadField(r.status()), "meeting.recurrence.rrule");
}

TEST(RecurrenceTest, UnboundedRuleExpandsWithinAnyWindow) {
  absl::TimeZone utc = absl::UTCTimeZone();
  auto r = Make(Utc(2026, 1, 5, 9, 0), utc, "FREQ=WEEKLY");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->last_start().has_value());
  // Three years on, a window of two weeks still finds its two Mondays.
  auto starts =
      r->OriginalStarts(Utc(2029, 1, 1, 0, 0), Utc(2029, 1, 15, 0, 0));
  EXPECT_EQ(starts.size(), 2u);
}

TEST(RecurrenceTest, WindowIncludesOccurrencesThatStartedBeforeIt) {
  absl::TimeZone utc = absl::UTCTimeZone();
  auto r = Make(Utc(2026, 1, 5, 9, 0), utc, "FREQ=DAILY;COUNT=3", {},
                absl::Hours(2));
  auto starts =
      r->OriginalStarts(Utc(2026, 1, 6, 10, 0), Utc(2026, 1, 6, 10, 30));
  EXPECT_EQ(starts, std::vector<absl::Time>{Utc(2026, 1, 6, 9, 0)});
  // Half-open: an occurrence ending exactly at `from` is not included.
  EXPECT_TRUE(r->OriginalStarts(Utc(2026, 1, 6, 11, 0), Utc(2026, 1, 6, 12, 0))
                  .empty());
}

TEST(RecurrenceTest, SingleMeetingHasOneOccurrenceAndNoExdates) {
  absl::TimeZone utc = absl::UTCTimeZone();
  auto r = Make(Utc(2026, 1, 5, 9, 0), utc, "");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->recurring());
  EXPECT_EQ(
      r->OriginalStarts(absl::InfinitePast(), absl::InfiniteFuture()).size(),
      1u);
  EXPECT_EQ(
      BadField(Make(Utc(2026, 1, 5, 9, 0), utc, "", {Utc(2026, 1, 5, 9, 0)})
                   .status()),
      "meeting.recurrence.exdates");
}

// Jumping ahead inside libical must never change which occurrences a window
// sees: compare against filtering a full expansion, on random rules/windows.
TEST(RecurrenceTest, SkippingAheadAgreesWithFullExpansion) {
  std::mt19937 random(42);
  const char* zones[] = {"Europe/Rome", "America/New_York", "Asia/Singapore",
                         "Australia/Lord_Howe"};
  // {D} is the start's weekday and {M} its day of the month, so that every
  // random start is an occurrence of its rule.
  const std::string rules[] = {"FREQ=WEEKLY;BYDAY={D},SA",
                               "FREQ=DAILY;INTERVAL=3",
                               "FREQ=MONTHLY;BYDAY=1{D},-1{D}",
                               "FREQ=MONTHLY;BYMONTHDAY={M}",
                               "FREQ=YEARLY",
                               "FREQ=WEEKLY;INTERVAL=2"};
  const char* days[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
  int checked = 0;
  for (int i = 0; i < 200; ++i) {
    absl::TimeZone zone = Zone(zones[random() % 4]);
    absl::CivilSecond local(2026, 1 + random() % 12, 1 + random() % 28,
                            random() % 24, 15 * (random() % 4), 0);
    const absl::Time start = ToAbsolute(local, zone);
    local = zone.At(start).cs;  // A gap moves the local time.
    std::string rule = rules[random() % 6];
    const int weekday = static_cast<int>(absl::GetWeekday(local));
    rule = absl::StrReplaceAll(
        rule, {{"{D}", days[weekday]}, {"{M}", absl::StrCat(local.day())}});
    auto series = Recurrence::Create({start, absl::Minutes(45), zone, rule, {}},
                                     "r", "e", start);
    if (!series.ok()) continue;  // e.g. the 1st and last weekday rule.
    ++checked;
    const absl::Time from = start + absl::Hours(24 * (random() % 700));
    const absl::Time to = from + absl::Hours(1 + random() % (24 * 60));
    std::vector<absl::Time> filtered;
    for (absl::Time t : series->OriginalStarts(absl::InfinitePast(), to)) {
      if (t + absl::Minutes(45) > from) filtered.push_back(t);
    }
    EXPECT_EQ(series->OriginalStarts(from, to), filtered)
        << rule << " in " << zone.name();
  }
  EXPECT_GT(checked, 120);
}

// Scheduling stores the rule as the caller wrote it, spaces included;
// ending such a series early must still give a rule that parses.
TEST(TruncatedRuleTest, DropsSpacesAroundTheRule) {
  const absl::Time start = Utc(2026, 11, 17, 10, 0);
  const std::string truncated =
      TruncatedRule("  FREQ=WEEKLY  ", start + absl::Hours(24 * 21));
  EXPECT_EQ(truncated, "FREQ=WEEKLY;UNTIL=20261208T095959Z");
  EXPECT_TRUE(Recurrence::FromStored(
                  {start, absl::Hours(1), absl::UTCTimeZone(), truncated, {}})
                  .ok());
}

TEST(TruncatedRuleTest, ReplacesCountAndUntilWithUntilBeforeCut) {
  EXPECT_EQ(
      TruncatedRule("FREQ=WEEKLY;COUNT=10;BYDAY=MO", Utc(2026, 2, 2, 9, 0)),
      "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260202T085959Z");
  EXPECT_EQ(TruncatedRule("RRULE:FREQ=DAILY;UNTIL=20300101T000000Z",
                          Utc(2026, 2, 2, 9, 0)),
            "FREQ=DAILY;UNTIL=20260202T085959Z");
}

}  // namespace
}  // namespace salesmeet
