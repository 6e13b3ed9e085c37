#include "services/participant/participant_validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace salesmeet::participant {
namespace {

using ::testing::Contains;
using ::testing::IsEmpty;

v1::Participant ValidRep() {
  v1::Participant p;
  p.set_display_name("Maria Rossi");
  p.set_email("maria.rossi@example.com");
  p.set_kind(salesmeet::type::v1::EMPLOYEE);
  p.set_role(salesmeet::type::v1::SALES_REP);
  p.set_time_zone("Europe/Rome");
  p.mutable_hourly_cost()->set_currency_code("EUR");
  p.mutable_hourly_cost()->set_units(85);
  p.mutable_weekly_meeting_budget()->set_seconds(10 * 3600);
  ApplyParticipantDefaults(p);
  return p;
}

v1::Participant ValidContact() {
  v1::Participant p;
  p.set_display_name("Jon Smith");
  p.set_email("jon@acme.example");
  p.set_kind(salesmeet::type::v1::CUSTOMER_CONTACT);
  p.set_time_zone("America/New_York");
  auto* c = p.mutable_customer();
  c->set_account("Acme Inc.");
  c->set_lifecycle(salesmeet::type::v1::PROSPECT);
  c->set_account_owner("participants/maria-rossi");
  c->mutable_contact_cadence()->set_seconds(14 * 86400);
  return p;
}

// The field paths named in the BadRequest for `p`.
std::vector<std::string> BadFields(const v1::Participant& p) {
  FieldErrors errors;
  ValidateParticipant(p, "participant", errors);
  std::vector<std::string> fields;
  google::rpc::BadRequest bad;
  if (GetBadRequest(errors.ToStatus(), &bad)) {
    for (const auto& v : bad.field_violations()) fields.push_back(v.field());
  }
  return fields;
}

salesmeet::type::v1::WorkingPeriod Block(google::type::DayOfWeek day,
                                         int start_h, int start_m, int end_h,
                                         int end_m) {
  salesmeet::type::v1::WorkingPeriod period;
  period.set_day(day);
  period.mutable_start_time()->set_hours(start_h);
  period.mutable_start_time()->set_minutes(start_m);
  period.mutable_end_time()->set_hours(end_h);
  period.mutable_end_time()->set_minutes(end_m);
  return period;
}

TEST(ValidationTest, ValidEmployeeAndContactPass) {
  EXPECT_THAT(BadFields(ValidRep()), IsEmpty());
  EXPECT_THAT(BadFields(ValidContact()), IsEmpty());
}

TEST(ValidationTest, DefaultsFillMondayToFridayNineToFive) {
  v1::Participant p;
  ApplyParticipantDefaults(p);
  ASSERT_EQ(p.working_hours_size(), 5);
  EXPECT_EQ(p.working_hours(0).day(), google::type::MONDAY);
  EXPECT_EQ(p.working_hours(4).day(), google::type::FRIDAY);
  EXPECT_EQ(p.working_hours(0).start_time().hours(), 9);
  EXPECT_EQ(p.working_hours(0).end_time().hours(), 17);
}

TEST(ValidationTest, EmailSyntax) {
  for (const char* good :
       {"a@b.co", "first.last+tag@sub.example.org", "o'neil@example.ie"}) {
    EXPECT_TRUE(IsValidEmail(good)) << good;
  }
  for (const char* bad :
       {"", "plain", "a@b", "a@@b.com", "a@b.c", ".a@b.com", "a..b@c.com",
        "a@-b.com", "a b@c.com", "a@b_c.com", "a@b.c0m"}) {
    EXPECT_FALSE(IsValidEmail(bad)) << bad;
  }
  v1::Participant p = ValidRep();
  p.set_email("not-an-email");
  EXPECT_THAT(BadFields(p), Contains("participant.email"));
}

TEST(ValidationTest, EmailIsNotEchoedInTheError) {
  v1::Participant p = ValidRep();
  p.set_email("secret.person@@example.com");
  FieldErrors errors;
  ValidateParticipant(p, "participant", errors);
  EXPECT_EQ(std::string(errors.ToStatus().message()).find("secret.person"),
            std::string::npos);
}

TEST(ValidationTest, DstObservingTimeZoneIsAccepted) {
  v1::Participant p = ValidRep();
  p.set_time_zone("America/New_York");
  EXPECT_THAT(BadFields(p), IsEmpty());
  p.set_time_zone("Australia/Lord_Howe");  // A 30-minute DST shift.
  EXPECT_THAT(BadFields(p), IsEmpty());
}

TEST(ValidationTest, BogusTimeZoneIsNamed) {
  v1::Participant p = ValidRep();
  p.set_time_zone("Mars/Olympus_Mons");
  EXPECT_THAT(BadFields(p), Contains("participant.time_zone"));
  p.set_time_zone("");
  EXPECT_THAT(BadFields(p), Contains("participant.time_zone"));
}

TEST(ValidationTest, WorkingHoursMustEndAfterStart) {
  v1::Participant p = ValidRep();
  p.clear_working_hours();
  *p.add_working_hours() = Block(google::type::MONDAY, 17, 0, 9, 0);
  EXPECT_THAT(BadFields(p), Contains("participant.working_hours[0]"));
}

TEST(ValidationTest, WorkingHoursMayNotOverlapOnTheSameDay) {
  v1::Participant p = ValidRep();
  p.clear_working_hours();
  *p.add_working_hours() = Block(google::type::MONDAY, 9, 0, 12, 0);
  *p.add_working_hours() = Block(google::type::TUESDAY, 11, 0, 13, 0);
  *p.add_working_hours() = Block(google::type::MONDAY, 11, 30, 14, 0);
  EXPECT_THAT(BadFields(p),
              ::testing::ElementsAre("participant.working_hours[2]"));
}

TEST(ValidationTest, AdjacentWorkingHoursAndEndOfDayAreFine) {
  v1::Participant p = ValidRep();
  p.clear_working_hours();
  *p.add_working_hours() = Block(google::type::MONDAY, 9, 0, 12, 0);
  *p.add_working_hours() = Block(google::type::MONDAY, 12, 0, 24, 0);
  EXPECT_THAT(BadFields(p), IsEmpty());
}

TEST(ValidationTest, WorkingHoursNeedADayAndWholeMinutes) {
  v1::Participant p = ValidRep();
  p.clear_working_hours();
  *p.add_working_hours() =
      Block(google::type::DAY_OF_WEEK_UNSPECIFIED, 9, 0, 17, 0);
  auto odd = Block(google::type::MONDAY, 9, 0, 17, 0);
  odd.mutable_start_time()->set_seconds(30);
  *p.add_working_hours() = odd;
  *p.add_working_hours() = Block(google::type::TUESDAY, 24, 0, 24, 0);
  std::vector<std::string> fields = BadFields(p);
  EXPECT_THAT(fields, Contains("participant.working_hours[0].day"));
  EXPECT_THAT(fields, Contains("participant.working_hours[1].start_time"));
  EXPECT_THAT(fields, Contains("participant.working_hours[2].start_time"));
}

TEST(ValidationTest, TimeOffMustEndAfterStart) {
  v1::Participant p = ValidRep();
  auto* off = p.add_time_off()->mutable_interval();
  off->mutable_start_time()->set_seconds(1'800'000'000);
  off->mutable_end_time()->set_seconds(1'800'000'000);
  EXPECT_THAT(BadFields(p),
              Contains("participant.time_off[0].interval.end_time"));
  auto* missing = p.add_time_off()->mutable_interval();
  missing->mutable_start_time()->set_seconds(1'800'000'000);
  EXPECT_THAT(BadFields(p), Contains("participant.time_off[1].interval"));
}

TEST(ValidationTest, HourlyCostNonNegativeWithIsoCurrency) {
  v1::Participant p = ValidRep();
  p.mutable_hourly_cost()->set_units(-1);
  EXPECT_THAT(BadFields(p), Contains("participant.hourly_cost"));
  p = ValidRep();
  p.mutable_hourly_cost()->set_currency_code("EURO");
  EXPECT_THAT(BadFields(p), Contains("participant.hourly_cost.currency_code"));
  p = ValidRep();
  p.mutable_hourly_cost()->set_units(0);  // Free interns are allowed.
  EXPECT_THAT(BadFields(p), IsEmpty());
}

TEST(ValidationTest, EmployeesNeedAnHourlyCostAndOthersMustNotHaveOne) {
  v1::Participant p = ValidRep();
  p.clear_hourly_cost();
  EXPECT_THAT(BadFields(p), Contains("participant.hourly_cost"));
  v1::Participant c = ValidContact();
  c.mutable_hourly_cost()->set_currency_code("EUR");
  EXPECT_THAT(BadFields(c), Contains("participant.hourly_cost"));
}

TEST(ValidationTest, WeeklyBudgetMustBePositive) {
  v1::Participant p = ValidRep();
  p.mutable_weekly_meeting_budget()->set_seconds(0);
  EXPECT_THAT(BadFields(p), Contains("participant.weekly_meeting_budget"));
  p.mutable_weekly_meeting_budget()->set_seconds(-3600);
  EXPECT_THAT(BadFields(p), Contains("participant.weekly_meeting_budget"));
  p.clear_weekly_meeting_budget();  // Unset means no budget.
  EXPECT_THAT(BadFields(p), IsEmpty());
}

TEST(ValidationTest, EmployeesNeedARoleAndOthersMustNotHaveOne) {
  v1::Participant p = ValidRep();
  p.set_role(salesmeet::type::v1::ROLE_UNSPECIFIED);
  EXPECT_THAT(BadFields(p), Contains("participant.role"));
  v1::Participant c = ValidContact();
  c.set_role(salesmeet::type::v1::SALES_REP);
  EXPECT_THAT(BadFields(c), Contains("participant.role"));
}

TEST(ValidationTest, KindIsRequiredAndUnknownValuesAreRefused) {
  v1::Participant p = ValidRep();
  p.set_kind(salesmeet::type::v1::PARTICIPANT_KIND_UNSPECIFIED);
  EXPECT_THAT(BadFields(p), Contains("participant.kind"));
  p.set_kind(static_cast<salesmeet::type::v1::ParticipantKind>(42));
  EXPECT_THAT(BadFields(p), Contains("participant.kind"));
}

TEST(ValidationTest, CustomerContactNeedsAccountLifecycleCadenceAndOwner) {
  v1::Participant c = ValidContact();
  c.mutable_customer()->clear_account();
  c.mutable_customer()->clear_lifecycle();
  c.mutable_customer()->clear_contact_cadence();
  c.mutable_customer()->clear_account_owner();
  std::vector<std::string> fields = BadFields(c);
  EXPECT_THAT(fields, Contains("participant.customer.account"));
  EXPECT_THAT(fields, Contains("participant.customer.lifecycle"));
  EXPECT_THAT(fields, Contains("participant.customer.contact_cadence"));
  EXPECT_THAT(fields, Contains("participant.customer.account_owner"));
}

TEST(ValidationTest, CustomerCadenceMustBePositive) {
  v1::Participant c = ValidContact();
  c.mutable_customer()->mutable_contact_cadence()->set_seconds(-86400);
  EXPECT_THAT(BadFields(c), Contains("participant.customer.contact_cadence"));
}

TEST(ValidationTest, CustomerProfileIsOnlyForCustomerContacts) {
  v1::Participant c = ValidContact();
  c.clear_customer();
  EXPECT_THAT(BadFields(c), Contains("participant.customer"));
  v1::Participant p = ValidRep();
  *p.mutable_customer() = ValidContact().customer();
  EXPECT_THAT(BadFields(p), Contains("participant.customer"));
}

TEST(ValidationTest, OnlyEmployeesBelongToTeams) {
  v1::Participant c = ValidContact();
  c.set_team("teams/emea");
  EXPECT_THAT(BadFields(c), Contains("participant.team"));
  v1::Participant p = ValidRep();
  p.set_team("Teams/EMEA");
  EXPECT_THAT(BadFields(p), Contains("participant.team"));
}

TEST(ValidationTest, DisplayNameRequiredAndBounded) {
  v1::Participant p = ValidRep();
  p.set_display_name("   ");
  EXPECT_THAT(BadFields(p), Contains("participant.display_name"));
  p.set_display_name(std::string(201, 'x'));
  EXPECT_THAT(BadFields(p), Contains("participant.display_name"));
}

TEST(ValidationTest, NameLimitCountsCharactersNotBytes) {
  v1::Participant p = ValidRep();
  std::string accented;
  for (int i = 0; i < 200; ++i) accented += "\xc3\xa9";  // 200 x "é"
  p.set_display_name(accented);
  EXPECT_THAT(BadFields(p), IsEmpty());
  p.set_display_name(accented + "e");
  EXPECT_THAT(BadFields(p), Contains("participant.display_name"));
}

TEST(ValidationTest, EveryProblemIsReportedAtOnce) {
  v1::Participant p = ValidRep();
  p.set_email("x");
  p.set_time_zone("Nowhere/Land");
  p.mutable_hourly_cost()->set_currency_code("ZZZ");
  EXPECT_EQ(BadFields(p).size(), 3u);
}

TEST(TeamValidationTest, NeedsANameAndAWellFormedManager) {
  v1::Team team;
  team.set_manager("bob");
  FieldErrors errors;
  ValidateTeam(team, "team", errors);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(GetBadRequest(errors.ToStatus(), &bad));
  ASSERT_EQ(bad.field_violations_size(), 2);
  EXPECT_EQ(bad.field_violations(0).field(), "team.display_name");
  EXPECT_EQ(bad.field_violations(1).field(), "team.manager");
}

TEST(SalesRoleTest, OnlyRepsAndManagersSell) {
  EXPECT_TRUE(IsSalesRole(salesmeet::type::v1::SALES_REP));
  EXPECT_TRUE(IsSalesRole(salesmeet::type::v1::SALES_MANAGER));
  EXPECT_FALSE(IsSalesRole(salesmeet::type::v1::EXECUTIVE));
  EXPECT_FALSE(IsSalesRole(salesmeet::type::v1::TECHNICAL_EXPERT));
}

}  // namespace
}  // namespace salesmeet::participant
