#include "services/scheduling/calendars/calendar_source.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/calendar/occurrences.h"
#include "common/field_checks.h"
#include "common/status_macros.h"

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
    std::map<std::string, std::vector<v1::Meeting>> by_person;
    ASSIGN_OR_RETURN(by_person,
                     tx.BusyMeetingsOf(participants, window.start, window.end));
    for (auto& [participant, meetings] : by_person) {
      std::vector<CalendarOccurrence>& mine = calendars[participant];
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

v1::CalendarEntry ToCalendarEntry(const CalendarOccurrence& o) {
  v1::CalendarEntry entry;
  entry.set_meeting(o.meeting);
  entry.set_title(o.title);
  entry.set_purpose(o.purpose);
  entry.set_format(o.format);
  entry.set_audience(o.audience);
  entry.set_state(o.state);
  entry.set_organizer(o.organizer);
  *entry.mutable_original_start_time() = ToProtoTime(o.time.original_start);
  *entry.mutable_start_time() = ToProtoTime(o.time.span.start);
  *entry.mutable_end_time() = ToProtoTime(o.time.span.end);
  entry.set_recurring(o.recurring);
  entry.set_moved(o.moved);
  entry.set_optional(o.optional);
  entry.set_response(o.response);
  return entry;
}

namespace {

// Everything but the strings.
CalendarOccurrence ScalarsOf(const v1::CalendarEntry& entry) {
  CalendarOccurrence o;
  o.purpose = entry.purpose();
  o.format = entry.format();
  o.audience = entry.audience();
  o.state = entry.state();
  o.time.original_start = ToAbslTime(entry.original_start_time());
  o.time.span = {ToAbslTime(entry.start_time()), ToAbslTime(entry.end_time())};
  o.recurring = entry.recurring();
  o.moved = entry.moved();
  o.optional = entry.optional();
  o.response = entry.response();
  return o;
}

}  // namespace

CalendarOccurrence FromCalendarEntry(const v1::CalendarEntry& entry) {
  CalendarOccurrence o = ScalarsOf(entry);
  o.meeting = entry.meeting();
  o.title = entry.title();
  o.organizer = entry.organizer();
  return o;
}

CalendarOccurrence FromCalendarEntry(v1::CalendarEntry&& entry) {
  CalendarOccurrence o = ScalarsOf(entry);
  o.meeting = std::move(*entry.mutable_meeting());
  o.title = std::move(*entry.mutable_title());
  o.organizer = std::move(*entry.mutable_organizer());
  return o;
}

}  // namespace salesmeet::scheduling
