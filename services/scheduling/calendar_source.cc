#include "services/scheduling/calendar_source.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "common/field_checks.h"
#include "common/status_macros.h"
#include "services/scheduling/occurrences.h"

namespace salesmeet::scheduling {
namespace {

// A meeting's occurrences in the window, shared by all its attendees.
struct ExpandedMeeting {
  v1::Meeting meeting;
  std::vector<MeetingOccurrence> occurrences;
  bool recurring = false;
};

absl::StatusOr<ExpandedMeeting> Expand(v1::Meeting meeting, TimeSpan window) {
  absl::StatusOr<Recurrence> series = StoredSeriesOf(meeting);
  if (!series.ok()) {
    return absl::DataLossError(
        absl::StrCat("stored meeting ", meeting.name(),
                     " no longer expands: ", series.status().message()));
  }
  std::vector<MeetingOccurrence> occurrences =
      ExpandOccurrences(meeting, *series, window, /*include_cancelled=*/false);
  return ExpandedMeeting{std::move(meeting), std::move(occurrences),
                         series->recurring()};
}

// The participant's own answer for one occurrence: an answer given for it
// alone wins over the answer to the meeting.
v1::ResponseStatus ResponseFor(const v1::Meeting& meeting,
                               const MeetingOccurrence& occurrence,
                               const std::string& participant,
                               v1::ResponseStatus to_meeting) {
  if (!occurrence.exception) return to_meeting;
  const v1::OccurrenceException* exception =
      FindException(meeting, occurrence.time.original_start);
  if (exception == nullptr) return to_meeting;
  for (const v1::OccurrenceResponse& r : exception->responses()) {
    if (r.attendee() == participant) return r.response();
  }
  return to_meeting;
}

void AddOccurrences(const ExpandedMeeting& expanded,
                    const std::string& participant,
                    std::vector<CalendarOccurrence>& out) {
  const v1::Meeting& meeting = expanded.meeting;
  const v1::Attendee* attendee = nullptr;
  for (const v1::Attendee& a : meeting.attendees()) {
    if (a.participant() == participant) attendee = &a;
  }
  // The store indexes attendees only, so this holds; skip rather than guess.
  if (attendee == nullptr) return;
  for (const MeetingOccurrence& o : expanded.occurrences) {
    CalendarOccurrence entry;
    entry.meeting = meeting.name();
    entry.title = meeting.title();
    entry.purpose = meeting.purpose();
    entry.format = meeting.format();
    entry.audience = meeting.audience();
    entry.state = meeting.state();
    entry.organizer = meeting.organizer();
    entry.time = o.time;
    entry.recurring = expanded.recurring;
    entry.moved = o.moved;
    entry.optional = attendee->optional();
    entry.response = ResponseFor(meeting, o, participant, attendee->response());
    out.push_back(std::move(entry));
  }
}

}  // namespace

absl::StatusOr<CalendarsByParticipant> StoreCalendarSource::Calendars(
    const std::vector<std::string>& participants, TimeSpan window) {
  CalendarsByParticipant calendars;
  absl::flat_hash_map<std::string, ExpandedMeeting> expanded;
  RETURN_IF_ERROR(store_.Read([&](MeetingTransaction& tx) -> absl::Status {
    for (const std::string& participant : participants) {
      if (calendars.contains(participant)) continue;
      std::vector<CalendarOccurrence>& mine = calendars[participant];
      ASSIGN_OR_RETURN(
          std::vector<v1::Meeting> meetings,
          tx.BusyMeetingsOf(participant, window.start, window.end));
      for (v1::Meeting& meeting : meetings) {
        auto it = expanded.find(meeting.name());
        if (it == expanded.end()) {
          std::string name = meeting.name();
          ASSIGN_OR_RETURN(ExpandedMeeting one,
                           Expand(std::move(meeting), window));
          it = expanded.emplace(std::move(name), std::move(one)).first;
        }
        AddOccurrences(it->second, participant, mine);
      }
      std::sort(mine.begin(), mine.end(),
                [](const CalendarOccurrence& a, const CalendarOccurrence& b) {
                  return std::tie(a.time.span.start, a.meeting,
                                  a.time.original_start) <
                         std::tie(b.time.span.start, b.meeting,
                                  b.time.original_start);
                });
    }
    return absl::OkStatus();
  }));
  return calendars;
}

}  // namespace salesmeet::scheduling
