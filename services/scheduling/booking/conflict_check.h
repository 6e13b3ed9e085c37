#ifndef SALESMEET_SERVICES_SCHEDULING_BOOKING_CONFLICT_CHECK_H_
#define SALESMEET_SERVICES_SCHEDULING_BOOKING_CONFLICT_CHECK_H_

// Double-booking detection. It reads the attendees' other meetings from the
// store inside the write transaction (never from a cache), so two writers
// cannot both book the same person into the same hour.

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/calendar/time_span.h"
#include "salesmeet/participant/v1/participant.pb.h"
#include "salesmeet/scheduling/v1/meeting.pb.h"
#include "salesmeet/scheduling/v1/verdict.pb.h"
#include "services/scheduling/store/meeting_store.h"

namespace salesmeet::scheduling {

// One occurrence of another meeting that keeps a participant busy.
struct BusyOccurrence {
  std::string meeting;  // "meetings/{id}"
  std::string title;
  OccurrenceTime time;
};

// Each participant's busy occurrences in `window` from every meeting except
// `self` (the meeting being written), ordered by start. Meetings shared by
// several participants are expanded once.
absl::StatusOr<std::map<std::string, std::vector<BusyOccurrence>>>
LoadBusyOccurrences(MeetingTransaction& tx,
                    const std::vector<std::string>& participants,
                    const std::string& self, TimeSpan window);

struct ConflictReport {
  std::vector<v1::Conflict> listed;  // The first kMaxListedConflicts.
  int total = 0;
  int blocking = 0;  // Those of required attendees.
};

inline constexpr int kMaxListedConflicts = 20;

// Every overlap between `mine` (the written meeting's occurrences) and each
// attendee's busy occurrences. Intervals are half-open: touching is fine.
// Listed blocking first, then by overlap start, then attendee.
ConflictReport FindConflicts(
    const v1::Meeting& meeting, const std::vector<OccurrenceTime>& mine,
    const std::map<std::string, std::vector<BusyOccurrence>>& busy);

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_BOOKING_CONFLICT_CHECK_H_
