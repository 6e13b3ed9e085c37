#include "services/scheduling/policy/policy_judge.h"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/calendar/working_hours.h"
#include "common/field_checks.h"
#include "services/scheduling/policy/scheduling_policy.h"

namespace salesmeet::scheduling {
namespace {

namespace tv1 = ::salesmeet::type::v1;

constexpr int64_t kNanosPerUnit = 1'000'000'000;

__int128 TotalNanos(const google::type::Money& money) {
  return static_cast<__int128>(money.units()) * kNanosPerUnit + money.nanos();
}

// "450.00 EUR"; more decimals only when the amount has them.
std::string FormatMoney(const google::type::Money& money) {
  const __int128 total = TotalNanos(money);
  const __int128 magnitude = total < 0 ? -total : total;
  const int64_t units = static_cast<int64_t>(magnitude / kNanosPerUnit);
  const int64_t nanos = static_cast<int64_t>(magnitude % kNanosPerUnit);
  std::string fraction = absl::StrFormat("%09d", nanos);
  while (fraction.size() > 2 && fraction.back() == '0') fraction.pop_back();
  return absl::StrCat(total < 0 ? "-" : "", units, ".", fraction, " ",
                      money.currency_code());
}

std::string FormatWeek(const tv1::IsoWeek& week) {
  return absl::StrFormat("%04d-W%02d", week.year(), week.week());
}

// When an occurrence happens for someone, in their own zone:
// "Mon 2026-03-30 18:00-19:00 Europe/Rome".
std::string FormatLocalSpan(TimeSpan span, absl::TimeZone zone) {
  const bool same_day =
      absl::ToCivilDay(span.start, zone) == absl::ToCivilDay(span.end, zone);
  return absl::StrCat(absl::FormatTime("%a %Y-%m-%d %H:%M", span.start, zone),
                      "-",
                      absl::FormatTime(same_day ? "%H:%M" : "%a %Y-%m-%d %H:%M",
                                       span.end, zone),
                      " ", zone.name());
}

// One unit of `currency` in the reporting currency; nullopt when the policy
// has no rate for it.
std::optional<long double> RateOf(const v1::SchedulingPolicy& policy,
                                  const std::string& currency) {
  if (currency == policy.reporting_currency()) return 1.0L;
  for (const v1::CurrencyRate& rate : policy.currency_rates()) {
    if (rate.currency_code() == currency) return rate.rate();
  }
  return std::nullopt;
}

// Whether `cost` is above `threshold` in the sense of agenda_cost_threshold:
// a zero threshold is exceeded by any cost; without a currency table only a
// cost in the threshold's currency is compared; with one, both are
// converted to the reporting currency (a currency without a rate, which
// validation prevents, is not judged).
bool CostsMoreThan(const google::type::Money& cost,
                   const google::type::Money& threshold,
                   const v1::SchedulingPolicy& policy) {
  if (TotalNanos(threshold) == 0) return TotalNanos(cost) > 0;
  if (cost.currency_code() == threshold.currency_code()) {
    return TotalNanos(cost) > TotalNanos(threshold);
  }
  if (policy.currency_rates().empty()) return false;
  const std::optional<long double> cost_rate =
      RateOf(policy, cost.currency_code());
  const std::optional<long double> threshold_rate =
      RateOf(policy, threshold.currency_code());
  if (!cost_rate.has_value() || !threshold_rate.has_value()) return false;
  return static_cast<long double>(TotalNanos(cost)) * *cost_rate >
         static_cast<long double>(TotalNanos(threshold)) * *threshold_rate;
}

// Judges one write; holds the per-team rules so each team is resolved once.
class Judge {
 public:
  Judge(const v1::SchedulingPolicy& policy, const JudgedWrite& write)
      : policy_(policy), write_(write) {
    // The meeting's own attendee list is what gets stored, so it wins over
    // the copies in the records.
    for (const AttendeeRecord& record : write.attendees) {
      attendees_[record.attendee.participant()] = &record.attendee;
    }
    for (const v1::Attendee& attendee : write.meeting.attendees()) {
      attendees_[attendee.participant()] = &attendee;
    }
    organizer_team_ = TeamOf(write.meeting.organizer());
  }

  absl::StatusOr<std::vector<v1::PolicyFinding>> Run() {
    OverWeeklyBudget();
    CostWithoutAgenda();
    TooManyAttendees();
    absl::Status status = OutsideWorkingHours();
    if (!status.ok()) return status;
    VideoWithoutLink();
    CustomerMeetingWithoutSales();
    return std::move(findings_);
  }

 private:
  std::string TeamOf(const std::string& participant) const {
    auto it = attendees_.find(participant);
    return it == attendees_.end() ? "" : it->second->snapshot().team();
  }

  const EffectiveRules& Rules(const std::string& team) {
    auto it = rules_.find(team);
    if (it == rules_.end()) {
      it = rules_.emplace(team, RulesFor(policy_, team)).first;
    }
    return it->second;
  }

