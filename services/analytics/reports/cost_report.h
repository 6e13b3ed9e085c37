#ifndef SALESMEET_SERVICES_ANALYTICS_REPORTS_COST_REPORT_H_
#define SALESMEET_SERVICES_ANALYTICS_REPORTS_COST_REPORT_H_

// GetCostReport: what meetings cost, grouped one way, with totals and the
// internal versus customer-facing split (method on CostReport in
// reports.proto).

#include "absl/status/statusor.h"
#include "salesmeet/analytics/v1/analytics_service.pb.h"
#include "salesmeet/analytics/v1/reports.pb.h"
#include "services/analytics/reports/report_inputs.h"
#include "services/analytics/reports/report_scope.h"

namespace salesmeet::analytics {

// A GetCostReportRequest that passed its checks.
struct CostQuery {
  Scope scope;
  av1::CostDimension group_by = av1::COST_DIMENSION_UNSPECIFIED;
};

// INVALID_ARGUMENT naming every bad field ("scope.interval", "group_by"...).
absl::StatusOr<CostQuery> CheckCostRequest(
    const av1::GetCostReportRequest& request, absl::Time now);

absl::StatusOr<av1::CostReport> BuildCostReport(const CostQuery& query,
                                                const ReportInputs& inputs);

}  // namespace salesmeet::analytics

#endif  // SALESMEET_SERVICES_ANALYTICS_REPORTS_COST_REPORT_H_
