#include "services/scheduling/calendars/attendee_timeline.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/calendar/span_algebra.h"
#include "common/calendar/working_hours.h"
#include "common/field_checks.h"

namespace salesmeet::scheduling {
namespace {

// Whether sorted, disjoint `spans` overlap `q`, moving `cursor` past spans
// that end before `q` starts; later questions start no earlier, so those
// spans can never matter again.
bool Overlaps(const std::vector<TimeSpan>& spans, size_t& cursor, TimeSpan q) {
  while (cursor < spans.size() && spans[cursor].end <= q.start) ++cursor;
  return cursor < spans.size() && spans[cursor].start < q.end;
}

}  // namespace

absl::StatusOr<AttendeeTimeline> AttendeeTimeline::Build(
    const SlotAttendee& attendee, TimeSpan horizon, bool check_budget) {
  absl::StatusOr<Availability> availability =
      Availability::ForParticipant(attendee.participant);
  if (!availability.ok()) {
    return absl::InternalError(
        absl::StrCat(attendee.name, " has a time zone this server does not ",
                     "know: ", attendee.participant.time_zone()));
  }
  AttendeeTimeline t;
  t.time_off_ = availability->TimeOffSpans(horizon);
  // Outside working hours whether or not on time off too: a candidate that
  // is both counts for both obstacles, as SlotSearchDiagnosis promises.
  t.off_hours_ = availability->OutsideScheduleSpans(horizon);
  t.busy_ = MergeSpans(attendee.busy);
  const pv1::Participant& p = attendee.participant;
  if (!check_budget || p.kind() != salesmeet::type::v1::EMPLOYEE ||
      !p.has_weekly_meeting_budget()) {
    return t;
  }
  t.budget_ = ToAbslDuration(p.weekly_meeting_budget());
  // Week boundaries come from WeekStart so a week is the one WeeklyTotals
  // counted the attendee's meetings in, clock changes included.
  const absl::TimeZone zone = availability->zone();
  IsoWeekKey key = IsoWeekOf(absl::ToCivilDay(horizon.start, zone));
  absl::Time start = WeekStart(key, zone);
  while (start < horizon.end) {
    const IsoWeekKey next = IsoWeekOf(absl::ToCivilDay(start, zone) + 7);
    const absl::Time end = WeekStart(next, zone);
    auto it = attendee.weekly_totals.find(key);
    t.weeks_.push_back({{start, end},
                        it == attendee.weekly_totals.end()
                            ? absl::ZeroDuration()
                            : it->second});
    key = next;
    start = end;
  }
  return t;
}

uint8_t AttendeeTimeline::Obstacles(TimeSpan slot, absl::Duration buffer_before,
                                    absl::Duration buffer_after) {
  uint8_t bits = 0;
  if (Overlaps(time_off_, time_off_at_, slot)) bits |= kTimeOff;
  if (Overlaps(off_hours_, off_hours_at_, slot)) bits |= kOffHours;
  if (Overlaps(busy_, busy_at_, slot)) {
    bits |= kBusy;
  } else if ((buffer_before > absl::ZeroDuration() ||
              buffer_after > absl::ZeroDuration()) &&
             Overlaps(busy_, buffer_at_,
                      {slot.start - buffer_before, slot.end + buffer_after})) {
    bits |= kBuffer;
  }
  if (budget_.has_value() && OverBudget(slot)) bits |= kOverBudget;
  return bits;
}

// True when the slot's part in any week it touches would take that week
// past the budget.
bool AttendeeTimeline::OverBudget(TimeSpan slot) {
  while (week_at_ < weeks_.size() && weeks_[week_at_].span.end <= slot.start) {
    ++week_at_;
  }
  for (size_t i = week_at_;
       i < weeks_.size() && weeks_[i].span.start < slot.end; ++i) {
    const absl::Duration part = std::min(slot.end, weeks_[i].span.end) -
                                std::max(slot.start, weeks_[i].span.start);
    if (weeks_[i].total + part > *budget_) return true;
  }
  return false;
}

}  // namespace salesmeet::scheduling
