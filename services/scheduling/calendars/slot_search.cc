#include "services/scheduling/calendars/slot_search.h"

#include "absl/strings/str_cat.h"
#include "common/calendar/cost_model.h"
#include "common/calendar/weekly_load.h"
#include "common/errors.h"
#include "common/field_checks.h"
#include "common/status_macros.h"
#include "services/scheduling/booking/attendee_records.h"
#include "services/scheduling/calendars/slot_finder.h"
#include "services/scheduling/calendars/slot_query.h"
#include "services/scheduling/participants/participant_lookup.h"
#include "services/scheduling/policy/scheduling_policy.h"

namespace salesmeet::scheduling {

absl::StatusOr<v1::FindMeetingSlotsResponse> SlotSearcher::Find(
    const v1::FindMeetingSlotsRequest& request, const CallScope& incoming) {
  const absl::Time now = clock_();
  ASSIGN_OR_RETURN(SlotSearch search,
                   ValidateFindMeetingSlotsRequest(request, now));

  // Request order, required first: the finder reports optional attendees in
  // this order and breaks ties by it.
  struct Wanted {
    std::string name;
    bool required;
    std::string field;
  };
  std::vector<Wanted> wanted;
  for (int i = 0; i < request.required_attendees_size(); ++i) {
    wanted.push_back({request.required_attendees(i), true,
                      absl::StrCat("required_attendees[", i, "]")});
  }
  for (int i = 0; i < request.optional_attendees_size(); ++i) {
    wanted.push_back({request.optional_attendees(i), false,
                      absl::StrCat("optional_attendees[", i, "]")});
  }
  const std::string organizer = request.organizer().empty()
                                    ? request.required_attendees(0)
                                    : request.organizer();
  std::vector<std::string> names;
  for (const Wanted& w : wanted) names.push_back(w.name);
  names.push_back(organizer);
  ASSIGN_OR_RETURN(KnownParticipants known,
                   LookupKnown(people_, names, incoming));
  FieldErrors unknown;
  for (const Wanted& w : wanted) {
    if (known.missing.count(w.name) > 0) {
      unknown.Add(w.field, absl::StrCat(w.name, " does not exist"));
    }
  }
  if (known.missing.count(organizer) > 0) {
    unknown.Add("organizer", absl::StrCat(organizer, " does not exist"));
  }
  RETURN_IF_ERROR(unknown.ToStatus());

  const TimeSpan horizon = BusyHorizon(search);
  std::vector<std::string> distinct;
  for (const Wanted& w : wanted) distinct.push_back(w.name);
  ASSIGN_OR_RETURN(CalendarsByParticipant calendars,
                   calendars_.Calendars(distinct, horizon));

  SlotQuery query;
  query.search = search;
  query.organizer_time_zone = known.found.at(organizer).time_zone();
  std::vector<v1::Attendee> priced;
  for (const Wanted& w : wanted) {
    SlotAttendee attendee;
    attendee.name = w.name;
    attendee.participant = known.found.at(w.name);
    attendee.required = w.required;
    for (const CalendarOccurrence& o : calendars[w.name]) {
      attendee.busy.push_back(o.time.span);
    }
    if (search.check_weekly_budget) {
      absl::StatusOr<absl::TimeZone> zone =
          LoadIanaTimeZone(attendee.participant.time_zone());
      if (zone.ok())
        attendee.weekly_totals = WeeklyTotals(attendee.busy, *zone);
    }
    v1::Attendee as_booked;
    as_booked.set_participant(w.name);
    *as_booked.mutable_snapshot() = SnapshotOf(attendee.participant, now);
    priced.push_back(std::move(as_booked));
    query.attendees.push_back(std::move(attendee));
  }
  v1::SchedulingPolicy policy;
  RETURN_IF_ERROR(store_.Read([&](MeetingTransaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(policy, LoadPolicy(tx));
    return absl::OkStatus();
  }));
  absl::StatusOr<CostModel> costs = CostModel::FromPolicy(policy);
  if (costs.ok()) query.cost = SlotCost(*costs, priced, search.duration);
  return FindSlots(query);
}

}  // namespace salesmeet::scheduling
