#ifndef SALESMEET_SERVICES_SCHEDULING_CALENDARS_SLOT_QUERY_H_
#define SALESMEET_SERVICES_SCHEDULING_CALENDARS_SLOT_QUERY_H_

// The inputs of a slot search as plain values: FindMeetingSlotsRequest
// checked and parsed, plus what the service fetched for each attendee. Slot
// finding (slot_finder.h) is a pure function of a SlotQuery, so it can be
// tested against a brute-force reference without a server or a database.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/calendar/cost_model.h"
#include "common/calendar/time_span.h"
#include "common/calendar/weekly_load.h"
#include "google/type/money.pb.h"
#include "salesmeet/participant/v1/participant.pb.h"
#include "salesmeet/scheduling/v1/calendar.pb.h"
#include "salesmeet/scheduling/v1/meeting.pb.h"

namespace salesmeet::scheduling {

namespace pv1 = ::salesmeet::participant::v1;

// FindMeetingSlotsRequest's scalar parameters, defaults applied.
struct SlotSearch {
  TimeSpan window;
  absl::Duration duration;
  absl::Duration granularity = absl::Minutes(15);
  absl::Duration buffer_before;
  absl::Duration buffer_after;
  absl::Time now;  // When the request arrived; minimum notice counts from it.
  absl::Duration minimum_notice;
  // Minutes past local midnight in the organizer's zone; latest may be 1440
  // (24:00). Unset: no limit.
  std::optional<int> earliest_minute;
  std::optional<int> latest_minute;
  int max_results = 10;
  bool check_weekly_budget = false;
};

// One attendee with the data the search needs about them.
struct SlotAttendee {
  std::string name;  // "participants/{id}", as requested.
  pv1::Participant participant;
  bool required = true;
  // Every busy occurrence (any order, may overlap or touch). Must cover
  // BusyHorizon(search): the diagnosis looks past the window.
  std::vector<TimeSpan> busy;
  // Only read with check_weekly_budget: meeting time per ISO week of the
  // attendee's zone, as WeeklyTotals() counts it (overlapping meetings each
  // in full), for every week BusyHorizon() touches.
  std::map<IsoWeekKey, absl::Duration> weekly_totals;
};

struct SlotQuery {
  SlotSearch search;
  // The organizer's IANA zone: candidates align to its local midnight and
  // the local-hour limits are read in it.
  std::string organizer_time_zone;
  // Required and optional attendees; optional ones are reported in the
  // order they appear here, so keep the request's order.
  std::vector<SlotAttendee> attendees;
  // What one slot costs with every attendee (the same for every slot, as
  // the duration is fixed); see SlotCost(). Unset: slots carry no cost.
  std::optional<google::type::Money> cost;
};

// Checks every field of `request` and returns its parameters with defaults
// applied, or INVALID_ARGUMENT naming each bad field ("window",
// "granularity", "required_attendees[1]", ...). Does not look attendees or
// the organizer up: that is the caller's, with NOT_FOUND mapped to
// INVALID_ARGUMENT as the contract says.
absl::StatusOr<SlotSearch> ValidateFindMeetingSlotsRequest(
    const v1::FindMeetingSlotsRequest& request, absl::Time now);

// The span whose busy time and weekly totals FindSlots may read: the window
// widened by the buffers and by the 90 days the diagnosis searches past it,
// plus a week each side so budget checks see whole weeks.
TimeSpan BusyHorizon(const SlotSearch& search);

// One slot's cost with every listed attendee, as CreateMeeting's verdict
// would compute it; nullopt when their hourly costs cannot be put in one
// currency.
std::optional<google::type::Money> SlotCost(
    const CostModel& model, const std::vector<v1::Attendee>& attendees,
    absl::Duration duration);

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_CALENDARS_SLOT_QUERY_H_
