#include "services/analytics/reports/top_performers.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "services/analytics/reports/report_test_fixture.h"

namespace salesmeet::analytics {
namespace {

using testing::At;
using testing::Completed;
using testing::Customer;
using testing::Declined;
using testing::Employee;
using testing::Meeting;
using testing::ScopeOver;
using testing::Show;

class TopPerformersTest : public testing::ReportTest {
 protected:
  // A meeting completed with `outcome`, at 10:00 on `day` January 2027.
  void Done(const std::string& id, int day,
            std::vector<sv1::Attendee> attendees, sv1::MeetingOutcome outcome,
            int64_t deal_eur = 0, absl::Duration length = absl::Hours(1)) {
    Apply(Completed(
        Meeting(id, At("UTC", 2027, 1, day, 10), length, std::move(attendees)),
        outcome, deal_eur));
  }

  av1::TopPerformersReport Report(av1::PerformanceMetric metric,
                                  int min_meetings = 0, int max_results = 0,
                                  const std::string& participant = "",
                                  const std::string& team = "") {
    av1::GetTopPerformersRequest request;
    *request.mutable_scope() =
        ScopeOver(At("UTC", 2027, 1, 1, 0), At("UTC", 2027, 2, 1, 0));
    request.mutable_scope()->set_participant(participant);
    request.mutable_scope()->set_team(team);
    request.set_metric(metric);
    request.set_min_meetings(min_meetings);
    request.set_max_results(max_results);
    absl::StatusOr<TopPerformersQuery> query =
        CheckTopPerformersRequest(request, testing::TestNow());
    EXPECT_TRUE(query.ok()) << query.status();
    return testing::Unwrap(BuildTopPerformers(*query, Inputs()));
  }

