#ifndef SALESMEET_SERVICES_ANALYTICS_REPORTS_CADENCE_REPORT_H_
#define SALESMEET_SERVICES_ANALYTICS_REPORTS_CADENCE_REPORT_H_

// The contact cadence report: each customer contact's last and next
// contact against their cadence (method on ContactCadenceReport).

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "salesmeet/analytics/v1/analytics_service.pb.h"
#include "salesmeet/analytics/v1/reports.pb.h"
#include "services/analytics/reports/report_inputs.h"
#include "services/analytics/reports/report_scope.h"

namespace salesmeet::analytics {

// A GetContactCadenceReportRequest that passed its checks. Empty strings
// are filters not set; no statuses means all.
struct CadenceQuery {
  TimeSpan interval;
  std::string account_owner;  // "participants/{id}"
  std::string team;           // "teams/{id}"
  std::string participant;    // "participants/{id}"
  std::vector<av1::CadenceStatus> statuses;
  int page_size = 0;
  std::string page_token;
};

// Checks `request`: INVALID_ARGUMENT naming every bad field (interval,
// account_owner, team, participant, statuses[i], page_size).
absl::StatusOr<CadenceQuery> CheckCadenceRequest(
    const av1::GetContactCadenceReportRequest& request, absl::Time now);

// The page of the report `query` asks for, over the customer contacts with
// a customer profile in inputs.people. A contact without a cadence (the
// participant service requires one) cannot be judged against it: they are
// NEVER_CONTACTED or ON_TRACK, without next_contact_time. INVALID_ARGUMENT
// naming page_token when the token is forged, expired or from another
// query.
absl::StatusOr<av1::ContactCadenceReport> BuildCadenceReport(
    const CadenceQuery& query, const ReportInputs& inputs);

}  // namespace salesmeet::analytics

#endif  // SALESMEET_SERVICES_ANALYTICS_REPORTS_CADENCE_REPORT_H_
