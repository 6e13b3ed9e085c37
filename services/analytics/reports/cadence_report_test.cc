#include "services/analytics/reports/cadence_report.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/error_test_support.h"
#include "common/errors.h"
#include "common/field_checks.h"
#include "services/analytics/reports/report_test_fixture.h"

namespace salesmeet::analytics {
namespace {

using testing::At;
using testing::Completed;
using testing::Customer;
using testing::CustomerRecord;
using testing::Declined;
using testing::Employee;
using testing::EmployeeRecord;
using testing::Meeting;
using testing::Put;

absl::Time Day(int month, int day, int hour = 10) {
  return At("UTC", 2027, month, day, hour);
}

// Judged on 1 June 2027 12:00 (the fixture's now, before the range ends),
// over May 2027 onwards: 31.5 days of range before evaluation, so with a
// 28-day cadence three contacts are over-contacted (3 x 28 > 2 x 31.5).
class CadenceReportTest : public testing::ReportTest {
 protected:
  void SetUp() override {
    Put(people_, EmployeeRecord("olga", "UTC", "emea"));
    Put(people_, EmployeeRecord("pete", "UTC", "amer"));
    Put(people_, CustomerRecord("c-overdue", "olga", 28));
    Put(people_, CustomerRecord("c-overdue2", "pete", 14));
    Put(people_, CustomerRecord("c-never", "pete", 28));
    Put(people_, CustomerRecord("c-declined", "pete", 28));
    Put(people_, CustomerRecord("c-due", "olga", 28));
    Put(people_, CustomerRecord("c-over", "olga", 28));
    Put(people_, CustomerRecord("c-over-due", "pete", 28));
    Put(people_, CustomerRecord("c-ontrack", "pete", 28));
    Put(people_, CustomerRecord("c-noshow", "pete", 28));

    // Three contacts, overdue since 31 May 10:00: OVERDUE wins.
    for (int day : {1, 2, 3}) Meet("c-overdue", Day(5, day));
    // Last met long before the range.
    Meet("c-overdue2", Day(4, 1));
    // Cancelled meetings count nowhere.
    sv1::Meeting cancelled = With("c-never", Day(5, 20));
    Apply(cancelled);
    cancelled.set_state(sv1::CANCELLED);
    Apply(cancelled);
    Apply(Meeting(
        "declined", Day(5, 30), absl::Hours(1),
        {Employee("pete", "amer", 90), Declined(Customer("c-declined"))}));
    // Next contact expected 5 June 12:00, 4 days ahead.
    Meet("c-due", Day(5, 8, 12));
    for (int day : {20, 25, 30}) Meet("c-over", Day(5, day));
    // Due on 4 June, but OVER_CONTACTED comes first.
    for (int day : {5, 6, 7}) Meet("c-over-due", Day(5, day));
    Meet("c-ontrack", Day(5, 25));
    Apply(Meeting(
        "declined-next", Day(6, 3), absl::Hours(1),
        {Employee("pete", "amer", 90), Declined(Customer("c-ontrack"))}));
    Meet("c-ontrack", Day(6, 10));
    Meet("c-ontrack", Day(6, 20));
    Meet("c-noshow", Day(5, 25));
    Apply(Completed(With("c-noshow", Day(5, 31)), sv1::NO_SHOW));
  }

  sv1::Meeting With(const std::string& customer, absl::Time start) {
    const std::string id = absl::StrCat(
        customer, "-", absl::FormatTime("%m%d%H", start, absl::UTCTimeZone()));
    return Meeting(id, start, absl::Hours(1),
                   {Employee("olga", "emea", 90), Customer(customer)});
  }
  void Meet(const std::string& customer, absl::Time start) {
    Apply(With(customer, start));
  }

  av1::GetContactCadenceReportRequest Request() {
    av1::GetContactCadenceReportRequest request;
    *request.mutable_interval()->mutable_start_time() =
        ToProtoTime(Day(5, 1, 0));
    *request.mutable_interval()->mutable_end_time() =
        ToProtoTime(Day(6, 15, 0));
    return request;
  }

  absl::StatusOr<av1::ContactCadenceReport> Build(
      const av1::GetContactCadenceReportRequest& request) {
    absl::StatusOr<CadenceQuery> query =
        CheckCadenceRequest(request, testing::TestNow());
    if (!query.ok()) return query.status();
    return BuildCadenceReport(*query, Inputs(&people_));
  }

