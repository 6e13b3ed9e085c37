#ifndef SALESMEET_SERVICES_ANALYTICS_REPORTS_REPORT_SCOPE_H_
#define SALESMEET_SERVICES_ANALYTICS_REPORTS_REPORT_SCOPE_H_

// A report's range and filters, checked once at the edge of every report.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/calendar/time_span.h"
#include "common/errors.h"
#include "salesmeet/analytics/v1/analytics_service.pb.h"
#include "salesmeet/type/v1/time.pb.h"

namespace salesmeet::analytics {

namespace av1 = ::salesmeet::analytics::v1;

// A ReportScope that passed its checks. Empty strings are filters not set.
struct Scope {
  TimeSpan interval;
  std::string team;         // "teams/{id}"
  std::string organizer;    // "participants/{id}"
  std::string participant;  // "participants/{id}"
  absl::TimeZone zone;      // For ISO_WEEK groups; UTC by default.
};

// The span a report covers when its request names none: this week and four
// weeks either side of it, nine whole ISO weeks from Monday 00:00 UTC. Whole
// weeks keep it the same all week, so a paged report's next page token stays
// valid and a weekly pattern of meetings counts the same on every weekday.
TimeSpan DefaultReportInterval(absl::Time now);

// The contact cadence report's default: the 13 weeks that end with today,
// [tomorrow 00:00 UTC - 91 days, tomorrow 00:00 UTC).
TimeSpan DefaultCadenceInterval(absl::Time now);

// Checks an Interval: unset gives `fallback`; otherwise both ends set, end
// after start, at most 366 days. Errors name `field` ("scope.interval") or
// its end_time.
TimeSpan CheckReportInterval(const type::v1::Interval& interval, bool present,
                             TimeSpan fallback, absl::string_view field,
                             FieldErrors& errors);

// Checks a name filter ("teams/x" or "participants/x"); empty passes.
void CheckNameFilter(const std::string& name, absl::string_view collection,
                     absl::string_view field, FieldErrors& errors);

// Checks `scope` (the request field `field`, e.g. "scope"; unset is all
// defaults), adding every problem to `errors`. Without an interval, the
// report covers DefaultReportInterval(now). The result is meaningful only
// when no error was added.
Scope CheckScope(const av1::ReportScope& scope, absl::string_view field,
                 absl::Time now, FieldErrors& errors);

}  // namespace salesmeet::analytics

#endif  // SALESMEET_SERVICES_ANALYTICS_REPORTS_REPORT_SCOPE_H_
