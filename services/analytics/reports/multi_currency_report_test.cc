// Reports over an organisation paid in several currencies: only what a
// report counts decides how its money is shown, reports answer per currency
// without a conversion table, convert with one, and no amount at the API's
// bounds wraps around.

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "common/errors.h"
#include "services/analytics/reports/cost_report.h"
#include "services/analytics/reports/mix_report.h"
#include "services/analytics/reports/report_test_fixture.h"
#include "services/analytics/reports/top_performers.h"

namespace salesmeet::analytics {
namespace {

using testing::At;
using testing::Completed;
using testing::Employee;
using testing::Meeting;
using testing::PaidIn;
using testing::ScopeOver;
using testing::Show;

// "145.00 EUR | 100.00 EUR | 50.00 USD": a total, then its originals;
// "unset | ..." when the total is per currency only.
std::string Amounts(
    const google::type::Money& total,
    const google::protobuf::RepeatedPtrField<google::type::Money>& parts) {
  std::string out = total.currency_code().empty() ? "unset" : Show(total);
  for (const google::type::Money& part : parts) out += " | " + Show(part);
  return out;
}

sv1::SchedulingPolicy EuroTable() {
  sv1::SchedulingPolicy policy;
  policy.set_reporting_currency("EUR");
  sv1::CurrencyRate* usd = policy.add_currency_rates();
  usd->set_currency_code("USD");
  usd->set_rate(0.9);
  sv1::CurrencyRate* gbp = policy.add_currency_rates();
  gbp->set_currency_code("GBP");
  gbp->set_rate(1.2);
  return policy;
}

class MultiCurrencyReportTest : public testing::ReportTest {
 protected:
  // January 2027: an EMEA rep at 100 EUR/h and an Americas rep at 80 USD/h,
  // one hour together on Monday 4 January.
  void SetUp() override {
    Apply(Meeting("together", At("UTC", 2027, 1, 4, 15), absl::Hours(1),
                  {Employee("ada", "emea", 100),
                   PaidIn(Employee("bo", "americas", 80), "USD")}));
  }

  absl::StatusOr<av1::CostReport> CostByTeam(
      const sv1::SchedulingPolicy* policy, const std::string& team = "") {
    av1::GetCostReportRequest request;
    *request.mutable_scope() = kJanuary;
    request.mutable_scope()->set_team(team);
    request.set_group_by(av1::TEAM);
    absl::StatusOr<CostQuery> query =
        CheckCostRequest(request, testing::TestNow());
    EXPECT_TRUE(query.ok()) << query.status();
    return BuildCostReport(*query, Inputs(nullptr, policy));
  }

  absl::StatusOr<av1::TopPerformersReport> Top(
      av1::PerformanceMetric metric, const sv1::SchedulingPolicy* policy) {
    av1::GetTopPerformersRequest request;
    *request.mutable_scope() = kJanuary;
    request.set_metric(metric);
    request.set_min_meetings(1);
    absl::StatusOr<TopPerformersQuery> query =
        CheckTopPerformersRequest(request, testing::TestNow());
    EXPECT_TRUE(query.ok()) << query.status();
    return BuildTopPerformers(*query, Inputs(nullptr, policy));
  }

