#include "services/scheduling/policy/scheduling_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "common/field_checks.h"
#include "google/protobuf/descriptor.h"

namespace salesmeet::scheduling {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// The fields named in the BadRequest that ValidatePolicy's errors produce.
std::vector<std::string> BadFields(const v1::SchedulingPolicy& policy) {
  FieldErrors errors;
  ValidatePolicy(policy, errors);
  google::rpc::BadRequest bad;
  std::vector<std::string> fields;
  if (!GetBadRequest(errors.ToStatus(), &bad)) return fields;
  for (const auto& violation : bad.field_violations()) {
    fields.push_back(violation.field());
  }
  return fields;
}

google::type::Money Eur(int64_t units) {
  google::type::Money money;
  money.set_currency_code("EUR");
  money.set_units(units);
  return money;
}

v1::TeamPolicy* AddOverride(v1::SchedulingPolicy& policy,
                            const std::string& team) {
  v1::TeamPolicy* entry = policy.add_team_overrides();
  entry->set_team(team);
  return entry;
}

v1::CurrencyRate* AddRate(v1::SchedulingPolicy& policy, const std::string& code,
                          double rate) {
  v1::CurrencyRate* entry = policy.add_currency_rates();
  entry->set_currency_code(code);
  entry->set_rate(rate);
  return entry;
}

TEST(DefaultPolicyTest, HasTheDocumentedDefaults) {
  v1::SchedulingPolicy policy = DefaultPolicy();
  EXPECT_EQ(policy.name(), "schedulingPolicy");
  EXPECT_EQ(policy.rules().over_weekly_budget(), v1::WARN);
  EXPECT_EQ(policy.rules().cost_without_agenda(), v1::WARN);
  EXPECT_EQ(policy.rules().too_many_attendees(), v1::WARN);
  EXPECT_EQ(policy.rules().outside_working_hours(), v1::WARN);
  EXPECT_EQ(policy.rules().video_without_link(), v1::REJECT);
  EXPECT_EQ(policy.rules().customer_meeting_without_sales(), v1::REJECT);
  EXPECT_EQ(policy.rules().max_attendees(), 10);
  EXPECT_FALSE(policy.rules().has_agenda_cost_threshold());
  EXPECT_EQ(policy.horizon().seconds(), 31536000);
  EXPECT_THAT(policy.team_overrides(), IsEmpty());
  EXPECT_THAT(policy.currency_rates(), IsEmpty());
}

TEST(DefaultPolicyTest, EveryRuleModeInTheProtoGetsADefault) {
  // A rule added to PolicyRules without a default would read as unspecified.
  const v1::SchedulingPolicy policy = DefaultPolicy();
  const auto* descriptor = v1::PolicyRules::descriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const auto* field = descriptor->field(i);
    if (field->enum_type() != v1::RuleMode_descriptor()) continue;
    EXPECT_NE(
        policy.rules().GetReflection()->GetEnumValue(policy.rules(), field),
        v1::RULE_MODE_UNSPECIFIED)
        << field->name();
  }
}

TEST(WithDefaultsTest, KeepsModesThatWereSetAndFillsTheRest) {
  v1::SchedulingPolicy policy;
  policy.mutable_rules()->set_video_without_link(v1::OFF);
  policy.mutable_rules()->set_max_attendees(25);
  policy = WithDefaults(policy);
  EXPECT_EQ(policy.rules().video_without_link(), v1::OFF);
  EXPECT_EQ(policy.rules().max_attendees(), 25);
  EXPECT_EQ(policy.rules().customer_meeting_without_sales(), v1::REJECT);
}

TEST(WithDefaultsTest, ZeroThresholdReadsBackUnset) {
  v1::SchedulingPolicy policy;
  *policy.mutable_rules()->mutable_agenda_cost_threshold() = Eur(0);
  EXPECT_FALSE(WithDefaults(policy).rules().has_agenda_cost_threshold());
}

TEST(WithDefaultsTest, LeavesTeamOverridesUnsetSoTheyInherit) {
  v1::SchedulingPolicy policy;
  AddOverride(policy, "teams/emea")
      ->mutable_rules()
      ->set_video_without_link(v1::WARN);
  policy = WithDefaults(policy);
  EXPECT_EQ(policy.team_overrides(0).rules().over_weekly_budget(),
            v1::RULE_MODE_UNSPECIFIED);
  EXPECT_EQ(policy.team_overrides(0).rules().max_attendees(), 0);
}

