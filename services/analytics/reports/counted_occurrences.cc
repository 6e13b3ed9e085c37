#include "services/analytics/reports/counted_occurrences.h"

#include <algorithm>

namespace salesmeet::analytics {

int NameFilter(const std::string& name, const NameTable& names) {
  if (name.empty()) return kAnyone;
  const int index = names.Find(name);
  return index < 0 ? kNobody : index;
}

CountedOccurrences::CountedOccurrences(const Scope& scope,
                                       const NameTable& names)
    : scope_(scope),
      organizer_(NameFilter(scope.organizer, names)),
      team_(NameFilter(scope.team, names)),
      participant_(NameFilter(scope.participant, names)) {}

void CountedOccurrences::ForEach(
    const ReadModel& model,
    absl::FunctionRef<void(const CountedOccurrence&)> visit) {
  model.ForEachMeeting(
      [&](const MeetingFacts& meeting) { ForEachOf(meeting, visit); });
}

void CountedOccurrences::ForEachOf(
    const MeetingFacts& meeting,
    absl::FunctionRef<void(const CountedOccurrence&)> visit) {
  if (organizer_ != kAnyone && meeting.organizer() != organizer_) return;
  if (meeting.OutsideOf(scope_.interval)) return;
  meeting_ = &meeting;
  visit_ = &visit;
  // Capturing only `this` keeps the std::function off the heap.
  meeting.ForEachOccurrence(
      scope_.interval,
      [this](const OccurrenceFacts& occurrence) { Visit(occurrence); });
}

void CountedOccurrences::Visit(const OccurrenceFacts& occurrence) {
  const MeetingFacts& meeting = *meeting_;
  const MeetingFacts::Attendees& all = meeting.attendees();
  attendees_.clear();
  for (int i = 0; i < static_cast<int>(all.size()); ++i) {
    if (Selected(all[i]) && meeting.Attends(occurrence, i)) {
      attendees_.push_back(i);
    }
  }
  const bool filtered = team_ != kAnyone || participant_ != kAnyone;
  if (filtered && attendees_.empty()) return;
  const TimeSpan& range = scope_.interval;
  const TimeSpan in_range{std::max(occurrence.span.start, range.start),
                          std::min(occurrence.span.end, range.end)};
  (*visit_)(CountedOccurrence{meeting, occurrence, in_range, attendees_});
}

bool CountedOccurrences::Selected(const AttendeeFacts& attendee) const {
  return (team_ == kAnyone || attendee.team == team_) &&
         (participant_ == kAnyone || attendee.participant == participant_);
}

}  // namespace salesmeet::analytics
