#include "services/scheduling/calendars/slot_query.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/field_checks.h"

namespace salesmeet::scheduling {
namespace {

constexpr int kMaxAttendees = 100;
constexpr absl::Duration kMaxWindow = absl::Hours(24 * 90);
// Without a window, the search looks this far ahead of now: "find us an
// hour in the next two weeks" is the common question.
constexpr absl::Duration kDefaultWindow = absl::Hours(24 * 14);
constexpr absl::Duration kDiagnosisReach = absl::Hours(24 * 90);

bool IsWellFormed(const google::protobuf::Duration& d) {
  const bool same_sign = (d.seconds() >= 0 && d.nanos() >= 0) ||
                         (d.seconds() <= 0 && d.nanos() <= 0);
  return same_sign && d.nanos() > -1'000'000'000 && d.nanos() < 1'000'000'000;
}

// An optional duration between 0 and `max`; unset is zero.
absl::Duration OptionalDuration(const google::protobuf::Duration& d,
                                absl::Duration max, absl::string_view field,
                                FieldErrors& errors) {
  if (!IsWellFormed(d)) {
    errors.Add(field, "is not a well-formed duration");
    return absl::ZeroDuration();
  }
  const absl::Duration value = ToAbslDuration(d);
  if (value < absl::ZeroDuration() || value > max) {
    errors.Add(field, absl::StrCat("must be between 0 and ",
                                   absl::FormatDuration(max)));
    return absl::ZeroDuration();
  }
  return value;
}

// A local time of day in whole minutes, 00:00 to 23:59, or 24:00 when
// `allow_midnight_end`.
std::optional<int> LocalMinute(const google::type::TimeOfDay& t,
                               bool allow_midnight_end, absl::string_view field,
                               FieldErrors& errors) {
  const bool whole = t.seconds() == 0 && t.nanos() == 0;
  const bool in_day = t.hours() >= 0 && t.hours() <= 23 && t.minutes() >= 0 &&
                      t.minutes() <= 59;
  const bool end_of_day =
      allow_midnight_end && t.hours() == 24 && t.minutes() == 0;
  if (!whole || !(in_day || end_of_day)) {
    errors.Add(field, allow_midnight_end
                          ? "must be whole minutes from 00:00 to 24:00"
                          : "must be whole minutes from 00:00 to 23:59");
    return std::nullopt;
  }
  return t.hours() * 60 + t.minutes();
}

void CheckAttendeeNames(const v1::FindMeetingSlotsRequest& request,
                        FieldErrors& errors) {
  if (request.required_attendees().empty()) {
    errors.Add("required_attendees", "needs at least one participant");
  }
  if (request.required_attendees_size() + request.optional_attendees_size() >
      kMaxAttendees) {
    errors.Add("required_attendees",
               absl::StrCat("at most ", kMaxAttendees,
                            " attendees together with optional_attendees"));
  }
  std::set<std::string> seen;
  auto check = [&](const auto& names, absl::string_view list) {
    for (int i = 0; i < names.size(); ++i) {
      const std::string field = absl::StrCat(list, "[", i, "]");
      if (ParseResourceName(names[i], "participants", field, errors).empty()) {
        continue;
      }
      if (!seen.insert(names[i]).second) {
        errors.Add(field, "names a participant already listed");
      }
    }
  };
  check(request.required_attendees(), "required_attendees");
  check(request.optional_attendees(), "optional_attendees");
  if (!request.organizer().empty()) {
    ParseResourceName(request.organizer(), "participants", "organizer", errors);
  }
}

void CheckWindow(const v1::FindMeetingSlotsRequest& request, absl::Time now,
                 SlotSearch& search, FieldErrors& errors) {
  const auto& window = request.window();
  if (!request.has_window()) {
    search.window = {now, now + kDefaultWindow};
    return;
  }
  if (!IsValidTimestamp(window.start_time()) ||
      !IsValidTimestamp(window.end_time())) {
    errors.Add("window", "needs a valid start_time and end_time");
    return;
  }
  search.window = {ToAbslTime(window.start_time()),
                   ToAbslTime(window.end_time())};
  if (search.window.end <= search.window.start) {
    errors.Add("window", "must end after it starts");
  } else if (search.window.length() > kMaxWindow) {
    errors.Add("window", "must be at most 90 days long");
  } else if (search.window.end <= now) {
    errors.Add("window", "must end in the future");
  }
}

}  // namespace

absl::StatusOr<SlotSearch> ValidateFindMeetingSlotsRequest(
    const v1::FindMeetingSlotsRequest& request, absl::Time now) {
  FieldErrors errors;
  SlotSearch search;
  search.now = now;
  CheckAttendeeNames(request, errors);
  CheckWindow(request, now, search, errors);

  if (!request.has_duration()) {
    errors.Add("duration", "is required, 5 minutes to 24 hours");
  } else if (!IsWellFormed(request.duration())) {
    errors.Add("duration", "is not a well-formed duration");
  } else {
    search.duration = ToAbslDuration(request.duration());
    if (search.duration < absl::Minutes(5) ||
        search.duration > absl::Hours(24)) {
      errors.Add("duration", "must be 5 minutes to 24 hours");
    }
  }

  if (request.has_granularity()) {
    const absl::Duration g = OptionalDuration(
        request.granularity(), absl::Minutes(60), "granularity", errors);
    // Whole minutes dividing an hour keep every local hour aligned the same.
    if (g < absl::Minutes(5) || g % absl::Minutes(1) != absl::ZeroDuration() ||
        60 % (g / absl::Minutes(1)) != 0) {
      errors.Add("granularity", "must be 5, 10, 12, 15, 20, 30 or 60 minutes");
    } else {
      search.granularity = g;
    }
  }

  search.buffer_before = OptionalDuration(
      request.buffer_before(), absl::Hours(4), "buffer_before", errors);
  search.buffer_after = OptionalDuration(request.buffer_after(), absl::Hours(4),
                                         "buffer_after", errors);
  search.minimum_notice = OptionalDuration(
      request.minimum_notice(), absl::Hours(24 * 30), "minimum_notice", errors);

  if (request.has_earliest_local_time()) {
    search.earliest_minute = LocalMinute(request.earliest_local_time(), false,
                                         "earliest_local_time", errors);
  }
  if (request.has_latest_local_time()) {
    search.latest_minute = LocalMinute(request.latest_local_time(), true,
                                       "latest_local_time", errors);
  }
  if (search.earliest_minute.has_value() && search.latest_minute.has_value() &&
      *search.latest_minute <= *search.earliest_minute) {
    errors.Add("latest_local_time", "must be after earliest_local_time");
  }

  if (request.max_results() < 0 || request.max_results() > 100) {
    errors.Add("max_results", "must be 1 to 100 (0 means 10)");
  } else if (request.max_results() > 0) {
    search.max_results = request.max_results();
  }
  search.check_weekly_budget = request.check_weekly_budget();

  if (!errors.empty()) return errors.ToStatus();
  return search;
}

TimeSpan BusyHorizon(const SlotSearch& search) {
  const absl::Duration week = absl::Hours(24 * 7);
  return {search.window.start - search.buffer_before - week,
          search.window.end + kDiagnosisReach + search.buffer_after + week};
}

std::optional<google::type::Money> SlotCost(
    const CostModel& model, const std::vector<v1::Attendee>& attendees,
    absl::Duration duration) {
  absl::StatusOr<MeetingRate> rate = model.RateOf(attendees);
  if (!rate.ok()) return std::nullopt;
  return model.Cost(*rate, duration);
}

}  // namespace salesmeet::scheduling
