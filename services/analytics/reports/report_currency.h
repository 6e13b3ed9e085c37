#ifndef SALESMEET_SERVICES_ANALYTICS_REPORTS_REPORT_CURRENCY_H_
#define SALESMEET_SERVICES_ANALYTICS_REPORTS_REPORT_CURRENCY_H_

// The one currency a report's amounts are in, and exact arithmetic on
// costs: an hourly cost times a time is summed as nanos x seconds in 128
// bits and rounded once, to the cent, when the report is written.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/type/money.pb.h"
#include "salesmeet/scheduling/v1/policy.pb.h"
#include "services/analytics/projection/meeting_facts.h"

namespace salesmeet::analytics {

// A sum of cost: billionths of the currency unit per hour x seconds.
using CostSum = __int128;

class ReportCurrency {
 public:
  // Converts every amount in `amounts` to the report currency: the policy's
  // reporting_currency when it has a conversion table, otherwise the one
  // currency the amounts use (the policy's reporting_currency, or "XXX",
  // when there are none). `policy` may be null when it was never read.
  // FAILED_PRECONDITION when amounts mix currencies without a table, or use
  // a currency the table has no rate for.
  static absl::StatusOr<ReportCurrency> Resolve(
      const AmountTable& amounts, const sv1::SchedulingPolicy* policy);

  const std::string& code() const { return code_; }

  // Amount `index` of the AmountTable in the report currency, in nanos (or
  // nanos per hour for an hourly cost). 0 for index -1.
  __int128 Nanos(int index) const { return index < 0 ? 0 : converted_[index]; }

  // What attending for `time` at hourly cost `index` adds to a cost.
  CostSum CostOf(int index, absl::Duration time) const {
    return Nanos(index) * absl::ToInt64Seconds(time);
  }

  // A cost sum as Money, rounded half away from zero to the cent.
  google::type::Money ToMoney(CostSum cost) const;
  // An amount in nanos as Money, rounded the same way.
  google::type::Money NanosToMoney(__int128 nanos) const;

 private:
  std::string code_;
  std::vector<__int128> converted_;
};

// a / b as a share from 0 to 1; 0 when b is zero.
double Share(double part, double whole);

}  // namespace salesmeet::analytics

#endif  // SALESMEET_SERVICES_ANALYTICS_REPORTS_REPORT_CURRENCY_H_
