#include "services/analytics/reports/report_currency.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/calendar/cost_model.h"
#include "common/errors.h"

namespace salesmeet::analytics {

namespace {

// Rounds n / d half away from zero (d > 0).
__int128 RoundedDivide(__int128 n, __int128 d) {
  return n >= 0 ? (n + d / 2) / d : -((-n + d / 2) / d);
}

constexpr __int128 kNanosPerCent = 10'000'000;

google::type::Money FromCents(const std::string& code, __int128 cents) {
  google::type::Money money;
  money.set_currency_code(code);
  money.set_units(static_cast<int64_t>(cents / 100));
  money.set_nanos(static_cast<int32_t>(cents % 100 * kNanosPerCent));
  return money;
}

// FAILED_PRECONDITION about scheduling's currency table, which is where
// the operator fixes it.
absl::Status CurrencyError(absl::string_view type, const std::string& message) {
  return FailedPreconditionError(
      type, message, {{std::string(type), "schedulingPolicy", message}});
}

}  // namespace

absl::StatusOr<ReportCurrency> ReportCurrency::Resolve(
    const AmountTable& amounts, const sv1::SchedulingPolicy* policy) {
  ReportCurrency currency;
  const std::vector<BookedAmount>& all = amounts.amounts();
  currency.converted_.reserve(all.size());

  if (policy != nullptr && !policy->currency_rates().empty()) {
    absl::StatusOr<CostModel> model = CostModel::FromPolicy(*policy);
    if (!model.ok()) {
      return CurrencyError("CURRENCY_TABLE_INVALID",
                           absl::StrCat("scheduling's currency table cannot "
                                        "be used: ",
                                        model.status().message()));
    }
    currency.code_ = model->reporting_currency();
    for (const BookedAmount& amount : all) {
      // The cost model converts hourly costs; an amount converts the same.
      sv1::Attendee attendee;
      attendee.mutable_snapshot()->set_kind(tv1::EMPLOYEE);
      google::type::Money* money =
          attendee.mutable_snapshot()->mutable_hourly_cost();
      money->set_currency_code(amount.currency);
      money->set_units(amount.nanos / 1'000'000'000);
      money->set_nanos(static_cast<int32_t>(amount.nanos % 1'000'000'000));
      absl::StatusOr<MeetingRate> rate = model->RateOf({attendee});
      if (!rate.ok()) {
        return CurrencyError(
            "CURRENCY_NOT_CONVERTIBLE",
            absl::StrCat("amounts in ", amount.currency,
                         " but scheduling's currency table has no rate for "
                         "it; add one with UpdateSchedulingPolicy"));
      }
      currency.converted_.push_back(rate->nanos_per_hour);
    }
    return currency;
  }

  std::set<std::string> codes;
  for (const BookedAmount& amount : all) codes.insert(amount.currency);
  if (codes.size() > 1) {
    return CurrencyError(
        "MIXED_CURRENCIES",
        absl::StrCat("meetings are costed in ", absl::StrJoin(codes, ", "),
                     " and scheduling's policy has no currency table to "
                     "report them in one; add one with "
                     "UpdateSchedulingPolicy"));
  }
  if (!codes.empty()) {
    currency.code_ = *codes.begin();
  } else if (policy != nullptr && !policy->reporting_currency().empty()) {
    currency.code_ = policy->reporting_currency();
  } else {
    currency.code_ = kNoCurrency;
  }
  for (const BookedAmount& amount : all) {
    currency.converted_.push_back(amount.nanos);
  }
  return currency;
}

google::type::Money ReportCurrency::ToMoney(CostSum cost) const {
  return FromCents(code_, RoundedDivide(cost, kNanosPerCent * 3600));
}

google::type::Money ReportCurrency::NanosToMoney(__int128 nanos) const {
  return FromCents(code_, RoundedDivide(nanos, kNanosPerCent));
}

double Share(double part, double whole) {
  return whole == 0 ? 0 : part / whole;
}

}  // namespace salesmeet::analytics