TEST(ValidatePolicyTest, DefaultPolicyIsValid) {
  EXPECT_THAT(BadFields(DefaultPolicy()), IsEmpty());
  EXPECT_THAT(BadFields(v1::SchedulingPolicy()), IsEmpty());
}

TEST(ValidatePolicyTest, MaxAttendeesAboveFiveHundredIsRejected) {
  v1::SchedulingPolicy policy = DefaultPolicy();
  policy.mutable_rules()->set_max_attendees(501);
  EXPECT_THAT(BadFields(policy), ElementsAre("policy.rules.max_attendees"));
  policy.mutable_rules()->set_max_attendees(-1);
  EXPECT_THAT(BadFields(policy), ElementsAre("policy.rules.max_attendees"));
  policy.mutable_rules()->set_max_attendees(500);
  EXPECT_THAT(BadFields(policy), IsEmpty());
}

TEST(ValidatePolicyTest, UnknownModeNumberIsRejected) {
  v1::SchedulingPolicy policy;
  policy.mutable_rules()->set_too_many_attendees(static_cast<v1::RuleMode>(7));
  EXPECT_THAT(BadFields(policy),
              ElementsAre("policy.rules.too_many_attendees"));
}

TEST(ValidatePolicyTest, NegativeThresholdIsRejected) {
  v1::SchedulingPolicy policy;
  *policy.mutable_rules()->mutable_agenda_cost_threshold() = Eur(-5);
  EXPECT_THAT(BadFields(policy),
              ElementsAre("policy.rules.agenda_cost_threshold"));
}

TEST(ValidatePolicyTest, BareZeroThresholdNeedsNoCurrency) {
  v1::SchedulingPolicy policy;
  policy.mutable_rules()->mutable_agenda_cost_threshold();
  EXPECT_THAT(BadFields(policy), IsEmpty());
}

TEST(ValidatePolicyTest, SecondOverrideForTheSameTeamIsNamed) {
  v1::SchedulingPolicy policy;
  AddOverride(policy, "teams/emea");
  AddOverride(policy, "teams/apac");
  AddOverride(policy, "teams/emea");
  EXPECT_THAT(BadFields(policy), ElementsAre("policy.team_overrides[2].team"));
}

TEST(ValidatePolicyTest, OverrideTeamMustBeATeamName) {
  v1::SchedulingPolicy policy;
  AddOverride(policy, "participants/ada");
  AddOverride(policy, "");
  EXPECT_THAT(BadFields(policy),
              UnorderedElementsAre("policy.team_overrides[0].team",
                                   "policy.team_overrides[1].team"));
}

TEST(ValidatePolicyTest, OverrideRulesAreCheckedUnderTheirOwnPath) {
  v1::SchedulingPolicy policy;
  AddOverride(policy, "teams/emea")->mutable_rules()->set_max_attendees(1000);
  EXPECT_THAT(BadFields(policy),
              ElementsAre("policy.team_overrides[0].rules.max_attendees"));
}

TEST(ValidatePolicyTest, HorizonMustBeSevenTo731Days) {
  v1::SchedulingPolicy policy;
  for (int64_t days : {7, 365, 731}) {
    policy.mutable_horizon()->set_seconds(days * 86400);
    EXPECT_THAT(BadFields(policy), IsEmpty()) << days;
  }
  for (int64_t days : {0, 6, 732, -30}) {
    policy.mutable_horizon()->set_seconds(days * 86400);
    EXPECT_THAT(BadFields(policy), ElementsAre("policy.horizon")) << days;
  }
}

