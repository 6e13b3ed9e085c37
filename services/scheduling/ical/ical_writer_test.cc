#include "services/scheduling/ical/ical_writer.h"

#include <gmock/gmock.h>
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>
#include <libical/ical.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"

namespace salesmeet::scheduling {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

v1::Meeting FromText(const std::string& text) {
  v1::Meeting meeting;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &meeting))
      << text;
  return meeting;
}

// A weekly series in Rome across the end of daylight saving (Sunday 27
// October 2030): one week excluded, one moved, one cancelled, one answered
// differently by a guest.
v1::Meeting Series() {
  return FromText(R"pb(
    name: "meetings/emea-weekly"
    title: "EMEA weekly; pipeline, forecast"
    description: "Numbers first"
    agenda: "Pipeline\nForecast"
    video_conference { join_uri: "https://meet.example/emea" }
    organizer: "participants/maria"
    attendees { participant: "participants/maria" response: ACCEPTED }
    attendees { participant: "participants/jonas" response: TENTATIVE }
    attendees {
      participant: "participants/contact-acme-1"
      optional: true
      response: NEEDS_ACTION
    }
    start_time { seconds: 1917586800 }  # 2030-10-07 09:00 Rome (+02:00)
    end_time { seconds: 1917590400 }
    time_zone: "Europe/Rome"
    recurrence {
      rrule: "RRULE:FREQ=WEEKLY;COUNT=8"
      exdates { seconds: 1918191600 }  # 10-14 09:00
    }
    occurrence_exceptions {
      original_start_time { seconds: 1918796400 }  # 10-21 09:00
      start_time { seconds: 1918803600 }           # moved to 11:00
      end_time { seconds: 1918807200 }
    }
    occurrence_exceptions {
      original_start_time { seconds: 1919404800 }  # 10-28 09:00 (+01:00)
      cancelled: true
      cancel_reason: "Holiday"
    }
    occurrence_exceptions {
      original_start_time { seconds: 1920009600 }  # 11-04 09:00
      responses { attendee: "participants/jonas" response: DECLINED }
    }
    state: SCHEDULED
    create_time { seconds: 1917000000 }
    update_time { seconds: 1917000042 }
  )pb");
}

CalendarAddress AddressOf(const std::string& name) {
  if (name == "participants/contact-acme-1") return {ParticipantUrn(name), ""};
  return {"mailto:" + name.substr(name.find('/') + 1) + "@example.com",
          name == "participants/maria" ? "Maria Rossi" : ""};
}

ICalendarOptions Options() {
  ICalendarOptions options;
  options.stamp = absl::FromUnixSeconds(1917600000);
  return options;
}

std::string Write(const std::vector<v1::Meeting>& meetings) {
  absl::StatusOr<std::string> text =
      WriteICalendar(meetings, AddressOf, Options());
  EXPECT_TRUE(text.ok()) << text.status();
  return text.value_or("");
}

// Lines of the text with RFC 5545 folding undone.
std::vector<std::string> Unfolded(const std::string& text) {
  std::vector<std::string> lines;
  for (absl::string_view raw : absl::StrSplit(text, "\r\n")) {
    if (!raw.empty() && (raw[0] == ' ' || raw[0] == '\t') && !lines.empty()) {
      lines.back().append(std::string(raw.substr(1)));
    } else if (!raw.empty()) {
      lines.emplace_back(raw);
    }
  }
  return lines;
}

TEST(IcalWriterTest, ASeriesIsOneRuleWithItsExceptionsAndZone) {
  const std::vector<std::string> lines = Unfolded(Write({Series()}));
  EXPECT_THAT(
      lines,
      ::testing::IsSupersetOf(
          {"BEGIN:VCALENDAR", "VERSION:2.0", "METHOD:PUBLISH",
           "TZID:Europe/Rome", "UID:emea-weekly@salesmeet", "SEQUENCE:42",
           "DTSTART;TZID=Europe/Rome:20301007T090000",
           "DTEND;TZID=Europe/Rome:20301007T100000",
           "RRULE:FREQ=WEEKLY;COUNT=8",
           "EXDATE;TZID=Europe/Rome:20301014T090000",
           "RECURRENCE-ID;TZID=Europe/Rome:20301021T090000",
           "DTSTART;TZID=Europe/Rome:20301021T110000",
           // After the switch to winter time, still 09:00.
           "RECURRENCE-ID;TZID=Europe/Rome:20301028T090000",
           "RECURRENCE-ID;TZID=Europe/Rome:20301104T090000", "STATUS:CANCELLED",
           "STATUS:CONFIRMED", "SUMMARY:EMEA weekly\\; pipeline\\, forecast",
           "END:VCALENDAR"}));
}

