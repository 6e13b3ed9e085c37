#ifndef SALESMEET_SERVICES_ANALYTICS_REPORTS_REPORT_TEST_FIXTURE_H_
#define SALESMEET_SERVICES_ANALYTICS_REPORTS_REPORT_TEST_FIXTURE_H_

// Builders for the meetings the change feed would carry and a read model
// to apply them to, so report tests state their cases in a few lines and
// check figures computed by hand.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/calendar/calendar_test_support.h"
#include "common/field_checks.h"
#include "common/page_token.h"
#include "common/participant_records.h"
#include "salesmeet/analytics/v1/analytics_service.pb.h"
#include "salesmeet/scheduling/v1/meeting.pb.h"
#include "services/analytics/projection/read_model.h"
#include "services/analytics/reports/report_currency.h"
#include "services/analytics/reports/report_inputs.h"

namespace salesmeet::analytics::testing {

// An instant given as local civil time in an IANA zone.
inline absl::Time At(const char* zone, int year, int month, int day, int hour,
                     int minute = 0) {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone(zone, &tz)) << zone;
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0),
                         tz);
}

// An employee attendee with their snapshot at booking.
inline sv1::Attendee Employee(const std::string& id, const std::string& team,
                              int64_t hourly_eur,
                              tv1::Role role = tv1::SALES_REP) {
  sv1::Attendee attendee;
  attendee.set_participant(absl::StrCat("participants/", id));
  attendee.set_response(sv1::ACCEPTED);
  sv1::AttendeeSnapshot* snapshot = attendee.mutable_snapshot();
  snapshot->set_kind(tv1::EMPLOYEE);
  snapshot->set_role(role);
  if (!team.empty()) snapshot->set_team(absl::StrCat("teams/", team));
  *snapshot->mutable_hourly_cost() = Eur(hourly_eur);
  return attendee;
}

// The same employee paid in another currency.
inline sv1::Attendee PaidIn(sv1::Attendee employee, const std::string& code) {
  employee.mutable_snapshot()->mutable_hourly_cost()->set_currency_code(code);
  return employee;
}

// A customer contact attendee: costs nothing, makes a meeting
// customer-facing.
inline sv1::Attendee Customer(const std::string& id) {
  sv1::Attendee attendee;
  attendee.set_participant(absl::StrCat("participants/", id));
  attendee.set_response(sv1::ACCEPTED);
  attendee.mutable_snapshot()->set_kind(tv1::CUSTOMER_CONTACT);
  return attendee;
}

// A scheduled single meeting organised by the first attendee, with its
// audience derived from the attendees as scheduling derives it.
inline sv1::Meeting Meeting(const std::string& id, absl::Time start,
                            absl::Duration length,
                            std::vector<sv1::Attendee> attendees,
                            const std::string& time_zone = "UTC") {
  sv1::Meeting meeting;
  meeting.set_name(absl::StrCat("meetings/", id));
  meeting.set_title(id);
  meeting.set_purpose(sv1::STRATEGY);
  meeting.set_format(sv1::VIDEO_CONFERENCE);
  meeting.set_state(sv1::SCHEDULED);
  meeting.set_time_zone(time_zone);
  *meeting.mutable_start_time() = ToProtoTime(start);
  *meeting.mutable_end_time() = ToProtoTime(start + length);
  meeting.set_audience(sv1::INTERNAL);
  for (sv1::Attendee& attendee : attendees) {
    if (attendee.snapshot().kind() == tv1::CUSTOMER_CONTACT) {
      meeting.set_audience(sv1::CUSTOMER_FACING);
    }
    *meeting.add_attendees() = std::move(attendee);
  }
  if (meeting.attendees_size() > 0) {
    meeting.set_organizer(meeting.attendees(0).participant());
  }
  return meeting;
}

// The same meeting repeating by `rrule` (e.g. "FREQ=WEEKLY;COUNT=4") in
// its time zone.
inline sv1::Meeting Series(sv1::Meeting meeting, const std::string& rrule) {
  meeting.mutable_recurrence()->set_rrule(rrule);
  return meeting;
}

// Marks the meeting completed with `outcome` and an optional deal value.
inline sv1::Meeting Completed(sv1::Meeting meeting, sv1::MeetingOutcome outcome,
                              int64_t deal_eur = 0) {
  meeting.set_state(sv1::COMPLETED);
  meeting.set_outcome(outcome);
  if (deal_eur != 0) *meeting.mutable_deal_value() = Eur(deal_eur);
  return meeting;
}

// The "now" requests are checked at: fixed, so no test depends on the day
// it runs.
inline absl::Time TestNow() { return At("UTC", 2027, 6, 1, 12); }

// The report, failing the test when it is an error.
template <typename Report>
Report Unwrap(absl::StatusOr<Report> report) {
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *std::move(report) : Report();
}

// A read model with meetings applied, and the inputs a report reads,
// computed the way the service computes them.
class ReportTest : public ::testing::Test {
 protected:
  // The clock reports are evaluated at unless a test moves it.
  absl::Time now_ = TestNow();

  void Apply(const sv1::Meeting& meeting) {
    ASSERT_TRUE(model_.Apply(meeting, now_).ok()) << meeting.name();
  }

  // Inputs over the current model; `people` may be null, and so may
  // `policy` (no conversion table).
  ReportInputs Inputs(const ParticipantsByName* people = nullptr,
                      const sv1::SchedulingPolicy* policy = nullptr) {
    currency_ = std::make_unique<ReportCurrency>(model_.amounts(), policy);
    ReportInputs inputs{model_, *currency_};
    inputs.freshness.set_as_of_sequence(42);
    inputs.now = now_;
    inputs.people = people;
    inputs.page_tokens = &page_tokens_;
    return inputs;
  }

