#include "services/analytics/reports/report_currency.h"

#include <gtest/gtest.h>

#include "common/errors.h"
#include "services/analytics/reports/report_test_fixture.h"

namespace salesmeet::analytics {
namespace {

using testing::Show;

int64_t Nanos(int64_t units, int64_t nanos = 0) {
  return units * 1'000'000'000 + nanos;
}

TEST(ReportCurrencyTest, OneCurrencyIsTheReportsWithoutATable) {
  AmountTable amounts;
  const int rate = amounts.Intern({"EUR", Nanos(100)});
  auto currency = ReportCurrency::Resolve(amounts, nullptr);
  ASSERT_TRUE(currency.ok()) << currency.status();
  EXPECT_EQ(currency->code(), "EUR");
  // 100 EUR an hour for 20 minutes.
  EXPECT_EQ(Show(currency->ToMoney(currency->CostOf(rate, absl::Minutes(20)))),
            "33.33 EUR");
}

TEST(ReportCurrencyTest, CostIsRoundedOnceAtTheEndHalfAwayFromZero) {
  AmountTable amounts;
  const int rate = amounts.Intern({"EUR", Nanos(10)});
  auto currency = ReportCurrency::Resolve(amounts, nullptr);
  ASSERT_TRUE(currency.ok());
  // Three times 10 EUR an hour for 20 minutes: 3.333... each, 10.00 in all,
  // where rounding each first would give 9.99.
  CostSum sum = 0;
  for (int i = 0; i < 3; ++i) sum += currency->CostOf(rate, absl::Minutes(20));
  EXPECT_EQ(Show(currency->ToMoney(sum)), "10.00 EUR");
  // 0.005 EUR rounds up to a cent.
  EXPECT_EQ(Show(currency->NanosToMoney(5'000'000)), "0.01 EUR");
}

TEST(ReportCurrencyTest, MixedCurrenciesWithoutATableFailNamingThePolicy) {
  AmountTable amounts;
  amounts.Intern({"EUR", Nanos(100)});
  amounts.Intern({"USD", Nanos(90)});
  auto currency = ReportCurrency::Resolve(amounts, nullptr);
  EXPECT_EQ(currency.status().code(), absl::StatusCode::kFailedPrecondition);
  google::rpc::PreconditionFailure failure;
  ASSERT_TRUE(GetPreconditionFailure(currency.status(), &failure));
  EXPECT_EQ(failure.violations(0).type(), "MIXED_CURRENCIES");
  EXPECT_NE(currency.status().message().find("EUR, USD"), std::string::npos);
}

TEST(ReportCurrencyTest, ATableConvertsEveryAmountToTheReportingCurrency) {
  AmountTable amounts;
  const int eur = amounts.Intern({"EUR", Nanos(100)});
  const int usd = amounts.Intern({"USD", Nanos(50)});
  sv1::SchedulingPolicy policy;
  policy.set_reporting_currency("EUR");
  sv1::CurrencyRate* rate = policy.add_currency_rates();
  rate->set_currency_code("USD");
  rate->set_rate(0.9);
  auto currency = ReportCurrency::Resolve(amounts, &policy);
  ASSERT_TRUE(currency.ok()) << currency.status();
  EXPECT_EQ(currency->code(), "EUR");
  EXPECT_EQ(currency->Nanos(eur), Nanos(100));
  EXPECT_EQ(currency->Nanos(usd), Nanos(45));
}

TEST(ReportCurrencyTest, ACurrencyMissingFromTheTableFails) {
  AmountTable amounts;
  amounts.Intern({"JPY", Nanos(9000)});
  sv1::SchedulingPolicy policy;
  policy.set_reporting_currency("EUR");
  sv1::CurrencyRate* rate = policy.add_currency_rates();
  rate->set_currency_code("USD");
  rate->set_rate(0.9);
  auto currency = ReportCurrency::Resolve(amounts, &policy);
  EXPECT_EQ(currency.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(currency.status().message().find("JPY"), std::string::npos);
}

TEST(ReportCurrencyTest, NoAmountsReportInThePolicysCurrency) {
  AmountTable amounts;
  sv1::SchedulingPolicy policy;
  policy.set_reporting_currency("CHF");
  auto currency = ReportCurrency::Resolve(amounts, &policy);
  ASSERT_TRUE(currency.ok());
  EXPECT_EQ(currency->code(), "CHF");
  EXPECT_EQ(ReportCurrency::Resolve(amounts, nullptr)->code(), "XXX");
}

}  // namespace
}  // namespace salesmeet::analytics
