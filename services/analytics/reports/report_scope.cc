#include "services/analytics/reports/report_scope.h"

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/calendar/request_interval.h"
#include "common/field_checks.h"

namespace salesmeet::analytics {

namespace {

absl::Time StartOfDayUtc(absl::Time t) {
  return absl::FromCivil(absl::ToCivilDay(t, absl::UTCTimeZone()),
                         absl::UTCTimeZone());
}

constexpr absl::Duration kWeek = absl::Hours(24 * 7);

}  // namespace

TimeSpan DefaultReportInterval(absl::Time now) {
  const absl::CivilDay today = absl::ToCivilDay(now, absl::UTCTimeZone());
  const absl::CivilDay monday =
      absl::PrevWeekday(today + 1, absl::Weekday::monday);
  const absl::Time this_week = absl::FromCivil(monday, absl::UTCTimeZone());
  return {this_week - 4 * kWeek, this_week + 5 * kWeek};
}

TimeSpan DefaultCadenceInterval(absl::Time now) {
  const absl::Time tomorrow = StartOfDayUtc(now) + absl::Hours(24);
  return {tomorrow - absl::Hours(24 * 91), tomorrow};
}

TimeSpan CheckReportInterval(const type::v1::Interval& interval, bool present,
                             TimeSpan fallback, absl::string_view field,
                             FieldErrors& errors) {
  if (!present) return fallback;
  return CheckRequestInterval(interval, field, errors);
}

void CheckNameFilter(const std::string& name, absl::string_view collection,
                     absl::string_view field, FieldErrors& errors) {
  if (name.empty()) return;
  ParseResourceName(name, collection, field, errors);
}

Scope CheckScope(const av1::ReportScope& scope, absl::string_view field,
                 absl::Time now, FieldErrors& errors) {
  Scope out;
  out.interval = CheckReportInterval(scope.interval(), scope.has_interval(),
                                     DefaultReportInterval(now),
                                     absl::StrCat(field, ".interval"), errors);
  CheckNameFilter(scope.team(), "teams", absl::StrCat(field, ".team"), errors);
  CheckNameFilter(scope.organizer(), "participants",
                  absl::StrCat(field, ".organizer"), errors);
  CheckNameFilter(scope.participant(), "participants",
                  absl::StrCat(field, ".participant"), errors);
  out.team = scope.team();
  out.organizer = scope.organizer();
  out.participant = scope.participant();
  out.zone = absl::UTCTimeZone();
  if (!scope.time_zone().empty()) {
    absl::StatusOr<absl::TimeZone> zone = LoadIanaTimeZone(scope.time_zone());
    if (zone.ok()) {
      out.zone = *zone;
    } else {
      errors.Add(absl::StrCat(field, ".time_zone"),
                 "must be an IANA time zone such as \"Europe/Rome\"");
    }
  }
  return out;
}

}  // namespace salesmeet::analytics