  // The finding for `rule` under `setting`, or nullptr when the rule is off.
  v1::PolicyFinding* Add(v1::PolicyRule rule, const RuleSetting& setting,
                         std::string message) {
    if (setting.mode != v1::WARN && setting.mode != v1::REJECT) return nullptr;
    v1::PolicyFinding& finding = findings_.emplace_back();
    finding.set_rule(rule);
    finding.set_mode(setting.mode);
    finding.set_message(std::move(message));
    finding.set_team(setting.team);
    return &finding;
  }

  void OverWeeklyBudget() {
    for (const v1::WeeklyLoad& load : write_.weekly_loads) {
      if (!load.has_budget()) continue;
      const absl::Duration before = ToAbslDuration(load.before());
      const absl::Duration after = ToAbslDuration(load.after());
      const absl::Duration budget = ToAbslDuration(load.budget());
      // Only a write that adds time can break a budget: someone already
      // over it may still be taken out of meetings.
      if (after <= budget || after <= before) continue;
      const RuleSetting& setting =
          Rules(TeamOf(load.participant())).over_weekly_budget;
      v1::PolicyFinding* finding =
          Add(v1::OVER_WEEKLY_BUDGET, setting,
              absl::StrCat(load.participant(), " would have ",
                           absl::FormatDuration(after), " of meetings in ",
                           FormatWeek(load.week()), ", over the ",
                           absl::FormatDuration(budget), " budget"));
      if (finding == nullptr) continue;
      finding->set_attendee(load.participant());
      *finding->mutable_week() = load.week();
    }
  }

  void CostWithoutAgenda() {
    const EffectiveRules& rules = Rules(organizer_team_);
    if (rules.cost_without_agenda.mode == v1::OFF) return;
    if (!absl::StripAsciiWhitespace(write_.meeting.agenda()).empty()) return;
    const google::type::Money& threshold = rules.agenda_cost_threshold;
    const google::type::Money* over = nullptr;
    const OccurrenceTime* occurrence = nullptr;
    if (CostsMoreThan(write_.cost_per_occurrence, threshold, policy_)) {
      over = &write_.cost_per_occurrence;
    } else {
      for (size_t i = 0;
           i < write_.occurrence_costs.size() && i < write_.occurrences.size();
           ++i) {
        if (CostsMoreThan(write_.occurrence_costs[i], threshold, policy_)) {
          over = &write_.occurrence_costs[i];
          occurrence = &write_.occurrences[i];
          break;
        }
      }
    }
    if (over == nullptr) return;
    std::string message = absl::StrCat(
        occurrence == nullptr ? "each occurrence" : "the occurrence",
        " would cost ", FormatMoney(*over));
    if (TotalNanos(threshold) == 0) {
      absl::StrAppend(&message,
                      " and the agenda is empty; a meeting that costs "
                      "anything needs one");
    } else {
      absl::StrAppend(
          &message, ", over the ", FormatMoney(threshold), " threshold",
          rules.agenda_cost_threshold_team.empty()
              ? ""
              : absl::StrCat(" of ", rules.agenda_cost_threshold_team),
          ", and the agenda is empty");
    }
    v1::PolicyFinding* finding =
        Add(v1::COST_WITHOUT_AGENDA, rules.cost_without_agenda, message);
    if (finding != nullptr && occurrence != nullptr) {
      *finding->mutable_occurrence_start_time() =
          ToProtoTime(occurrence->original_start);
    }
  }

  void TooManyAttendees() {
    const EffectiveRules& rules = Rules(organizer_team_);
    const int count = write_.meeting.attendees_size();
    if (count <= rules.max_attendees) return;
    Add(v1::TOO_MANY_ATTENDEES, rules.too_many_attendees,
        absl::StrCat(
            "the meeting has ", count, " attendees, over the limit of ",
            rules.max_attendees,
            rules.max_attendees_team.empty()
                ? ""
                : absl::StrCat(" set for ", rules.max_attendees_team)));
  }

  absl::Status OutsideWorkingHours() {
    for (const AttendeeRecord& record : write_.attendees) {
      const v1::Attendee& attendee =
          *attendees_.at(record.attendee.participant());
      const tv1::ParticipantKind kind =
          attendee.snapshot().kind() != tv1::PARTICIPANT_KIND_UNSPECIFIED
              ? attendee.snapshot().kind()
              : record.participant.kind();
      if (attendee.optional() || kind != tv1::EMPLOYEE) continue;
      const RuleSetting& setting =
          Rules(attendee.snapshot().team()).outside_working_hours;
      if (setting.mode == v1::OFF) continue;
      absl::StatusOr<Availability> availability =
          Availability::ForParticipant(record.participant);
      if (!availability.ok()) {
        return absl::InternalError(absl::StrCat(
            "cannot judge the working hours of ", attendee.participant(), ": ",
            availability.status().message()));
      }
      for (const OccurrenceTime& occurrence : write_.occurrences) {
        const char* problem = nullptr;
        if (availability->OverlapsTimeOff(occurrence.span)) {
          problem = "during their time off";
        } else if (!availability->IsWithinWorkingHours(occurrence.span)) {
          problem = "outside their working hours";
        } else {
          continue;
        }
        v1::PolicyFinding* finding = Add(
            v1::OUTSIDE_WORKING_HOURS, setting,
            absl::StrCat(attendee.participant(), " would meet ",
                         FormatLocalSpan(occurrence.span, availability->zone()),
                         ", ", problem));
        if (finding == nullptr) continue;
        finding->set_attendee(attendee.participant());
        *finding->mutable_occurrence_start_time() =
            ToProtoTime(occurrence.original_start);
      }
    }
    return absl::OkStatus();
  }

