#include "services/analytics/reports/report_currency.h"

#include <gtest/gtest.h>

#include <limits>

#include "common/errors.h"
#include "services/analytics/reports/report_test_fixture.h"

namespace salesmeet::analytics {
namespace {

using testing::Show;

BookedAmount Amount(const char* currency, int64_t units) {
  return {currency, units, 0};
}

sv1::SchedulingPolicy EuroTable() {
  sv1::SchedulingPolicy policy;
  policy.set_reporting_currency("EUR");
  sv1::CurrencyRate* rate = policy.add_currency_rates();
  rate->set_currency_code("USD");
  rate->set_rate(0.9);
  return policy;
}

// The total and the per-currency amounts of `sum` as written.
std::string Written(const ReportWriter& writer, const MoneySum& sum,
                    MoneyScale scale = MoneyScale::kCost) {
  google::type::Money total;
  google::protobuf::RepeatedPtrField<google::type::Money> by_currency;
  writer.Write(sum, scale, &total, &by_currency);
  std::string out = total.currency_code().empty() ? "unset" : Show(total);
  for (const google::type::Money& part : by_currency) {
    out += " | " + Show(part);
  }
  return out;
}

TEST(ReportCurrencyTest, OneCurrencyIsTheReportsWithoutATable) {
  AmountTable amounts;
  const int rate = amounts.Intern(Amount("EUR", 100));
  const ReportCurrency currency(amounts, nullptr);
  MoneySum cost;
  // 100 EUR an hour for 20 minutes.
  currency.AddCost(rate, absl::Minutes(20), cost);
  auto writer = currency.WriterFor(cost);
  ASSERT_TRUE(writer.ok()) << writer.status();
  EXPECT_EQ(writer->code(), "EUR");
  EXPECT_EQ(Written(*writer, cost), "33.33 EUR | 33.33 EUR");
}

TEST(ReportCurrencyTest, CostIsRoundedOnceAtTheEndHalfAwayFromZero) {
  AmountTable amounts;
  const int rate = amounts.Intern(Amount("EUR", 10));
  const ReportCurrency currency(amounts, nullptr);
  // Three times 10 EUR an hour for 20 minutes: 3.333... each, 10.00 in all,
  // where rounding each first would give 9.99.
  MoneySum sum;
  for (int i = 0; i < 3; ++i) currency.AddCost(rate, absl::Minutes(20), sum);
  auto writer = currency.WriterFor(sum);
  ASSERT_TRUE(writer.ok());
  EXPECT_EQ(Written(*writer, sum), "10.00 EUR | 10.00 EUR");
  // 0.005 EUR rounds up to a cent.
  MoneySum half_cent;
  half_cent.Add(0, 5'000'000);
  EXPECT_EQ(Written(*writer, half_cent, MoneyScale::kNanos),
            "0.01 EUR | 0.01 EUR");
}

TEST(ReportCurrencyTest, SeveralCurrenciesWithoutATableArePerCurrencyOnly) {
  AmountTable amounts;
  const int usd = amounts.Intern(Amount("USD", 90));
  const int eur = amounts.Intern(Amount("EUR", 100));
  const ReportCurrency currency(amounts, nullptr);
  MoneySum sum, eur_part;
  currency.AddCost(usd, absl::Hours(1), sum);
  currency.AddCost(eur, absl::Hours(2), eur_part);
  sum += eur_part;
  auto writer = currency.WriterFor(sum);
  ASSERT_TRUE(writer.ok()) << writer.status();
  EXPECT_EQ(writer->code(), "");
  EXPECT_EQ(writer->counted_codes(), "EUR, USD");
  EXPECT_EQ(Written(*writer, sum), "unset | 200.00 EUR | 90.00 USD");
  EXPECT_EQ(writer->ShareOf(eur_part, sum), 0);
}

TEST(ReportCurrencyTest, OnlyTheCurrenciesCountedDecide) {
  AmountTable amounts;
  amounts.Intern(Amount("USD", 90));  // Booked, but not in this report.
  const int eur = amounts.Intern(Amount("EUR", 100));
  const ReportCurrency currency(amounts, nullptr);
  MoneySum sum;
  currency.AddCost(eur, absl::Hours(1), sum);
  auto writer = currency.WriterFor(sum);
  ASSERT_TRUE(writer.ok());
  EXPECT_EQ(writer->code(), "EUR");
}

TEST(ReportCurrencyTest, ATableConvertsTotalsAndKeepsTheOriginals) {
  AmountTable amounts;
  const int eur = amounts.Intern(Amount("EUR", 100));
  const int usd = amounts.Intern(Amount("USD", 50));
  const sv1::SchedulingPolicy policy = EuroTable();
  const ReportCurrency currency(amounts, &policy);
  MoneySum sum, usd_part;
  currency.AddCost(eur, absl::Hours(1), sum);
  currency.AddCost(usd, absl::Hours(1), usd_part);
  sum += usd_part;
  auto writer = currency.WriterFor(sum);
  ASSERT_TRUE(writer.ok()) << writer.status();
  EXPECT_EQ(writer->code(), "EUR");
  EXPECT_EQ(Written(*writer, sum), "145.00 EUR | 100.00 EUR | 50.00 USD");
  EXPECT_DOUBLE_EQ(writer->ShareOf(usd_part, sum), 45.0 / 145.0);
}

TEST(ReportCurrencyTest, ACountedCurrencyMissingFromTheTableFails) {
  AmountTable amounts;
  const int jpy = amounts.Intern(Amount("JPY", 9000));
  const int eur = amounts.Intern(Amount("EUR", 100));
  const sv1::SchedulingPolicy policy = EuroTable();
  const ReportCurrency currency(amounts, &policy);
  MoneySum euros;
  currency.AddCost(eur, absl::Hours(1), euros);
  EXPECT_TRUE(currency.WriterFor(euros).ok());
  MoneySum yen;
  currency.AddCost(jpy, absl::Hours(1), yen);
  auto writer = currency.WriterFor(yen);
  EXPECT_EQ(writer.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(writer.status().message().find("JPY"), std::string::npos);
}

TEST(ReportCurrencyTest, NoAmountsReportInThePolicysCurrency) {
  AmountTable amounts;
  sv1::SchedulingPolicy policy;
  policy.set_reporting_currency("CHF");
  const ReportCurrency with_policy(amounts, &policy);
  EXPECT_EQ(with_policy.WriterFor(MoneySum())->code(), "CHF");
  const ReportCurrency without(amounts, nullptr);
  EXPECT_EQ(without.WriterFor(MoneySum())->code(), "XXX");
}

TEST(ReportCurrencyTest, HugeAmountsNeverWrapAround) {
  AmountTable amounts;
  // A 10,000,000,000 IDR deal: 10^19 nanos, past int64.
  const int deal = amounts.Intern(Amount("IDR", 10'000'000'000));
  const int most =
      amounts.Intern(Amount("IDR", std::numeric_limits<int64_t>::max()));
  const ReportCurrency currency(amounts, nullptr);
  MoneySum won;
  currency.AddAmount(deal, won);
  auto writer = currency.WriterFor(won);
  ASSERT_TRUE(writer.ok());
  EXPECT_EQ(Written(*writer, won, MoneyScale::kNanos),
            "10000000000.00 IDR | 10000000000.00 IDR");
  // A year of the largest hourly cost, a thousand times: saturates.
  MoneySum cost;
  for (int i = 0; i < 1000; ++i) {
    currency.AddCost(most, absl::Hours(24 * 366), cost);
  }
  google::type::Money total;
  google::protobuf::RepeatedPtrField<google::type::Money> by_currency;
  writer->Write(cost, MoneyScale::kCost, &total, &by_currency);
  EXPECT_EQ(total.units(), std::numeric_limits<int64_t>::max());
  EXPECT_GT(total.nanos(), 0);
}

}  // namespace
}  // namespace salesmeet::analytics
