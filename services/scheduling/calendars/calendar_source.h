#ifndef SALESMEET_SERVICES_SCHEDULING_CALENDARS_CALENDAR_SOURCE_H_
#define SALESMEET_SERVICES_SCHEDULING_CALENDARS_CALENDAR_SOURCE_H_

// Where the read side (calendars, free/busy, slot finding) gets each
// participant's busy occurrences. An interface so the Redis calendar cache
// can wrap the store-backed source without the readers noticing. Writes and
// conflict checks never read through it (they use LoadBusyOccurrences inside
// their transaction).

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "common/calendar/time_span.h"
#include "salesmeet/participant/v1/participant.pb.h"
#include "salesmeet/scheduling/v1/calendar.pb.h"
#include "salesmeet/scheduling/v1/meeting.pb.h"
#include "services/scheduling/store/meeting_store.h"

namespace salesmeet::scheduling {

// One non-cancelled occurrence on one participant's calendar, as that
// participant sees it.
struct CalendarOccurrence {
  std::string meeting;  // "meetings/{id}"
  std::string title;
  v1::MeetingPurpose purpose = v1::MEETING_PURPOSE_UNSPECIFIED;
  v1::MeetingFormat format = v1::MEETING_FORMAT_UNSPECIFIED;
  v1::Audience audience = v1::AUDIENCE_UNSPECIFIED;
  v1::MeetingState state = v1::MEETING_STATE_UNSPECIFIED;
  std::string organizer;  // "participants/{id}"
  OccurrenceTime time;    // Moves applied.
  bool recurring = false;
  bool moved = false;
  bool optional = false;  // The participant is an optional attendee.
  // Their answer for this occurrence if they gave one, else to the meeting.
  v1::ResponseStatus response = v1::RESPONSE_STATUS_UNSPECIFIED;
};

// Occurrences keyed by "participants/{id}".
// The API's view of an occurrence on someone's calendar, and back: what
// GetCalendar returns and what the calendar cache stores.
v1::CalendarEntry ToCalendarEntry(const CalendarOccurrence& occurrence);
CalendarOccurrence FromCalendarEntry(const v1::CalendarEntry& entry);
// The same, taking the entry's strings instead of copying them: the cache
// decodes thousands of entries per free/busy query.
CalendarOccurrence FromCalendarEntry(v1::CalendarEntry&& entry);

using CalendarsByParticipant =
    absl::flat_hash_map<std::string, std::vector<CalendarOccurrence>>;

class CalendarSource {
 public:
  CalendarSource() = default;
  CalendarSource(const CalendarSource&) = delete;
  CalendarSource& operator=(const CalendarSource&) = delete;
  virtual ~CalendarSource() = default;

  // For each distinct participant named, every occurrence that overlaps
  // `window` and keeps them busy: non-cancelled occurrences of SCHEDULED or
  // COMPLETED meetings they are invited to, whatever their response. Each
  // list is ordered by start time, then meeting name, then original start.
  // A participant with nothing (or unknown to the store) maps to an empty
  // list. Batched so one snapshot (or one cache round trip) serves them all.
  virtual absl::StatusOr<CalendarsByParticipant> Calendars(
      const std::vector<std::string>& participants, TimeSpan window) = 0;
};

// Reads the meeting store in one read-only snapshot, expanding each meeting
// once however many of the participants it invites.
class StoreCalendarSource : public CalendarSource {
 public:
  explicit StoreCalendarSource(MeetingStore& store) : store_(store) {}

  absl::StatusOr<CalendarsByParticipant> Calendars(
      const std::vector<std::string>& participants, TimeSpan window) override;

 private:
  MeetingStore& store_;
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_CALENDARS_CALENDAR_SOURCE_H_
