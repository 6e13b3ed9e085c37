#ifndef SALESMEET_SERVICES_ANALYTICS_REPORTS_REPORT_INPUTS_H_
#define SALESMEET_SERVICES_ANALYTICS_REPORTS_REPORT_INPUTS_H_

// What every report is computed from, gathered by the service for one
// request: the read model (under the projection's read lock), its currency,
// how fresh it is, and, for the reports that need them, people's current
// records from the participant service.

#include "absl/time/time.h"
#include "common/page_token.h"
#include "common/participant_records.h"
#include "salesmeet/analytics/v1/reports.pb.h"
#include "services/analytics/projection/read_model.h"
#include "services/analytics/reports/report_currency.h"

namespace salesmeet::analytics {

namespace av1 = ::salesmeet::analytics::v1;

struct ReportInputs {
  ReportInputs(const ReadModel& model, const ReportCurrency& currency)
      : model(model), currency(currency) {}

  const ReadModel& model;
  const ReportCurrency& currency;
  av1::Freshness freshness;
  // The time of the request.
  absl::Time now;
  // Participant records by name, as the participant service last answered.
  // Null for reports that do not read them (cost, mix, top performers).
  const ParticipantsByName* people = nullptr;
  // Seals the page tokens of the paged reports (load, contact cadence).
  const PageTokenCodec* page_tokens = nullptr;
};

}  // namespace salesmeet::analytics

#endif  // SALESMEET_SERVICES_ANALYTICS_REPORTS_REPORT_INPUTS_H_
