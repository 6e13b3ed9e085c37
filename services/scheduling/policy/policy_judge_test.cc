#include "services/scheduling/policy/policy_judge.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "common/calendar/recurrence.h"
#include "common/field_checks.h"
#include "services/scheduling/policy/scheduling_policy.h"

namespace salesmeet::scheduling {

namespace pv1 = ::salesmeet::participant::v1;
namespace {

namespace tv1 = ::salesmeet::type::v1;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

absl::TimeZone Rome() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/Rome", &zone));
  return zone;
}

// Local time in Rome, where everyone in these tests works 09:00-17:00.
absl::Time RomeAt(int m, int d, int h, int mi = 0) {
  return ToAbsolute(absl::CivilSecond(2026, m, d, h, mi, 0), Rome());
}

OccurrenceTime Occurrence(absl::Time start, absl::Duration length) {
  return {start, {start, start + length}};
}

google::type::Money Money(const std::string& currency, int64_t units) {
  google::type::Money money;
  money.set_currency_code(currency);
  money.set_units(units);
  return money;
}

struct Person {
  std::string id;
  tv1::ParticipantKind kind;
  tv1::Role role;
  std::string team;
  bool optional;
};

Person Customer(const std::string& id) {
  return {id, tv1::CUSTOMER_CONTACT, tv1::ROLE_UNSPECIFIED, "", false};
}

// A one-hour internal presentation on Monday 16 March 2026 at 10:00 Rome
// time, organised by ada (a sales rep in teams/emea), costing 100 EUR, with
// an agenda: it breaks no rule until a test changes it.
class JudgeTest : public ::testing::Test {
 protected:
  JudgeTest() : policy_(DefaultPolicy()) {
    v1::Meeting& meeting = write_.meeting;
    meeting.set_title("Q1 pipeline review");
    meeting.set_agenda("1. Pipeline\n2. Forecast");
    meeting.set_format(v1::PRESENTATION);
    meeting.set_audience(v1::INTERNAL);
    meeting.set_organizer("participants/ada");
    AddAttendee({"ada", tv1::EMPLOYEE, tv1::SALES_REP, "teams/emea", false});
    write_.occurrences.push_back(Occurrence(RomeAt(3, 16, 10), absl::Hours(1)));
    write_.cost_per_occurrence = Money("EUR", 100);
  }

  pv1::Participant& AddAttendee(const Person& person) {
    v1::Attendee attendee;
    attendee.set_participant("participants/" + person.id);
    attendee.set_optional(person.optional);
    attendee.mutable_snapshot()->set_kind(person.kind);
    if (person.kind == tv1::EMPLOYEE) {
      attendee.mutable_snapshot()->set_role(person.role);
    }
    attendee.mutable_snapshot()->set_team(person.team);
    *write_.meeting.add_attendees() = attendee;

    AttendeeRecord& record = write_.attendees.emplace_back();
    record.attendee = attendee;
    record.participant.set_name(attendee.participant());
    record.participant.set_kind(person.kind);
    record.participant.set_time_zone("Europe/Rome");
    for (auto day :
         {google::type::MONDAY, google::type::TUESDAY, google::type::WEDNESDAY,
          google::type::THURSDAY, google::type::FRIDAY}) {
      auto* period = record.participant.add_working_hours();
      period->set_day(day);
      period->mutable_start_time()->set_hours(9);
      period->mutable_end_time()->set_hours(17);
    }
    return record.participant;
  }

  void AddLoad(const std::string& id, int week, absl::Duration before,
               absl::Duration after, absl::Duration budget) {
    v1::WeeklyLoad& load = write_.weekly_loads.emplace_back();
    load.set_participant("participants/" + id);
    load.mutable_week()->set_year(2026);
    load.mutable_week()->set_week(week);
    load.set_time_zone("Europe/Rome");
    *load.mutable_before() = ToProtoDuration(before);
    *load.mutable_after() = ToProtoDuration(after);
    *load.mutable_budget() = ToProtoDuration(budget);
  }

  std::vector<v1::PolicyFinding> Findings() {
    absl::StatusOr<std::vector<v1::PolicyFinding>> findings =
        JudgeWrite(policy_, write_);
    EXPECT_TRUE(findings.ok()) << findings.status();
    return findings.value_or(std::vector<v1::PolicyFinding>());
  }

