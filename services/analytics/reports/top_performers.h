#ifndef SALESMEET_SERVICES_ANALYTICS_REPORTS_TOP_PERFORMERS_H_
#define SALESMEET_SERVICES_ANALYTICS_REPORTS_TOP_PERFORMERS_H_

// GetTopPerformers: a leaderboard of sales employees by the outcomes of
// their completed meetings (method on TopPerformersReport in reports.proto).

#include "absl/status/statusor.h"
#include "salesmeet/analytics/v1/analytics_service.pb.h"
#include "salesmeet/analytics/v1/reports.pb.h"
#include "services/analytics/reports/report_inputs.h"
#include "services/analytics/reports/report_scope.h"

namespace salesmeet::analytics {

// A GetTopPerformersRequest that passed its checks, defaults applied.
struct TopPerformersQuery {
  Scope scope;
  av1::PerformanceMetric metric = av1::PERFORMANCE_METRIC_UNSPECIFIED;
  int min_meetings = 3;
  int max_results = 10;
};

// INVALID_ARGUMENT naming every bad field ("metric", "min_meetings"...).
absl::StatusOr<TopPerformersQuery> CheckTopPerformersRequest(
    const av1::GetTopPerformersRequest& request, absl::Time now);

absl::StatusOr<av1::TopPerformersReport> BuildTopPerformers(
    const TopPerformersQuery& query, const ReportInputs& inputs);

}  // namespace salesmeet::analytics

#endif  // SALESMEET_SERVICES_ANALYTICS_REPORTS_TOP_PERFORMERS_H_
