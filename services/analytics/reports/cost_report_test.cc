#include "services/analytics/reports/cost_report.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "services/analytics/reports/report_test_fixture.h"

namespace salesmeet::analytics {
namespace {

using testing::AnswerOccurrence;
using testing::At;
using testing::CancelOccurrence;
using testing::Customer;
using testing::Declined;
using testing::Employee;
using testing::Meeting;
using testing::MoveOccurrence;
using testing::ScopeOver;
using testing::Series;
using testing::Show;

// A cost group's figures, compared whole so a failure shows them all.
struct Figures {
  int meetings;
  int occurrences;
  absl::Duration meeting_time;
  absl::Duration person_time;
  std::string cost;

  friend bool operator==(const Figures& a, const Figures& b) {
    return a.meetings == b.meetings && a.occurrences == b.occurrences &&
           a.meeting_time == b.meeting_time && a.person_time == b.person_time &&
           a.cost == b.cost;
  }
  friend std::ostream& operator<<(std::ostream& os, const Figures& f) {
    return os << "{meetings " << f.meetings << ", occurrences " << f.occurrences
              << ", meeting_time " << f.meeting_time << ", person_time "
              << f.person_time << ", cost " << f.cost << "}";
  }
};

Figures FiguresOf(const av1::CostGroup& group) {
  return {group.meeting_count(), group.occurrence_count(),
          ToAbslDuration(group.meeting_time()),
          ToAbslDuration(group.person_time()), Show(group.cost())};
}

constexpr absl::Duration kZero = absl::ZeroDuration();
absl::Duration H(double hours) { return absl::Hours(hours); }

class CostReportTest : public testing::ReportTest {
 protected:
  av1::CostReport Report(av1::CostDimension group_by, av1::ReportScope scope) {
    av1::GetCostReportRequest request;
    *request.mutable_scope() = std::move(scope);
    request.set_group_by(group_by);
    absl::StatusOr<CostQuery> query =
        CheckCostRequest(request, testing::TestNow());
    EXPECT_TRUE(query.ok()) << query.status();
    return testing::Unwrap(BuildCostReport(*query, Inputs()));
  }

