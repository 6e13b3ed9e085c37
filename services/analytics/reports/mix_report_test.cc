#include "services/analytics/reports/mix_report.h"

#include <gtest/gtest.h>

#include "services/analytics/reports/report_test_fixture.h"

namespace salesmeet::analytics {
namespace {

using testing::At;
using testing::CancelOccurrence;
using testing::Customer;
using testing::Declined;
using testing::Employee;
using testing::Meeting;
using testing::ScopeOver;
using testing::Series;
using testing::Show;

class MixReportTest : public testing::ReportTest {
 protected:
  av1::MeetingMixReport Report(av1::ReportScope scope) {
    av1::GetMeetingMixReportRequest request;
    *request.mutable_scope() = std::move(scope);
    absl::StatusOr<MixQuery> query =
        CheckMixRequest(request, testing::TestNow());
    EXPECT_TRUE(query.ok()) << query.status();
    return testing::Unwrap(BuildMixReport(*query, Inputs()));
  }

  // An internal strategy video call (ada 100/h, one hour) and a weekly
  // customer pitch in person (ada and a customer, 30 minutes, 3 times).
  void ApplyCallAndPitches() {
    Apply(Meeting("call", At("UTC", 2027, 1, 4, 10), absl::Hours(1),
                  {Employee("ada", "emea", 100)}));
    sv1::Meeting pitch =
        Series(Meeting("pitch", At("UTC", 2027, 1, 5, 10), absl::Minutes(30),
                       {Employee("ada", "emea", 100), Customer("carla")}),
               "FREQ=WEEKLY;COUNT=3");
    pitch.set_purpose(sv1::PROSPECT_PITCH);
    pitch.set_format(sv1::IN_PERSON);
    Apply(pitch);
  }