  v1::SchedulingPolicy policy_;
  JudgedWrite write_;
};

// (rule, mode) of each finding, in order.
std::vector<std::pair<v1::PolicyRule, v1::RuleMode>> RulesAndModes(
    const std::vector<v1::PolicyFinding>& findings) {
  std::vector<std::pair<v1::PolicyRule, v1::RuleMode>> out;
  for (const auto& f : findings) out.emplace_back(f.rule(), f.mode());
  return out;
}

TEST_F(JudgeTest, MeetingThatBreaksNoRuleHasNoFindings) {
  EXPECT_THAT(Findings(), IsEmpty());
}

// Each rule, broken on its own, under each mode the policy can give it.
class RuleModeTest : public JudgeTest,
                     public ::testing::WithParamInterface<
                         std::tuple<v1::PolicyRule, v1::RuleMode>> {
 protected:
  void BreakRule(v1::PolicyRule rule, v1::RuleMode mode) {
    v1::PolicyRules& rules = *policy_.mutable_rules();
    switch (rule) {
      case v1::OVER_WEEKLY_BUDGET:
        rules.set_over_weekly_budget(mode);
        AddLoad("ada", 12, absl::Hours(19), absl::Hours(21), absl::Hours(20));
        break;
      case v1::COST_WITHOUT_AGENDA:
        rules.set_cost_without_agenda(mode);
        write_.meeting.clear_agenda();
        break;
      case v1::TOO_MANY_ATTENDEES:
        rules.set_too_many_attendees(mode);
        rules.set_max_attendees(1);
        AddAttendee({"bob", tv1::EMPLOYEE, tv1::DEVELOPER, "", false});
        break;
      case v1::OUTSIDE_WORKING_HOURS:
        rules.set_outside_working_hours(mode);
        write_.occurrences = {Occurrence(RomeAt(3, 16, 18), absl::Hours(1))};
        break;
      case v1::VIDEO_WITHOUT_LINK:
        rules.set_video_without_link(mode);
        write_.meeting.set_format(v1::VIDEO_CONFERENCE);
        write_.meeting.mutable_video_conference()->set_provider(v1::ZOOM);
        break;
      case v1::CUSTOMER_MEETING_WITHOUT_SALES:
        rules.set_customer_meeting_without_sales(mode);
        write_.meeting.clear_attendees();
        write_.attendees.clear();
        AddAttendee({"ada", tv1::EMPLOYEE, tv1::TECHNICAL_EXPERT, "", false});
        AddAttendee(Customer("carol"));
        write_.meeting.set_audience(v1::CUSTOMER_FACING);
        break;
      default:
        FAIL() << "no way to break " << v1::PolicyRule_Name(rule);
    }
  }
};

TEST_P(RuleModeTest, BrokenRuleFindsWhatItsModeSays) {
  const auto [rule, mode] = GetParam();
  BreakRule(rule, mode);
  const std::vector<v1::PolicyFinding> findings = Findings();
  if (mode == v1::OFF) {
    EXPECT_THAT(findings, IsEmpty());
  } else {
    EXPECT_THAT(RulesAndModes(findings), ElementsAre(std::pair(rule, mode)));
    EXPECT_FALSE(findings[0].message().empty());
  }
}

INSTANTIATE_TEST_SUITE_P(
    EveryRuleInEveryMode, RuleModeTest,
    ::testing::Combine(::testing::Values(v1::OVER_WEEKLY_BUDGET,
                                         v1::COST_WITHOUT_AGENDA,
                                         v1::TOO_MANY_ATTENDEES,
                                         v1::OUTSIDE_WORKING_HOURS,
                                         v1::VIDEO_WITHOUT_LINK,
                                         v1::CUSTOMER_MEETING_WITHOUT_SALES),
                       ::testing::Values(v1::OFF, v1::WARN, v1::REJECT)),
    [](const auto& info) {
      return v1::PolicyRule_Name(std::get<0>(info.param)) + "_" +
             v1::RuleMode_Name(std::get<1>(info.param));
    });

TEST_F(JudgeTest, OverBudgetFindingNamesPersonWeekAndHours) {
  AddLoad("ada", 14, absl::Hours(19), absl::Hours(21), absl::Hours(20));
  const std::vector<v1::PolicyFinding> findings = Findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message(),
            "participants/ada would have 21h of meetings in 2026-W14, over "
            "the 20h budget");
  EXPECT_EQ(findings[0].attendee(), "participants/ada");
  EXPECT_EQ(findings[0].week().week(), 14);
  EXPECT_FALSE(findings[0].has_occurrence_start_time());
}

