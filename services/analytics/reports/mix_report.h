#ifndef SALESMEET_SERVICES_ANALYTICS_REPORTS_MIX_REPORT_H_
#define SALESMEET_SERVICES_ANALYTICS_REPORTS_MIX_REPORT_H_

// GetMeetingMixReport: how occurrences, time and cost divide by purpose,
// format, audience and recurrence (method on MeetingMixReport in
// reports.proto).

#include "absl/status/statusor.h"
#include "salesmeet/analytics/v1/analytics_service.pb.h"
#include "salesmeet/analytics/v1/reports.pb.h"
#include "services/analytics/reports/report_inputs.h"
#include "services/analytics/reports/report_scope.h"

namespace salesmeet::analytics {

// A GetMeetingMixReportRequest that passed its checks.
struct MixQuery {
  Scope scope;
};

// INVALID_ARGUMENT naming every bad field ("scope.interval"...).
absl::StatusOr<MixQuery> CheckMixRequest(
    const av1::GetMeetingMixReportRequest& request, absl::Time now);

absl::StatusOr<av1::MeetingMixReport> BuildMixReport(
    const MixQuery& query, const ReportInputs& inputs);

}  // namespace salesmeet::analytics

#endif  // SALESMEET_SERVICES_ANALYTICS_REPORTS_MIX_REPORT_H_