  void VideoWithoutLink() {
    const v1::Meeting& meeting = write_.meeting;
    if (meeting.format() != v1::VIDEO_CONFERENCE ||
        !meeting.video_conference().join_uri().empty()) {
      return;
    }
    Add(v1::VIDEO_WITHOUT_LINK, Rules(organizer_team_).video_without_link,
        "the meeting is a video conference without a join link");
  }

  void CustomerMeetingWithoutSales() {
    const v1::Meeting& meeting = write_.meeting;
    bool has_customer = meeting.audience() == v1::CUSTOMER_FACING;
    bool has_sales = false;
    for (const v1::Attendee& attendee : meeting.attendees()) {
      const v1::AttendeeSnapshot& snapshot = attendee.snapshot();
      // The audience is derived before judging; the kinds are a fallback
      // for a meeting that has not had it derived yet.
      if (meeting.audience() == v1::AUDIENCE_UNSPECIFIED &&
          snapshot.kind() == tv1::CUSTOMER_CONTACT) {
        has_customer = true;
      }
      if (snapshot.role() == tv1::SALES_REP ||
          snapshot.role() == tv1::SALES_MANAGER) {
        has_sales = true;
      }
    }
    if (!has_customer || has_sales) return;
    Add(v1::CUSTOMER_MEETING_WITHOUT_SALES,
        Rules(organizer_team_).customer_meeting_without_sales,
        "the meeting is customer-facing and no attendee is a sales rep or "
        "sales manager");
  }

  const v1::SchedulingPolicy& policy_;
  const JudgedWrite& write_;
  std::map<std::string, const v1::Attendee*> attendees_;
  std::string organizer_team_;
  std::map<std::string, EffectiveRules> rules_;
  std::vector<v1::PolicyFinding> findings_;
};

// The order of Verdict.findings: REJECT before WARN, then rule, occurrence
// (whole-meeting findings first), attendee, week.
bool FindingBefore(const v1::PolicyFinding& a, const v1::PolicyFinding& b) {
  auto key = [](const v1::PolicyFinding& f) {
    return std::make_tuple(
        -static_cast<int>(f.mode()), static_cast<int>(f.rule()),
        f.has_occurrence_start_time(), f.occurrence_start_time().seconds(),
        f.occurrence_start_time().nanos(), f.attendee(), f.week().year(),
        f.week().week());
  };
  return key(a) < key(b);
}

// Where to look when a whole-meeting rule rejects.
const char* FieldOf(v1::PolicyRule rule) {
  switch (rule) {
    case v1::COST_WITHOUT_AGENDA:
      return "meeting.agenda";
    case v1::VIDEO_WITHOUT_LINK:
      return "meeting.video_conference.join_uri";
    default:
      return "meeting.attendees";
  }
}

}  // namespace

absl::StatusOr<std::vector<v1::PolicyFinding>> JudgeWrite(
    const v1::SchedulingPolicy& policy, const JudgedWrite& write) {
  absl::StatusOr<std::vector<v1::PolicyFinding>> findings =
      Judge(policy, write).Run();
  if (findings.ok()) {
    std::stable_sort(findings->begin(), findings->end(), FindingBefore);
  }
  return findings;
}

std::vector<PreconditionViolation> RejectionViolations(
    const std::vector<v1::PolicyFinding>& findings) {
  std::vector<const v1::PolicyFinding*> rejecting;
  for (const v1::PolicyFinding& finding : findings) {
    if (finding.mode() == v1::REJECT) rejecting.push_back(&finding);
  }
  std::stable_sort(rejecting.begin(), rejecting.end(),
                   [](const v1::PolicyFinding* a, const v1::PolicyFinding* b) {
                     return FindingBefore(*a, *b);
                   });
  std::vector<PreconditionViolation> violations;
  for (size_t i = 0; i < rejecting.size();) {
    const v1::PolicyFinding& first = *rejecting[i];
    size_t end = i;
    while (end < rejecting.size() && rejecting[end]->rule() == first.rule()) {
      ++end;
    }
    const size_t more = end - i - 1;
    violations.push_back(
        {v1::PolicyRule_Name(first.rule()),
         first.attendee().empty() ? FieldOf(first.rule()) : first.attendee(),
         more == 0 ? first.message()
                   : absl::StrCat(first.message(), " (and ", more, " more)")});
    i = end;
  }
  return violations;
}

}  // namespace salesmeet::scheduling
