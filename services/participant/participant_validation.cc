#include "services/participant/participant_validation.h"

#include <algorithm>
#include <map>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/field_checks.h"

namespace salesmeet::participant {
namespace {

using salesmeet::type::v1::ParticipantKind;
using salesmeet::type::v1::Role;
using salesmeet::type::v1::WorkingPeriod;

constexpr size_t kMaxNameLength = 200;
constexpr int kMaxWorkingPeriods = 100;
constexpr int kMaxTimeOff = 500;

void CheckDisplayName(absl::string_view value, absl::string_view field,
                      FieldErrors& errors) {
  if (absl::StripAsciiWhitespace(value).empty()) {
    errors.Add(field, "is required");
  } else if (Utf8Length(value) > kMaxNameLength) {
    errors.Add(field, "must be at most 200 characters");
  }
}

// Minutes since local midnight, or -1 when the time is not a whole minute
// within the day. 24:00 is allowed only where `allow_end_of_day`.
int MinuteOfDay(const google::type::TimeOfDay& t, bool allow_end_of_day) {
  if (t.seconds() != 0 || t.nanos() != 0 || t.minutes() < 0 ||
      t.minutes() > 59 || t.hours() < 0) {
    return -1;
  }
  if (t.hours() == 24 && t.minutes() == 0 && allow_end_of_day) return 24 * 60;
  if (t.hours() > 23) return -1;
  return t.hours() * 60 + t.minutes();
}

void CheckWorkingHours(const v1::Participant& p, const std::string& prefix,
                       FieldErrors& errors) {
  if (p.working_hours_size() > kMaxWorkingPeriods) {
    errors.Add(absl::StrCat(prefix, ".working_hours"),
               "must have at most 100 blocks");
    return;
  }
  struct Block {
    int start, end, index;
  };
  std::map<int, std::vector<Block>> by_day;
  for (int i = 0; i < p.working_hours_size(); ++i) {
    const WorkingPeriod& period = p.working_hours(i);
    const std::string field = absl::StrCat(prefix, ".working_hours[", i, "]");
    const int day = static_cast<int>(period.day());
    if (day < 1 || day > 7) {
      errors.Add(absl::StrCat(field, ".day"), "must be MONDAY to SUNDAY");
      continue;
    }
    const int start = MinuteOfDay(period.start_time(), false);
    const int end = MinuteOfDay(period.end_time(), true);
    if (start < 0) {
      errors.Add(absl::StrCat(field, ".start_time"),
                 "must be a whole minute from 00:00 to 23:59");
    }
    if (end < 0) {
      errors.Add(absl::StrCat(field, ".end_time"),
                 "must be a whole minute from 00:01 to 24:00");
    }
    if (start < 0 || end < 0) continue;
    if (end <= start) {
      errors.Add(field,
                 "end_time must be after start_time (a block cannot cross "
                 "midnight; split it into two days)");
      continue;
    }
    by_day[day].push_back({start, end, i});
  }
  for (auto& [day, blocks] : by_day) {
    std::sort(blocks.begin(), blocks.end(),
              [](const Block& a, const Block& b) { return a.start < b.start; });
    for (size_t i = 1; i < blocks.size(); ++i) {
      if (blocks[i].start < blocks[i - 1].end) {
        errors.Add(
            absl::StrCat(prefix, ".working_hours[", blocks[i].index, "]"),
            absl::StrCat("overlaps working_hours[", blocks[i - 1].index,
                         "] on the same day"));
      }
    }
  }
}

void CheckTimeOff(const v1::Participant& p, const std::string& prefix,
                  FieldErrors& errors) {
  if (p.time_off_size() > kMaxTimeOff) {
    errors.Add(absl::StrCat(prefix, ".time_off"),
               "must have at most 500 entries");
    return;
  }
  for (int i = 0; i < p.time_off_size(); ++i) {
    const auto& off = p.time_off(i);
    const std::string field = absl::StrCat(prefix, ".time_off[", i, "]");
    const auto& interval = off.interval();
    if (!interval.has_start_time() || !interval.has_end_time() ||
        !IsValidTimestamp(interval.start_time()) ||
        !IsValidTimestamp(interval.end_time())) {
      errors.Add(absl::StrCat(field, ".interval"),
                 "needs a valid start_time and end_time");
    } else if (ToAbslTime(interval.end_time()) <=
               ToAbslTime(interval.start_time())) {
      errors.Add(absl::StrCat(field, ".interval.end_time"),
                 "must be after start_time");
    }
    if (Utf8Length(off.reason()) > kMaxNameLength) {
      errors.Add(absl::StrCat(field, ".reason"),
                 "must be at most 200 characters");
    }
  }
}

void CheckCustomer(const v1::CustomerProfile& c, const std::string& prefix,
                   FieldErrors& errors) {
  CheckDisplayName(c.account(), absl::StrCat(prefix, ".account"), errors);
  if (c.lifecycle() == salesmeet::type::v1::CUSTOMER_LIFECYCLE_UNSPECIFIED ||
      !salesmeet::type::v1::CustomerLifecycle_IsValid(c.lifecycle())) {
    errors.Add(absl::StrCat(prefix, ".lifecycle"),
               "is required: PROSPECT, NEW_CUSTOMER or EXISTING_CUSTOMER");
  }
  ParseResourceName(c.account_owner(), "participants",
                    absl::StrCat(prefix, ".account_owner"), errors);
  if (!c.has_contact_cadence()) {
    errors.Add(absl::StrCat(prefix, ".contact_cadence"),
               "is required, e.g. \"1209600s\" for every two weeks");
  } else {
    CheckPositiveDuration(c.contact_cadence(), absl::Hours(24 * 366),
                          absl::StrCat(prefix, ".contact_cadence"), errors);
  }
}

}  // namespace

bool IsValidEmail(absl::string_view email) {
  if (email.size() > 254) return false;
  std::vector<absl::string_view> parts = absl::StrSplit(email, '@');
  if (parts.size() != 2) return false;
  absl::string_view local = parts[0];
  absl::string_view domain = parts[1];
  if (local.empty() || local.size() > 64 || local.front() == '.' ||
      local.back() == '.' || absl::StrContains(local, "..")) {
    return false;
  }
  for (char c : local) {
    if (!absl::ascii_isalnum(c) &&
        !absl::StrContains("!#$%&'*+/=?^_`{|}~.-", c)) {
      return false;
    }
  }
  std::vector<absl::string_view> labels = absl::StrSplit(domain, '.');
  if (labels.size() < 2) return false;
  for (absl::string_view label : labels) {
    if (label.empty() || label.size() > 63 || label.front() == '-' ||
        label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!absl::ascii_isalnum(c) && c != '-') return false;
    }
  }
  absl::string_view tld = labels.back();
  return tld.size() >= 2 &&
         std::all_of(tld.begin(), tld.end(), absl::ascii_isalpha);
}