  const av1::ReportScope kJanuary =
      ScopeOver(At("UTC", 2027, 1, 1, 0), At("UTC", 2027, 2, 1, 0));
};

TEST_F(MixReportTest, EveryEnumValueHasAnEntryInEnumOrder) {
  ApplyCallAndPitches();
  av1::MeetingMixReport report = Report(kJanuary);
  ASSERT_EQ(report.by_purpose_size(), 11);
  EXPECT_EQ(report.by_purpose(0).purpose(), sv1::MOTIVATION_RECOGNITION);
  EXPECT_EQ(report.by_purpose(0).occurrence_count(), 0);
  EXPECT_EQ(Show(report.by_purpose(0).cost()), "0.00 EUR");
  EXPECT_EQ(report.by_purpose(10).purpose(), sv1::OTHER_PURPOSE);
  ASSERT_EQ(report.by_format_size(), 5);
  EXPECT_EQ(report.by_format(0).format(), sv1::PRESENTATION);
  EXPECT_EQ(report.by_format(4).format(), sv1::VIDEO_CONFERENCE);
  ASSERT_EQ(report.by_audience_size(), 2);
  EXPECT_EQ(report.by_audience(0).audience(), sv1::INTERNAL);
  EXPECT_EQ(report.by_audience(1).audience(), sv1::CUSTOMER_FACING);
  ASSERT_EQ(report.by_recurrence_size(), 2);
  EXPECT_FALSE(report.by_recurrence(0).recurring());
  EXPECT_TRUE(report.by_recurrence(1).has_recurring());
  EXPECT_TRUE(report.by_recurrence(1).recurring());
  EXPECT_EQ(report.freshness().as_of_sequence(), 42);
}

TEST_F(MixReportTest, OccurrencesTimeAndCostDivideBySliceWithShares) {
  ApplyCallAndPitches();
  av1::MeetingMixReport report = Report(kJanuary);
  // Totals: 4 occurrences, 2h30, 100 + 3 x 50 = 250 EUR.
  EXPECT_EQ(report.totals().occurrence_count(), 4);
  EXPECT_EQ(ToAbslDuration(report.totals().meeting_time()), absl::Minutes(150));
  EXPECT_EQ(Show(report.totals().cost()), "250.00 EUR");
  EXPECT_DOUBLE_EQ(report.totals().cost_share(), 1);

  const av1::MixEntry& pitches = report.by_purpose(sv1::PROSPECT_PITCH - 1);
  EXPECT_EQ(pitches.purpose(), sv1::PROSPECT_PITCH);
  EXPECT_EQ(pitches.occurrence_count(), 3);
  EXPECT_EQ(ToAbslDuration(pitches.meeting_time()), absl::Minutes(90));
  EXPECT_EQ(Show(pitches.cost()), "150.00 EUR");
  EXPECT_DOUBLE_EQ(pitches.occurrence_share(), 0.75);
  EXPECT_DOUBLE_EQ(pitches.time_share(), 0.6);
  EXPECT_DOUBLE_EQ(pitches.cost_share(), 0.6);

  const av1::MixEntry& video = report.by_format(sv1::VIDEO_CONFERENCE - 1);
  EXPECT_EQ(video.occurrence_count(), 1);
  EXPECT_EQ(Show(video.cost()), "100.00 EUR");
  EXPECT_EQ(Show(report.by_audience(1).cost()), "150.00 EUR");

  EXPECT_EQ(report.by_recurrence(0).occurrence_count(), 1);
  EXPECT_DOUBLE_EQ(report.by_recurrence(0).time_share(), 0.4);
  EXPECT_EQ(report.by_recurrence(1).occurrence_count(), 3);
  EXPECT_EQ(Show(report.by_recurrence(1).cost()), "150.00 EUR");
  EXPECT_DOUBLE_EQ(report.by_recurrence(1).cost_share(), 0.6);
}

TEST_F(MixReportTest, CancelledOccurrenceAndDeclinedAttendeeAddNothing) {
  sv1::Meeting weekly = Series(
      Meeting("weekly", At("UTC", 2027, 1, 4, 10), absl::Hours(1),
              {Employee("ada", "emea", 100), Declined(Employee("bo", "", 50))}),
      "FREQ=WEEKLY;COUNT=2");
  CancelOccurrence(weekly, At("UTC", 2027, 1, 11, 10));
  Apply(weekly);
  av1::MeetingMixReport report = Report(kJanuary);
  EXPECT_EQ(report.totals().occurrence_count(), 1);
  EXPECT_EQ(ToAbslDuration(report.totals().meeting_time()), absl::Hours(1));
  EXPECT_EQ(Show(report.totals().cost()), "100.00 EUR");
}

TEST_F(MixReportTest, TeamFilterCountsOccurrencesTheyAttendAtTheirCost) {
  Apply(Meeting("joint", At("UTC", 2027, 1, 5, 10), absl::Hours(1),
                {Employee("ada", "emea", 100), Employee("carl", "amer", 80)}));
  Apply(Meeting("solo", At("UTC", 2027, 1, 6, 10), absl::Hours(2),
                {Employee("carl", "amer", 80)}));
  av1::ReportScope scope = kJanuary;
  scope.set_team("teams/emea");
  av1::MeetingMixReport report = Report(scope);
  EXPECT_EQ(report.totals().occurrence_count(), 1);
  EXPECT_EQ(ToAbslDuration(report.totals().meeting_time()), absl::Hours(1));
  EXPECT_EQ(Show(report.totals().cost()), "100.00 EUR");
}

TEST_F(MixReportTest, OrganizerFilterChoosesMeetings) {
  Apply(Meeting("joint", At("UTC", 2027, 1, 5, 10), absl::Hours(1),
                {Employee("ada", "emea", 100), Employee("carl", "amer", 80)}));
  Apply(Meeting("solo", At("UTC", 2027, 1, 6, 10), absl::Hours(2),
                {Employee("carl", "amer", 80)}));
  av1::ReportScope scope = kJanuary;
  scope.set_organizer("participants/carl");
  av1::MeetingMixReport report = Report(scope);
  EXPECT_EQ(report.totals().occurrence_count(), 1);
  EXPECT_EQ(Show(report.totals().cost()), "160.00 EUR");
}

TEST(CheckMixRequestTest, NamesTheBadTimeZone) {
  av1::GetMeetingMixReportRequest request;
  *request.mutable_scope() = ScopeOver(
      At("UTC", 2027, 1, 1, 0), At("UTC", 2027, 2, 1, 0), "Mars/Olympus");
  absl::StatusOr<MixQuery> query = CheckMixRequest(request, testing::TestNow());
  ASSERT_EQ(query.status().code(), absl::StatusCode::kInvalidArgument);
  google::rpc::BadRequest details;
  ASSERT_TRUE(GetBadRequest(query.status(), &details));
  ASSERT_EQ(details.field_violations_size(), 1);
  EXPECT_EQ(details.field_violations(0).field(), "scope.time_zone");
}

}  // namespace
}  // namespace salesmeet::analytics
