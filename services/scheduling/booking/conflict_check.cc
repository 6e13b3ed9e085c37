#include "services/scheduling/booking/conflict_check.h"

#include <algorithm>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "common/calendar/occurrences.h"
#include "common/field_checks.h"
#include "common/status_macros.h"

namespace salesmeet::scheduling {

absl::StatusOr<std::map<std::string, std::vector<BusyOccurrence>>>
LoadBusyOccurrences(MeetingTransaction& tx,
                    const std::vector<std::string>& participants,
                    const std::string& self, TimeSpan window) {
  std::map<std::string, std::vector<BusyOccurrence>> busy;
  absl::flat_hash_map<std::string, std::vector<BusyOccurrence>> expanded;
  // No other replica may book them until this transaction ends.
  RETURN_IF_ERROR(tx.LockCalendars(participants));
  std::map<std::string, std::vector<v1::Meeting>> by_person;
  ASSIGN_OR_RETURN(by_person,
                   tx.BusyMeetingsOf(participants, window.start, window.end));
  for (const std::string& participant : participants) {
    const std::vector<v1::Meeting>& meetings = by_person[participant];
    std::vector<BusyOccurrence>& mine = busy[participant];
    for (const v1::Meeting& meeting : meetings) {
      if (meeting.name() == self) continue;
      auto it = expanded.find(meeting.name());
      if (it == expanded.end()) {
        std::vector<BusyOccurrence> occurrences;
        absl::StatusOr<Recurrence> series = StoredSeriesOf(meeting);
        if (!series.ok()) {
          return absl::DataLossError(
              absl::StrCat("stored meeting ", meeting.name(),
                           " no longer expands: ", series.status().message()));
        }
        for (const OccurrenceTime& t :
             ActiveOccurrences(meeting, *series, window)) {
          occurrences.push_back({meeting.name(), meeting.title(), t});
        }
        it = expanded.emplace(meeting.name(), std::move(occurrences)).first;
      }
      mine.insert(mine.end(), it->second.begin(), it->second.end());
    }
    std::sort(mine.begin(), mine.end(),
              [](const BusyOccurrence& a, const BusyOccurrence& b) {
                return a.time.span.start < b.time.span.start;
              });
  }
  return busy;
}

ConflictReport FindConflicts(
    const v1::Meeting& meeting, const std::vector<OccurrenceTime>& mine,
    const std::map<std::string, std::vector<BusyOccurrence>>& busy) {
  std::vector<v1::Conflict> all;
  for (const v1::Attendee& attendee : meeting.attendees()) {
    auto it = busy.find(attendee.participant());
    if (it == busy.end()) continue;
    for (const OccurrenceTime& own : mine) {
      for (const BusyOccurrence& other : it->second) {
        if (other.time.span.start >= own.span.end) break;  // Sorted by start.
        if (!own.span.Overlaps(other.time.span)) continue;
        v1::Conflict conflict;
        conflict.set_attendee(attendee.participant());
        conflict.set_optional(attendee.optional());
        *conflict.mutable_occurrence_start_time() =
            ToProtoTime(own.original_start);
        conflict.set_other_meeting(other.meeting);
        conflict.set_other_meeting_title(other.title);
        *conflict.mutable_other_occurrence_start_time() =
            ToProtoTime(other.time.original_start);
        *conflict.mutable_overlap()->mutable_start_time() =
            ToProtoTime(std::max(own.span.start, other.time.span.start));
        *conflict.mutable_overlap()->mutable_end_time() =
            ToProtoTime(std::min(own.span.end, other.time.span.end));
        all.push_back(std::move(conflict));
      }
    }
  }
  auto key = [](const v1::Conflict& c) {
    return std::make_tuple(c.optional(), ToAbslTime(c.overlap().start_time()),
                           c.attendee(), c.other_meeting());
  };
  std::sort(all.begin(), all.end(),
            [&](const v1::Conflict& a, const v1::Conflict& b) {
              return key(a) < key(b);
            });
  ConflictReport report;
  report.total = static_cast<int>(all.size());
  for (v1::Conflict& c : all) {
    if (!c.optional()) ++report.blocking;
    if (static_cast<int>(report.listed.size()) < kMaxListedConflicts) {
      report.listed.push_back(std::move(c));
    }
  }
  return report;
}

}  // namespace salesmeet::scheduling
