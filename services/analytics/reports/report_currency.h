#ifndef SALESMEET_SERVICES_ANALYTICS_REPORTS_REPORT_CURRENCY_H_
#define SALESMEET_SERVICES_ANALYTICS_REPORTS_REPORT_CURRENCY_H_

// Money in reports: amounts are summed per original currency, exactly (128
// bits, saturating), and only what a report counts decides how it is shown:
// - with scheduling's conversion table, totals are converted to the
//   reporting currency, and the per-currency originals are kept beside them;
// - without one, totals in one currency are shown as such, and totals over
//   several currencies are shown per currency only, never added up.
// So a USD meeting outside a EUR team's report never makes it fail, and
// reports without money never look at currencies at all.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/calendar/cost_model.h"
#include "common/calendar/money_math.h"
#include "google/protobuf/repeated_field.h"
#include "google/type/money.pb.h"
#include "salesmeet/scheduling/v1/policy.pb.h"
#include "services/analytics/projection/meeting_facts.h"

namespace salesmeet::analytics {

// What a sum counts: amounts (nanos of the unit, e.g. deal values) or costs
// (hourly amounts x seconds attended, i.e. nanos x 3600).
enum class MoneyScale { kNanos, kCost };

// A sum of money kept per original currency (by index in ReportCurrency's
// currency list). A report sums a handful of currencies, so this is a short
// vector, not a map.
class MoneySum {
 public:
  void Add(int currency, int128 amount);
  MoneySum& operator+=(const MoneySum& other);
  bool empty() const { return parts_.empty(); }
  // (currency, amount) pairs in the order currencies were first added.
  const absl::InlinedVector<std::pair<int, int128>, 2>& parts() const {
    return parts_;
  }

 private:
  absl::InlinedVector<std::pair<int, int128>, 2> parts_;
};

class ReportWriter;

// The amounts of the projection, each known by its currency, and how they
// convert. Built for every money report; never fails, because whether a
// currency can be shown depends on what the report counts.
class ReportCurrency {
 public:
  // `policy` may be null when it was never read from scheduling.
  ReportCurrency(const AmountTable& amounts,
                 const scheduling::v1::SchedulingPolicy* policy);

  // Adds amount `index` of the AmountTable (-1: nothing) to `sum`.
  void AddAmount(int index, MoneySum& sum) const;
  // Adds attending for `time` at hourly cost `index` to `sum`.
  void AddCost(int index, absl::Duration time, MoneySum& sum) const;

  // How the sums of one report are shown, decided by `counted`, the sum of
  // everything the report counts (costs and amounts alike, at any scale).
  // FAILED_PRECONDITION when scheduling's table is unusable or has no rate
  // for a currency the report counts.
  absl::StatusOr<ReportWriter> WriterFor(const MoneySum& counted) const;

 private:
  friend class ReportWriter;
  struct Amount {
    int currency = -1;
    int128 nanos = 0;
  };

  std::vector<std::string> codes_;  // Currency index -> ISO code.
  std::vector<Amount> amounts_;     // AmountTable index -> amount.
  std::optional<absl::StatusOr<CostModel>> table_;  // When rates exist.
  std::string policy_currency_;
};

// Writes a report's sums as Money.
class ReportWriter {
 public:
  // The currency every total is in, or "" when totals are per currency
  // only (several currencies, no table).
  const std::string& code() const { return code_; }

  // `sum` as one amount in code(), for ordering and shares; nullopt when
  // totals are per currency only. Same scale as the sum.
  std::optional<int128> Total(const MoneySum& sum) const;

  // part / whole when both can be told in one currency, otherwise 0.
  double ShareOf(const MoneySum& part, const MoneySum& whole) const;

  // Sets `total` (unless totals are per currency only) and fills
  // `by_currency` with the per-currency originals, by currency code,
  // rounded to the cent.
  void Write(const MoneySum& sum, MoneyScale scale, google::type::Money* total,
             google::protobuf::RepeatedPtrField<google::type::Money>*
                 by_currency) const;

  // The currencies counted, by code, e.g. "EUR, USD".
  const std::string& counted_codes() const { return counted_codes_; }

 private:
  friend class ReportCurrency;
  explicit ReportWriter(const ReportCurrency& currency) : currency_(currency) {}

  const ReportCurrency& currency_;
  std::string code_;
  const CostModel* table_ = nullptr;
  std::string counted_codes_;
};

// a / b as a share from 0 to 1; 0 when b is zero.
double Share(double part, double whole);

}  // namespace salesmeet::analytics

#endif  // SALESMEET_SERVICES_ANALYTICS_REPORTS_REPORT_CURRENCY_H_
