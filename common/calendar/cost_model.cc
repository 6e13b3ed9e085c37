#include "common/calendar/cost_model.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/calendar/money_math.h"
#include "common/errors.h"
#include "common/field_checks.h"

namespace salesmeet {
namespace {

constexpr int128 kNanosecondsPerHour = int128{3600} * 1'000'000'000;
// 10^38 is the largest power of ten an int128 holds.
constexpr int kMaxPow10 = 38;

int128 Pow10(int n) {
  int128 result = 1;
  for (int i = 0; i < n; ++i) result *= 10;
  return result;
}

// Exact rate x length, rounded once to the cent. Saturates, through
// MoneyFromCents, when rate x nanoseconds passes 1.7e38 (about 4.7e16
// units of cost), far beyond any real meeting.
google::type::Money CostOfNanoseconds(const MeetingRate& rate,
                                      int128 nanoseconds) {
  constexpr int128 kDenominator = kNanosecondsPerHour * kNanosPerCent;
  std::optional<int128> numerator =
      CheckedMul(rate.nanos_per_hour, nanoseconds);
  if (!numerator.has_value()) {
    const bool negative = (rate.nanos_per_hour < 0) != (nanoseconds < 0);
    return MoneyFromCents(rate.currency_code,
                          negative ? -kInt128Max : kInt128Max);
  }
  return MoneyFromCents(rate.currency_code,
                        DivRoundHalfAway(*numerator, kDenominator));
}

}  // namespace

bool IsUsableCurrencyRate(double rate) {
  return std::isfinite(rate) && rate >= 1e-9 && rate <= 1e9;
}

absl::StatusOr<CostModel> CostModel::FromPolicy(
    const scheduling::v1::SchedulingPolicy& policy) {
  CostModel model;
  if (policy.currency_rates().empty()) return model;

  FieldErrors errors;
  if (!IsIsoCurrencyCode(policy.reporting_currency())) {
    errors.Add("policy.reporting_currency",
               "must be an ISO 4217 code such as \"EUR\" when currency_rates "
               "is not empty: it is the currency costs are converted to");
  }
  for (int i = 0; i < policy.currency_rates_size(); ++i) {
    const scheduling::v1::CurrencyRate& entry = policy.currency_rates(i);
    const std::string field = absl::StrCat("policy.currency_rates[", i, "]");
    const std::string& code = entry.currency_code();
    if (!IsIsoCurrencyCode(code)) {
      errors.Add(absl::StrCat(field, ".currency_code"),
                 absl::StrCat(Quoted(code), " is not an ISO 4217 code"));
    } else if (code == policy.reporting_currency()) {
      errors.Add(absl::StrCat(field, ".currency_code"),
                 "is the reporting currency, whose rate is always 1");
    } else if (model.rates_.count(code) > 0) {
      errors.Add(absl::StrCat(field, ".currency_code"),
                 absl::StrCat(code, " has more than one rate"));
    }
    if (!IsUsableCurrencyRate(entry.rate())) {
      errors.Add(absl::StrCat(field, ".rate"), "must be from 1e-9 to 1e9");
      continue;
    }
    // The shortest decimal that reads back as this double is the number the
    // policy's author typed (0.92, not 0.92000000000000003997), so
    // conversions are exact for it rather than for its binary neighbour.
    char buffer[64];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer),
                                   entry.rate(), std::chars_format::scientific);
    DecimalRate rate;
    int fraction_digits = 0;
    bool in_fraction = false;
    const char* p = buffer;
    for (; p < end && *p != 'e'; ++p) {
      if (*p == '.') {
        in_fraction = true;
        continue;
      }
      rate.significand = rate.significand * 10 + (*p - '0');
      if (in_fraction) ++fraction_digits;
    }
    int exponent = 0;
    if (p < end) std::from_chars(p + (p[1] == '+' ? 2 : 1), end, exponent);
    rate.exponent = exponent - fraction_digits;
    model.rates_.emplace(code, rate);
  }
  if (!errors.empty()) return errors.ToStatus();
  model.reporting_currency_ = policy.reporting_currency();
  return model;
}

