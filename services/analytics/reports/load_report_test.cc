#include "services/analytics/reports/load_report.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/error_test_support.h"
#include "common/errors.h"
#include "common/field_checks.h"
#include "services/analytics/reports/report_test_fixture.h"

namespace salesmeet::analytics {
namespace {

using testing::AddTimeOff;
using testing::At;
using testing::CancelOccurrence;
using testing::Declined;
using testing::Employee;
using testing::EmployeeRecord;
using testing::Meeting;
using testing::MoveOccurrence;
using testing::Put;
using testing::Series;

absl::Duration D(const google::protobuf::Duration& d) {
  return ToAbslDuration(d);
}

class LoadReportTest : public testing::ReportTest {
 protected:
  av1::GetMeetingLoadReportRequest Request(absl::Time start, absl::Time end) {
    av1::GetMeetingLoadReportRequest request;
    *request.mutable_scope()->mutable_interval()->mutable_start_time() =
        ToProtoTime(start);
    *request.mutable_scope()->mutable_interval()->mutable_end_time() =
        ToProtoTime(end);
    return request;
  }

  av1::MeetingLoadReport Report(const av1::GetMeetingLoadReportRequest& r) {
    absl::StatusOr<LoadQuery> query = CheckLoadRequest(r, testing::TestNow());
    EXPECT_TRUE(query.ok()) << query.status();
    if (!query.ok()) return {};
    absl::StatusOr<av1::MeetingLoadReport> report =
        BuildLoadReport(*query, Inputs(&people_));
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : av1::MeetingLoadReport();
  }

  av1::MeetingLoadReport Report(absl::Time start, absl::Time end) {
    return Report(Request(start, end));
  }