TEST_F(JudgeTest, WriteThatLowersAnOverBudgetLoadIsNotABudgetFinding) {
  AddLoad("ada", 12, absl::Hours(25), absl::Hours(24), absl::Hours(20));
  EXPECT_THAT(Findings(), IsEmpty());
}

TEST_F(JudgeTest, LoadExactlyAtBudgetIsNotOver) {
  AddLoad("ada", 12, absl::Hours(19), absl::Hours(20), absl::Hours(20));
  EXPECT_THAT(Findings(), IsEmpty());
}

TEST_F(JudgeTest, BlankAgendaCountsAsNoAgenda) {
  write_.meeting.set_agenda("  \n\t ");
  const std::vector<v1::PolicyFinding> findings = Findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule(), v1::COST_WITHOUT_AGENDA);
  EXPECT_EQ(findings[0].message(),
            "each occurrence would cost 100.00 EUR and the agenda is empty; a "
            "meeting that costs anything needs one");
}

TEST_F(JudgeTest, CostAtOrBelowThresholdNeedsNoAgenda) {
  write_.meeting.clear_agenda();
  *policy_.mutable_rules()->mutable_agenda_cost_threshold() = Money("EUR", 100);
  EXPECT_THAT(Findings(), IsEmpty());
  write_.cost_per_occurrence.set_nanos(10'000'000);  // 100.01 EUR
  const std::vector<v1::PolicyFinding> findings = Findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message(),
            "each occurrence would cost 100.01 EUR, over the 100.00 EUR "
            "threshold, and the agenda is empty");
}

TEST_F(JudgeTest, ThresholdInAnotherCurrencyIsSkippedWithoutARateTable) {
  write_.meeting.clear_agenda();
  *policy_.mutable_rules()->mutable_agenda_cost_threshold() = Money("USD", 50);
  EXPECT_THAT(Findings(), IsEmpty());
}

TEST_F(JudgeTest, ThresholdIsConvertedWithTheRateTable) {
  write_.meeting.clear_agenda();
  policy_.set_reporting_currency("EUR");
  auto* usd = policy_.add_currency_rates();
  usd->set_currency_code("USD");
  usd->set_rate(0.9);
  // 115 USD is 103.50 EUR: a 100 EUR meeting stays under it.
  *policy_.mutable_rules()->mutable_agenda_cost_threshold() = Money("USD", 115);
  EXPECT_THAT(Findings(), IsEmpty());
  // 110 USD is 99 EUR: the same meeting is over it.
  *policy_.mutable_rules()->mutable_agenda_cost_threshold() = Money("USD", 110);
  EXPECT_THAT(RulesAndModes(Findings()),
              ElementsAre(std::pair(v1::COST_WITHOUT_AGENDA, v1::WARN)));
}

TEST_F(JudgeTest, LongerMovedOccurrenceOverThresholdIsNamed) {
  write_.meeting.clear_agenda();
  *policy_.mutable_rules()->mutable_agenda_cost_threshold() = Money("EUR", 150);
  write_.occurrences.push_back(Occurrence(RomeAt(3, 23, 10), absl::Hours(2)));
  write_.occurrence_costs = {Money("EUR", 100), Money("EUR", 200)};
  const std::vector<v1::PolicyFinding> findings = Findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(ToAbslTime(findings[0].occurrence_start_time()), RomeAt(3, 23, 10));
}

