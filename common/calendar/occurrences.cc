#include "common/calendar/occurrences.h"

#include <algorithm>

#include "common/field_checks.h"

namespace salesmeet {

namespace {

absl::StatusOr<SeriesTiming> TimingOf(const scheduling::v1::Meeting& meeting) {
  absl::StatusOr<absl::TimeZone> zone = LoadIanaTimeZone(meeting.time_zone());
  if (!zone.ok()) {
    return InvalidFieldError("meeting.time_zone", zone.status().message());
  }
  SeriesTiming timing;
  timing.start = ToAbslTime(meeting.start_time());
  timing.duration = ToAbslTime(meeting.end_time()) - timing.start;
  timing.zone = *zone;
  timing.rrule = meeting.recurrence().rrule();
  for (const auto& exdate : meeting.recurrence().exdates()) {
    timing.exdates.push_back(ToAbslTime(exdate));
  }
  return timing;
}

}  // namespace

absl::StatusOr<Recurrence> SeriesOf(const scheduling::v1::Meeting& meeting,
                                    absl::Time check_until) {
  absl::StatusOr<SeriesTiming> timing = TimingOf(meeting);
  if (!timing.ok()) return timing.status();
  return Recurrence::Create(*std::move(timing), "meeting.recurrence.rrule",
                            "meeting.recurrence.exdates", check_until);
}

absl::StatusOr<Recurrence> StoredSeriesOf(
    const scheduling::v1::Meeting& meeting) {
  absl::StatusOr<SeriesTiming> timing = TimingOf(meeting);
  if (!timing.ok()) return timing.status();
  return Recurrence::FromStored(*std::move(timing));
}

const scheduling::v1::OccurrenceException* FindException(
    const scheduling::v1::Meeting& meeting, absl::Time original_start) {
  for (const scheduling::v1::OccurrenceException& e :
       meeting.occurrence_exceptions()) {
    if (ToAbslTime(e.original_start_time()) == original_start) return &e;
  }
  return nullptr;
}

std::vector<MeetingOccurrence> ExpandOccurrences(
    const scheduling::v1::Meeting& meeting, const Recurrence& series,
    TimeSpan window, bool include_cancelled) {
  const absl::Duration duration = series.timing().duration;
  std::vector<MeetingOccurrence> out;
  auto add = [&](absl::Time original,
                 const scheduling::v1::OccurrenceException* e) {
    MeetingOccurrence occurrence;
    occurrence.time = {original, {original, original + duration}};
    if (e != nullptr) {
      occurrence.exception = true;
      occurrence.cancelled = e->cancelled();
      if (e->has_start_time()) {
        occurrence.moved = true;
        occurrence.time.span = {ToAbslTime(e->start_time()),
                                ToAbslTime(e->end_time())};
      }
    }
    if (occurrence.cancelled && !include_cancelled) return;
    if (!occurrence.time.span.Overlaps(window)) return;
    out.push_back(occurrence);
  };
  // Occurrences the rule puts in the window, unless moved elsewhere...
  for (absl::Time original : series.OriginalStarts(window.start, window.end)) {
    const scheduling::v1::OccurrenceException* e =
        FindException(meeting, original);
    if (e != nullptr && e->has_start_time()) continue;
    add(original, e);
  }
  // ...and moved ones, wherever the rule had them.
  for (const scheduling::v1::OccurrenceException& e :
       meeting.occurrence_exceptions()) {
    if (e.has_start_time()) add(ToAbslTime(e.original_start_time()), &e);
  }
  std::sort(out.begin(), out.end(),
            [](const MeetingOccurrence& a, const MeetingOccurrence& b) {
              return a.time.span.start != b.time.span.start
                         ? a.time.span.start < b.time.span.start
                         : a.time.original_start < b.time.original_start;
            });
  return out;
}

std::vector<OccurrenceTime> ActiveOccurrences(
    const scheduling::v1::Meeting& meeting, const Recurrence& series,
    TimeSpan window) {
  std::vector<OccurrenceTime> out;
  for (const MeetingOccurrence& o :
       ExpandOccurrences(meeting, series, window, false)) {
    out.push_back(o.time);
  }
  return out;
}

MeetingIndex IndexOf(const scheduling::v1::Meeting& meeting,
                     const Recurrence& series) {
  MeetingIndex index;
  index.first_start = series.timing().start;
  if (series.last_start().has_value()) {
    index.last_end = *series.last_start() + series.timing().duration;
  }
  for (const scheduling::v1::OccurrenceException& e :
       meeting.occurrence_exceptions()) {
    if (!e.has_start_time()) continue;
    index.first_start = std::min(index.first_start, ToAbslTime(e.start_time()));
    if (index.last_end.has_value()) {
      index.last_end = std::max(*index.last_end, ToAbslTime(e.end_time()));
    }
  }
  index.busy = meeting.state() != scheduling::v1::CANCELLED;
  return index;
}

}  // namespace salesmeet