  ParticipantsByName people_;
};

// Mon 7 June 2027 to Sat 12 June 00:00 UTC: a working week.
const absl::Time kMon = At("UTC", 2027, 6, 7, 0);
const absl::Time kSat = At("UTC", 2027, 6, 12, 0);

TEST_F(LoadReportTest, DaylightSavingWeekKeepsWorkingHoursAndWeeksLocal) {
  Put(people_, EmployeeRecord("ada", "Europe/Rome", "emea", absl::Hours(2)));
  // Clocks go forward on Sunday 28 March: 09-17 is 08-16 UTC before, 07-15
  // UTC after.
  const sv1::Attendee ada = Employee("ada", "emea", 100);
  Apply(Meeting("late-cet", At("UTC", 2027, 3, 22, 16), absl::Hours(1), {ada}));
  Apply(
      Meeting("early-cest", At("UTC", 2027, 3, 29, 7), absl::Hours(1), {ada}));
  Apply(
      Meeting("late-cest", At("UTC", 2027, 3, 29, 15), absl::Hours(1), {ada}));
  // Sunday 22:30 UTC is Monday 00:30 in Rome: week 13 there.
  Apply(Meeting("midnight", At("UTC", 2027, 3, 28, 22, 30), absl::Hours(1),
                {ada}));

  av1::MeetingLoadReport report = Report(At("Europe/Rome", 2027, 3, 22, 0),
                                         At("Europe/Rome", 2027, 4, 5, 0));
  ASSERT_EQ(report.participants_size(), 1);
  const av1::ParticipantLoad& row = report.participants(0);
  EXPECT_EQ(row.time_zone(), "Europe/Rome");
  EXPECT_EQ(row.team(), "teams/emea");
  EXPECT_EQ(D(row.working_time()), absl::Hours(80));  // 2 x 5 x 8h local.
  EXPECT_EQ(D(row.meeting_time()), absl::Hours(4));
  EXPECT_EQ(D(row.outside_working_hours_time()), absl::Hours(3));
  EXPECT_DOUBLE_EQ(row.meeting_share(), 1.0 / 80);
  ASSERT_EQ(row.weeks_over_budget_size(), 1);
  EXPECT_EQ(row.weeks_over_budget(0).week().year(), 2027);
  EXPECT_EQ(row.weeks_over_budget(0).week().week(), 13);
  EXPECT_EQ(D(row.weeks_over_budget(0).meeting_time()), absl::Hours(3));
  EXPECT_EQ(D(row.weeks_over_budget(0).excess()), absl::Hours(1));
  EXPECT_EQ(D(row.over_budget_time()), absl::Hours(1));
}

TEST_F(LoadReportTest, AttendeesInOtherZonesAreJudgedByTheirOwnHours) {
  Put(people_, EmployeeRecord("ada", "Europe/Rome"));
  Put(people_, EmployeeRecord("bob", "America/New_York"));
  const std::vector<sv1::Attendee> both = {Employee("ada", "emea", 100),
                                           Employee("bob", "amer", 100)};
  // 12-13 UTC: 14-15 Rome, 08-09 New York. 13-14: 15-16 and 09-10.
  // 15-16: 17-18 Rome, 11-12 New York.
  Apply(Meeting("a", At("UTC", 2027, 6, 8, 12), absl::Hours(1), both));
  Apply(Meeting("b", At("UTC", 2027, 6, 8, 13), absl::Hours(1), both));
  Apply(Meeting("c", At("UTC", 2027, 6, 8, 15), absl::Hours(1), both));

  av1::MeetingLoadReport report = Report(kMon, kSat);
  ASSERT_EQ(report.participants_size(), 2);
  for (const av1::ParticipantLoad& row : report.participants()) {
    SCOPED_TRACE(row.participant());
    EXPECT_EQ(D(row.working_time()), absl::Hours(40));
    EXPECT_EQ(D(row.meeting_time()), absl::Hours(3));
    EXPECT_EQ(D(row.outside_working_hours_time()), absl::Hours(1));
    EXPECT_DOUBLE_EQ(row.meeting_share(), 2.0 / 40);
  }
  EXPECT_EQ(report.participants(0).participant(), "participants/ada");
  EXPECT_EQ(report.participants(1).time_zone(), "America/New_York");
}

TEST_F(LoadReportTest, BudgetJudgesEveryTouchedWeekWhole) {
  Put(people_, EmployeeRecord("ada", "UTC", "", absl::Minutes(90)));
  const sv1::Attendee ada = Employee("ada", "emea", 100);
  // Sunday 22:00 to Monday 02:00: 2h in week 23, 2h in week 24.
  Apply(
      Meeting("overnight", At("UTC", 2027, 6, 13, 22), absl::Hours(4), {ada}));
  Apply(Meeting("monday", At("UTC", 2027, 6, 14, 10), absl::Hours(2), {ada}));
  // Outside the range, inside its week.
  Apply(
      Meeting("wednesday", At("UTC", 2027, 6, 16, 10), absl::Hours(1), {ada}));

  av1::MeetingLoadReport report =
      Report(At("UTC", 2027, 6, 14, 0), At("UTC", 2027, 6, 15, 0));
  ASSERT_EQ(report.participants_size(), 1);
  const av1::ParticipantLoad& row = report.participants(0);
  EXPECT_EQ(D(row.meeting_time()), absl::Hours(4));
  EXPECT_EQ(D(row.weekly_budget()), absl::Minutes(90));
  // Week 23 (2h) is over budget too, but the range does not touch it.
  ASSERT_EQ(row.weeks_over_budget_size(), 1);
  EXPECT_EQ(row.weeks_over_budget(0).week().week(), 24);
  EXPECT_EQ(D(row.weeks_over_budget(0).meeting_time()), absl::Hours(5));
  EXPECT_EQ(D(row.over_budget_time()), absl::Minutes(210));
}

TEST_F(LoadReportTest, DeclinedAttendanceDoesNotCount) {
  Put(people_, EmployeeRecord("ada", "UTC"));
  Put(people_, EmployeeRecord("cy", "UTC"));
  Apply(Meeting(
      "single", At("UTC", 2027, 6, 7, 10), absl::Hours(1),
      {Employee("ada", "emea", 100), Declined(Employee("cy", "emea", 100))}));
  sv1::Meeting weekly =
      Series(Meeting("weekly", At("UTC", 2027, 6, 1, 14), absl::Hours(1),
                     {Employee("ada", "emea", 100)}),
             "FREQ=DAILY;COUNT=3");
  sv1::OccurrenceException* e = weekly.add_occurrence_exceptions();
  *e->mutable_original_start_time() = ToProtoTime(At("UTC", 2027, 6, 2, 14));
  e->add_responses()->set_attendee("participants/ada");
  e->mutable_responses(0)->set_response(sv1::DECLINED);
  Apply(weekly);

  av1::MeetingLoadReport report = Report(kMon - absl::Hours(24 * 7), kSat);
  ASSERT_EQ(report.participants_size(), 1);  // cy declined everything.
  EXPECT_EQ(report.participants(0).participant(), "participants/ada");
  EXPECT_EQ(D(report.participants(0).meeting_time()), absl::Hours(3));
}

TEST_F(LoadReportTest, CancelledOccurrencesCountNowhereAndMovedOnesAtNewTime) {
  Put(people_, EmployeeRecord("ada", "UTC"));
  sv1::Meeting weekly =
      Series(Meeting("weekly", At("UTC", 2027, 6, 7, 10), absl::Hours(1),
                     {Employee("ada", "emea", 100)}),
             "FREQ=DAILY;COUNT=4");
  CancelOccurrence(weekly, At("UTC", 2027, 6, 8, 10));
  MoveOccurrence(weekly, At("UTC", 2027, 6, 9, 10), At("UTC", 2027, 6, 9, 18),
                 At("UTC", 2027, 6, 9, 20));
  Apply(weekly);
  sv1::Meeting dropped =
      Meeting("dropped", At("UTC", 2027, 6, 10, 12), absl::Hours(3),
              {Employee("ada", "emea", 100)});
  Apply(dropped);
  dropped.set_state(sv1::CANCELLED);
  Apply(dropped);

  av1::MeetingLoadReport report = Report(kMon, kSat);
  ASSERT_EQ(report.participants_size(), 1);
  const av1::ParticipantLoad& row = report.participants(0);
  EXPECT_EQ(D(row.meeting_time()), absl::Hours(4));  // 1 + 2 (moved) + 1.
  EXPECT_EQ(D(row.outside_working_hours_time()), absl::Hours(2));
}

TEST_F(LoadReportTest, TimeOffIsNotWorkingTimeAndMeetingsInItAreOutside) {
  participant::v1::Participant ada = EmployeeRecord("ada", "UTC");
  AddTimeOff(ada, At("UTC", 2027, 6, 9, 0), At("UTC", 2027, 6, 10, 0));
  Put(people_, ada);
  Apply(Meeting("on-leave", At("UTC", 2027, 6, 9, 10), absl::Hours(1),
                {Employee("ada", "emea", 100)}));
  Apply(Meeting("back", At("UTC", 2027, 6, 10, 10), absl::Hours(1),
                {Employee("ada", "emea", 100)}));

  av1::MeetingLoadReport report = Report(kMon, kSat);
  ASSERT_EQ(report.participants_size(), 1);
  const av1::ParticipantLoad& row = report.participants(0);
  EXPECT_EQ(D(row.working_time()), absl::Hours(32));
  EXPECT_EQ(D(row.outside_working_hours_time()), absl::Hours(1));
  EXPECT_DOUBLE_EQ(row.meeting_share(), 1.0 / 32);
}

TEST_F(LoadReportTest, FocusBlockOfExactlyTheMinimumCountsAndShorterNot) {
  Put(people_, EmployeeRecord("ada", "UTC"));
  // Free: 09:00-11:00 (2h), 12:00-13:59 (1h59), 14:30-17:00 (2h30).
  Apply(Meeting("a", At("UTC", 2027, 6, 7, 11), absl::Hours(1),
                {Employee("ada", "emea", 100)}));
  Apply(Meeting("b", At("UTC", 2027, 6, 7, 13, 59), absl::Minutes(31),
                {Employee("ada", "emea", 100)}));

  av1::MeetingLoadReport report = Report(kMon, At("UTC", 2027, 6, 8, 0));
  ASSERT_EQ(report.participants_size(), 1);
  EXPECT_EQ(report.participants(0).focus_block_count(), 2);
  EXPECT_EQ(D(report.participants(0).focus_time()), absl::Minutes(270));
}

TEST_F(LoadReportTest, AdjacentWorkingPeriodsJoinIntoOneFocusBlock) {
  participant::v1::Participant ada = EmployeeRecord("ada", "UTC");
  ada.clear_working_hours();
  auto add = [&](google::type::DayOfWeek day, int from, int to) {
    type::v1::WorkingPeriod* p = ada.add_working_hours();
    p->set_day(day);
    p->mutable_start_time()->set_hours(from);
    p->mutable_end_time()->set_hours(to);
  };
  add(google::type::MONDAY, 9, 12);
  add(google::type::MONDAY, 12, 13);
  add(google::type::MONDAY, 23, 24);
  add(google::type::TUESDAY, 0, 1);
  Put(people_, ada);

  // No meetings: the participant filter still lists her.
  av1::GetMeetingLoadReportRequest request =
      Request(kMon, At("UTC", 2027, 6, 9, 0));
  request.mutable_scope()->set_participant("participants/ada");
  av1::MeetingLoadReport report = Report(request);
  ASSERT_EQ(report.participants_size(), 1);
  const av1::ParticipantLoad& row = report.participants(0);
  EXPECT_EQ(D(row.meeting_time()), absl::ZeroDuration());
  // 09:00-13:00 and 23:00-01:00 across midnight.
  EXPECT_EQ(row.focus_block_count(), 2);
  EXPECT_EQ(D(row.focus_time()), absl::Hours(6));
}

TEST_F(LoadReportTest, FocusBlocksCutByTheRangeCountTheirInRangePart) {
  Put(people_, EmployeeRecord("ada", "UTC"));
  // Monday's last free block is 15:00-17:00; Tuesday's 09:00-17:00.
  Apply(Meeting("a", At("UTC", 2027, 6, 7, 14), absl::Hours(1),
                {Employee("ada", "emea", 100)}));

  av1::GetMeetingLoadReportRequest request =
      Request(At("UTC", 2027, 6, 7, 16), At("UTC", 2027, 6, 8, 10));
  request.mutable_scope()->set_participant("participants/ada");
  av1::MeetingLoadReport report = Report(request);
  ASSERT_EQ(report.participants_size(), 1);
  const av1::ParticipantLoad& row = report.participants(0);
  EXPECT_EQ(D(row.working_time()), absl::Hours(2));
  EXPECT_EQ(row.focus_block_count(), 2);
  EXPECT_EQ(D(row.focus_time()), absl::Hours(2));
}

TEST_F(LoadReportTest, MostOverBudgetFirstThenShareThenName) {
  for (const char* id : {"ann", "bea", "cal", "dan", "eve"}) {
    Put(people_, EmployeeRecord(id, "UTC", "", absl::Hours(1)));
  }
  auto meet = [&](const std::string& id, int day, absl::Duration length) {
    Apply(Meeting(id + std::to_string(day), At("UTC", 2027, 6, day, 10), length,
                  {Employee(id, "emea", 100)}));
  };
  meet("ann", 7, absl::Minutes(30));
  meet("eve", 7, absl::Minutes(30));
  meet("dan", 7, absl::Minutes(45));
  meet("cal", 7, absl::Hours(2));  // 1h over.
  meet("bea", 7, absl::Hours(2));
  meet("bea", 8, absl::Hours(1));  // 2h over.

  av1::MeetingLoadReport report = Report(kMon, kSat);
  std::vector<std::string> order;
  for (const auto& row : report.participants()) {
    order.push_back(row.participant());
  }
  EXPECT_EQ(order,
            (std::vector<std::string>{"participants/bea", "participants/cal",
                                      "participants/dan", "participants/ann",
                                      "participants/eve"}));
  EXPECT_EQ(D(report.participants(0).over_budget_time()), absl::Hours(2));
  EXPECT_EQ(report.freshness().as_of_sequence(), 42);
}

TEST_F(LoadReportTest, DeletedEmployeeKeepsMeetingTimeInUtc) {
  Apply(Meeting("m", At("UTC", 2027, 6, 7, 10), absl::Hours(1),
                {Employee("gone", "emea", 100)}));
  av1::MeetingLoadReport report = Report(kMon, kSat);
  ASSERT_EQ(report.participants_size(), 1);
  const av1::ParticipantLoad& row = report.participants(0);
  EXPECT_EQ(row.time_zone(), "UTC");
  EXPECT_EQ(D(row.meeting_time()), absl::Hours(1));
  EXPECT_EQ(D(row.working_time()), absl::ZeroDuration());
}

TEST_F(LoadReportTest, PagesFollowOneOrderingAndRefuseTamperedTokens) {
  for (const char* id : {"ann", "bea", "cal"}) {
    Put(people_, EmployeeRecord(id, "UTC"));
    Apply(Meeting(id, At("UTC", 2027, 6, 7, 10), absl::Hours(1),
                  {Employee(id, "emea", 100)}));
  }
  av1::GetMeetingLoadReportRequest request = Request(kMon, kSat);
  request.set_page_size(2);
  av1::MeetingLoadReport first = Report(request);
  ASSERT_EQ(first.participants_size(), 2);
  EXPECT_EQ(first.total_size(), 3);
  ASSERT_FALSE(first.next_page_token().empty());

  request.set_page_token(first.next_page_token());
  av1::MeetingLoadReport second = Report(request);
  ASSERT_EQ(second.participants_size(), 1);
  EXPECT_EQ(second.participants(0).participant(), "participants/cal");
  EXPECT_EQ(second.total_size(), 3);
  EXPECT_TRUE(second.next_page_token().empty());

  std::string tampered = first.next_page_token();
  tampered[tampered.size() / 2] ^= 1;
  request.set_page_token(tampered);
  absl::StatusOr<LoadQuery> query =
      CheckLoadRequest(request, testing::TestNow());
  ASSERT_TRUE(query.ok());
  absl::StatusOr<av1::MeetingLoadReport> refused =
      BuildLoadReport(*query, Inputs(&people_));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BadFields(refused.status()),
            std::vector<std::string>{"page_token"});

