#include "services/analytics/reports/report_currency.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/errors.h"

namespace salesmeet::analytics {

namespace {

// A cost sum is nanos per hour x seconds.
constexpr int64_t kSecondsPerHour = 3600;

// `amount` at `scale` as Money, rounded once, to the cent.
google::type::Money ToMoney(const std::string& code, int128 amount,
                            MoneyScale scale) {
  const int128 per_cent =
      kNanosPerCent * (scale == MoneyScale::kCost ? kSecondsPerHour : 1);
  return MoneyFromCents(code, DivRoundHalfAway(amount, per_cent));
}

// FAILED_PRECONDITION about scheduling's currency table, which is where
// the operator fixes it.
absl::Status CurrencyError(absl::string_view type, const std::string& message) {
  return FailedPreconditionError(
      type, message, {{std::string(type), "schedulingPolicy", message}});
}

}  // namespace

void MoneySum::Add(int currency, int128 amount) {
  if (currency < 0) return;
  for (auto& [code, value] : parts_) {
    if (code == currency) {
      value = SaturatingAdd(value, amount);
      return;
    }
  }
  parts_.emplace_back(currency, amount);
}

MoneySum& MoneySum::operator+=(const MoneySum& other) {
  for (const auto& [currency, amount] : other.parts_) Add(currency, amount);
  return *this;
}

ReportCurrency::ReportCurrency(const AmountTable& amounts,
                               const scheduling::v1::SchedulingPolicy* policy) {
  if (policy != nullptr) {
    policy_currency_ = policy->reporting_currency();
    if (!policy->currency_rates().empty()) {
      table_ = CostModel::FromPolicy(*policy);
    }
  }
  for (const BookedAmount& amount : amounts.amounts()) {
    auto it = std::find(codes_.begin(), codes_.end(), amount.currency);
    const int currency = static_cast<int>(it - codes_.begin());
    if (it == codes_.end()) codes_.push_back(amount.currency);
    amounts_.push_back({currency, amount.total_nanos()});
  }
}

void ReportCurrency::AddAmount(int index, MoneySum& sum) const {
  if (index < 0) return;
  sum.Add(amounts_[index].currency, amounts_[index].nanos);
}

void ReportCurrency::AddCost(int index, absl::Duration time,
                             MoneySum& sum) const {
  if (index < 0) return;
  sum.Add(amounts_[index].currency,
          SaturatingMul(amounts_[index].nanos, absl::ToInt64Seconds(time)));
}

absl::StatusOr<ReportWriter> ReportCurrency::WriterFor(
    const MoneySum& counted) const {
  ReportWriter writer(*this);
  std::set<std::string> codes;
  for (const auto& [currency, amount] : counted.parts()) {
    codes.insert(codes_[currency]);
  }
  writer.counted_codes_ = absl::StrJoin(codes, ", ");
  if (table_.has_value()) {
    if (!table_->ok()) {
      return CurrencyError("CURRENCY_TABLE_INVALID",
                           absl::StrCat("scheduling's currency table cannot "
                                        "be used: ",
                                        table_->status().message()));
    }
    const CostModel& model = **table_;
    for (const std::string& code : codes) {
      if (!model.Convert(code, 0).has_value()) {
        return CurrencyError(
            "CURRENCY_NOT_CONVERTIBLE",
            absl::StrCat("the report counts amounts in ", code,
                         " but scheduling's currency table has no rate for "
                         "it; add one with UpdateSchedulingPolicy"));
      }
    }
    writer.table_ = &model;
    writer.code_ = model.reporting_currency();
  } else if (codes.size() == 1) {
    writer.code_ = *codes.begin();
  } else if (codes.empty()) {
    writer.code_ = policy_currency_.empty() ? kNoCurrency : policy_currency_;
  }
  return writer;
}

std::optional<int128> ReportWriter::Total(const MoneySum& sum) const {
  if (code_.empty()) return std::nullopt;
  int128 total = 0;
  for (const auto& [currency, amount] : sum.parts()) {
    if (table_ == nullptr) {
      total = SaturatingAdd(total, amount);
      continue;
    }
    // Converting a sum is exact: conversion is linear, rounded once.
    std::optional<int128> converted =
        table_->Convert(currency_.codes_[currency], amount);
    total = SaturatingAdd(total, converted.has_value()
                                     ? *converted
                                     : (amount < 0 ? -kInt128Max : kInt128Max));
  }
  return total;
}

double ReportWriter::ShareOf(const MoneySum& part,
                             const MoneySum& whole) const {
  const std::optional<int128> p = Total(part), w = Total(whole);
  if (!p.has_value() || !w.has_value()) return 0;
  return Share(static_cast<double>(*p), static_cast<double>(*w));
}

void ReportWriter::Write(
    const MoneySum& sum, MoneyScale scale, google::type::Money* total,
    google::protobuf::RepeatedPtrField<google::type::Money>* by_currency)
    const {
  if (std::optional<int128> in_one = Total(sum); in_one.has_value()) {
    *total = ToMoney(code_, *in_one, scale);
  }
  std::vector<std::pair<std::string, int128>> parts;
  for (const auto& [currency, amount] : sum.parts()) {
    parts.emplace_back(currency_.codes_[currency], amount);
  }
  std::sort(parts.begin(), parts.end());
  for (const auto& [code, amount] : parts) {
    *by_currency->Add() = ToMoney(code, amount, scale);
  }
}

double Share(double part, double whole) {
  return whole == 0 ? 0 : part / whole;
}

}  // namespace salesmeet::analytics
