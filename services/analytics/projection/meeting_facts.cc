#include "services/analytics/projection/meeting_facts.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "common/calendar/occurrences.h"
#include "common/field_checks.h"

namespace salesmeet::analytics {

namespace {

// An occurrence lasts at most a day (moved ones included), so one starting
// a day before a window is the earliest that can reach into it.
constexpr absl::Duration kLongestOccurrence = absl::Hours(24);

int InternMoney(const google::type::Money& money, AmountTable& amounts) {
  return amounts.Intern({money.currency_code(), money.units(), money.nanos()});
}

bool Bounded(const std::string& rrule) {
  return rrule.empty() || absl::StrContains(rrule, "COUNT=") ||
         absl::StrContains(rrule, "UNTIL=");
}

// The index of `participant` among the meeting's attendees, or -1.
int AttendeeIndex(const sv1::Meeting& meeting, const std::string& participant) {
  for (int i = 0; i < meeting.attendees_size(); ++i) {
    if (meeting.attendees(i).participant() == participant) return i;
  }
  return -1;
}

// The occurrences of `meeting` that happen and overlap `window`, with each
// attendee's answers for single occurrences attached by attendee index.
absl::InlinedVector<OccurrenceFacts, 1> ExpandFacts(const sv1::Meeting& meeting,
                                                    const Recurrence& series,
                                                    TimeSpan window) {
  absl::InlinedVector<OccurrenceFacts, 1> out;
  for (const MeetingOccurrence& o : ExpandOccurrences(
           meeting, series, window, /*include_cancelled=*/false)) {
    OccurrenceFacts occurrence;
    occurrence.original_start = o.time.original_start;
    occurrence.span = o.time.span;
    if (o.exception) {
      const sv1::OccurrenceException* exception =
          FindException(meeting, o.time.original_start);
      for (const sv1::OccurrenceResponse& r : exception->responses()) {
        const int index = AttendeeIndex(meeting, r.attendee());
        if (index < 0) continue;
        occurrence.declined_overrides.emplace_back(
            index, r.response() == sv1::DECLINED);
      }
    }
    out.push_back(std::move(occurrence));
  }
  return out;
}

}  // namespace

int NameTable::Intern(absl::string_view name) {
  auto [it, added] = index_.try_emplace(name, names_.size());
  if (added) names_.emplace_back(name);
  return it->second;
}

int NameTable::Find(absl::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? -1 : it->second;
}

int AmountTable::Intern(const BookedAmount& amount) {
  auto [it, added] = index_.try_emplace(amount, amounts_.size());
  if (added) amounts_.push_back(amount);
  return it->second;
}

absl::StatusOr<MeetingFacts> MeetingFacts::FromMeeting(
    const sv1::Meeting& meeting, absl::Time now, AmountTable& amounts,
    NameTable& names) {
  absl::StatusOr<Recurrence> series = StoredSeriesOf(meeting);
  if (!series.ok()) return series.status();

  MeetingFacts facts;
  facts.name_ = meeting.name();
  facts.organizer_ = names.Intern(meeting.organizer());
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
    a.participant = names.Intern(attendee.participant());
    a.kind = attendee.snapshot().kind();
    a.role = attendee.snapshot().role();
    if (!attendee.snapshot().team().empty()) {
      a.team = names.Intern(attendee.snapshot().team());
    }
    if (a.employee() && attendee.snapshot().has_hourly_cost()) {
      a.hourly_cost = InternMoney(attendee.snapshot().hourly_cost(), amounts);
    }
    a.declined = attendee.response() == sv1::DECLINED;
    facts.attendees_.push_back(std::move(a));
  }

  const bool bounded = Bounded(meeting.recurrence().rrule());
  if (bounded) {
    facts.occurrences_ = ExpandFacts(
        meeting, *series, {absl::InfinitePast(), absl::InfiniteFuture()});
  } else {
    facts.expanded_until_ = std::max(now, facts.start_time_) + kExpansionAhead;
    facts.occurrences_ = ExpandFacts(
        meeting, *series, {absl::InfinitePast(), facts.expanded_until_});
    facts.source_ = std::make_shared<const sv1::Meeting>(meeting);
    facts.series_ = std::make_shared<const Recurrence>(*std::move(series));
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

absl::InlinedVector<OccurrenceFacts, 1> MeetingFacts::Expand(
    TimeSpan window) const {
  return ExpandFacts(*source_, *series_, window);
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
