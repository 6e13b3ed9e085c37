#include "services/scheduling/ical/ical_writer.h"

#include <libical/ical.h>

#include <algorithm>
#include <map>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/calendar/recurrence.h"
#include "common/field_checks.h"
#include "services/scheduling/ical/vtimezones.h"

namespace salesmeet::scheduling {
namespace {

namespace v1 = salesmeet::scheduling::v1;

struct ComponentFree {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using Component = std::unique_ptr<icalcomponent, ComponentFree>;

// A local civil time without a zone of its own; the property gets TZID.
icaltimetype Floating(absl::Time t, absl::TimeZone zone) {
  const absl::CivilSecond local = absl::ToCivilSecond(t, zone);
  icaltimetype out = icaltime_null_time();
  out.year = static_cast<int>(local.year());
  out.month = local.month();
  out.day = local.day();
  out.hour = local.hour();
  out.minute = local.minute();
  out.second = local.second();
  out.is_date = 0;
  return out;
}

// An occurrence's original start as the rule states it. Salesmeet moves an
// occurrence whose rule time falls in a spring-forward gap (02:30) to the
// same instant as 03:30; RECURRENCE-ID and EXDATE must still say 02:30,
// the value the rule generates, or programs that match them by value miss
// the occurrence. The rule's time of day is the first start's.
icaltimetype RuleTime(absl::Time original, absl::Time first,
                      absl::TimeZone zone) {
  const absl::CivilSecond local = absl::ToCivilSecond(original, zone);
  const absl::CivilSecond rule_clock = absl::ToCivilSecond(first, zone);
  const absl::CivilSecond stated(local.year(), local.month(), local.day(),
                                 rule_clock.hour(), rule_clock.minute(),
                                 rule_clock.second());
  if (stated != local && ToAbsolute(stated, zone) == original) {
    icaltimetype out = Floating(original, zone);
    out.hour = stated.hour();
    out.minute = stated.minute();
    out.second = stated.second();
    return out;
  }
  return Floating(original, zone);
}

icaltimetype Utc(absl::Time t) {
  return icaltime_from_timet_with_zone(absl::ToTimeT(t), 0,
                                       icaltimezone_get_utc_timezone());
}

icalproperty* InZone(icalproperty* property, const std::string& tzid) {
  icalproperty_add_parameter(property, icalparameter_new_tzid(tzid.c_str()));
  return property;
}

icalparameter_partstat PartStat(v1::ResponseStatus response) {
  switch (response) {
    case v1::ACCEPTED:
      return ICAL_PARTSTAT_ACCEPTED;
    case v1::DECLINED:
      return ICAL_PARTSTAT_DECLINED;
    case v1::TENTATIVE:
      return ICAL_PARTSTAT_TENTATIVE;
    default:
      return ICAL_PARTSTAT_NEEDSACTION;
  }
}

icalproperty* Person(icalproperty* property, const CalendarAddress& address) {
  if (!address.common_name.empty()) {
    icalproperty_add_parameter(
        property, icalparameter_new_cn(address.common_name.c_str()));
  }
  return property;
}

// What the master event and every changed occurrence share.
void AddDescription(icalcomponent* event, const v1::Meeting& meeting,
                    const ICalendarOptions& options) {
  icalcomponent_set_uid(event, MeetingUid(meeting, options).c_str());
  icalcomponent_set_sequence(event, MeetingSequence(meeting));
  icalcomponent_set_dtstamp(event, Utc(options.stamp));
  if (meeting.has_create_time()) {
    icalcomponent_add_property(
        event,
        icalproperty_new_created(Utc(ToAbslTime(meeting.create_time()))));
  }
  if (meeting.has_update_time()) {
    icalcomponent_add_property(
        event,
        icalproperty_new_lastmodified(Utc(ToAbslTime(meeting.update_time()))));
  }
  icalcomponent_set_summary(event, meeting.title().c_str());
  std::string description = meeting.description();
  if (!meeting.agenda().empty()) {
    absl::StrAppend(&description, description.empty() ? "" : "\n\n",
                    "Agenda:\n", meeting.agenda());
  }
  if (!description.empty()) {
    icalcomponent_set_description(event, description.c_str());
  }
  if (!meeting.location().empty()) {
    icalcomponent_set_location(event, meeting.location().c_str());
  }
  const std::string& join = meeting.video_conference().join_uri();
  if (!join.empty()) {
    icalproperty* conference = icalproperty_new_conference(join.c_str());
    icalproperty_add_parameter(conference,
                               icalparameter_new_feature(ICAL_FEATURE_VIDEO));
    icalcomponent_add_property(event, conference);
    icalcomponent_add_property(event, icalproperty_new_url(join.c_str()));
  }
}

// ORGANIZER and one ATTENDEE each, with the answers `responses` gives
// (by participant name) over the meeting's own.
void AddPeople(icalcomponent* event, const v1::Meeting& meeting,
               const std::map<std::string, v1::ResponseStatus>& responses,
               const AddressOf& address_of) {
  const CalendarAddress organizer = address_of(meeting.organizer());
  icalcomponent_add_property(
      event,
      Person(icalproperty_new_organizer(organizer.uri.c_str()), organizer));
  for (const v1::Attendee& attendee : meeting.attendees()) {
    const CalendarAddress address = address_of(attendee.participant());
    icalproperty* property =
        Person(icalproperty_new_attendee(address.uri.c_str()), address);
    const bool chair = attendee.participant() == meeting.organizer();
    icalproperty_add_parameter(
        property, icalparameter_new_role(chair ? ICAL_ROLE_CHAIR
                                         : attendee.optional()
                                             ? ICAL_ROLE_OPTPARTICIPANT
                                             : ICAL_ROLE_REQPARTICIPANT));
    auto answer = responses.find(attendee.participant());
    icalproperty_add_parameter(
        property,
        icalparameter_new_partstat(PartStat(
            answer != responses.end() ? answer->second : attendee.response())));
    icalproperty_add_parameter(
        property, icalparameter_new_cutype(ICAL_CUTYPE_INDIVIDUAL));
    icalcomponent_add_property(event, property);
  }
}

void AddTimes(icalcomponent* event, absl::Time start, absl::Time end,
              absl::TimeZone zone, const std::string& tzid) {
  icalcomponent_add_property(
      event, InZone(icalproperty_new_dtstart(Floating(start, zone)), tzid));
  icalcomponent_add_property(
      event, InZone(icalproperty_new_dtend(Floating(end, zone)), tzid));
}

Component MasterEvent(const v1::Meeting& meeting, absl::TimeZone zone,
                      const AddressOf& address_of,
                      const ICalendarOptions& options) {
  Component event(icalcomponent_new(ICAL_VEVENT_COMPONENT));
  AddDescription(event.get(), meeting, options);
  AddTimes(event.get(), ToAbslTime(meeting.start_time()),
           ToAbslTime(meeting.end_time()), zone, meeting.time_zone());
  icalcomponent_set_status(event.get(), meeting.state() == v1::CANCELLED
                                            ? ICAL_STATUS_CANCELLED
                                            : ICAL_STATUS_CONFIRMED);
  if (meeting.has_recurrence() && !meeting.recurrence().rrule().empty()) {
    absl::string_view rule = meeting.recurrence().rrule();
    absl::ConsumePrefix(&rule, "RRULE:");
    icalcomponent_add_property(
        event.get(), icalproperty_new_rrule(icalrecurrencetype_from_string(
                         std::string(rule).c_str())));
    for (const google::protobuf::Timestamp& exdate :
         meeting.recurrence().exdates()) {
      icalcomponent_add_property(
          event.get(), InZone(icalproperty_new_exdate(RuleTime(
                                  ToAbslTime(exdate),
                                  ToAbslTime(meeting.start_time()), zone)),
                              meeting.time_zone()));
    }
  }
  AddPeople(event.get(), meeting, {}, address_of);
  return event;
}

Component OccurrenceEvent(const v1::Meeting& meeting,
                          const v1::OccurrenceException& change,
                          absl::TimeZone zone, const AddressOf& address_of,
                          const ICalendarOptions& options) {
  Component event(icalcomponent_new(ICAL_VEVENT_COMPONENT));
  AddDescription(event.get(), meeting, options);
  const absl::Time original = ToAbslTime(change.original_start_time());
  icalcomponent_add_property(
      event.get(),
      InZone(icalproperty_new_recurrenceid(
                 RuleTime(original, ToAbslTime(meeting.start_time()), zone)),
             meeting.time_zone()));
  const absl::Duration length =
      ToAbslTime(meeting.end_time()) - ToAbslTime(meeting.start_time());
  const absl::Time start =
      change.has_start_time() ? ToAbslTime(change.start_time()) : original;
  const absl::Time end =
      change.has_end_time() ? ToAbslTime(change.end_time()) : start + length;
  AddTimes(event.get(), start, end, zone, meeting.time_zone());
  icalcomponent_set_status(
      event.get(), change.cancelled() || meeting.state() == v1::CANCELLED
                       ? ICAL_STATUS_CANCELLED
                       : ICAL_STATUS_CONFIRMED);
  std::map<std::string, v1::ResponseStatus> responses;
  for (const v1::OccurrenceResponse& response : change.responses()) {
    responses[response.attendee()] = response.response();
  }
  AddPeople(event.get(), meeting, responses, address_of);
  return event;
}

}  // namespace

std::string ParticipantUrn(const std::string& participant_name) {
  return absl::StrCat("urn:salesmeet:", participant_name);
}

std::string MeetingUid(const v1::Meeting& meeting,
                       const ICalendarOptions& options) {
  absl::string_view id = meeting.name();
  absl::ConsumePrefix(&id, "meetings/");
  return absl::StrCat(id, "@", options.uid_domain);
}

int MeetingSequence(const v1::Meeting& meeting) {
  if (!meeting.has_create_time() || !meeting.has_update_time()) return 0;
  const int64_t seconds = absl::ToInt64Seconds(
      ToAbslTime(meeting.update_time()) - ToAbslTime(meeting.create_time()));
  return static_cast<int>(std::clamp<int64_t>(seconds, 0, INT32_MAX));
}

absl::StatusOr<std::string> WriteICalendar(
    const std::vector<v1::Meeting>& meetings, const AddressOf& address_of,
    const ICalendarOptions& options) {
  Component calendar(icalcomponent_new(ICAL_VCALENDAR_COMPONENT));
  icalcomponent_add_property(
      calendar.get(), icalproperty_new_prodid(options.product_id.c_str()));
  icalcomponent_add_property(calendar.get(), icalproperty_new_version("2.0"));
  icalcomponent_add_property(calendar.get(),
                             icalproperty_new_method(ICAL_METHOD_PUBLISH));
  // Each zone once, with rules from the year of its earliest meeting.
  std::map<std::string, int> first_year;
  std::vector<Component> events;
  for (const v1::Meeting& meeting : meetings) {
    absl::TimeZone zone;
    if (!absl::LoadTimeZone(meeting.time_zone(), &zone)) {
      return absl::InternalError(absl::StrCat(
          meeting.name(), " has an unknown time zone ", meeting.time_zone()));
    }
    const int year = static_cast<int>(
        absl::ToCivilYear(ToAbslTime(meeting.start_time()), zone).year());
    auto [it, inserted] = first_year.emplace(meeting.time_zone(), year);
    if (!inserted) it->second = std::min(it->second, year);
    events.push_back(MasterEvent(meeting, zone, address_of, options));
    for (const v1::OccurrenceException& change :
         meeting.occurrence_exceptions()) {
      events.push_back(
          OccurrenceEvent(meeting, change, zone, address_of, options));
    }
  }
  for (const auto& [zone, year] : first_year) {
    absl::StatusOr<std::string> text = VTimezoneText(zone, year);
    if (!text.ok()) return absl::InternalError(text.status().message());
    icalcomponent* vtimezone = icalcomponent_new_from_string(text->c_str());
    if (vtimezone == nullptr) {
      return absl::InternalError(absl::StrCat("libical could not read its ",
                                              "own VTIMEZONE for ", zone));
    }
    icalcomponent_add_component(calendar.get(), vtimezone);
  }
  for (Component& event : events) {
    icalcomponent_add_component(calendar.get(), event.release());
  }
  char* text = icalcomponent_as_ical_string_r(calendar.get());
  std::string result = text == nullptr ? "" : text;
  icalmemory_free_buffer(text);
  return result;
}

}  // namespace salesmeet::scheduling
