#include "services/scheduling/ical/calendar_exporter.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/calendar/request_interval.h"
#include "common/errors.h"
#include "common/field_checks.h"
#include "common/status_macros.h"
#include "services/scheduling/booking/meeting_writes.h"

namespace salesmeet::scheduling {
namespace {

constexpr int kPage = 500;

CalendarAddress AddressIn(const ParticipantsByName& book,
                          const std::string& name) {
  auto it = book.find(name);
  if (it == book.end()) return {ParticipantUrn(name), ""};
  const std::string& email = it->second.email();
  return {email.empty() ? ParticipantUrn(name) : absl::StrCat("mailto:", email),
          it->second.display_name()};
}

}  // namespace

absl::StatusOr<v1::ICalendar> CalendarExporter::Write(
    const std::vector<v1::Meeting>& meetings, const CallScope& caller) {
  std::set<std::string> people;
  for (const v1::Meeting& meeting : meetings) {
    people.insert(meeting.organizer());
    for (const v1::Attendee& attendee : meeting.attendees()) {
      people.insert(attendee.participant());
    }
  }
  ASSIGN_OR_RETURN(
      ParticipantsByName book,
      people_.LookupForCaller(
          std::vector<std::string>(people.begin(), people.end()), caller));
  ICalendarOptions options;
  options.stamp = clock_();
  ASSIGN_OR_RETURN(std::string text, WriteICalendar(
                                         meetings,
                                         [&](const std::string& name) {
                                           return AddressIn(book, name);
                                         },
                                         options));
  if (text.size() > kMaxExportBytes) {
    return FailedPreconditionError(
        "EXPORT_TOO_LARGE",
        absl::StrCat("the calendar would be ", text.size() >> 10,
                     " KiB, more than the ", kMaxExportBytes >> 10,
                     " KiB one export may hold; export a shorter interval"),
        {});
  }
  v1::ICalendar calendar;
  calendar.set_content_type("text/calendar; charset=utf-8");
  int events = 0;
  for (const v1::Meeting& meeting : meetings) {
    events += 1 + meeting.occurrence_exceptions_size();
  }
  calendar.set_event_count(events);
  calendar.set_data(std::move(text));
  return calendar;
}

absl::StatusOr<v1::ICalendar> CalendarExporter::ExportCalendar(
    const v1::ExportCalendarRequest& request, const CallScope& caller) {
  FieldErrors errors;
  ParseResourceName(request.participant(), "participants", "participant",
                    errors);
  TimeSpan window;
  if (!request.has_interval()) {
    errors.Add("interval", "is required");
  } else {
    window = CheckRequestInterval(request.interval(), "interval", errors);
  }
  RETURN_IF_ERROR(errors.ToStatus());

  std::vector<v1::Meeting> meetings;
  RETURN_IF_ERROR(store_.Read([&](MeetingTransaction& tx) -> absl::Status {
    MeetingQuery query;
    query.participant = request.participant();
    query.overlaps_from = window.start;
    query.overlaps_to = window.end;
    query.limit = kPage;
    while (true) {
      ASSIGN_OR_RETURN(std::vector<v1::Meeting> page, tx.ListMeetings(query));
      for (v1::Meeting& meeting : page) {
        if (meetings.size() >= kMaxExportedMeetings) {
          return FailedPreconditionError(
              "TOO_MANY_MEETINGS",
              absl::StrCat("more than ", kMaxExportedMeetings,
                           " meetings overlap the interval; export a "
                           "shorter one"),
              {});
        }
        meetings.push_back(std::move(meeting));
      }
      if (page.size() < static_cast<size_t>(kPage)) return absl::OkStatus();
      const v1::Meeting& last = meetings.back();
      absl::string_view id = last.name();
      absl::ConsumePrefix(&id, "meetings/");
      query.after =
          std::make_pair(ToAbslTime(last.start_time()), std::string(id));
    }
  }));
  return Write(meetings, caller);
}

absl::StatusOr<v1::ICalendar> CalendarExporter::ExportMeeting(
    const v1::ExportMeetingRequest& request, const CallScope& caller) {
  ASSIGN_OR_RETURN(std::string id, MeetingIdFrom(request.name(), "name"));
  std::optional<v1::Meeting> found;
  RETURN_IF_ERROR(store_.Read([&](MeetingTransaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(found, tx.FindMeeting(id));
    return absl::OkStatus();
  }));
  if (!found.has_value()) {
    return ResourceNotFoundError(kMeetingType, request.name());
  }
  return Write({*std::move(found)}, caller);
}

}  // namespace salesmeet::scheduling