absl::StatusOr<MeetingRate> CostModel::RateOf(
    const std::vector<scheduling::v1::Attendee>& attendees) const {
  MeetingRate rate;
  rate.currency_code = reporting_currency_;
  // Currency -> first attendee costed in it, to explain a mix.
  std::vector<std::pair<std::string, std::string>> currencies;

  for (size_t i = 0; i < attendees.size(); ++i) {
    const scheduling::v1::AttendeeSnapshot& snapshot = attendees[i].snapshot();
    if (snapshot.kind() != ::salesmeet::type::v1::EMPLOYEE ||
        !snapshot.has_hourly_cost()) {
      continue;
    }
    const google::type::Money& cost = snapshot.hourly_cost();
    const std::string& code = cost.currency_code();
    const int128 nanos = MoneyNanos(cost);

    if (reporting_currency_.empty()) {
      bool seen = false;
      for (const auto& [seen_code, who] : currencies) seen |= seen_code == code;
      if (!seen) currencies.emplace_back(code, attendees[i].participant());
      rate.nanos_per_hour += nanos;
      continue;
    }

    const std::string field = absl::StrCat("meeting.attendees[", i, "]");
    if (code == reporting_currency_) {
      rate.nanos_per_hour += nanos;
      continue;
    }
    auto it = rates_.find(code);
    if (it == rates_.end()) {
      return InvalidFieldError(
          field, absl::StrCat(attendees[i].participant(),
                              "'s hourly cost is in ", code,
                              ", which the scheduling policy's currency_rates "
                              "has no rate for (costs are reported in ",
                              reporting_currency_, ")"));
    }
    std::optional<int128> converted = Convert(code, nanos);
    if (!converted.has_value()) {
      return InvalidFieldError(
          field,
          absl::StrCat(attendees[i].participant(), "'s hourly cost in ", code,
                       " is too large to convert to ", reporting_currency_));
    }
    rate.nanos_per_hour += *converted;
  }

  if (currencies.size() > 1) {
    std::vector<std::string> parts;
    for (const auto& [code, who] : currencies) {
      parts.push_back(absl::StrCat(code, " (", who, ")"));
    }
    return InvalidFieldError(
        "meeting.attendees",
        absl::StrCat("employee hourly costs are in different currencies: ",
                     absl::StrJoin(parts, ", "),
                     "; a meeting is costed in one currency unless the "
                     "scheduling policy has a conversion table "
                     "(currency_rates)"));
  }
  if (rate.currency_code.empty()) {
    rate.currency_code = currencies.empty() ? kNoCurrency : currencies[0].first;
  }
  return rate;
}

std::optional<int128> CostModel::Convert(const std::string& code,
                                         int128 nanos) const {
  if (code == reporting_currency_) return nanos;
  auto it = rates_.find(code);
  if (it == rates_.end()) return std::nullopt;
  // Exact decimal rate, rounded once to the nearest nano of the reporting
  // currency; from here on everything is integer.
  const DecimalRate& decimal = it->second;
  std::optional<int128> converted = CheckedMul(nanos, decimal.significand);
  for (int e = 0; converted.has_value() && e < decimal.exponent; ++e) {
    converted = CheckedMul(*converted, 10);
  }
  if (converted.has_value() && decimal.exponent < 0) {
    // Past 10^38 the quotient is below half a nano whatever the product.
    converted = -decimal.exponent > kMaxPow10
                    ? 0
                    : DivRoundHalfAway(*converted, Pow10(-decimal.exponent));
  }
  return converted;
}

google::type::Money CostModel::Cost(const MeetingRate& rate,
                                    absl::Duration length) const {
  return CostOfNanoseconds(rate, absl::ToInt64Nanoseconds(length));
}

google::type::Money CostModel::Total(
    const MeetingRate& rate,
    const std::vector<OccurrenceTime>& occurrences) const {
  // rate x a + rate x b = rate x (a + b): summing lengths first is the exact
  // sum of the exact costs, so the one rounding happens after it.
  int128 nanoseconds = 0;
  for (const OccurrenceTime& occurrence : occurrences) {
    nanoseconds += absl::ToInt64Nanoseconds(occurrence.span.length());
  }
  return CostOfNanoseconds(rate, nanoseconds);
}

}  // namespace salesmeet