TEST_F(JudgeTest, AttendeeLimitCountsEveryoneIncludingTheOrganizer) {
  policy_.mutable_rules()->set_max_attendees(2);
  AddAttendee({"bob", tv1::EMPLOYEE, tv1::DEVELOPER, "", /*optional=*/true});
  EXPECT_THAT(Findings(), IsEmpty());
  AddAttendee({"carol", tv1::EMPLOYEE, tv1::MARKETING, "", false});
  const std::vector<v1::PolicyFinding> findings = Findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message(),
            "the meeting has 3 attendees, over the limit of 2");
}

TEST_F(JudgeTest, OccurrenceOutsideWorkingHoursIsNamedPerAttendee) {
  AddAttendee({"bob", tv1::EMPLOYEE, tv1::DEVELOPER, "", false});
  write_.occurrences = {Occurrence(RomeAt(3, 16, 16, 30), absl::Hours(1)),
                        Occurrence(RomeAt(3, 23, 10), absl::Hours(1))};
  const std::vector<v1::PolicyFinding> findings = Findings();
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].attendee(), "participants/ada");
  EXPECT_EQ(findings[1].attendee(), "participants/bob");
  EXPECT_EQ(ToAbslTime(findings[0].occurrence_start_time()),
            RomeAt(3, 16, 16, 30));
  EXPECT_EQ(findings[0].message(),
            "participants/ada would meet Mon 2026-03-16 16:30-17:30 "
            "Europe/Rome, outside their working hours");
}

TEST_F(JudgeTest, OccurrenceDuringTimeOffSaysSo) {
  auto* off = write_.attendees[0].participant.add_time_off();
  *off->mutable_interval()->mutable_start_time() =
      ToProtoTime(RomeAt(3, 16, 0));
  *off->mutable_interval()->mutable_end_time() = ToProtoTime(RomeAt(3, 17, 0));
  const std::vector<v1::PolicyFinding> findings = Findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(findings[0].message(),
              ::testing::EndsWith("during their time off"));
}

TEST_F(JudgeTest, OptionalAttendeesAndCustomersAreNotHeldToWorkingHours) {
  AddAttendee({"bob", tv1::EMPLOYEE, tv1::DEVELOPER, "", /*optional=*/true});
  AddAttendee(Customer("carol"));
  write_.meeting.set_audience(v1::CUSTOMER_FACING);
  write_.occurrences = {Occurrence(RomeAt(3, 16, 20), absl::Hours(1))};
  std::vector<v1::PolicyFinding> findings = Findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].attendee(), "participants/ada");
}

TEST_F(JudgeTest, VideoWithALinkIsFine) {
  write_.meeting.set_format(v1::VIDEO_CONFERENCE);
  write_.meeting.mutable_video_conference()->set_join_uri(
      "https://meet.example.com/abc");
  EXPECT_THAT(Findings(), IsEmpty());
}

TEST_F(JudgeTest, CustomerMeetingWithASalesManagerIsFine) {
  AddAttendee(Customer("carol"));
  write_.meeting.set_audience(v1::CUSTOMER_FACING);
  write_.meeting.mutable_attendees(0)->mutable_snapshot()->set_role(
      tv1::SALES_MANAGER);
  EXPECT_THAT(Findings(), IsEmpty());
}

TEST_F(JudgeTest, TeamOverrideAppliesOnlyToItsTeamsAttendees) {
  auto* emea = policy_.add_team_overrides();
  emea->set_team("teams/emea");
  emea->mutable_rules()->set_outside_working_hours(v1::REJECT);
  AddAttendee({"bob", tv1::EMPLOYEE, tv1::DEVELOPER, "teams/apac", false});
  write_.occurrences = {Occurrence(RomeAt(3, 16, 8), absl::Hours(1))};
  const std::vector<v1::PolicyFinding> findings = Findings();
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].attendee(), "participants/ada");
  EXPECT_EQ(findings[0].mode(), v1::REJECT);
  EXPECT_EQ(findings[0].team(), "teams/emea");
  EXPECT_EQ(findings[1].attendee(), "participants/bob");
  EXPECT_EQ(findings[1].mode(), v1::WARN);
  EXPECT_EQ(findings[1].team(), "");
}

