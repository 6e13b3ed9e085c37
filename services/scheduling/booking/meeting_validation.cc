#include "services/scheduling/booking/meeting_validation.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/field_checks.h"

namespace salesmeet::scheduling {
namespace {

void CheckText(absl::string_view value, size_t max, bool required,
               absl::string_view field, FieldErrors& errors) {
  if (required && absl::StripAsciiWhitespace(value).empty()) {
    errors.Add(field, "is required");
  } else if (Utf8Length(value) > max) {
    errors.Add(field, absl::StrCat("must be at most ", max, " characters"));
  }
}

void CheckVideo(const v1::Meeting& m, FieldErrors& errors) {
  const bool video = m.format() == v1::VIDEO_CONFERENCE;
  if (!video) {
    if (m.has_video_conference()) {
      errors.Add("meeting.video_conference",
                 "applies only when format is VIDEO_CONFERENCE");
    }
    return;
  }
  if (!m.has_video_conference()) {
    errors.Add("meeting.video_conference",
               "is required for a VIDEO_CONFERENCE: a provider and a "
               "join_uri");
    return;
  }
  const v1::VideoConference& vc = m.video_conference();
  if (vc.provider() == v1::VIDEO_PROVIDER_UNSPECIFIED ||
      !v1::VideoProvider_IsValid(vc.provider())) {
    errors.Add("meeting.video_conference.provider",
               "is required: ZOOM, SKYPE, WEBEX, TEAMS, MEET or "
               "OTHER_PROVIDER");
  }
  // An empty link is the VIDEO_WITHOUT_LINK policy rule's business.
  if (!vc.join_uri().empty() && !IsHttpsUri(vc.join_uri())) {
    errors.Add("meeting.video_conference.join_uri",
               "must be an absolute https:// link of at most 2000 "
               "characters");
  }
}

void CheckAttendees(const v1::Meeting& m, FieldErrors& errors) {
  if (m.attendees_size() == 0) {
    errors.Add("meeting.attendees", "must list at least the organizer");
  } else if (m.attendees_size() > kMaxAttendees) {
    errors.Add("meeting.attendees", "must list at most 500 attendees");
    return;
  }
  std::set<std::string> seen;
  for (int i = 0; i < m.attendees_size(); ++i) {
    const std::string field =
        absl::StrCat("meeting.attendees[", i, "].participant");
    const std::string& name = m.attendees(i).participant();
    if (ParseResourceName(name, "participants", field, errors).empty()) {
      continue;
    }
    if (!seen.insert(name).second) {
      errors.Add(field, absl::StrCat(name, " is listed twice"));
    }
  }
  if (!ParseResourceName(m.organizer(), "participants", "meeting.organizer",
                         errors)
           .empty() &&
      seen.count(m.organizer()) == 0) {
    errors.Add("meeting.organizer", "must also be listed in attendees");
  }
}

void CheckTimes(const v1::Meeting& m, absl::Time now, absl::Duration horizon,
                FieldErrors& errors) {
  const bool has_start = m.has_start_time() && IsValidTimestamp(m.start_time());
  const bool has_end = m.has_end_time() && IsValidTimestamp(m.end_time());
  if (!has_start) errors.Add("meeting.start_time", "is required");
  if (!has_end) errors.Add("meeting.end_time", "is required");
  if (!has_start || !has_end) return;
  const absl::Time start = ToAbslTime(m.start_time());
  const absl::Duration length = ToAbslTime(m.end_time()) - start;
  if (length <= absl::ZeroDuration()) {
    errors.Add("meeting.end_time", "must be after start_time");
  } else if (length < kMinMeetingLength || length > kMaxMeetingLength) {
    errors.Add("meeting.end_time",
               absl::StrCat("makes the meeting ", absl::FormatDuration(length),
                            " long; it must last 5 minutes to 24 hours"));
  }
  if (start > now + horizon || start < now - horizon) {
    errors.Add("meeting.start_time",
               absl::StrCat("must lie within the policy horizon (",
                            absl::FormatDuration(horizon),
                            ") of now, in the past or the future"));
  }
}

}  // namespace

bool IsHttpsUri(absl::string_view uri) {
  constexpr absl::string_view kScheme = "https://";
  if (uri.size() > 2000 || !absl::StartsWithIgnoreCase(uri, kScheme)) {
    return false;
  }
  for (char c : uri) {
    if (absl::ascii_isspace(c) || absl::ascii_iscntrl(c)) return false;
  }
  absl::string_view rest = uri.substr(kScheme.size());
  absl::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  return !host.empty() && host.front() != '.' && host.front() != ':';
}

v1::Audience AudienceOf(const v1::Meeting& meeting) {
  for (const v1::Attendee& a : meeting.attendees()) {
    if (a.snapshot().kind() == salesmeet::type::v1::CUSTOMER_CONTACT) {
      return v1::CUSTOMER_FACING;
    }
  }
  return v1::INTERNAL;
}

void ValidateMeetingFields(const v1::Meeting& m, absl::Time now,
                           absl::Duration horizon, FieldErrors& errors) {
  CheckText(m.title(), 200, true, "meeting.title", errors);
  CheckText(m.description(), 10000, false, "meeting.description", errors);
  CheckText(m.agenda(), 10000, false, "meeting.agenda", errors);
  CheckText(m.location(), 500, false, "meeting.location", errors);
  if (m.purpose() == v1::MEETING_PURPOSE_UNSPECIFIED ||
      !v1::MeetingPurpose_IsValid(m.purpose())) {
    errors.Add("meeting.purpose",
               "is required, e.g. PROSPECT_PITCH or PRODUCT_UPDATE");
  }
  if (m.format() == v1::MEETING_FORMAT_UNSPECIFIED ||
      !v1::MeetingFormat_IsValid(m.format())) {
    errors.Add("meeting.format",
               "is required: PRESENTATION, ONE_ON_ONE, IN_PERSON, "
               "CONFERENCE_CALL or VIDEO_CONFERENCE");
  }
  CheckVideo(m, errors);
  CheckAttendees(m, errors);
  CheckTimes(m, now, horizon, errors);
  if (!m.time_zone().empty()) {
    CheckTimeZone(m.time_zone(), "meeting.time_zone", errors);
  }
  if (m.recurrence().rrule().empty() && m.recurrence().exdates_size() > 0) {
    errors.Add("meeting.recurrence.exdates",
               "must be empty for a meeting without a rule");
  }
}

}  // namespace salesmeet::scheduling