TEST(ValidatePolicyTest, RateMustBePositiveAndFinite) {
  for (double rate :
       {0.0, -1.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
    v1::SchedulingPolicy policy;
    policy.set_reporting_currency("EUR");
    AddRate(policy, "USD", rate);
    EXPECT_THAT(BadFields(policy), ElementsAre("policy.currency_rates[0].rate"))
        << rate;
  }
}

TEST(ValidatePolicyTest, RatesNeedAReportingCurrency) {
  v1::SchedulingPolicy policy;
  AddRate(policy, "USD", 0.92);
  EXPECT_THAT(BadFields(policy), ElementsAre("policy.reporting_currency"));
  policy.set_reporting_currency("EURO");
  EXPECT_THAT(BadFields(policy), ElementsAre("policy.reporting_currency"));
}

TEST(ValidatePolicyTest, RateForTheReportingCurrencyOrATwiceListedOneIsNamed) {
  v1::SchedulingPolicy policy;
  policy.set_reporting_currency("EUR");
  AddRate(policy, "EUR", 1.0);
  AddRate(policy, "USD", 0.92);
  AddRate(policy, "USD", 0.93);
  AddRate(policy, "XYZ", 2.0);
  EXPECT_THAT(BadFields(policy),
              ElementsAre("policy.currency_rates[0].currency_code",
                          "policy.currency_rates[2].currency_code",
                          "policy.currency_rates[3].currency_code"));
}

TEST(ValidatePolicyTest, ThresholdInACurrencyWithoutARateIsNamed) {
  v1::SchedulingPolicy policy;
  policy.set_reporting_currency("EUR");
  AddRate(policy, "USD", 0.92);
  google::type::Money gbp = Eur(300);
  gbp.set_currency_code("GBP");
  *policy.mutable_rules()->mutable_agenda_cost_threshold() = gbp;
  EXPECT_THAT(BadFields(policy),
              ElementsAre("policy.rules.agenda_cost_threshold.currency_code"));
  gbp.set_currency_code("USD");
  *policy.mutable_rules()->mutable_agenda_cost_threshold() = gbp;
  EXPECT_THAT(BadFields(policy), IsEmpty());
}

TEST(ValidatePolicyTest, ReportsEveryProblemAtOnce) {
  v1::SchedulingPolicy policy;
  policy.mutable_rules()->set_max_attendees(9999);
  policy.mutable_horizon()->set_seconds(1);
  AddOverride(policy, "teams/");
  EXPECT_THAT(
      BadFields(policy),
      UnorderedElementsAre("policy.rules.max_attendees",
                           "policy.team_overrides[0].team", "policy.horizon"));
}

// UpdateSchedulingPolicy's mask, applied as the service applies it.
absl::StatusOr<v1::SchedulingPolicy> Update(v1::SchedulingPolicy stored,
                                            const v1::SchedulingPolicy& patch,
                                            std::vector<std::string> paths) {
  google::protobuf::FieldMask mask;
  for (const auto& path : paths) mask.add_paths(path);
  auto resolved = ResolveUpdateMask(mask, patch, SchedulingPolicyMaskRules());
  if (!resolved.ok()) return resolved.status();
  ApplyUpdateMask(*resolved, patch, &stored);
  return WithDefaults(stored);
}

TEST(PolicyMaskTest, SingleRulePathChangesOnlyThatRule) {
  v1::SchedulingPolicy stored = DefaultPolicy();
  stored.mutable_rules()->set_video_without_link(v1::WARN);
  v1::SchedulingPolicy patch;
  patch.mutable_rules()->set_max_attendees(4);
  auto updated = Update(stored, patch, {"rules.max_attendees"});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->rules().max_attendees(), 4);
  EXPECT_EQ(updated->rules().video_without_link(), v1::WARN);
}

TEST(PolicyMaskTest, WholeRulesPathRestoresDefaultsForUnsetModes) {
  v1::SchedulingPolicy stored = DefaultPolicy();
  stored.mutable_rules()->set_video_without_link(v1::OFF);
  v1::SchedulingPolicy patch;
  patch.mutable_rules()->set_too_many_attendees(v1::REJECT);
  auto updated = Update(stored, patch, {"rules"});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->rules().too_many_attendees(), v1::REJECT);
  EXPECT_EQ(updated->rules().video_without_link(), v1::REJECT);
}

TEST(PolicyMaskTest, TeamOverridesAreReplacedWhole) {
  v1::SchedulingPolicy stored = DefaultPolicy();
  AddOverride(stored, "teams/emea");
  AddOverride(stored, "teams/apac");
  v1::SchedulingPolicy patch;
  AddOverride(patch, "teams/amer");
  auto updated = Update(stored, patch, {"team_overrides"});
  ASSERT_TRUE(updated.ok()) << updated.status();
  ASSERT_EQ(updated->team_overrides_size(), 1);
  EXPECT_EQ(updated->team_overrides(0).team(), "teams/amer");
}

