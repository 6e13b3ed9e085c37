#include "services/scheduling/calendars/calendar_reader.h"

#include <algorithm>
#include <future>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/calendar/request_interval.h"
#include "common/calendar/span_algebra.h"
#include "common/calendar/working_hours.h"
#include "common/errors.h"
#include "common/field_checks.h"
#include "common/grpc_status.h"
#include "common/status_macros.h"

namespace salesmeet::scheduling {
namespace {

namespace tv1 = ::salesmeet::type::v1;

constexpr int kMaxFreeBusyParticipants = 500;

// The request's interval: required, and as CheckRequestInterval wants it.
TimeSpan CheckInterval(const tv1::Interval& interval, bool present,
                       FieldErrors& errors) {
  if (!present) {
    errors.Add("interval", "needs start_time and end_time");
    return {};
  }
  return CheckRequestInterval(interval, "interval", errors);
}

tv1::Interval ToInterval(TimeSpan span) {
  tv1::Interval interval;
  *interval.mutable_start_time() = ToProtoTime(span.start);
  *interval.mutable_end_time() = ToProtoTime(span.end);
  return interval;
}

// Occurrences (sorted by start) clipped to `window`, with overlapping and
// touching ones joined.
std::vector<TimeSpan> MergedBusy(const std::vector<CalendarOccurrence>& busy,
                                 TimeSpan window) {
  std::vector<TimeSpan> spans;
  spans.reserve(busy.size());
  for (const CalendarOccurrence& o : busy) spans.push_back(o.time.span);
  return MergeSortedWithin(spans, window);
}

// The reasons of the time-off entries that make up one merged span, each
// once, in the order the participant lists them.
std::string TimeOffReason(const pv1::Participant& participant, TimeSpan span) {
  std::vector<std::string> reasons;
  for (const tv1::TimeOff& off : participant.time_off()) {
    const TimeSpan entry{ToAbslTime(off.interval().start_time()),
                         ToAbslTime(off.interval().end_time())};
    if (off.reason().empty() || !entry.Overlaps(span)) continue;
    if (std::find(reasons.begin(), reasons.end(), off.reason()) ==
        reasons.end()) {
      reasons.push_back(off.reason());
    }
  }
  return absl::StrJoin(reasons, "; ");
}

// Time off and off hours in `window`. Availability already splits the
// window so the two never overlap (time off wins).
absl::Status AddUnavailable(const pv1::Participant& participant,
                            TimeSpan window, v1::ParticipantFreeBusy& out) {
  ASSIGN_OR_RETURN(Availability availability,
                   Availability::ForParticipant(participant));
  std::vector<v1::UnavailableInterval> spans;
  for (TimeSpan span : availability.TimeOffSpans(window)) {
    v1::UnavailableInterval& u = spans.emplace_back();
    *u.mutable_interval() = ToInterval(span);
    u.set_kind(v1::UnavailableInterval::OUT_OF_OFFICE);
    u.set_reason(TimeOffReason(participant, span));
  }
  for (TimeSpan span : availability.OffHoursSpans(window)) {
    v1::UnavailableInterval& u = spans.emplace_back();
    *u.mutable_interval() = ToInterval(span);
    u.set_kind(v1::UnavailableInterval::OUTSIDE_WORKING_HOURS);
  }
  std::sort(
      spans.begin(), spans.end(),
      [](const v1::UnavailableInterval& a, const v1::UnavailableInterval& b) {
        return ToAbslTime(a.interval().start_time()) <
               ToAbslTime(b.interval().start_time());
      });
  for (v1::UnavailableInterval& u : spans) {
    *out.add_unavailable() = std::move(u);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::GetCalendarResponse> CalendarReader::GetCalendar(
    const v1::GetCalendarRequest& request, const CallScope& incoming) {
  FieldErrors errors;
  ParseResourceName(request.participant(), "participants", "participant",
                    errors);
  const TimeSpan window =
      CheckInterval(request.interval(), request.has_interval(), errors);
  RETURN_IF_ERROR(errors.ToStatus());

  // Who they are and what they have booked are independent reads, from
  // two different services: ask both at once. (An early return still
  // waits for the calendar read: a std::async future joins when destroyed.)
  std::future<absl::StatusOr<CalendarsByParticipant>> reading = std::async(
      std::launch::async,
      [&] { return calendars_.Calendars({request.participant()}, window); });
  ASSIGN_OR_RETURN(ParticipantsByName found,
                   people_.Lookup({request.participant()}, incoming));
  ASSIGN_OR_RETURN(CalendarsByParticipant calendars, reading.get());

  v1::GetCalendarResponse response;
  response.set_participant(request.participant());
  response.set_time_zone(found[request.participant()].time_zone());
  for (const CalendarOccurrence& o : calendars[request.participant()]) {
    *response.add_entries() = ToCalendarEntry(o);
  }
  return response;
}

absl::StatusOr<v1::QueryFreeBusyResponse> CalendarReader::QueryFreeBusy(
    const v1::QueryFreeBusyRequest& request, const CallScope& incoming) {
  FieldErrors errors;
  if (request.participants().empty()) {
    errors.Add("participants", "must name at least one participant");
  } else if (request.participants_size() > kMaxFreeBusyParticipants) {
    errors.Add("participants", "must name at most 500 participants");
  }
  for (int i = 0;
       i < request.participants_size() && i <= kMaxFreeBusyParticipants; ++i) {
    ParseResourceName(request.participants(i), "participants",
                      absl::StrCat("participants[", i, "]"), errors);
  }
  const TimeSpan window =
      CheckInterval(request.interval(), request.has_interval(), errors);
  RETURN_IF_ERROR(errors.ToStatus());

  // Repeats are answered in place, but looked up and read once.
  std::vector<std::string> distinct;
  absl::flat_hash_set<std::string> seen;
  for (const std::string& name : request.participants()) {
    if (seen.insert(name).second) distinct.push_back(name);
  }
  // As in GetCalendar, the participant service and the calendars are read
  // at once. Calendars of names the participant service does not know are
  // read for nothing and dropped: they are rare, and cheap (empty).
  std::future<absl::StatusOr<CalendarsByParticipant>> reading =
      std::async(std::launch::async,
                 [&] { return calendars_.Calendars(distinct, window); });
  ASSIGN_OR_RETURN(KnownParticipants known,
                   LookupKnown(people_, distinct, incoming));
  ASSIGN_OR_RETURN(CalendarsByParticipant calendars, reading.get());

  v1::QueryFreeBusyResponse response;
  for (const std::string& name : request.participants()) {
    v1::ParticipantFreeBusy& entry = *response.add_free_busy();
    entry.set_participant(name);
    if (auto missing = known.missing.find(name);
        missing != known.missing.end()) {
      *entry.mutable_error() = ToRpcStatus(missing->second);
      continue;
    }
    const pv1::Participant& participant = known.found.at(name);
    if (request.include_unavailable()) {
      // A record the participant service should never have stored fails
      // this participant only.
      if (absl::Status s = AddUnavailable(participant, window, entry);
          !s.ok()) {
        entry.Clear();
        entry.set_participant(name);
        *entry.mutable_error() = ToRpcStatus(s);
        continue;
      }
    }
    entry.set_time_zone(participant.time_zone());
    for (TimeSpan span : MergedBusy(calendars[name], window)) {
      *entry.add_busy() = ToInterval(span);
    }
  }
  return response;
}

}  // namespace salesmeet::scheduling
