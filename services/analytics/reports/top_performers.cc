#include "services/analytics/reports/top_performers.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/errors.h"
#include "common/field_checks.h"
#include "services/analytics/reports/counted_occurrences.h"

namespace salesmeet::analytics {
namespace {

// What one performer's counted meetings add up to.
struct Performer {
  absl::string_view participant;
  // Their snapshot in their latest counted meeting (by start, then name).
  absl::Time latest_start = absl::InfinitePast();
  absl::string_view latest_meeting;
  absl::string_view team;
  tv1::Role role = tv1::ROLE_UNSPECIFIED;

  int meetings = 0;
  int outcomes[sv1::MeetingOutcome_ARRAYSIZE] = {};
  MoneySum won;
  absl::Duration time;
  MoneySum cost;
  double score = 0;

  int count(sv1::MeetingOutcome outcome) const { return outcomes[outcome]; }
  double win_rate() const {
    return Share(count(sv1::WON), count(sv1::WON) + count(sv1::LOST));
  }
};

bool IsSales(const AttendeeFacts& attendee) {
  return attendee.employee() && (attendee.role == tv1::SALES_REP ||
                                 attendee.role == tv1::SALES_MANAGER);
}

bool RanksByMoney(av1::PerformanceMetric metric) {
  return metric == av1::WON_DEAL_VALUE ||
         metric == av1::VALUE_PER_MEETING_HOUR ||
         metric == av1::RETURN_ON_MEETING_COST;
}

// Won value and cost in the report's one currency, when it has one.
struct PerformerMoney {
  std::optional<int128> won;   // nanos
  std::optional<int128> cost;  // nanos per hour x seconds
};

double ScoreOf(const Performer& p, const PerformerMoney& money,
               av1::PerformanceMetric metric) {
  const double won = money.won.has_value()
                         ? static_cast<double>(*money.won) / kNanosPerUnit
                         : 0;
  switch (metric) {
    case av1::WON_DEAL_VALUE:
      return won;
    case av1::WIN_RATE:
      return p.win_rate();
    case av1::VALUE_PER_MEETING_HOUR:
      return Share(won, absl::ToDoubleHours(p.time));
    case av1::RETURN_ON_MEETING_COST:
      if (!money.won.has_value() || !money.cost.has_value()) return 0;
      // A cost sum is nanos per hour x seconds: nanos x 3600.
      return Share(static_cast<double>(*money.won) * 3600,
                   static_cast<double>(*money.cost));
    default:
      return 0;
  }
}

void FillEntry(const Performer& p, int rank, const ReportWriter& money,
               av1::PerformerEntry& entry) {
  entry.set_rank(rank);
  entry.set_participant(std::string(p.participant));
  entry.set_team(std::string(p.team));
  entry.set_role(p.role);
  entry.set_score(p.score);
  entry.set_meeting_count(p.meetings);
  entry.set_won_count(p.count(sv1::WON));
  entry.set_lost_count(p.count(sv1::LOST));
  entry.set_advanced_count(p.count(sv1::ADVANCED));
  entry.set_held_count(p.count(sv1::HELD));
  entry.set_no_show_count(p.count(sv1::NO_SHOW));
  money.Write(p.won, MoneyScale::kNanos, entry.mutable_won_deal_value(),
              entry.mutable_won_deal_value_by_currency());
  entry.set_win_rate(p.win_rate());
  *entry.mutable_meeting_time() = ToProtoDuration(p.time);
  money.Write(p.cost, MoneyScale::kCost, entry.mutable_meeting_cost(),
              entry.mutable_meeting_cost_by_currency());
  const PerformerMoney totals{money.Total(p.won), money.Total(p.cost)};
  if (totals.won.has_value()) {
    const int64_t seconds = absl::ToInt64Seconds(p.time);
    *entry.mutable_value_per_meeting_hour() = MoneyFromNanos(
        money.code(),
        seconds == 0
            ? 0
            : DivRoundHalfAway(SaturatingMul(*totals.won, 3600), seconds));
  }
  entry.set_return_on_meeting_cost(
      ScoreOf(p, totals, av1::RETURN_ON_MEETING_COST));
}

}  // namespace

absl::StatusOr<TopPerformersQuery> CheckTopPerformersRequest(
    const av1::GetTopPerformersRequest& request, absl::Time now) {
  FieldErrors errors;
  TopPerformersQuery query;
  query.scope = CheckScope(request.scope(), "scope", now, errors);
  if (request.metric() == av1::PERFORMANCE_METRIC_UNSPECIFIED ||
      !av1::PerformanceMetric_IsValid(request.metric())) {
    errors.Add("metric",
               "is required: WON_DEAL_VALUE, WIN_RATE, "
               "VALUE_PER_MEETING_HOUR or RETURN_ON_MEETING_COST");
  }
  if (request.min_meetings() != 0) {
    query.min_meetings = request.min_meetings();
    if (query.min_meetings < 1 || query.min_meetings > 1000) {
      errors.Add("min_meetings", "must be from 1 to 1000");
    }
  }
  if (request.max_results() != 0) {
    query.max_results = request.max_results();
    if (query.max_results < 1 || query.max_results > 100) {
      errors.Add("max_results", "must be from 1 to 100");
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  query.metric = request.metric();
  return query;
}

absl::StatusOr<av1::TopPerformersReport> BuildTopPerformers(
    const TopPerformersQuery& query, const ReportInputs& inputs) {
  // Every attendee counts towards a meeting's cost; the team and
  // participant filters choose performers, not attendance.
  Scope meetings = query.scope;
  meetings.team.clear();
  meetings.participant.clear();
  const NameTable& names = inputs.model.names();
  CountedOccurrences walker(meetings, names);
  auto name_of = [&names](int index) {
    return index < 0 ? absl::string_view() : absl::string_view(names[index]);
  };
  const TimeSpan& range = query.scope.interval;
  const ReportCurrency& currency = inputs.currency;

  std::vector<Performer> performers;
  absl::flat_hash_map<int, int> index;  // Name index -> performer.
  // Per attendee of the meeting being walked; reused for every meeting.
  std::vector<absl::Duration> attended;
  std::vector<char> attends;

  inputs.model.ForEachMeeting([&](const MeetingFacts& meeting) {
    if (meeting.state() != sv1::COMPLETED ||
        meeting.start_time() < range.start ||
        meeting.start_time() >= range.end) {
      return;
    }
    const MeetingFacts::Attendees& attendees = meeting.attendees();
    attended.assign(attendees.size(), absl::ZeroDuration());
    attends.assign(attendees.size(), 0);
    MoneySum cost;
    walker.ForEachOf(meeting, [&](const CountedOccurrence& counted) {
      const absl::Duration length = counted.in_range.length();
      for (int i : counted.attendees) {
        attends[i] = 1;
        attended[i] += length;
        currency.AddCost(attendees[i].hourly_cost, length, cost);
      }
    });
    for (size_t i = 0; i < attendees.size(); ++i) {
      const AttendeeFacts& attendee = attendees[i];
      if (!attends[i] || !IsSales(attendee)) continue;
      if (!query.scope.team.empty() &&
          name_of(attendee.team) != query.scope.team) {
        continue;
      }
      auto [it, added] =
          index.try_emplace(attendee.participant, performers.size());
      if (added) {
        performers.emplace_back();
        performers.back().participant = name_of(attendee.participant);
      }
      Performer& p = performers[it->second];
      ++p.meetings;
      if (meeting.outcome() >= 0 &&
          meeting.outcome() < sv1::MeetingOutcome_ARRAYSIZE) {
        ++p.outcomes[meeting.outcome()];
      }
      if (meeting.outcome() == sv1::WON) {
        currency.AddAmount(meeting.deal_value(), p.won);
      }
      p.time += attended[i];
      p.cost += cost;
      if (std::make_pair(meeting.start_time(),
                         absl::string_view(meeting.name())) >
          std::make_pair(p.latest_start, p.latest_meeting)) {
        p.latest_start = meeting.start_time();
        p.latest_meeting = meeting.name();
        p.team = name_of(attendee.team);
        p.role = attendee.role;
      }
    }
  });

  std::vector<Performer*> ranked;
  MoneySum counted;
  for (Performer& p : performers) {
    if (p.meetings < query.min_meetings) continue;
    counted += p.won;
    counted += p.cost;
    ranked.push_back(&p);
  }
  absl::StatusOr<ReportWriter> money = currency.WriterFor(counted);
  if (!money.ok()) return money.status();
  if (RanksByMoney(query.metric) && money->code().empty()) {
    const std::string message = absl::StrCat(
        "ranking by ", av1::PerformanceMetric_Name(query.metric),
        " compares amounts in one currency, and the counted ones are in ",
        money->counted_codes(),
        "; add a conversion table to scheduling's policy "
        "(UpdateSchedulingPolicy), or rank by WIN_RATE");
    return FailedPreconditionError(
        "MIXED_CURRENCIES", message,
        {{"MIXED_CURRENCIES", "schedulingPolicy", message}});
  }
  for (Performer* p : ranked) {
    p->score = ScoreOf(*p, {money->Total(p->won), money->Total(p->cost)},
                       query.metric);
  }
  std::sort(ranked.begin(), ranked.end(),
            [](const Performer* a, const Performer* b) {
              if (a->score != b->score) return a->score > b->score;
              if (a->meetings != b->meetings) return a->meetings > b->meetings;
              return a->participant < b->participant;
            });

  av1::TopPerformersReport report;
  *report.mutable_freshness() = inputs.freshness;
  report.set_metric(query.metric);
  report.set_ranked_count(static_cast<int>(ranked.size()));
  for (size_t i = 0; i < ranked.size(); ++i) {
    const bool wanted = query.scope.participant.empty()
                            ? i < static_cast<size_t>(query.max_results)
                            : ranked[i]->participant == query.scope.participant;
    if (!wanted) continue;
    FillEntry(*ranked[i], static_cast<int>(i) + 1, *money,
              *report.add_entries());
  }
  return report;
}

}  // namespace salesmeet::analytics
