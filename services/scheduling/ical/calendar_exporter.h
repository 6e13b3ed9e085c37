#ifndef SALESMEET_SERVICES_SCHEDULING_ICAL_CALENDAR_EXPORTER_H_
#define SALESMEET_SERVICES_SCHEDULING_ICAL_CALENDAR_EXPORTER_H_

// ExportCalendar and ExportMeeting: meetings read from the store, people's
// addresses as the caller may see them, written as iCalendar.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call_scope.h"
#include "common/clock.h"
#include "common/participant_records.h"
#include "salesmeet/scheduling/v1/calendar.pb.h"
#include "services/scheduling/ical/ical_writer.h"
#include "services/scheduling/participants/participant_lookup.h"
#include "services/scheduling/store/meeting_store.h"

namespace salesmeet::scheduling {

// The most meetings, and bytes, one export holds; more is
// FAILED_PRECONDITION asking for a shorter interval. The bytes stay under
// the 4 MiB a default gRPC client accepts.
inline constexpr size_t kMaxExportedMeetings = 5000;
inline constexpr size_t kMaxExportBytes = 3 << 20;

class CalendarExporter {
 public:
  // `people` gives addresses as the caller may see them (LookupForCaller).
  CalendarExporter(MeetingStore& store, ParticipantLookup& people, Clock clock)
      : store_(store), people_(people), clock_(std::move(clock)) {}

  absl::StatusOr<v1::ICalendar> ExportCalendar(
      const v1::ExportCalendarRequest& request, const CallScope& caller);
  absl::StatusOr<v1::ICalendar> ExportMeeting(
      const v1::ExportMeetingRequest& request, const CallScope& caller);

 private:
  absl::StatusOr<v1::ICalendar> Write(const std::vector<v1::Meeting>& meetings,
                                      const CallScope& caller);

  MeetingStore& store_;
  ParticipantLookup& people_;
  const Clock clock_;
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_ICAL_CALENDAR_EXPORTER_H_
