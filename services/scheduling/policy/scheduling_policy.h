#ifndef SALESMEET_SERVICES_SCHEDULING_POLICY_SCHEDULING_POLICY_H_
#define SALESMEET_SERVICES_SCHEDULING_POLICY_SCHEDULING_POLICY_H_

// The stored scheduling policy: its defaults, what a valid one looks like,
// how UpdateSchedulingPolicy may change it, and which rules apply to whom
// once team overrides are taken into account. The proto comments in
// salesmeet/scheduling/v1/policy.proto are the contract this implements.

#include <string>

#include "absl/time/time.h"
#include "common/errors.h"
#include "common/update_mask.h"
#include "google/type/money.pb.h"
#include "salesmeet/scheduling/v1/policy.pb.h"
#include "services/scheduling/store/meeting_store.h"

namespace salesmeet::scheduling {

// The one policy's resource name.
inline constexpr char kSchedulingPolicyName[] = "schedulingPolicy";

inline constexpr absl::Duration kDefaultPolicyHorizon = absl::Hours(24 * 365);
inline constexpr absl::Duration kMinPolicyHorizon = absl::Hours(24 * 7);
inline constexpr absl::Duration kMaxPolicyHorizon = absl::Hours(24 * 731);
inline constexpr int kDefaultMaxAttendees = 10;
// The etag of the built-in policy, before anyone has changed it.
inline constexpr char kDefaultPolicyEtag[] = "built-in-default";

// The built-in policy, as GetSchedulingPolicy returns it before anyone has
// changed it: every global mode and max_attendees at its default, a 365-day
// horizon, no overrides, no currency table.
v1::SchedulingPolicy DefaultPolicy();

// `policy` as GetSchedulingPolicy returns it: the name set, every
// unspecified global mode, a max_attendees of 0 and an unset horizon
// replaced by their defaults, and a zero global threshold cleared. Team
// overrides are left alone: their unset fields mean "inherit".
v1::SchedulingPolicy WithDefaults(v1::SchedulingPolicy policy);

// The policy as stored, defaults filled in.
absl::StatusOr<v1::SchedulingPolicy> LoadPolicy(MeetingTransaction& tx);

// The horizon of a policy, its default when unset.
absl::Duration PolicyHorizon(const v1::SchedulingPolicy& policy);

// Adds an error, with its path under "policy." (e.g.
// "policy.team_overrides[2].team", "policy.currency_rates[0].rate"), for
// everything in `policy` the proto comments forbid. Checks the form and
// uniqueness of team names, not that the teams exist: the caller asks the
// participant service. Output-only fields are not looked at.
void ValidatePolicy(const v1::SchedulingPolicy& policy, FieldErrors& errors);

// What UpdateSchedulingPolicy's update_mask may name: the whole rules
// message or single rules in it, team_overrides and currency_rates (always
// replaced whole), horizon and reporting_currency. name, update_time and
// etag cannot be changed.
const UpdateMaskRules& SchedulingPolicyMaskRules();

// The mode one rule has for someone, and who decided it.
struct RuleSetting {
  v1::RuleMode mode = v1::OFF;
  // "teams/{id}" when that team's override set the mode; empty when the
  // global rules did.
  std::string team;
};

// The rules that apply to one team's members (or to everyone without a
// team), overrides resolved: every mode is OFF, WARN or REJECT.
struct EffectiveRules {
  RuleSetting over_weekly_budget;
  RuleSetting cost_without_agenda;
  RuleSetting too_many_attendees;
  RuleSetting outside_working_hours;
  RuleSetting video_without_link;
  RuleSetting customer_meeting_without_sales;

  // Zero (with any or no currency) means "every meeting that costs
  // anything needs an agenda".
  google::type::Money agenda_cost_threshold;
  // The team whose override set the threshold; empty for the global one.
  std::string agenda_cost_threshold_team;

  int max_attendees = kDefaultMaxAttendees;
  // The team whose override set max_attendees; empty for the global one.
  std::string max_attendees_team;

  // The setting of `rule`; OFF for POLICY_RULE_UNSPECIFIED.
  const RuleSetting& For(v1::PolicyRule rule) const;
};

// The rules for members of `team` ("teams/{id}"; empty for someone without
// a team). Each mode, the threshold and max_attendees come from the team's
// override when it sets them (a mode other than RULE_MODE_UNSPECIFIED, a
// threshold that is set, a max_attendees above 0), otherwise from the
// global rules, otherwise from the defaults.
EffectiveRules RulesFor(const v1::SchedulingPolicy& policy,
                        const std::string& team);

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_POLICY_SCHEDULING_POLICY_H_
