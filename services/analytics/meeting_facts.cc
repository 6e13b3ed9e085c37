#include "services/analytics/meeting_facts.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "common/field_checks.h"
#include "services/scheduling/occurrences.h"

namespace salesmeet::analytics {

namespace {

// An occurrence lasts at most a day (moved ones included), so one starting
// a day before a window is the earliest that can reach into it.
constexpr absl::Duration kLongestOccurrence = absl::Hours(24);

int InternMoney(const google::type::Money& money, AmountTable& amounts) {
  const int64_t nanos = money.units() * 1'000'000'000 + money.nanos();
  return amounts.Intern({money.currency_code(), nanos});
}

bool Bounded(const std::string& rrule) {
  return rrule.empty() || absl::StrContains(rrule, "COUNT=") ||
         absl::StrContains(rrule, "UNTIL=");
}

// The occurrences of `meeting` that happen and overlap `window`, with each
// attendee's answers for single occurrences attached by attendee index.
std::vector<OccurrenceFacts> ExpandFacts(
    const sv1::Meeting& meeting, const scheduling::Recurrence& series,
    const absl::flat_hash_map<std::string, int>& attendee_index,
    TimeSpan window) {
  std::vector<OccurrenceFacts> out;
  for (const scheduling::MeetingOccurrence& o : scheduling::ExpandOccurrences(
           meeting, series, window, /*include_cancelled=*/false)) {
    OccurrenceFacts occurrence;
    occurrence.original_start = o.time.original_start;
    occurrence.span = o.time.span;
    if (o.exception) {
      const sv1::OccurrenceException* exception =
          scheduling::FindException(meeting, o.time.original_start);
      for (const sv1::OccurrenceResponse& r : exception->responses()) {
        auto it = attendee_index.find(r.attendee());
        if (it == attendee_index.end()) continue;
        occurrence.declined_overrides.emplace_back(
            it->second, r.response() == sv1::DECLINED);
      }
    }
    out.push_back(std::move(occurrence));
  }
  return out;
}

}  // namespace

int AmountTable::Intern(const BookedAmount& amount) {
  auto [it, added] = index_.try_emplace(amount, amounts_.size());
  if (added) amounts_.push_back(amount);
  return it->second;
}

absl::StatusOr<MeetingFacts> MeetingFacts::FromMeeting(
    const sv1::Meeting& meeting, absl::Time now, AmountTable& amounts) {
  absl::StatusOr<scheduling::Recurrence> series =
      scheduling::StoredSeriesOf(meeting);
  if (!series.ok()) return series.status();

  MeetingFacts facts;
  facts.name_ = meeting.name();
  facts.organizer_ = meeting.organizer();
  facts.purpose_ = meeting.purpose();
  facts.format_ = meeting.format();
  facts.audience_ = meeting.audience();
  facts.state_ = meeting.state();
  facts.outcome_ = meeting.outcome();
  if (meeting.has_deal_value()) {
    facts.deal_value_ = InternMoney(meeting.deal_value(), amounts);
  }
  facts.start_time_ = ToAbslTime(meeting.start_time());
  facts.recurring_ = series->recurring();

  for (const sv1::Attendee& attendee : meeting.attendees()) {
    AttendeeFacts a;
    a.participant = attendee.participant();
    a.kind = attendee.snapshot().kind();
    a.role = attendee.snapshot().role();
    a.team = attendee.snapshot().team();
    if (a.employee() && attendee.snapshot().has_hourly_cost()) {
      a.hourly_cost = InternMoney(attendee.snapshot().hourly_cost(), amounts);
    }
    a.declined = attendee.response() == sv1::DECLINED;
    facts.attendee_index_.emplace(a.participant, facts.attendees_.size());
    facts.attendees_.push_back(std::move(a));
  }

  const bool bounded = Bounded(meeting.recurrence().rrule());
  if (bounded) {
    facts.occurrences_ =
        ExpandFacts(meeting, *series, facts.attendee_index_,
                    {absl::InfinitePast(), absl::InfiniteFuture()});
  } else {
    facts.expanded_until_ = std::max(now, facts.start_time_) + kExpansionAhead;
    facts.occurrences_ =
        ExpandFacts(meeting, *series, facts.attendee_index_,
                    {absl::InfinitePast(), facts.expanded_until_});
    facts.source_ = std::make_shared<const sv1::Meeting>(meeting);
    facts.series_ =
        std::make_shared<const scheduling::Recurrence>(*std::move(series));
  }

  facts.first_start_ = facts.start_time_;
  absl::Time last_end = ToAbslTime(meeting.end_time());
  for (const OccurrenceFacts& o : facts.occurrences_) {
    facts.first_start_ = std::min(facts.first_start_, o.span.start);
    last_end = std::max(last_end, o.span.end);
  }
  if (bounded) facts.last_end_ = last_end;
  return facts;
}

std::vector<OccurrenceFacts> MeetingFacts::Expand(TimeSpan window) const {
  return ExpandFacts(*source_, *series_, attendee_index_, window);
}

void MeetingFacts::ForEachOccurrence(
    TimeSpan window,
    const std::function<void(const OccurrenceFacts&)>& visit) const {
  if (OutsideOf(window)) return;
  if (window.end > expanded_until_) {
    for (const OccurrenceFacts& o : Expand(window)) visit(o);
    return;
  }
  auto it = std::lower_bound(
      occurrences_.begin(), occurrences_.end(),
      window.start - kLongestOccurrence,
      [](const OccurrenceFacts& o, absl::Time t) { return o.span.start < t; });
  for (; it != occurrences_.end() && it->span.start < window.end; ++it) {
    if (it->span.Overlaps(window)) visit(*it);
  }
}

bool MeetingFacts::Attends(const OccurrenceFacts& occurrence, int index) const {
  for (const auto& [attendee, declined] : occurrence.declined_overrides) {
    if (attendee == index) return !declined;
  }
  return !attendees_[index].declined;
}

}  // namespace salesmeet::analytics