TEST(PolicyMaskTest, OutputOnlyAndNestedListPathsAreRefusedByName) {
  for (const char* path : {"name", "etag", "update_time",
                           "team_overrides.rules", "currency_rates.rate"}) {
    auto updated = Update(DefaultPolicy(), DefaultPolicy(), {"horizon", path});
    ASSERT_FALSE(updated.ok()) << path;
    google::rpc::BadRequest bad;
    ASSERT_TRUE(GetBadRequest(updated.status(), &bad));
    EXPECT_EQ(bad.field_violations(0).field(), "update_mask.paths[1]");
  }
}

TEST(PolicyMaskTest, StarReplacesEveryWritableTopLevelField) {
  google::protobuf::FieldMask mask;
  mask.add_paths("*");
  auto paths =
      ResolveUpdateMask(mask, DefaultPolicy(), SchedulingPolicyMaskRules());
  ASSERT_TRUE(paths.ok());
  EXPECT_THAT(*paths,
              UnorderedElementsAre("rules", "team_overrides", "horizon",
                                   "reporting_currency", "currency_rates"));
}

TEST(RulesForTest, SomeoneWithoutATeamGetsTheGlobalRules) {
  EffectiveRules rules = RulesFor(DefaultPolicy(), "");
  EXPECT_EQ(rules.over_weekly_budget.mode, v1::WARN);
  EXPECT_EQ(rules.video_without_link.mode, v1::REJECT);
  EXPECT_EQ(rules.video_without_link.team, "");
  EXPECT_EQ(rules.max_attendees, 10);
}

TEST(RulesForTest, UnsetGlobalModesFallBackToDefaults) {
  EffectiveRules rules = RulesFor(v1::SchedulingPolicy(), "teams/emea");
  EXPECT_EQ(rules.customer_meeting_without_sales.mode, v1::REJECT);
  EXPECT_EQ(rules.outside_working_hours.mode, v1::WARN);
  EXPECT_EQ(rules.max_attendees, 10);
}

TEST(RulesForTest, OverrideChangesOnlyWhatItSetsAndSaysWhichTeam) {
  v1::SchedulingPolicy policy = DefaultPolicy();
  policy.mutable_rules()->set_max_attendees(8);
  v1::PolicyRules* emea = AddOverride(policy, "teams/emea")->mutable_rules();
  emea->set_outside_working_hours(v1::REJECT);
  *emea->mutable_agenda_cost_threshold() = Eur(500);

  EffectiveRules rules = RulesFor(policy, "teams/emea");
  EXPECT_EQ(rules.outside_working_hours.mode, v1::REJECT);
  EXPECT_EQ(rules.outside_working_hours.team, "teams/emea");
  EXPECT_EQ(rules.over_weekly_budget.mode, v1::WARN);
  EXPECT_EQ(rules.over_weekly_budget.team, "");
  EXPECT_EQ(rules.agenda_cost_threshold.units(), 500);
  EXPECT_EQ(rules.agenda_cost_threshold_team, "teams/emea");
  EXPECT_EQ(rules.max_attendees, 8);
  EXPECT_EQ(rules.max_attendees_team, "");
  EXPECT_EQ(&rules.For(v1::OUTSIDE_WORKING_HOURS),
            &rules.outside_working_hours);
}

TEST(RulesForTest, OtherTeamsKeepTheGlobalRules) {
  v1::SchedulingPolicy policy = DefaultPolicy();
  AddOverride(policy, "teams/emea")->mutable_rules()->set_max_attendees(30);
  EXPECT_EQ(RulesFor(policy, "teams/apac").max_attendees, 10);
  EXPECT_EQ(RulesFor(policy, "teams/emea").max_attendees, 30);
  EXPECT_EQ(RulesFor(policy, "teams/emea").max_attendees_team, "teams/emea");
}

TEST(RulesForTest, UnspecifiedRuleIsOff) {
  EXPECT_EQ(RulesFor(DefaultPolicy(), "").For(v1::POLICY_RULE_UNSPECIFIED).mode,
            v1::OFF);
}

}  // namespace
}  // namespace salesmeet::scheduling
