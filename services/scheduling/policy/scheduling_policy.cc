#include "services/scheduling/policy/scheduling_policy.h"

#include <cmath>
#include <map>

#include "absl/strings/str_cat.h"
#include "common/calendar/cost_model.h"
#include "common/field_checks.h"
#include "common/status_macros.h"
#include "google/protobuf/descriptor.h"

namespace salesmeet::scheduling {
namespace {

constexpr int kMaxAttendeesLimit = 500;
constexpr int kMaxTeamOverrides = 1000;
constexpr int kMaxCurrencyRates = 200;

// Every mode field of PolicyRules with its default, so defaults, validation
// and resolution walk the same list and cannot drift apart.
struct ModeField {
  const char* name;  // In PolicyRules, and in paths such as "rules.<name>".
  v1::RuleMode default_mode;
  RuleSetting EffectiveRules::*setting;
};

constexpr ModeField kModeFields[] = {
    {"over_weekly_budget", v1::WARN, &EffectiveRules::over_weekly_budget},
    {"cost_without_agenda", v1::WARN, &EffectiveRules::cost_without_agenda},
    {"too_many_attendees", v1::WARN, &EffectiveRules::too_many_attendees},
    {"outside_working_hours", v1::WARN, &EffectiveRules::outside_working_hours},
    {"video_without_link", v1::REJECT, &EffectiveRules::video_without_link},
    {"customer_meeting_without_sales", v1::REJECT,
     &EffectiveRules::customer_meeting_without_sales},
};

// Reflection rather than a pointer per accessor: protobuf does not promise
// the generated accessors' signatures.
const google::protobuf::FieldDescriptor* Descriptor(const ModeField& field) {
  return v1::PolicyRules::descriptor()->FindFieldByName(field.name);
}

int ModeOf(const v1::PolicyRules& rules, const ModeField& field) {
  return rules.GetReflection()->GetEnumValue(rules, Descriptor(field));
}

void SetMode(v1::PolicyRules& rules, const ModeField& field, int mode) {
  rules.GetReflection()->SetEnumValue(&rules, Descriptor(field), mode);
}

bool IsZero(const google::type::Money& money) {
  return money.units() == 0 && money.nanos() == 0;
}

// Whether `currency` can be converted to the reporting currency.
bool HasRate(const v1::SchedulingPolicy& policy, const std::string& currency) {
  if (currency == policy.reporting_currency()) return true;
  for (const v1::CurrencyRate& rate : policy.currency_rates()) {
    if (rate.currency_code() == currency) return true;
  }
  return false;
}

void ValidateRules(const v1::PolicyRules& rules,
                   const v1::SchedulingPolicy& policy,
                   const std::string& prefix, FieldErrors& errors) {
  for (const ModeField& field : kModeFields) {
    if (!v1::RuleMode_IsValid(ModeOf(rules, field))) {
      errors.Add(absl::StrCat(prefix, ".", field.name),
                 "must be OFF, WARN or REJECT (or unspecified)");
    }
  }
  if (rules.has_agenda_cost_threshold()) {
    const google::type::Money& threshold = rules.agenda_cost_threshold();
    const std::string field = absl::StrCat(prefix, ".agenda_cost_threshold");
    // A bare zero needs no currency: zero is zero in all of them.
    if (!(IsZero(threshold) && threshold.currency_code().empty())) {
      CheckMoney(threshold, /*allow_negative=*/false, field, errors);
    }
    if (!IsZero(threshold) && policy.currency_rates_size() > 0 &&
        IsIsoCurrencyCode(threshold.currency_code()) &&
        !HasRate(policy, threshold.currency_code())) {
      errors.Add(absl::StrCat(field, ".currency_code"),
                 absl::StrCat(Quoted(threshold.currency_code()),
                              " has no rate in currency_rates; add one or "
                              "state the threshold in the reporting currency"));
    }
  }
  if (rules.max_attendees() < 0 || rules.max_attendees() > kMaxAttendeesLimit) {
    errors.Add(absl::StrCat(prefix, ".max_attendees"),
               absl::StrCat("must be 1 to ", kMaxAttendeesLimit,
                            ", or 0 for the default"));
  }
}

void ValidateTeamOverrides(const v1::SchedulingPolicy& policy,
                           FieldErrors& errors) {
  if (policy.team_overrides_size() > kMaxTeamOverrides) {
    errors.Add("policy.team_overrides",
               absl::StrCat("must have at most ", kMaxTeamOverrides,
                            " entries, one per team"));
  }
  std::map<std::string, int> seen;
  for (int i = 0; i < policy.team_overrides_size(); ++i) {
    const v1::TeamPolicy& entry = policy.team_overrides(i);
    const std::string prefix = absl::StrCat("policy.team_overrides[", i, "]");
    const std::string team_field = absl::StrCat(prefix, ".team");
    if (!ParseResourceName(entry.team(), "teams", team_field, errors).empty()) {
      auto [it, inserted] = seen.emplace(entry.team(), i);
      if (!inserted) {
        errors.Add(team_field, absl::StrCat(entry.team(),
                                            " already has an override in "
                                            "policy.team_overrides[",
                                            it->second, "]"));
      }
    }
    ValidateRules(entry.rules(), policy, absl::StrCat(prefix, ".rules"),
                  errors);
  }
}

void ValidateHorizon(const v1::SchedulingPolicy& policy, FieldErrors& errors) {
  if (!policy.has_horizon()) return;
  const google::protobuf::Duration& h = policy.horizon();
  const bool well_formed = h.nanos() > -1'000'000'000 &&
                           h.nanos() < 1'000'000'000 &&
                           !(h.seconds() > 0 && h.nanos() < 0) &&
                           !(h.seconds() < 0 && h.nanos() > 0);
  const absl::Duration horizon = ToAbslDuration(h);
  if (!well_formed || horizon < kMinPolicyHorizon ||
      horizon > kMaxPolicyHorizon) {
    errors.Add("policy.horizon",
               "must be 7 to 731 days, e.g. \"31536000s\" for 365 days; leave "
               "it unset for the default");
  }
}

void ValidateCurrencies(const v1::SchedulingPolicy& policy,
                        FieldErrors& errors) {
  const std::string& reporting = policy.reporting_currency();
  if (!reporting.empty() && !IsIsoCurrencyCode(reporting)) {
    errors.Add("policy.reporting_currency",
               absl::StrCat(Quoted(reporting),
                            " is not an ISO 4217 currency code such as "
                            "\"EUR\""));
  } else if (reporting.empty() && policy.currency_rates_size() > 0) {
    errors.Add("policy.reporting_currency",
               "is required when currency_rates is not empty");
  }
  if (policy.currency_rates_size() > kMaxCurrencyRates) {
    errors.Add("policy.currency_rates",
               absl::StrCat("must have at most ", kMaxCurrencyRates,
                            " entries, one per currency"));
  }
  std::map<std::string, int> seen;
  for (int i = 0; i < policy.currency_rates_size(); ++i) {
    const v1::CurrencyRate& rate = policy.currency_rates(i);
    const std::string prefix = absl::StrCat("policy.currency_rates[", i, "]");
    const std::string& code = rate.currency_code();
    if (!IsIsoCurrencyCode(code)) {
      errors.Add(absl::StrCat(prefix, ".currency_code"),
                 absl::StrCat(Quoted(code),
                              " is not an ISO 4217 currency code such as "
                              "\"USD\""));
    } else if (code == reporting) {
      errors.Add(absl::StrCat(prefix, ".currency_code"),
                 absl::StrCat(Quoted(code),
                              " is the reporting currency, whose rate is "
                              "always 1; leave it out"));
    } else if (auto [it, inserted] = seen.emplace(code, i); !inserted) {
      errors.Add(absl::StrCat(prefix, ".currency_code"),
                 absl::StrCat(Quoted(code),
                              " already has a rate in "
                              "policy.currency_rates[",
                              it->second, "]"));
    }
    if (!IsUsableCurrencyRate(rate.rate())) {
      errors.Add(absl::StrCat(prefix, ".rate"),
                 "must be from 1e-9 to 1e9: how many units of the reporting "
                 "currency one unit of currency_code is worth");
    }
  }
}

}  // namespace

v1::SchedulingPolicy DefaultPolicy() {
  v1::SchedulingPolicy policy = WithDefaults(v1::SchedulingPolicy());
  // A fixed etag, so that the first change is guarded like every later one.
  policy.set_etag(std::string(kDefaultPolicyEtag));
  return policy;
}

v1::SchedulingPolicy WithDefaults(v1::SchedulingPolicy policy) {
  policy.set_name(kSchedulingPolicyName);
  v1::PolicyRules& rules = *policy.mutable_rules();
  for (const ModeField& field : kModeFields) {
    if (ModeOf(rules, field) == v1::RULE_MODE_UNSPECIFIED) {
      SetMode(rules, field, field.default_mode);
    }
  }
  if (rules.max_attendees() == 0) rules.set_max_attendees(kDefaultMaxAttendees);
  if (rules.has_agenda_cost_threshold() &&
      IsZero(rules.agenda_cost_threshold())) {
    rules.clear_agenda_cost_threshold();
  }
  if (!policy.has_horizon()) {
    *policy.mutable_horizon() = ToProtoDuration(kDefaultPolicyHorizon);
  }
  return policy;
}

absl::Duration PolicyHorizon(const v1::SchedulingPolicy& policy) {
  return policy.has_horizon() ? ToAbslDuration(policy.horizon())
                              : kDefaultPolicyHorizon;
}

void ValidatePolicy(const v1::SchedulingPolicy& policy, FieldErrors& errors) {
  ValidateRules(policy.rules(), policy, "policy.rules", errors);
  ValidateTeamOverrides(policy, errors);
  ValidateHorizon(policy, errors);
  ValidateCurrencies(policy, errors);
}

const UpdateMaskRules& SchedulingPolicyMaskRules() {
  static const auto* rules = [] {
    auto* r = new UpdateMaskRules{
        {"rules", "rules.agenda_cost_threshold", "rules.max_attendees",
         "team_overrides", "horizon", "reporting_currency", "currency_rates"},
        {{"name", "is always \"schedulingPolicy\" and cannot be changed"},
         {"update_time", "is output only"},
         {"etag", "is output only; send it in policy.etag instead"},
         {"team_overrides.team",
          "cannot be changed alone: team_overrides is replaced whole"},
         {"team_overrides.rules",
          "cannot be changed alone: team_overrides is replaced whole"},
         {"currency_rates.currency_code",
          "cannot be changed alone: currency_rates is replaced whole"},
         {"currency_rates.rate",
          "cannot be changed alone: currency_rates is replaced whole"}}};
    for (const ModeField& field : kModeFields) {
      r->updatable.insert(absl::StrCat("rules.", field.name));
    }
    return r;
  }();
  return *rules;
}

const RuleSetting& EffectiveRules::For(v1::PolicyRule rule) const {
  static const RuleSetting* const kOff = new RuleSetting();
  switch (rule) {
    case v1::OVER_WEEKLY_BUDGET:
      return over_weekly_budget;
    case v1::COST_WITHOUT_AGENDA:
      return cost_without_agenda;
    case v1::TOO_MANY_ATTENDEES:
      return too_many_attendees;
    case v1::OUTSIDE_WORKING_HOURS:
      return outside_working_hours;
    case v1::VIDEO_WITHOUT_LINK:
      return video_without_link;
    case v1::CUSTOMER_MEETING_WITHOUT_SALES:
      return customer_meeting_without_sales;
    default:
      return *kOff;
  }
}

EffectiveRules RulesFor(const v1::SchedulingPolicy& policy,
                        const std::string& team) {
  const v1::PolicyRules& global = policy.rules();
  const v1::PolicyRules* team_rules = nullptr;
  if (!team.empty()) {
    for (const v1::TeamPolicy& entry : policy.team_overrides()) {
      if (entry.team() == team) {
        team_rules = &entry.rules();
        break;
      }
    }
  }

  EffectiveRules out;
  for (const ModeField& field : kModeFields) {
    RuleSetting& setting = out.*field.setting;
    const int team_mode = team_rules != nullptr ? ModeOf(*team_rules, field)
                                                : v1::RULE_MODE_UNSPECIFIED;
    const int global_mode = ModeOf(global, field);
    if (team_mode != v1::RULE_MODE_UNSPECIFIED) {
      setting = {static_cast<v1::RuleMode>(team_mode), team};
    } else if (global_mode != v1::RULE_MODE_UNSPECIFIED) {
      setting = {static_cast<v1::RuleMode>(global_mode), ""};
    } else {
      setting = {field.default_mode, ""};
    }
  }
  if (team_rules != nullptr && team_rules->has_agenda_cost_threshold()) {
    out.agenda_cost_threshold = team_rules->agenda_cost_threshold();
    out.agenda_cost_threshold_team = team;
  } else {
    out.agenda_cost_threshold = global.agenda_cost_threshold();
  }
  if (team_rules != nullptr && team_rules->max_attendees() > 0) {
    out.max_attendees = team_rules->max_attendees();
    out.max_attendees_team = team;
  } else if (global.max_attendees() > 0) {
    out.max_attendees = global.max_attendees();
  }
  return out;
}

absl::StatusOr<v1::SchedulingPolicy> LoadPolicy(MeetingTransaction& tx) {
  std::optional<v1::SchedulingPolicy> stored;
  ASSIGN_OR_RETURN(stored, tx.GetPolicy());
  return WithDefaults(stored.value_or(DefaultPolicy()));
}

}  // namespace salesmeet::scheduling