TEST_F(JudgeTest, MeetingWideRulesFollowTheOrganizersTeam) {
  auto* emea = policy_.add_team_overrides();
  emea->set_team("teams/emea");
  emea->mutable_rules()->set_video_without_link(v1::OFF);
  write_.meeting.set_format(v1::VIDEO_CONFERENCE);
  EXPECT_THAT(Findings(), IsEmpty());
  write_.meeting.mutable_attendees(0)->mutable_snapshot()->set_team(
      "teams/apac");
  EXPECT_THAT(RulesAndModes(Findings()),
              ElementsAre(std::pair(v1::VIDEO_WITHOUT_LINK, v1::REJECT)));
}

TEST_F(JudgeTest, FindingsAreSortedRejectFirstThenRuleOccurrenceAttendee) {
  AddAttendee({"bob", tv1::EMPLOYEE, tv1::DEVELOPER, "", false});
  AddAttendee(Customer("carol"));
  write_.meeting.set_audience(v1::CUSTOMER_FACING);
  write_.meeting.mutable_attendees(0)->mutable_snapshot()->set_role(
      tv1::EXECUTIVE);
  write_.meeting.set_format(v1::VIDEO_CONFERENCE);
  write_.occurrences = {Occurrence(RomeAt(3, 23, 8), absl::Hours(1)),
                        Occurrence(RomeAt(3, 16, 8), absl::Hours(1))};
  AddLoad("bob", 12, absl::Hours(1), absl::Hours(3), absl::Hours(2));

  const std::vector<v1::PolicyFinding> findings = Findings();
  std::vector<std::string> order;
  for (const auto& f : findings) {
    order.push_back(absl::StrCat(
        v1::RuleMode_Name(f.mode()), " ", v1::PolicyRule_Name(f.rule()), " ",
        f.has_occurrence_start_time()
            ? absl::FormatTime("%m-%d", ToAbslTime(f.occurrence_start_time()),
                               Rome())
            : "-",
        " ", f.attendee()));
  }
  EXPECT_THAT(order,
              ElementsAre("REJECT VIDEO_WITHOUT_LINK - ",
                          "REJECT CUSTOMER_MEETING_WITHOUT_SALES - ",
                          "WARN OVER_WEEKLY_BUDGET - participants/bob",
                          "WARN OUTSIDE_WORKING_HOURS 03-16 participants/ada",
                          "WARN OUTSIDE_WORKING_HOURS 03-16 participants/bob",
                          "WARN OUTSIDE_WORKING_HOURS 03-23 participants/ada",
                          "WARN OUTSIDE_WORKING_HOURS 03-23 participants/bob"));
}

TEST_F(JudgeTest, RejectionHasOneViolationPerRejectingRule) {
  policy_.mutable_rules()->set_outside_working_hours(v1::REJECT);
  AddAttendee({"bob", tv1::EMPLOYEE, tv1::DEVELOPER, "", false});
  write_.meeting.set_format(v1::VIDEO_CONFERENCE);
  write_.meeting.clear_agenda();  // WARN: not a violation.
  write_.occurrences = {Occurrence(RomeAt(3, 16, 8), absl::Hours(1)),
                        Occurrence(RomeAt(3, 23, 8), absl::Hours(1))};

  const std::vector<PreconditionViolation> violations =
      RejectionViolations(Findings());
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].type, "OUTSIDE_WORKING_HOURS");
  EXPECT_EQ(violations[0].subject, "participants/ada");
  EXPECT_THAT(violations[0].description,
              ::testing::EndsWith("outside their working hours (and 3 more)"));
  EXPECT_EQ(violations[1].type, "VIDEO_WITHOUT_LINK");
  EXPECT_EQ(violations[1].subject, "meeting.video_conference.join_uri");
  EXPECT_EQ(violations[1].description,
            "the meeting is a video conference without a join link");
}

TEST_F(JudgeTest, WarningsAloneHaveNoViolations) {
  write_.meeting.clear_agenda();
  EXPECT_THAT(Findings(), ::testing::SizeIs(1));
  EXPECT_THAT(RejectionViolations(Findings()), IsEmpty());
}

TEST_F(JudgeTest, AttendeeInAZoneThisServerDoesNotKnowIsAnInternalError) {
  write_.attendees[0].participant.set_time_zone("Nowhere/Atlantis");
  EXPECT_EQ(JudgeWrite(policy_, write_).status().code(),
            absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace salesmeet::scheduling
