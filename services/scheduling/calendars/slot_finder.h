#ifndef SALESMEET_SERVICES_SCHEDULING_CALENDARS_SLOT_FINDER_H_
#define SALESMEET_SERVICES_SCHEDULING_CALENDARS_SLOT_FINDER_H_

// FindMeetingSlots' logic: which candidate starts qualify, how they rank,
// and, when none does, why. The rules are the ones written on
// FindMeetingSlotsRequest in proto/salesmeet/scheduling/v1/calendar.proto.

#include "absl/status/statusor.h"
#include "salesmeet/scheduling/v1/calendar.pb.h"
#include "services/scheduling/calendars/slot_query.h"

namespace salesmeet::scheduling {

// Searches `query`. A candidate is a start on a multiple of the
// granularity past local midnight in the organizer's zone (both instants of
// a repeated local time, none in a skipped one) whose whole slot lies in
// the window; candidate_count counts those.
//
// Each attendee's time off, time outside working hours and busy time is
// merged into sorted spans once, and candidates are swept in time order
// with a cursor per span list, so the work is linear in candidates plus
// spans per attendee.
//
// Fails with INTERNAL when the organizer's or an attendee's stored time
// zone is not one this server knows.
absl::StatusOr<v1::FindMeetingSlotsResponse> FindSlots(const SlotQuery& query);

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_CALENDARS_SLOT_FINDER_H_