bool IsSalesRole(Role role) {
  return role == salesmeet::type::v1::SALES_REP ||
         role == salesmeet::type::v1::SALES_MANAGER;
}

void ApplyParticipantDefaults(v1::Participant& participant) {
  if (participant.working_hours_size() > 0) return;
  for (int day = google::type::MONDAY; day <= google::type::FRIDAY; ++day) {
    WorkingPeriod* period = participant.add_working_hours();
    period->set_day(static_cast<google::type::DayOfWeek>(day));
    period->mutable_start_time()->set_hours(9);
    period->mutable_end_time()->set_hours(17);
  }
}

void ValidateParticipant(const v1::Participant& p, absl::string_view prefix,
                         FieldErrors& errors) {
  const std::string at(prefix);
  auto field = [&at](absl::string_view name) {
    return absl::StrCat(at, ".", name);
  };
  CheckDisplayName(p.display_name(), field("display_name"), errors);
  if (p.email().empty()) {
    errors.Add(field("email"), "is required");
  } else if (!IsValidEmail(p.email())) {
    // The address itself is not echoed: error messages end up in logs.
    errors.Add(field("email"), "is not a valid email address");
  }
  const bool employee = p.kind() == salesmeet::type::v1::EMPLOYEE;
  if (p.kind() == salesmeet::type::v1::PARTICIPANT_KIND_UNSPECIFIED ||
      !salesmeet::type::v1::ParticipantKind_IsValid(p.kind())) {
    errors.Add(field("kind"),
               "is required: EMPLOYEE, CUSTOMER_CONTACT or PARTNER");
  }
  if (!salesmeet::type::v1::Role_IsValid(p.role())) {
    errors.Add(field("role"), "is not a known role");
  } else if (employee && p.role() == salesmeet::type::v1::ROLE_UNSPECIFIED) {
    errors.Add(field("role"), "is required for employees");
  } else if (!employee && p.role() != salesmeet::type::v1::ROLE_UNSPECIFIED) {
    errors.Add(field("role"), "applies only to employees");
  }
  if (!p.team().empty()) {
    if (!employee) {
      errors.Add(field("team"), "applies only to employees");
    } else {
      ParseResourceName(p.team(), "teams", field("team"), errors);
    }
  }
  CheckTimeZone(p.time_zone(), field("time_zone"), errors);
  CheckWorkingHours(p, at, errors);
  CheckTimeOff(p, at, errors);
  if (employee && !p.has_hourly_cost()) {
    errors.Add(field("hourly_cost"),
               "is required for employees, e.g. {\"currency_code\":\"EUR\","
               "\"units\":\"85\"}");
  } else if (!employee && p.has_hourly_cost()) {
    errors.Add(field("hourly_cost"),
               "applies only to employees: other participants' time costs "
               "the company nothing");
  } else if (p.has_hourly_cost()) {
    CheckMoney(p.hourly_cost(), /*allow_negative=*/false, field("hourly_cost"),
               errors, kMaxHourlyCostUnits);
  }
  if (p.has_weekly_meeting_budget()) {
    if (!employee) {
      errors.Add(field("weekly_meeting_budget"), "applies only to employees");
    } else {
      CheckPositiveDuration(p.weekly_meeting_budget(), absl::Hours(7 * 24),
                            field("weekly_meeting_budget"), errors);
    }
  }
  const bool customer = p.kind() == salesmeet::type::v1::CUSTOMER_CONTACT;
  if (customer && !p.has_customer()) {
    errors.Add(field("customer"),
               "is required for customer contacts: account, lifecycle, "
               "account_owner and contact_cadence");
  } else if (!customer && p.has_customer()) {
    errors.Add(field("customer"), "applies only to customer contacts");
  } else if (customer) {
    CheckCustomer(p.customer(), field("customer"), errors);
  }
}

void ValidateTeam(const v1::Team& team, absl::string_view prefix,
                  FieldErrors& errors) {
  const std::string at(prefix);
  CheckDisplayName(team.display_name(), absl::StrCat(at, ".display_name"),
                   errors);
  if (Utf8Length(team.description()) > 2000) {
    errors.Add(absl::StrCat(at, ".description"),
               "must be at most 2000 characters");
  }
  if (!team.manager().empty()) {
    ParseResourceName(team.manager(), "participants",
                      absl::StrCat(at, ".manager"), errors);
  }
}

}  // namespace salesmeet::participant