TEST(IcalWriterTest, PeopleCarryRoleAnswerAndOnlyTheAddressesGiven) {
  const std::string text = Write({Series()});
  const std::vector<std::string> lines = Unfolded(text);
  auto has = [&](const std::string& prefix,
                 const std::vector<std::string>& parts) {
    for (const std::string& line : lines) {
      if (line.rfind(prefix, 0) != 0) continue;
      bool all = true;
      for (const std::string& part : parts) {
        all = all && line.find(part) != std::string::npos;
      }
      if (all) return true;
    }
    return false;
  };
  EXPECT_TRUE(has("ORGANIZER", {"CN=Maria Rossi", "mailto:maria@example.com"}));
  EXPECT_TRUE(has("ATTENDEE", {"ROLE=CHAIR", "PARTSTAT=ACCEPTED",
                               "mailto:maria@example.com"}));
  EXPECT_TRUE(has("ATTENDEE", {"ROLE=REQ-PARTICIPANT", "PARTSTAT=TENTATIVE",
                               "mailto:jonas@example.com"}));
  // The occurrence Jonas declined says so.
  EXPECT_TRUE(
      has("ATTENDEE", {"PARTSTAT=DECLINED", "mailto:jonas@example.com"}));
  EXPECT_TRUE(has("ATTENDEE", {"ROLE=OPT-PARTICIPANT",
                               "urn:salesmeet:participants/contact-acme-1"}));
  EXPECT_THAT(text, Not(HasSubstr("contact-acme-1@")));
  EXPECT_TRUE(
      has("CONFERENCE", {"FEATURE=VIDEO", "https://meet.example/emea"}));
}

TEST(IcalWriterTest, LibicalReadsItBackAndExpandsTheSameInstants) {
  const std::string text = Write({Series()});
  icalcomponent* calendar = icalparser_parse_string(text.c_str());
  ASSERT_NE(calendar, nullptr);
  EXPECT_EQ(icalcomponent_count_errors(calendar), 0);
  EXPECT_EQ(icalcomponent_count_components(calendar, ICAL_VEVENT_COMPONENT), 4);
  EXPECT_EQ(icalcomponent_count_components(calendar, ICAL_VTIMEZONE_COMPONENT),
            1);
  icalcomponent_free(calendar);
}

TEST(IcalWriterTest, ACancelledMeetingAndOneWithoutVideoOrText) {
  v1::Meeting single = FromText(R"pb(
    name: "meetings/one"
    title: "Call"
    organizer: "participants/jonas"
    attendees { participant: "participants/jonas" response: ACCEPTED }
    start_time { seconds: 1917586800 }
    end_time { seconds: 1917588600 }
    time_zone: "America/New_York"
    state: CANCELLED
  )pb");
  const std::vector<std::string> lines = Unfolded(Write({single, Series()}));
  EXPECT_THAT(lines, ::testing::IsSupersetOf(
                         {"UID:one@salesmeet", "SEQUENCE:0",
                          "DTSTART;TZID=America/New_York:20301007T030000",
                          "TZID:America/New_York", "TZID:Europe/Rome"}));
  int cancelled = 0;
  for (const std::string& line : lines) cancelled += line == "STATUS:CANCELLED";
  EXPECT_EQ(cancelled, 2);  // The meeting, and the series' cancelled week.
  const std::string alone = Write({single});
  EXPECT_THAT(alone, Not(HasSubstr("CONFERENCE")));
  EXPECT_THAT(alone, Not(HasSubstr("DESCRIPTION")));
  EXPECT_THAT(alone, Not(HasSubstr("Europe/Rome")));
}

TEST(IcalWriterTest, AnOccurrenceInASpringGapKeepsTheRulesTimeOfDay) {
  // Sundays at 02:30 in Rome; on 30 March 2031 02:30 does not exist and
  // salesmeet holds that week at 03:30 (01:30 UTC). Moved, its
  // RECURRENCE-ID must still read 02:30, the value the rule generates.
  v1::Meeting gap = FromText(R"pb(
    name: "meetings/night-shift"
    title: "Night shift handover"
    organizer: "participants/maria"
    attendees { participant: "participants/maria" response: ACCEPTED }
    start_time { seconds: 1931391000 }  # 2031-03-16 02:30 (+01:00)
    end_time { seconds: 1931394600 }
    time_zone: "Europe/Rome"
    recurrence { rrule: "FREQ=WEEKLY;COUNT=4" }
    occurrence_exceptions {
      original_start_time { seconds: 1932600600 }  # 03-30 03:30 (+02:00)
      start_time { seconds: 1932606000 }           # moved to 05:00
      end_time { seconds: 1932609600 }
    }
    state: SCHEDULED
  )pb");
  const std::vector<std::string> lines = Unfolded(Write({gap}));
  EXPECT_THAT(lines, ::testing::IsSupersetOf(
                         {"RECURRENCE-ID;TZID=Europe/Rome:20310330T023000",
                          "DTSTART;TZID=Europe/Rome:20310330T050000"}));
}

TEST(IcalWriterTest, VTimezoneRulesAreCutToTheYearsInUse) {
  const std::string text = Write({Series()});
  EXPECT_THAT(text, HasSubstr("BEGIN:DAYLIGHT"));
  EXPECT_THAT(text, HasSubstr("BEGIN:STANDARD"));
  // The whole history (back to 1893) would be hundreds of lines.
  EXPECT_LT(std::count(text.begin(), text.end(), '\n'), 150) << text;
}

}  // namespace
}  // namespace salesmeet::scheduling