  // ada, bo and cy each win the same 1000 EUR deal together; bo has four
  // meetings, ada and cy three; dee wins 5000 in her only meeting.
  void ApplyTiedWinners() {
    Done("m1", 4,
         {Employee("ada", "emea", 100), Employee("bo", "emea", 100),
          Employee("cy", "emea", 100)},
         sv1::WON, 1000);
    Done("m2", 5, {Employee("ada", "emea", 100)}, sv1::LOST);
    Done("m3", 6, {Employee("ada", "emea", 100)}, sv1::HELD);
    Done("m4", 7, {Employee("bo", "emea", 100)}, sv1::HELD);
    Done("m5", 8, {Employee("bo", "emea", 100)}, sv1::HELD);
    Done("m6", 11, {Employee("bo", "emea", 100)}, sv1::ADVANCED);
    Done("m7", 12, {Employee("cy", "emea", 100)}, sv1::NO_SHOW);
    Done("m8", 13, {Employee("cy", "emea", 100)}, sv1::HELD);
    Done("m9", 14, {Employee("dee", "emea", 100)}, sv1::WON, 5000);
  }
};

TEST_F(TopPerformersTest, TiesBreakByMoreMeetingsThenByName) {
  ApplyTiedWinners();
  av1::TopPerformersReport report = Report(av1::WON_DEAL_VALUE);
  EXPECT_EQ(report.ranked_count(), 3);  // dee has too few meetings.
  ASSERT_EQ(report.entries_size(), 3);
  const av1::PerformerEntry& bo = report.entries(0);
  EXPECT_EQ(bo.rank(), 1);
  EXPECT_EQ(bo.participant(), "participants/bo");
  EXPECT_DOUBLE_EQ(bo.score(), 1000);
  EXPECT_EQ(Show(bo.won_deal_value()), "1000.00 EUR");
  EXPECT_EQ(bo.meeting_count(), 4);
  EXPECT_EQ(bo.won_count(), 1);
  EXPECT_EQ(bo.held_count(), 2);
  EXPECT_EQ(bo.advanced_count(), 1);
  EXPECT_EQ(report.entries(1).rank(), 2);
  EXPECT_EQ(report.entries(1).participant(), "participants/ada");
  EXPECT_EQ(report.entries(1).lost_count(), 1);
  EXPECT_EQ(report.entries(2).rank(), 3);
  EXPECT_EQ(report.entries(2).participant(), "participants/cy");
  EXPECT_EQ(report.entries(2).no_show_count(), 1);
  EXPECT_EQ(report.metric(), av1::WON_DEAL_VALUE);
  EXPECT_EQ(report.freshness().as_of_sequence(), 42);
}

TEST_F(TopPerformersTest, MinMeetingsOfOneRanksTheSingleBigWin) {
  ApplyTiedWinners();
  av1::TopPerformersReport report = Report(av1::WON_DEAL_VALUE, 1);
  EXPECT_EQ(report.ranked_count(), 4);
  EXPECT_EQ(report.entries(0).participant(), "participants/dee");
  EXPECT_EQ(Show(report.entries(0).won_deal_value()), "5000.00 EUR");
}

TEST_F(TopPerformersTest, MaxResultsCutsTheListButNotTheRankedCount) {
  ApplyTiedWinners();
  av1::TopPerformersReport report = Report(av1::WON_DEAL_VALUE, 0, 2);
  EXPECT_EQ(report.ranked_count(), 3);
  ASSERT_EQ(report.entries_size(), 2);
  EXPECT_EQ(report.entries(1).participant(), "participants/ada");
}

TEST_F(TopPerformersTest, ParticipantFilterReturnsTheirEntryWithItsRank) {
  ApplyTiedWinners();
  av1::TopPerformersReport report =
      Report(av1::WON_DEAL_VALUE, 0, 0, "participants/cy");
  EXPECT_EQ(report.ranked_count(), 3);
  ASSERT_EQ(report.entries_size(), 1);
  EXPECT_EQ(report.entries(0).participant(), "participants/cy");
  EXPECT_EQ(report.entries(0).rank(), 3);
}

TEST_F(TopPerformersTest, WinRateIsWonOverWonAndLost) {
  Done("a1", 4, {Employee("ada", "emea", 100)}, sv1::WON, 100);
  Done("a2", 5, {Employee("ada", "emea", 100)}, sv1::LOST);
  Done("a3", 6, {Employee("ada", "emea", 100)}, sv1::LOST);
  Done("b1", 4, {Employee("bo", "emea", 100)}, sv1::WON, 100);
  Done("b2", 5, {Employee("bo", "emea", 100)}, sv1::WON, 100);
  Done("b3", 6, {Employee("bo", "emea", 100)}, sv1::HELD);
  for (int day : {4, 5, 6}) {
    Done(absl::StrCat("c", day), day, {Employee("cy", "emea", 100)}, sv1::HELD);
  }
  av1::TopPerformersReport report = Report(av1::WIN_RATE);
  ASSERT_EQ(report.entries_size(), 3);
  EXPECT_EQ(report.entries(0).participant(), "participants/bo");
  EXPECT_DOUBLE_EQ(report.entries(0).score(), 1);
  EXPECT_EQ(report.entries(1).participant(), "participants/ada");
  EXPECT_DOUBLE_EQ(report.entries(1).score(), 1.0 / 3);
  EXPECT_DOUBLE_EQ(report.entries(1).win_rate(), 1.0 / 3);
  EXPECT_EQ(report.entries(2).participant(), "participants/cy");
  EXPECT_DOUBLE_EQ(report.entries(2).score(), 0);
}

TEST_F(TopPerformersTest, ValuePerMeetingHourDividesByTheirOwnTime) {
  // ada: 3000 over 2h + 1h + 1h = 750/h. bo: 2000 over 3 x 30 min = 1333.33/h.
  Done("a1", 4, {Employee("ada", "emea", 100)}, sv1::WON, 3000, absl::Hours(2));
  Done("a2", 5, {Employee("ada", "emea", 100)}, sv1::HELD);
  Done("a3", 6, {Employee("ada", "emea", 100)}, sv1::LOST);
  for (int day : {4, 5, 6}) {
    Done(absl::StrCat("b", day), day, {Employee("bo", "emea", 100)},
         day == 4 ? sv1::WON : sv1::HELD, day == 4 ? 2000 : 0,
         absl::Minutes(30));
  }
  av1::TopPerformersReport report = Report(av1::VALUE_PER_MEETING_HOUR);
  ASSERT_EQ(report.entries_size(), 2);
  EXPECT_EQ(report.entries(0).participant(), "participants/bo");
  EXPECT_DOUBLE_EQ(report.entries(0).score(), 2000.0 / 1.5);
  EXPECT_EQ(Show(report.entries(0).value_per_meeting_hour()), "1333.33 EUR");
  EXPECT_EQ(ToAbslDuration(report.entries(0).meeting_time()),
            absl::Minutes(90));
  EXPECT_EQ(report.entries(1).participant(), "participants/ada");
  EXPECT_EQ(Show(report.entries(1).value_per_meeting_hour()), "750.00 EUR");
  EXPECT_EQ(ToAbslDuration(report.entries(1).meeting_time()), absl::Hours(4));
}

TEST_F(TopPerformersTest, ReturnOnCostCountsEveryAttendingEmployee) {
  // ada alone: 1000 / 300. bo with an engineer (not ranked) and a
  // customer (free): 600 / (200 + 2 x 100) = 1.5.
  Done("a1", 4, {Employee("ada", "emea", 100)}, sv1::WON, 1000);
  Done("a2", 5, {Employee("ada", "emea", 100)}, sv1::HELD);
  Done("a3", 6, {Employee("ada", "emea", 100)}, sv1::HELD);
  Done("b1", 4,
       {Employee("bo", "emea", 100),
        Employee("eng", "emea", 100, tv1::TECHNICAL_EXPERT), Customer("cu")},
       sv1::WON, 600);
  Done("b2", 5, {Employee("bo", "emea", 100)}, sv1::HELD);
  Done("b3", 6, {Employee("bo", "emea", 100)}, sv1::HELD);
  av1::TopPerformersReport report = Report(av1::RETURN_ON_MEETING_COST, 1);
  EXPECT_EQ(report.ranked_count(), 2);
  ASSERT_EQ(report.entries_size(), 2);
  EXPECT_EQ(report.entries(0).participant(), "participants/ada");
  EXPECT_DOUBLE_EQ(report.entries(0).score(), 1000.0 / 300);
  EXPECT_EQ(Show(report.entries(0).meeting_cost()), "300.00 EUR");
  EXPECT_EQ(report.entries(1).participant(), "participants/bo");
  EXPECT_DOUBLE_EQ(report.entries(1).score(), 1.5);
  EXPECT_EQ(Show(report.entries(1).meeting_cost()), "400.00 EUR");
}

TEST_F(TopPerformersTest, OnlyAttendedCompletedMeetingsStartingInRangeCount) {
  for (int day : {4, 5, 6}) {
    Done(absl::StrCat("a", day), day, {Employee("ada", "emea", 100)}, sv1::WON,
         100);
  }
  Apply(Meeting("booked", At("UTC", 2027, 1, 7, 10), absl::Hours(1),
                {Employee("ada", "emea", 100)}));
  Apply(Completed(Meeting("december", At("UTC", 2026, 12, 31, 23),
                          absl::Hours(2), {Employee("ada", "emea", 100)}),
                  sv1::WON, 1000));
  Done("declined", 8,
       {Employee("bo", "emea", 100), Declined(Employee("ada", "emea", 100))},
       sv1::WON, 1000);
  av1::TopPerformersReport report = Report(av1::WON_DEAL_VALUE);
  ASSERT_EQ(report.entries_size(), 1);
  EXPECT_EQ(report.entries(0).participant(), "participants/ada");
  EXPECT_EQ(report.entries(0).meeting_count(), 3);
  EXPECT_EQ(Show(report.entries(0).won_deal_value()), "300.00 EUR");
}

TEST_F(TopPerformersTest, TeamFilterRanksThatTeamWithTheirLatestSnapshot) {
  Done("a1", 4, {Employee("ada", "emea", 100)}, sv1::WON, 100);
  Done("a2", 5, {Employee("ada", "emea", 100, tv1::SALES_MANAGER)}, sv1::HELD);
  Done("b1", 4, {Employee("bo", "amer", 100)}, sv1::WON, 900);
  av1::TopPerformersReport report =
      Report(av1::WON_DEAL_VALUE, 1, 0, "", "teams/emea");
  ASSERT_EQ(report.entries_size(), 1);
  EXPECT_EQ(report.entries(0).participant(), "participants/ada");
  EXPECT_EQ(report.entries(0).team(), "teams/emea");
  EXPECT_EQ(report.entries(0).role(), tv1::SALES_MANAGER);
}

TEST(CheckTopPerformersRequestTest, AppliesDefaults) {
  av1::GetTopPerformersRequest request;
  *request.mutable_scope() =
      ScopeOver(At("UTC", 2027, 1, 1, 0), At("UTC", 2027, 2, 1, 0));
  request.set_metric(av1::WIN_RATE);
  absl::StatusOr<TopPerformersQuery> query =
      CheckTopPerformersRequest(request, testing::TestNow());
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(query->min_meetings, 3);
  EXPECT_EQ(query->max_results, 10);
}

TEST(CheckTopPerformersRequestTest, NamesMetricAndOutOfRangeLimits) {
  av1::GetTopPerformersRequest request;
  *request.mutable_scope() =
      ScopeOver(At("UTC", 2027, 1, 1, 0), At("UTC", 2027, 2, 1, 0));
  request.set_min_meetings(1001);
  request.set_max_results(101);
  absl::StatusOr<TopPerformersQuery> query =
      CheckTopPerformersRequest(request, testing::TestNow());
  ASSERT_EQ(query.status().code(), absl::StatusCode::kInvalidArgument);
  google::rpc::BadRequest details;
  ASSERT_TRUE(GetBadRequest(query.status(), &details));
  ASSERT_EQ(details.field_violations_size(), 3);
  EXPECT_EQ(details.field_violations(0).field(), "metric");
  EXPECT_EQ(details.field_violations(1).field(), "min_meetings");
  EXPECT_EQ(details.field_violations(2).field(), "max_results");
}

}  // namespace
}  // namespace salesmeet::analytics