  ReadModel model_;
  std::unique_ptr<ReportCurrency> currency_;
  PageTokenCodec page_tokens_{"test-secret", absl::Hours(24)};
};

// Money as a decimal string, "12.50 EUR", for readable assertions.
inline std::string Show(const google::type::Money& money) {
  return absl::StrCat(money.units(), ".",
                      absl::StrFormat("%02d", money.nanos() / 10'000'000), " ",
                      money.currency_code());
}

// --- Participant records and occurrence exceptions (load and cadence
// reports) ---

// An employee's record as the participant service holds it now: Monday to
// Friday 09:00-17:00 in `time_zone` (its default), and a weekly meeting
// budget when `budget` is positive.
inline participant::v1::Participant EmployeeRecord(
    const std::string& id, const std::string& time_zone,
    const std::string& team = "",
    absl::Duration budget = absl::ZeroDuration()) {
  participant::v1::Participant record;
  record.set_name(absl::StrCat("participants/", id));
  record.set_kind(tv1::EMPLOYEE);
  record.set_role(tv1::SALES_REP);
  if (!team.empty()) record.set_team(absl::StrCat("teams/", team));
  record.set_time_zone(time_zone);
  for (int day = google::type::MONDAY; day <= google::type::FRIDAY; ++day) {
    type::v1::WorkingPeriod* period = record.add_working_hours();
    period->set_day(static_cast<google::type::DayOfWeek>(day));
    period->mutable_start_time()->set_hours(9);
    period->mutable_end_time()->set_hours(17);
  }
  if (budget > absl::ZeroDuration()) {
    *record.mutable_weekly_meeting_budget() = ToProtoDuration(budget);
  }
  return record;
}

inline void AddTimeOff(participant::v1::Participant& record, absl::Time start,
                       absl::Time end) {
  type::v1::Interval* interval = record.add_time_off()->mutable_interval();
  *interval->mutable_start_time() = ToProtoTime(start);
  *interval->mutable_end_time() = ToProtoTime(end);
}

// A customer contact's record: their account, owned by `owner_id`, to be
// met every `cadence_days` days.
inline participant::v1::Participant CustomerRecord(
    const std::string& id, const std::string& owner_id, int cadence_days,
    const std::string& account = "Acme GmbH") {
  participant::v1::Participant record;
  record.set_name(absl::StrCat("participants/", id));
  record.set_kind(tv1::CUSTOMER_CONTACT);
  record.set_time_zone("UTC");
  participant::v1::CustomerProfile* profile = record.mutable_customer();
  profile->set_account(account);
  profile->set_lifecycle(tv1::EXISTING_CUSTOMER);
  profile->set_account_owner(absl::StrCat("participants/", owner_id));
  *profile->mutable_contact_cadence() =
      ToProtoDuration(absl::Hours(24 * cadence_days));
  return record;
}

inline void Put(ParticipantsByName& people,
                participant::v1::Participant record) {
  std::string name = record.name();
  people[name] = std::move(record);
}

// The attendee, having declined the meeting.
inline sv1::Attendee Declined(sv1::Attendee attendee) {
  attendee.set_response(sv1::DECLINED);
  return attendee;
}

// Cancels the occurrence of a series that the rule puts at `original`.
inline void CancelOccurrence(sv1::Meeting& meeting, absl::Time original) {
  sv1::OccurrenceException* e = meeting.add_occurrence_exceptions();
  *e->mutable_original_start_time() = ToProtoTime(original);
  e->set_cancelled(true);
}

// Moves the occurrence the rule puts at `original` to [start, end).
inline void MoveOccurrence(sv1::Meeting& meeting, absl::Time original,
                           absl::Time start, absl::Time end) {
  sv1::OccurrenceException* e = meeting.add_occurrence_exceptions();
  *e->mutable_original_start_time() = ToProtoTime(original);
  *e->mutable_start_time() = ToProtoTime(start);
  *e->mutable_end_time() = ToProtoTime(end);
}

// --- Per-occurrence answers and scopes (cost, mix, top performers) ---

// Records `id`'s answer for the one occurrence the rule puts at `original`,
// in that occurrence's exception (added when there is none yet).
inline void AnswerOccurrence(sv1::Meeting& meeting, absl::Time original,
                             const std::string& id,
                             sv1::ResponseStatus response) {
  sv1::OccurrenceException* e = nullptr;
  for (sv1::OccurrenceException& existing :
       *meeting.mutable_occurrence_exceptions()) {
    if (ToAbslTime(existing.original_start_time()) == original) e = &existing;
  }
  if (e == nullptr) {
    e = meeting.add_occurrence_exceptions();
    *e->mutable_original_start_time() = ToProtoTime(original);
  }
  sv1::OccurrenceResponse* r = e->add_responses();
  r->set_attendee(absl::StrCat("participants/", id));
  r->set_response(response);
}

// A report scope over [start, end), ISO weeks in `time_zone` when given.
inline av1::ReportScope ScopeOver(absl::Time start, absl::Time end,
                                  const std::string& time_zone = "") {
  av1::ReportScope scope;
  *scope.mutable_interval()->mutable_start_time() = ToProtoTime(start);
  *scope.mutable_interval()->mutable_end_time() = ToProtoTime(end);
  scope.set_time_zone(time_zone);
  return scope;
}

}  // namespace salesmeet::analytics::testing

#endif  // SALESMEET_SERVICES_ANALYTICS_REPORTS_REPORT_TEST_FIXTURE_H_