  av1::ContactCadenceReport Report(
      const av1::GetContactCadenceReportRequest& request) {
    absl::StatusOr<av1::ContactCadenceReport> report = Build(request);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : av1::ContactCadenceReport();
  }

  const av1::ContactCadence& Row(const av1::ContactCadenceReport& report,
                                 const std::string& id) {
    for (const av1::ContactCadence& row : report.contacts()) {
      if (row.participant() == "participants/" + id) return row;
    }
    ADD_FAILURE() << id << " not listed";
    return av1::ContactCadence::default_instance();
  }

  static std::vector<std::string> Names(
      const av1::ContactCadenceReport& report) {
    std::vector<std::string> names;
    for (const auto& row : report.contacts()) {
      names.push_back(IdFromName(row.participant()));
    }
    return names;
  }

  ParticipantsByName people_;
};

TEST_F(CadenceReportTest, ListsEveryStatusInItsOrder) {
  av1::ContactCadenceReport report = Report(Request());
  EXPECT_EQ(ToAbslTime(report.evaluation_time()), now_);
  EXPECT_EQ(Names(report),
            (std::vector<std::string>{"c-overdue2", "c-overdue", "c-declined",
                                      "c-never", "c-due", "c-over",
                                      "c-over-due", "c-noshow", "c-ontrack"}));
  const std::vector<av1::CadenceStatus> want = {
      av1::OVERDUE,         av1::OVERDUE,  av1::NEVER_CONTACTED,
      av1::NEVER_CONTACTED, av1::DUE_SOON, av1::OVER_CONTACTED,
      av1::OVER_CONTACTED,  av1::ON_TRACK, av1::ON_TRACK};
  for (int i = 0; i < report.contacts_size(); ++i) {
    EXPECT_EQ(report.contacts(i).status(), want[i])
        << report.contacts(i).participant();
  }
  EXPECT_EQ(report.summary().overdue(), 2);
  EXPECT_EQ(report.summary().never_contacted(), 2);
  EXPECT_EQ(report.summary().due_soon(), 1);
  EXPECT_EQ(report.summary().over_contacted(), 2);
  EXPECT_EQ(report.summary().on_track(), 2);
  EXPECT_EQ(report.freshness().as_of_sequence(), 42);
}

TEST_F(CadenceReportTest, OverdueCountsWholeDaysFromLastContactAtAnyTime) {
  av1::ContactCadenceReport report = Report(Request());
  const av1::ContactCadence& old = Row(report, "c-overdue2");
  EXPECT_EQ(ToAbslTime(old.last_contact_time()), Day(4, 1));
  EXPECT_EQ(old.last_contact_meeting(), "meetings/c-overdue2-040110");
  EXPECT_EQ(ToAbslTime(old.next_contact_time()), Day(4, 15));
  EXPECT_EQ(old.days_overdue(), 47);  // 47 days and 2 hours.
  EXPECT_EQ(old.contact_count(), 0);
  EXPECT_EQ(ToAbslDuration(old.cadence()), absl::Hours(24 * 14));
  EXPECT_EQ(old.account(), "Acme GmbH");
  EXPECT_EQ(old.account_owner(), "participants/pete");

  const av1::ContactCadence& recent = Row(report, "c-overdue");
  EXPECT_EQ(recent.days_overdue(), 1);
  EXPECT_EQ(recent.contact_count(), 3);
  EXPECT_EQ(Row(report, "c-due").days_overdue(), 0);
}

TEST_F(CadenceReportTest, NoShowAndDeclinedMeetingsAreNotContacts) {
  av1::ContactCadenceReport report = Report(Request());
  const av1::ContactCadence& noshow = Row(report, "c-noshow");
  EXPECT_EQ(ToAbslTime(noshow.last_contact_time()), Day(5, 25));
  EXPECT_EQ(noshow.contact_count(), 1);
  const av1::ContactCadence& declined = Row(report, "c-declined");
  EXPECT_EQ(declined.status(), av1::NEVER_CONTACTED);
  EXPECT_FALSE(declined.has_last_contact_time());
  EXPECT_FALSE(declined.has_next_contact_time());
}

TEST_F(CadenceReportTest, NextScheduledIsTheFirstBookedOccurrenceTheyAttend) {
  av1::ContactCadenceReport report = Report(Request());
  // 3 June was declined; 10 June is the next booked.
  const av1::ContactCadence& row = Row(report, "c-ontrack");
  EXPECT_EQ(ToAbslTime(row.next_scheduled_time()), Day(6, 10));
  EXPECT_EQ(ToAbslTime(row.last_contact_time()), Day(5, 25));
  EXPECT_EQ(row.contact_count(), 1);  // Booked ones are not contacts yet.
  EXPECT_FALSE(Row(report, "c-due").has_next_scheduled_time());
}

TEST_F(CadenceReportTest, EvaluatesAtTheRangeEndWhenBeforeNow) {
  av1::GetContactCadenceReportRequest request = Request();
  *request.mutable_interval()->mutable_end_time() = ToProtoTime(Day(5, 15, 0));
  request.set_participant("participants/c-due");
  av1::ContactCadenceReport report = Report(request);
  EXPECT_EQ(ToAbslTime(report.evaluation_time()), Day(5, 15, 0));
  ASSERT_EQ(report.contacts_size(), 1);
  EXPECT_EQ(report.contacts(0).status(), av1::ON_TRACK);  // Due 5 June.
}

TEST_F(CadenceReportTest, FiltersByAccountOwnerAndTheirCurrentTeam) {
  av1::GetContactCadenceReportRequest request = Request();
  request.set_account_owner("participants/olga");
  const std::vector<std::string> olgas = {"c-overdue", "c-due", "c-over"};
  EXPECT_EQ(Names(Report(request)), olgas);

  request.clear_account_owner();
  request.set_team("teams/emea");
  EXPECT_EQ(Names(Report(request)), olgas);
  // Pete moves to emea: his contacts follow him.
  people_["participants/pete"].set_team("teams/emea");
  EXPECT_EQ(Report(request).contacts_size(), 9);
}

TEST_F(CadenceReportTest, StatusFilterKeepsTheSummaryOfAll) {
  av1::GetContactCadenceReportRequest request = Request();
  request.add_statuses(av1::DUE_SOON);
  request.add_statuses(av1::NEVER_CONTACTED);
  av1::ContactCadenceReport report = Report(request);
  EXPECT_EQ(Names(report),
            (std::vector<std::string>{"c-declined", "c-never", "c-due"}));
  EXPECT_EQ(report.summary().on_track(), 2);
  EXPECT_EQ(report.summary().overdue(), 2);
}

TEST_F(CadenceReportTest, PagesContinueTheOrderingAndRefuseTamperedTokens) {
  av1::GetContactCadenceReportRequest request = Request();
  request.set_page_size(5);
  av1::ContactCadenceReport first = Report(request);
  ASSERT_EQ(first.contacts_size(), 5);
  ASSERT_FALSE(first.next_page_token().empty());
  request.set_page_token(first.next_page_token());
  av1::ContactCadenceReport second = Report(request);
  EXPECT_EQ(Names(second), (std::vector<std::string>{"c-over", "c-over-due",
                                                     "c-noshow", "c-ontrack"}));
  EXPECT_TRUE(second.next_page_token().empty());
  EXPECT_EQ(second.summary().overdue(), 2);

  std::string tampered = first.next_page_token();
  tampered[tampered.size() / 2] ^= 1;
  request.set_page_token(tampered);
  absl::Status refused = Build(request).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BadFields(refused), std::vector<std::string>{"page_token"});
  // A token from another query (a status filter added) is refused too.
  request.set_page_token(first.next_page_token());
  request.add_statuses(av1::OVERDUE);
  EXPECT_EQ(Build(request).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(CadenceReportTest, BadRequestNamesEveryBadField) {
  av1::GetContactCadenceReportRequest request;
  *request.mutable_interval()->mutable_start_time() =
      ToProtoTime(testing::TestNow());
  request.set_team("squads/x");
  request.add_statuses(av1::OVERDUE);
  request.add_statuses(av1::CADENCE_STATUS_UNSPECIFIED);
  request.set_page_size(-3);
  absl::Status status =
      CheckCadenceRequest(request, testing::TestNow()).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BadFields(status),
            (std::vector<std::string>{"interval", "team", "statuses[1]",
                                      "page_size"}));
}

TEST(CheckCadenceRequestTest, WithoutAnIntervalCoversThirteenWeeksToToday) {
  const absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  absl::StatusOr<CadenceQuery> query = CheckCadenceRequest({}, now);
  ASSERT_TRUE(query.ok()) << query.status();
  const absl::Time tomorrow =
      absl::FromUnixSeconds(1'800'000'000 - 1'800'000'000 % 86400 + 86400);
  EXPECT_EQ(query->interval.end, tomorrow);
  EXPECT_EQ(query->interval.start, tomorrow - absl::Hours(24 * 91));
}

}  // namespace
}  // namespace salesmeet::analytics
