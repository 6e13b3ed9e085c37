#include "services/analytics/counted_occurrences.h"

#include <algorithm>

namespace salesmeet::analytics {

void CountedOccurrences::ForEach(
    const ReadModel& model,
    absl::FunctionRef<void(const CountedOccurrence&)> visit) {
  model.ForEachMeeting(
      [&](const MeetingFacts& meeting) { ForEachOf(meeting, visit); });
}

void CountedOccurrences::ForEachOf(
    const MeetingFacts& meeting,
    absl::FunctionRef<void(const CountedOccurrence&)> visit) {
  if (!scope_.organizer.empty() && meeting.organizer() != scope_.organizer) {
    return;
  }
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
  const std::vector<AttendeeFacts>& all = meeting.attendees();
  attendees_.clear();
  for (int i = 0; i < static_cast<int>(all.size()); ++i) {
    if (Selected(all[i]) && meeting.Attends(occurrence, i)) {
      attendees_.push_back(i);
    }
  }
  const bool filtered = !scope_.team.empty() || !scope_.participant.empty();
  if (filtered && attendees_.empty()) return;
  const TimeSpan& range = scope_.interval;
  const TimeSpan in_range{std::max(occurrence.span.start, range.start),
                          std::min(occurrence.span.end, range.end)};
  (*visit_)(CountedOccurrence{meeting, occurrence, in_range, attendees_});
}

bool CountedOccurrences::Selected(const AttendeeFacts& attendee) const {
  return (scope_.team.empty() || attendee.team == scope_.team) &&
         (scope_.participant.empty() ||
          attendee.participant == scope_.participant);
}

}  // namespace salesmeet::analytics