  // 2027-W01 (Monday 4 January) to 2027-W03, in UTC.
  const av1::ReportScope kThreeWeeks =
      ScopeOver(At("UTC", 2027, 1, 4, 0), At("UTC", 2027, 1, 25, 0));
};

TEST_F(CostReportTest, MeetingAcrossWeeksSplitsByTimeAndCountsInFirstWeek) {
  // Sunday 23:00 to Monday 01:00: an hour in each of W01 and W02.
  Apply(Meeting("late", At("UTC", 2027, 1, 10, 23), H(2),
                {Employee("ada", "emea", 100), Employee("bo", "emea", 50)}));
  av1::CostReport report = Report(av1::ISO_WEEK, kThreeWeeks);
  ASSERT_EQ(report.groups_size(), 3);
  EXPECT_EQ(report.groups(0).iso_week().year(), 2027);
  EXPECT_EQ(report.groups(0).iso_week().week(), 1);
  EXPECT_EQ(FiguresOf(report.groups(0)),
            (Figures{1, 1, H(1), H(2), "150.00 EUR"}));
  EXPECT_EQ(report.groups(1).iso_week().week(), 2);
  EXPECT_EQ(FiguresOf(report.groups(1)),
            (Figures{0, 0, H(1), H(2), "150.00 EUR"}));
  EXPECT_EQ(report.groups(2).iso_week().week(), 3);
  EXPECT_EQ(FiguresOf(report.groups(2)),
            (Figures{0, 0, kZero, kZero, "0.00 EUR"}));
  EXPECT_DOUBLE_EQ(report.groups(0).cost_share(), 0.5);
  EXPECT_EQ(FiguresOf(report.totals()),
            (Figures{1, 1, H(2), H(4), "300.00 EUR"}));
  EXPECT_DOUBLE_EQ(report.totals().cost_share(), 1);
  EXPECT_EQ(report.freshness().as_of_sequence(), 42);
  EXPECT_EQ(report.group_by(), av1::ISO_WEEK);
}

TEST_F(CostReportTest, IsoWeeksFollowTheRequestZoneAcrossDaylightSaving) {
  // Rome moves to summer time on Sunday 28 March 2027, so W13 starts on
  // Sunday 22:00 UTC, not 23:00.
  Apply(Meeting("midnight", At("UTC", 2027, 3, 28, 21, 30), H(1),
                {Employee("ada", "emea", 100)}, "Europe/Rome"));
  // Monday 00:30 in Rome is still Sunday in UTC.
  Apply(Meeting("monday", At("Europe/Rome", 2027, 3, 22, 0, 30), H(1),
                {Employee("ada", "emea", 100)}, "Europe/Rome"));
  av1::CostReport report =
      Report(av1::ISO_WEEK,
             ScopeOver(At("Europe/Rome", 2027, 3, 22, 0),
                       At("Europe/Rome", 2027, 4, 5, 0), "Europe/Rome"));
  ASSERT_EQ(report.groups_size(), 2);
  EXPECT_EQ(report.groups(0).iso_week().week(), 12);
  EXPECT_EQ(FiguresOf(report.groups(0)),
            (Figures{2, 2, H(1.5), H(1.5), "150.00 EUR"}));
  EXPECT_EQ(report.groups(1).iso_week().week(), 13);
  EXPECT_EQ(FiguresOf(report.groups(1)),
            (Figures{0, 0, H(0.5), H(0.5), "50.00 EUR"}));
}

TEST_F(CostReportTest, AttendeesInOtherZonesAreWeekedInTheRequestZone) {
  // Sunday 18:00 in Los Angeles is Monday 03:00 in Rome: week 2 there.
  Apply(Meeting("west", At("America/Los_Angeles", 2027, 1, 10, 18), H(1),
                {Employee("carl", "amer", 80), Employee("ada", "emea", 100)},
                "America/Los_Angeles"));
  av1::CostReport report =
      Report(av1::ISO_WEEK,
             ScopeOver(At("Europe/Rome", 2027, 1, 4, 0),
                       At("Europe/Rome", 2027, 1, 18, 0), "Europe/Rome"));
  ASSERT_EQ(report.groups_size(), 2);
  EXPECT_EQ(FiguresOf(report.groups(0)),
            (Figures{0, 0, kZero, kZero, "0.00 EUR"}));
  EXPECT_EQ(FiguresOf(report.groups(1)),
            (Figures{1, 1, H(1), H(2), "180.00 EUR"}));
}

TEST_F(CostReportTest, DeclinedAttendeeCostsNothingAndOccurrenceAnswerWins) {
  sv1::Meeting meeting = Series(
      Meeting(
          "weekly", At("UTC", 2027, 1, 4, 10), H(1),
          {Employee("ada", "emea", 100), Declined(Employee("bo", "emea", 50))}),
      "FREQ=WEEKLY;COUNT=2");
  // For the second occurrence bo accepts and ada declines.
  AnswerOccurrence(meeting, At("UTC", 2027, 1, 11, 10), "bo", sv1::ACCEPTED);
  AnswerOccurrence(meeting, At("UTC", 2027, 1, 11, 10), "ada", sv1::DECLINED);
  Apply(meeting);
  av1::CostReport report = Report(av1::PARTICIPANT, kThreeWeeks);
  ASSERT_EQ(report.groups_size(), 2);
  EXPECT_EQ(report.groups(0).participant(), "participants/ada");
  EXPECT_EQ(FiguresOf(report.groups(0)),
            (Figures{1, 1, H(1), H(1), "100.00 EUR"}));
  EXPECT_EQ(report.groups(1).participant(), "participants/bo");
  EXPECT_EQ(FiguresOf(report.groups(1)),
            (Figures{1, 1, H(1), H(1), "50.00 EUR"}));
  EXPECT_EQ(FiguresOf(report.totals()),
            (Figures{1, 2, H(2), H(2), "150.00 EUR"}));
}

TEST_F(CostReportTest, CancelledOccurrenceCountsNowhereAndMovedOneAtNewTime) {
  sv1::Meeting meeting = Series(Meeting("weekly", At("UTC", 2027, 1, 4, 10),
                                        H(1), {Employee("ada", "emea", 100)}),
                                "FREQ=WEEKLY;COUNT=3");
  CancelOccurrence(meeting, At("UTC", 2027, 1, 11, 10));
  // Moved from Monday of W03 to Tuesday of W04, two hours long.
  MoveOccurrence(meeting, At("UTC", 2027, 1, 18, 10),
                 At("UTC", 2027, 1, 26, 15), At("UTC", 2027, 1, 26, 17));
  Apply(meeting);
  av1::CostReport report =
      Report(av1::ISO_WEEK,
             ScopeOver(At("UTC", 2027, 1, 4, 0), At("UTC", 2027, 2, 1, 0)));
  ASSERT_EQ(report.groups_size(), 4);
  EXPECT_EQ(FiguresOf(report.groups(0)),
            (Figures{1, 1, H(1), H(1), "100.00 EUR"}));
  EXPECT_EQ(FiguresOf(report.groups(1)),
            (Figures{0, 0, kZero, kZero, "0.00 EUR"}));
  EXPECT_EQ(FiguresOf(report.groups(2)),
            (Figures{0, 0, kZero, kZero, "0.00 EUR"}));
  EXPECT_EQ(FiguresOf(report.groups(3)),
            (Figures{1, 1, H(2), H(2), "200.00 EUR"}));
  EXPECT_EQ(FiguresOf(report.totals()),
            (Figures{1, 2, H(3), H(3), "300.00 EUR"}));
}

TEST_F(CostReportTest, OccurrenceCutByTheRangeAddsOnlyItsInRangePart) {
  Apply(Meeting("early", At("UTC", 2027, 1, 3, 23), H(2),
                {Employee("ada", "emea", 100)}));
  av1::CostReport report = Report(av1::ISO_WEEK, kThreeWeeks);
  EXPECT_EQ(FiguresOf(report.groups(0)),
            (Figures{1, 1, H(1), H(1), "100.00 EUR"}));
}

TEST_F(CostReportTest, CustomersCostNothingAndCostSplitsByAudience) {
  Apply(Meeting("pitch", At("UTC", 2027, 1, 5, 10), H(1),
                {Employee("ada", "emea", 100), Customer("carla")}));
  Apply(Meeting("sync", At("UTC", 2027, 1, 6, 10), H(2),
                {Employee("ada", "emea", 100), Employee("bo", "emea", 50)}));
  av1::CostReport report = Report(av1::AUDIENCE, kThreeWeeks);
  ASSERT_EQ(report.groups_size(), 2);
  EXPECT_EQ(report.groups(0).audience(), sv1::INTERNAL);
  EXPECT_EQ(FiguresOf(report.groups(0)),
            (Figures{1, 1, H(2), H(4), "300.00 EUR"}));
  EXPECT_EQ(report.groups(1).audience(), sv1::CUSTOMER_FACING);
  EXPECT_EQ(FiguresOf(report.groups(1)),
            (Figures{1, 1, H(1), H(1), "100.00 EUR"}));
  EXPECT_EQ(Show(report.internal_cost()), "300.00 EUR");
  EXPECT_EQ(Show(report.customer_facing_cost()), "100.00 EUR");
  EXPECT_DOUBLE_EQ(report.internal_cost_share(), 0.75);
  EXPECT_DOUBLE_EQ(report.customer_facing_cost_share(), 0.25);
}

TEST_F(CostReportTest, CostIsRoundedOnceToTheCent) {
  // Three people at 10/h for 20 minutes: 3.33 each, 10.00 together.
  Apply(Meeting("short", At("UTC", 2027, 1, 5, 10), absl::Minutes(20),
                {Employee("ada", "emea", 10), Employee("bo", "emea", 10),
                 Employee("cy", "emea", 10)}));
  av1::CostReport report = Report(av1::PARTICIPANT, kThreeWeeks);
  ASSERT_EQ(report.groups_size(), 3);
  EXPECT_EQ(Show(report.groups(0).cost()), "3.33 EUR");
  EXPECT_EQ(Show(report.totals().cost()), "10.00 EUR");
}

TEST_F(CostReportTest, TeamGroupsSortByCostThenKeyWithNoTeamAsEmptyKey) {
  Apply(Meeting("m", At("UTC", 2027, 1, 5, 10), H(1),
                {Employee("ada", "emea", 100), Employee("bo", "emea", 100),
                 Employee("carl", "amer", 100), Employee("dan", "", 100),
                 Customer("carla")}));
  av1::CostReport report = Report(av1::TEAM, kThreeWeeks);
  ASSERT_EQ(report.groups_size(), 3);
  EXPECT_EQ(report.groups(0).team(), "teams/emea");
  EXPECT_EQ(FiguresOf(report.groups(0)),
            (Figures{1, 1, H(1), H(2), "200.00 EUR"}));
  EXPECT_EQ(report.groups(1).team(), "");
  EXPECT_TRUE(report.groups(1).has_team());
  EXPECT_EQ(report.groups(2).team(), "teams/amer");
  EXPECT_DOUBLE_EQ(report.groups(0).cost_share(), 0.5);
}

class CostFilterTest : public CostReportTest {
 protected:
  void SetUp() override {
    Apply(
        Meeting("joint", At("UTC", 2027, 1, 5, 10), H(1),
                {Employee("ada", "emea", 100), Employee("carl", "amer", 80)}));
    Apply(Meeting("solo", At("UTC", 2027, 1, 6, 10), H(2),
                  {Employee("carl", "amer", 80)}));
  }
};

TEST_F(CostFilterTest, TeamFilterCountsOnlyThatTeamsAttendance) {
  av1::ReportScope scope = kThreeWeeks;
  scope.set_team("teams/emea");
  av1::CostReport report = Report(av1::ORGANIZER, scope);
  ASSERT_EQ(report.groups_size(), 1);
  EXPECT_EQ(report.groups(0).organizer(), "participants/ada");
  EXPECT_EQ(FiguresOf(report.totals()),
            (Figures{1, 1, H(1), H(1), "100.00 EUR"}));
}

TEST_F(CostFilterTest, ParticipantFilterCountsOnlyTheirAttendance) {
  av1::ReportScope scope = kThreeWeeks;
  scope.set_participant("participants/carl");
  av1::CostReport report = Report(av1::ORGANIZER, scope);
  ASSERT_EQ(report.groups_size(), 2);
  EXPECT_EQ(report.groups(0).organizer(), "participants/carl");
  EXPECT_EQ(FiguresOf(report.groups(0)),
            (Figures{1, 1, H(2), H(2), "160.00 EUR"}));
  EXPECT_EQ(report.groups(1).organizer(), "participants/ada");
  EXPECT_EQ(FiguresOf(report.groups(1)),
            (Figures{1, 1, H(1), H(1), "80.00 EUR"}));
}

TEST_F(CostFilterTest, OrganizerFilterChoosesMeetingsWithEveryAttendee) {
  av1::ReportScope scope = kThreeWeeks;
  scope.set_organizer("participants/ada");
  av1::CostReport report = Report(av1::PARTICIPANT, scope);
  ASSERT_EQ(report.groups_size(), 2);
  EXPECT_EQ(report.groups(0).participant(), "participants/ada");
  EXPECT_EQ(report.groups(1).participant(), "participants/carl");
  EXPECT_EQ(FiguresOf(report.totals()),
            (Figures{1, 1, H(1), H(2), "180.00 EUR"}));
}

TEST(CheckCostRequestTest, NamesAHalfIntervalAndTheMissingGroupBy) {
  av1::GetCostReportRequest request;
  *request.mutable_scope()->mutable_interval()->mutable_start_time() =
      ToProtoTime(testing::TestNow());
  absl::StatusOr<CostQuery> query =
      CheckCostRequest(request, testing::TestNow());
  ASSERT_EQ(query.status().code(), absl::StatusCode::kInvalidArgument);
  google::rpc::BadRequest details;
  ASSERT_TRUE(GetBadRequest(query.status(), &details));
  ASSERT_EQ(details.field_violations_size(), 2);
  EXPECT_EQ(details.field_violations(0).field(), "scope.interval");
  EXPECT_EQ(details.field_violations(1).field(), "group_by");
}

absl::Time Utc(int y, int m, int d, int h, int min) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, h, min, 0),
                         absl::UTCTimeZone());
}

