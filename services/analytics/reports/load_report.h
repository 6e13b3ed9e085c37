#ifndef SALESMEET_SERVICES_ANALYTICS_REPORTS_LOAD_REPORT_H_
#define SALESMEET_SERVICES_ANALYTICS_REPORTS_LOAD_REPORT_H_

// The meeting load report: each employee's meeting time against their
// working time and weekly budget (method on MeetingLoadReport).

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "salesmeet/analytics/v1/analytics_service.pb.h"
#include "salesmeet/analytics/v1/reports.pb.h"
#include "services/analytics/reports/report_inputs.h"
#include "services/analytics/reports/report_scope.h"

namespace salesmeet::analytics {

// A GetMeetingLoadReportRequest that passed its checks.
struct LoadQuery {
  Scope scope;
  absl::Duration focus_block_minimum;
  int page_size = 0;
  std::string page_token;
};

// Checks `request`: INVALID_ARGUMENT naming every bad field (scope.*,
// focus_block_minimum, page_size). Fills in the defaults.
absl::StatusOr<LoadQuery> CheckLoadRequest(
    const av1::GetMeetingLoadReportRequest& request, absl::Time now);

// The page of the report `query` asks for. INVALID_ARGUMENT naming
// page_token when the token is forged, expired or from another query.
// People missing from inputs.people (deleted since) get a row without
// working hours (see LoadCalculator::Compute).
absl::StatusOr<av1::MeetingLoadReport> BuildLoadReport(
    const LoadQuery& query, const ReportInputs& inputs);

}  // namespace salesmeet::analytics

#endif  // SALESMEET_SERVICES_ANALYTICS_REPORTS_LOAD_REPORT_H_
