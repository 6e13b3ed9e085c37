#include "services/scheduling/booking/verdict_builder.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/calendar/cost_model.h"
#include "common/calendar/occurrences.h"
#include "common/calendar/weekly_load.h"
#include "common/field_checks.h"
#include "common/status_macros.h"
#include "services/scheduling/booking/conflict_check.h"
#include "services/scheduling/policy/policy_judge.h"

namespace salesmeet::scheduling {
namespace {

constexpr int kMaxListedFindings = 100;
// What a refusal carries at most, to stay well inside the 8 KiB of
// metadata gRPC clients accept by default.
constexpr int kMaxConflictsInError = 8;
constexpr int kMaxFindingsInError = 8;
// Loads are counted over whole weeks around the window, so that a week the
// window cuts in two still shows its full meeting time.
constexpr absl::Duration kWeekMargin = absl::Hours(24 * 8);

std::vector<OccurrenceTime> OccurrencesOf(const v1::Meeting& meeting,
                                          const Recurrence& series,
                                          TimeSpan window,
                                          std::optional<absl::Time> only) {
  std::vector<OccurrenceTime> all = ActiveOccurrences(meeting, series, window);
  if (!only.has_value()) return all;
  std::vector<OccurrenceTime> one;
  for (const OccurrenceTime& o : all) {
    if (o.original_start == *only) one.push_back(o);
  }
  return one;
}

bool Invites(const v1::Meeting* meeting, const std::string& participant) {
  if (meeting == nullptr) return false;
  for (const v1::Attendee& a : meeting->attendees()) {
    if (a.participant() == participant) return true;
  }
  return false;
}

std::vector<TimeSpan> Spans(const std::vector<OccurrenceTime>& occurrences) {
  std::vector<TimeSpan> spans;
  for (const OccurrenceTime& o : occurrences) spans.push_back(o.span);
  return spans;
}

// Weekly loads of everyone the write touches, for the weeks it changes that
// overlap the window.
absl::StatusOr<std::vector<v1::WeeklyLoad>> LoadsOf(
    const WriteProposal& p, const std::vector<std::string>& participants,
    const std::map<std::string, std::vector<BusyOccurrence>>& busy,
    TimeSpan wide) {
  const std::vector<TimeSpan> before_spans =
      p.before == nullptr
          ? std::vector<TimeSpan>()
          : Spans(ActiveOccurrences(*p.before, *p.before_series, wide));
  const std::vector<TimeSpan> after_spans =
      Spans(ActiveOccurrences(*p.after, *p.after_series, wide));
  std::vector<v1::WeeklyLoad> loads;
  for (const std::string& name : participants) {
    auto person = p.people->find(name);
    if (person == p.people->end()) continue;
    absl::StatusOr<absl::TimeZone> zone =
        LoadIanaTimeZone(person->second.time_zone());
    if (!zone.ok()) {
      return absl::InternalError(
          absl::StrCat(name, " has a time zone this server does not know: ",
                       person->second.time_zone()));
    }
    std::optional<absl::Duration> budget;
    if (person->second.has_weekly_meeting_budget()) {
      budget = ToAbslDuration(person->second.weekly_meeting_budget());
    }
    std::vector<TimeSpan> others;
    auto it = busy.find(name);
    if (it != busy.end()) {
      for (const BusyOccurrence& b : it->second) others.push_back(b.time.span);
    }
    std::vector<TimeSpan> before = others;
    if (Invites(p.before, name)) {
      before.insert(before.end(), before_spans.begin(), before_spans.end());
    }
    std::vector<TimeSpan> after = others;
    if (Invites(p.after, name)) {
      after.insert(after.end(), after_spans.begin(), after_spans.end());
    }
    for (v1::WeeklyLoad& load :
         CompareWeeks(name, *zone, budget, before, after, wide)) {
      const absl::Time week_start =
          WeekStart({load.week().year(), load.week().week()}, *zone);
      if (week_start >= p.window.end ||
          week_start + absl::Hours(24 * 7 + 2) <= p.window.start) {
        continue;  // A week of the margin, not of the window.
      }
      loads.push_back(std::move(load));
    }
  }
  return loads;
}

// The span to read other meetings over: every occurrence the write adds
// (`mine`) or changes (the meeting before and after, within the window), with
// a week's margin each side for the weekly loads.
TimeSpan Around(const WriteProposal& p,
                const std::vector<OccurrenceTime>& mine) {
  std::vector<OccurrenceTime> touched = mine;
  if (!p.only_occurrence.has_value()) {
    const std::vector<OccurrenceTime> after =
        ActiveOccurrences(*p.after, *p.after_series, p.window);
    touched.insert(touched.end(), after.begin(), after.end());
  }
  if (p.before != nullptr) {
    std::vector<OccurrenceTime> before =
        ActiveOccurrences(*p.before, *p.before_series, p.window);
    if (p.only_occurrence.has_value()) {
      before.erase(std::remove_if(before.begin(), before.end(),
                                  [&](const OccurrenceTime& o) {
                                    return o.original_start !=
                                           *p.only_occurrence;
                                  }),
                   before.end());
    }
    touched.insert(touched.end(), before.begin(), before.end());
  }
  if (touched.empty()) return {p.window.start, p.window.start};
  TimeSpan around = touched.front().span;
  for (const OccurrenceTime& o : touched) {
    around.start = std::min(around.start, o.span.start);
    around.end = std::max(around.end, o.span.end);
  }
  return {around.start - kWeekMargin, around.end + kWeekMargin};
}

PreconditionViolation ConflictViolation(const v1::Conflict& c) {
  return {"CONFLICT", c.attendee(),
          absl::StrCat("is already in ", c.other_meeting(), " (\"",
                       c.other_meeting_title(), "\") from ",
                       absl::FormatTime("%Y-%m-%dT%H:%MZ",
                                        ToAbslTime(c.overlap().start_time()),
                                        absl::UTCTimeZone()),
                       " to ",
                       absl::FormatTime("%Y-%m-%dT%H:%MZ",
                                        ToAbslTime(c.overlap().end_time()),
                                        absl::UTCTimeZone()))};
}

}  // namespace

absl::StatusOr<Judgement> JudgeProposal(MeetingTransaction& tx,
                                        const v1::SchedulingPolicy& policy,
                                        const WriteProposal& p) {
  Judgement judgement;
  v1::Verdict& verdict = judgement.verdict;
  *verdict.mutable_horizon_window()->mutable_start_time() =
      ToProtoTime(p.window.start);
  *verdict.mutable_horizon_window()->mutable_end_time() =
      ToProtoTime(p.window.end);

  const std::vector<OccurrenceTime> mine =
      OccurrencesOf(*p.after, *p.after_series, p.window, p.only_occurrence);
  std::set<std::string> touched;
  for (const v1::Attendee& a : p.after->attendees()) {
    touched.insert(a.participant());
  }
  if (p.before != nullptr) {
    for (const v1::Attendee& a : p.before->attendees()) {
      touched.insert(a.participant());
    }
  }
  const std::vector<std::string> participants(touched.begin(), touched.end());
  // Other meetings matter only around the occurrences this write adds or
  // removes: for a single meeting that is a couple of weeks, not the whole
  // horizon.
  const TimeSpan wide = Around(p, mine);
  std::map<std::string, std::vector<BusyOccurrence>> busy;
  ASSIGN_OR_RETURN(
      busy, LoadBusyOccurrences(tx, participants, p.after->name(), wide));

  if (p.check_conflicts) {
    ConflictReport conflicts = FindConflicts(*p.after, mine, busy);
    for (v1::Conflict& c : conflicts.listed) {
      *verdict.add_conflicts() = std::move(c);
    }
    verdict.set_conflict_count(conflicts.total);
    verdict.set_blocking_conflict_count(conflicts.blocking);
    if (!p.allow_conflicts) judgement.blocking_conflicts = conflicts.blocking;
  }

  ASSIGN_OR_RETURN(CostModel costs, CostModel::FromPolicy(policy));
  std::vector<v1::Attendee> attendees(p.after->attendees().begin(),
                                      p.after->attendees().end());
  ASSIGN_OR_RETURN(MeetingRate rate, costs.RateOf(attendees));
  const absl::Duration length = mine.size() == 1 && p.only_occurrence
                                    ? mine.front().span.length()
                                    : p.after_series->timing().duration;
  *verdict.mutable_cost_per_occurrence() = costs.Cost(rate, length);
  verdict.set_horizon_occurrence_count(static_cast<int>(mine.size()));
  *verdict.mutable_horizon_cost() = costs.Total(rate, mine);

  std::vector<v1::WeeklyLoad> loads;
  ASSIGN_OR_RETURN(loads, LoadsOf(p, participants, busy, wide));

  JudgedWrite write;
  write.meeting = *p.after;
  for (const v1::Attendee& a : p.after->attendees()) {
    auto person = p.people->find(a.participant());
    if (person != p.people->end()) {
      write.attendees.push_back({a, person->second});
    }
  }
  write.occurrences = mine;
  write.cost_per_occurrence = verdict.cost_per_occurrence();
  for (const OccurrenceTime& o : mine) {
    write.occurrence_costs.push_back(costs.Cost(rate, o.span.length()));
  }
  write.weekly_loads = loads;
  std::vector<v1::PolicyFinding> findings;
  ASSIGN_OR_RETURN(findings, JudgeWrite(policy, write));

  for (v1::WeeklyLoad& load : loads) {
    *verdict.add_weekly_loads() = std::move(load);
  }
  verdict.set_finding_count(static_cast<int>(findings.size()));
  for (size_t i = 0; i < findings.size() && i < kMaxListedFindings; ++i) {
    *verdict.add_findings() = findings[i];
  }
  judgement.violations = RejectionViolations(findings);
  for (const PreconditionViolation& v : judgement.violations) {
    judgement.rejecting_rules.push_back(v.type);
  }
  if (judgement.blocking_conflicts > 0) {
    for (const v1::Conflict& c : verdict.conflicts()) {
      if (!c.optional()) judgement.violations.push_back(ConflictViolation(c));
    }
  }
  verdict.set_rejected(!judgement.rejecting_rules.empty() ||
                       judgement.blocking_conflicts > 0);
  return judgement;
}

absl::Status RefusalOf(const Judgement& judgement) {
  if (!judgement.verdict.rejected()) return absl::OkStatus();
  const bool by_policy = !judgement.rejecting_rules.empty();
  std::vector<std::string> parts;
  if (by_policy) {
    parts.push_back(absl::StrCat("the policy rejects it (",
                                 absl::StrJoin(judgement.rejecting_rules, ", "),
                                 ")"));
  }
  if (judgement.blocking_conflicts > 0) {
    parts.push_back(absl::StrCat(
        "it double-books required attendees (",
        CountOf(judgement.blocking_conflicts, "conflict", "conflicts"),
        "; set allow_conflicts to book anyway)"));
  }
  const std::string reason =
      by_policy ? "POLICY_REJECTED" : "SCHEDULING_CONFLICT";
  // Details travel in a trailer, and gRPC clients refuse more than 8 KiB of
  // metadata by default: the refusal carries the first few of everything
  // and every count; a validate_only preview shows the full verdict.
  std::vector<PreconditionViolation> violations;
  int conflicts_listed = 0;
  for (const PreconditionViolation& v : judgement.violations) {
    if (v.type == "CONFLICT" && ++conflicts_listed > kMaxConflictsInError) {
      continue;
    }
    violations.push_back(v);
  }
  v1::Verdict summary = judgement.verdict;
  summary.clear_weekly_loads();
  while (summary.conflicts_size() > kMaxConflictsInError) {
    summary.mutable_conflicts()->RemoveLast();
  }
  while (summary.findings_size() > kMaxFindingsInError) {
    summary.mutable_findings()->RemoveLast();
  }
  absl::Status status = FailedPreconditionError(
      reason, absl::StrCat("refused: ", absl::StrJoin(parts, "; and ")),
      violations);
  status = WithErrorInfo(
      status, reason,
      {{"rules", absl::StrJoin(judgement.rejecting_rules, ",")},
       {"conflict_count", absl::StrCat(judgement.blocking_conflicts)}});
  return WithDetail(status, summary);
}

}  // namespace salesmeet::scheduling