  const av1::ReportScope kJanuary =
      ScopeOver(At("UTC", 2027, 1, 1, 0), At("UTC", 2027, 2, 1, 0));
};

TEST_F(MultiCurrencyReportTest, WithoutATableTotalsArePerCurrencyOnly) {
  const av1::CostReport report = testing::Unwrap(CostByTeam(nullptr));
  EXPECT_EQ(Amounts(report.totals().cost(), report.totals().cost_by_currency()),
            "unset | 100.00 EUR | 80.00 USD");
  // Groups by key, since their costs cannot be compared; no shares.
  ASSERT_EQ(report.groups_size(), 2);
  EXPECT_EQ(report.groups(0).team(), "teams/americas");
  EXPECT_EQ(
      Amounts(report.groups(0).cost(), report.groups(0).cost_by_currency()),
      "unset | 80.00 USD");
  EXPECT_EQ(report.groups(1).team(), "teams/emea");
  EXPECT_EQ(report.groups(0).cost_share(), 0);
  EXPECT_EQ(report.internal_cost_share(), 0);
}

TEST_F(MultiCurrencyReportTest, AReportThatCountsOneCurrencyShowsItsTotals) {
  // The EMEA team's report counts only Ada's cost.
  const av1::CostReport report =
      testing::Unwrap(CostByTeam(nullptr, "teams/emea"));
  EXPECT_EQ(Amounts(report.totals().cost(), report.totals().cost_by_currency()),
            "100.00 EUR | 100.00 EUR");
}

TEST_F(MultiCurrencyReportTest, MeetingsOutsideTheReportDoNotDecideIt) {
  // A GBP meeting in March and a cancelled USD one are not counted in
  // January's EMEA costs, so they change nothing.
  Apply(Meeting("march", At("UTC", 2027, 3, 1, 15), absl::Hours(1),
                {PaidIn(Employee("cy", "uk", 70), "GBP")}));
  sv1::Meeting cancelled =
      Meeting("cancelled", At("UTC", 2027, 1, 5, 15), absl::Hours(1),
              {PaidIn(Employee("bo", "americas", 80), "USD")});
  Apply(cancelled);
  cancelled.set_state(sv1::CANCELLED);
  Apply(cancelled);
  const av1::CostReport report =
      testing::Unwrap(CostByTeam(nullptr, "teams/emea"));
  EXPECT_EQ(Show(report.totals().cost()), "100.00 EUR");
}

TEST_F(MultiCurrencyReportTest, ATableConvertsAndKeepsTheOriginals) {
  const sv1::SchedulingPolicy policy = EuroTable();
  const av1::CostReport report = testing::Unwrap(CostByTeam(&policy));
  // 100 EUR + 80 USD x 0.9 = 172 EUR.
  EXPECT_EQ(Amounts(report.totals().cost(), report.totals().cost_by_currency()),
            "172.00 EUR | 100.00 EUR | 80.00 USD");
  ASSERT_EQ(report.groups_size(), 2);
  EXPECT_EQ(report.groups(0).team(), "teams/emea");  // 100 EUR > 72 EUR
  EXPECT_EQ(
      Amounts(report.groups(1).cost(), report.groups(1).cost_by_currency()),
      "72.00 EUR | 80.00 USD");
  EXPECT_NEAR(report.groups(1).cost_share(), 72.0 / 172.0, 1e-12);
}

TEST_F(MultiCurrencyReportTest, ACountedCurrencyWithoutARateFailsNamingIt) {
  Apply(Meeting("yen", At("UTC", 2027, 1, 6, 3), absl::Hours(1),
                {PaidIn(Employee("kei", "apac", 9000), "JPY")}));
  const sv1::SchedulingPolicy policy = EuroTable();
  const absl::Status status = CostByTeam(&policy).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("JPY"), std::string::npos);
  // The EMEA team's report does not count it, and answers.
  EXPECT_TRUE(CostByTeam(&policy, "teams/emea").ok());
}

TEST_F(MultiCurrencyReportTest, TheMixReportAnswersPerCurrencyToo) {
  av1::GetMeetingMixReportRequest request;
  *request.mutable_scope() = kJanuary;
  absl::StatusOr<MixQuery> query = CheckMixRequest(request, testing::TestNow());
  ASSERT_TRUE(query.ok());
  const av1::MeetingMixReport report =
      testing::Unwrap(BuildMixReport(*query, Inputs()));
  EXPECT_EQ(Amounts(report.totals().cost(), report.totals().cost_by_currency()),
            "unset | 100.00 EUR | 80.00 USD");
}

TEST_F(MultiCurrencyReportTest, RankingByMoneyNeedsOneCurrency) {
  Apply(Completed(Meeting("won-eur", At("UTC", 2027, 1, 11, 15), absl::Hours(1),
                          {Employee("ada", "emea", 100)}),
                  sv1::WON, 1000));
  sv1::Meeting won_usd =
      Completed(Meeting("won-usd", At("UTC", 2027, 1, 12, 15), absl::Hours(1),
                        {PaidIn(Employee("bo", "americas", 80), "USD")}),
                sv1::WON, 2000);
  won_usd.mutable_deal_value()->set_currency_code("USD");
  Apply(won_usd);

  const absl::Status mixed = Top(av1::WON_DEAL_VALUE, nullptr).status();
  EXPECT_EQ(mixed.code(), absl::StatusCode::kFailedPrecondition);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(GetErrorInfo(mixed, &info));
  EXPECT_EQ(info.reason(), "MIXED_CURRENCIES");
  EXPECT_NE(mixed.message().find("EUR, USD"), std::string::npos);

  // By win rate it answers, with each amount in its own currency.
  const av1::TopPerformersReport by_rate =
      testing::Unwrap(Top(av1::WIN_RATE, nullptr));
  ASSERT_EQ(by_rate.entries_size(), 2);
  const av1::PerformerEntry& bo =
      by_rate.entries(0).participant() == "participants/bo"
          ? by_rate.entries(0)
          : by_rate.entries(1);
  EXPECT_EQ(Amounts(bo.won_deal_value(), bo.won_deal_value_by_currency()),
            "unset | 2000.00 USD");

  // With a table, 2000 USD = 1800 EUR outranks 1000 EUR.
  const sv1::SchedulingPolicy policy = EuroTable();
  const av1::TopPerformersReport by_value =
      testing::Unwrap(Top(av1::WON_DEAL_VALUE, &policy));
  ASSERT_EQ(by_value.entries_size(), 2);
  EXPECT_EQ(by_value.entries(0).participant(), "participants/bo");
  EXPECT_EQ(Amounts(by_value.entries(0).won_deal_value(),
                    by_value.entries(0).won_deal_value_by_currency()),
            "1800.00 EUR | 2000.00 USD");
}

TEST_F(MultiCurrencyReportTest, AmountsAtTheApisBoundsStayExact) {
  // A thousand deals of 10^15 IDR each (10^18 IDR): past int64 nanos many
  // times over, exact here.
  for (int i = 0; i < 1000; ++i) {
    sv1::Meeting won = Completed(
        Meeting(absl::StrCat("big-", i),
                At("UTC", 2027, 1, 18, 0) + absl::Minutes(i), absl::Minutes(1),
                {PaidIn(Employee("ida", "apac", 1'000'000'000), "IDR")}),
        sv1::WON, 1'000'000'000'000'000);
    won.mutable_deal_value()->set_currency_code("IDR");
    Apply(won);
  }
  av1::GetTopPerformersRequest request;
  *request.mutable_scope() = kJanuary;
  request.mutable_scope()->set_team("teams/apac");
  request.set_metric(av1::WON_DEAL_VALUE);
  absl::StatusOr<TopPerformersQuery> query =
      CheckTopPerformersRequest(request, testing::TestNow());
  ASSERT_TRUE(query.ok());
  const av1::TopPerformersReport report =
      testing::Unwrap(BuildTopPerformers(*query, Inputs()));
  ASSERT_EQ(report.entries_size(), 1);
  EXPECT_EQ(report.entries(0).won_deal_value().units(),
            1'000'000'000'000'000'000);
  // 1000 minutes at 10^9 IDR an hour: 16,666,666,666.67 IDR.
  EXPECT_EQ(Show(report.entries(0).meeting_cost()), "16666666666.67 IDR");
  EXPECT_GT(report.entries(0).value_per_meeting_hour().units(), 0);
}

}  // namespace
}  // namespace salesmeet::analytics