  // The same token for another query (a different focus minimum).
  request.set_page_token(first.next_page_token());
  *request.mutable_focus_block_minimum() = ToProtoDuration(absl::Hours(1));
  query = CheckLoadRequest(request, testing::TestNow());
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(BuildLoadReport(*query, Inputs(&people_)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(LoadReportTest, BadRequestNamesEveryBadField) {
  av1::GetMeetingLoadReportRequest request;
  *request.mutable_scope()->mutable_interval()->mutable_end_time() =
      ToProtoTime(testing::TestNow());
  *request.mutable_focus_block_minimum() = ToProtoDuration(absl::Minutes(10));
  request.set_page_size(-1);
  absl::StatusOr<LoadQuery> query =
      CheckLoadRequest(request, testing::TestNow());
  EXPECT_EQ(query.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BadFields(query.status()),
            (std::vector<std::string>{"scope.interval", "focus_block_minimum",
                                      "page_size"}));
}

TEST_F(LoadReportTest, DefaultsAndPageSizeCap) {
  av1::GetMeetingLoadReportRequest request = Request(kMon, kSat);
  request.set_page_size(5000);
  absl::StatusOr<LoadQuery> query =
      CheckLoadRequest(request, testing::TestNow());
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(query->focus_block_minimum, absl::Hours(2));
  EXPECT_EQ(query->page_size, 1000);
  request.set_page_size(0);
  EXPECT_EQ(CheckLoadRequest(request, testing::TestNow())->page_size, 50);
}

}  // namespace
}  // namespace salesmeet::analytics