TEST(CheckCostRequestTest, WithoutAnIntervalCoversNineWholeWeeksAroundThisOne) {
  av1::GetCostReportRequest request;
  request.set_group_by(av1::PURPOSE);
  // Monday 22 March 2027, 00:30 UTC.
  absl::StatusOr<CostQuery> monday =
      CheckCostRequest(request, Utc(2027, 3, 22, 0, 30));
  ASSERT_TRUE(monday.ok()) << monday.status();
  EXPECT_EQ(monday->scope.interval.start, Utc(2027, 2, 22, 0, 0));
  EXPECT_EQ(monday->scope.interval.end, Utc(2027, 4, 26, 0, 0));
  // Sunday night of the same week, the night Rome's clocks go forward: the
  // same interval, so page tokens and weekly figures hold all week.
  absl::StatusOr<CostQuery> sunday =
      CheckCostRequest(request, Utc(2027, 3, 28, 23, 30));
  EXPECT_EQ(sunday->scope.interval, monday->scope.interval);
  // Monday 00:30 moves it on by a week.
  absl::StatusOr<CostQuery> next =
      CheckCostRequest(request, Utc(2027, 3, 29, 0, 30));
  EXPECT_EQ(next->scope.interval.start, Utc(2027, 3, 1, 0, 0));
}

}  // namespace
}  // namespace salesmeet::analytics
