#include "common/calendar/cost_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

#include "absl/strings/str_format.h"
#include "common/errors.h"

namespace salesmeet {
namespace {

using ::testing::HasSubstr;

scheduling::v1::Attendee Employee(const std::string& id,
                                  const std::string& currency, int64_t units,
                                  int32_t nanos = 0, bool optional = false) {
  scheduling::v1::Attendee attendee;
  attendee.set_participant("participants/" + id);
  attendee.set_optional(optional);
  attendee.mutable_snapshot()->set_kind(::salesmeet::type::v1::EMPLOYEE);
  google::type::Money* cost =
      attendee.mutable_snapshot()->mutable_hourly_cost();
  cost->set_currency_code(currency);
  cost->set_units(units);
  cost->set_nanos(nanos);
  return attendee;
}

scheduling::v1::Attendee External(const std::string& id,
                                  ::salesmeet::type::v1::ParticipantKind kind) {
  scheduling::v1::Attendee attendee;
  attendee.set_participant("participants/" + id);
  attendee.mutable_snapshot()->set_kind(kind);
  return attendee;
}

// "EUR 63.75"; also fails the test if the amount is not whole cents.
std::string Text(const google::type::Money& money) {
  EXPECT_EQ(money.nanos() % 10'000'000, 0) << money.DebugString();
  return absl::StrFormat("%s %d.%02d", money.currency_code(), money.units(),
                         money.nanos() / 10'000'000);
}

CostModel NoTable() {
  absl::StatusOr<CostModel> model = CostModel::FromPolicy({});
  EXPECT_TRUE(model.ok()) << model.status();
  return *model;
}

// Reporting in EUR; one USD is worth 0.92 EUR.
scheduling::v1::SchedulingPolicy EurPolicy() {
  scheduling::v1::SchedulingPolicy policy;
  policy.set_reporting_currency("EUR");
  scheduling::v1::CurrencyRate* usd = policy.add_currency_rates();
  usd->set_currency_code("USD");
  usd->set_rate(0.92);
  return policy;
}

CostModel EurTable() {
  absl::StatusOr<CostModel> model = CostModel::FromPolicy(EurPolicy());
  EXPECT_TRUE(model.ok()) << model.status();
  return *model;
}

std::string BadField(const absl::Status& status) {
  google::rpc::BadRequest bad;
  if (!GetBadRequest(status, &bad) || bad.field_violations().empty()) return "";
  return bad.field_violations(0).field();
}

std::vector<OccurrenceTime> Weekly(int count, absl::Duration length) {
  std::vector<OccurrenceTime> occurrences;
  const absl::Time first = absl::FromUnixSeconds(1767600000);  // 2026-01-05.
  for (int i = 0; i < count; ++i) {
    const absl::Time start = first + i * absl::Hours(24 * 7);
    occurrences.push_back({start, {start, start + length}});
  }
  return occurrences;
}

TEST(CostModelTest, SumsEveryEmployeesHourlyCost) {
  CostModel model = NoTable();
  auto rate = model.RateOf(
      {Employee("ada", "EUR", 85), Employee("bob", "EUR", 60, 500'000'000)});
  ASSERT_TRUE(rate.ok()) << rate.status();
  EXPECT_EQ(Text(model.Cost(*rate, absl::Hours(1))), "EUR 145.50");
}

TEST(CostModelTest, CustomerContactsAndPartnersCostNothing) {
  CostModel model = NoTable();
  auto rate =
      model.RateOf({Employee("ada", "EUR", 85),
                    External("carol", ::salesmeet::type::v1::CUSTOMER_CONTACT),
                    External("pat", ::salesmeet::type::v1::PARTNER)});
  ASSERT_TRUE(rate.ok()) << rate.status();
  EXPECT_EQ(Text(model.Cost(*rate, absl::Hours(2))), "EUR 170.00");
}

TEST(CostModelTest, OptionalAndDecliningEmployeesStillCount) {
  CostModel model = NoTable();
  scheduling::v1::Attendee declined =
      Employee("bob", "EUR", 40, 0, /*optional=*/true);
  declined.set_response(scheduling::v1::DECLINED);
  auto rate = model.RateOf({Employee("ada", "EUR", 85), declined});
  ASSERT_TRUE(rate.ok()) << rate.status();
  EXPECT_EQ(Text(model.Cost(*rate, absl::Hours(1))), "EUR 125.00");
}

TEST(CostModelTest, FortyFiveMinutesAt85EurPerHourIs63_75) {
  CostModel model = NoTable();
  auto rate = model.RateOf({Employee("ada", "EUR", 85)});
  ASSERT_TRUE(rate.ok()) << rate.status();
  EXPECT_EQ(Text(model.Cost(*rate, absl::Minutes(45))), "EUR 63.75");
}

TEST(CostModelTest, HalfACentRoundsAwayFromZero) {
  CostModel model = NoTable();
  // 0.05 EUR/h for 30 minutes is exactly 0.025: away from zero gives 0.03
  // where banker's rounding would give 0.02.
  auto rate = model.RateOf({Employee("ada", "EUR", 0, 50'000'000)});
  ASSERT_TRUE(rate.ok()) << rate.status();
  EXPECT_EQ(Text(model.Cost(*rate, absl::Minutes(30))), "EUR 0.03");
  // A hair below the half: 0.049999998 EUR/h for 30 minutes rounds down.
  auto below = model.RateOf({Employee("ada", "EUR", 0, 49'999'998)});
  ASSERT_TRUE(below.ok()) << below.status();
  EXPECT_EQ(Text(model.Cost(*below, absl::Minutes(30))), "EUR 0.02");
}

TEST(CostModelTest, WeeklySeriesCosts52OccurrencesWhenEachIsWholeCents) {
  CostModel model = NoTable();
  auto rate = model.RateOf({Employee("ada", "EUR", 85),
                            Employee("bob", "EUR", 60, 500'000'000),
                            Employee("cy", "EUR", 40)});
  ASSERT_TRUE(rate.ok()) << rate.status();
  EXPECT_EQ(Text(model.Cost(*rate, absl::Hours(1))), "EUR 185.50");
  EXPECT_EQ(Text(model.Total(*rate, Weekly(52, absl::Hours(1)))),
            "EUR 9646.00");  // 52 x 185.50
}

TEST(CostModelTest, SeriesTotalRoundsOnceNotPerOccurrence) {
  CostModel model = NoTable();
  // 30.03 EUR/h for 50 minutes is 25.025 a week, shown as 25.03. Over 52
  // weeks that is exactly 1301.30, not 52 x 25.03 = 1301.56.
  auto rate = model.RateOf({Employee("ada", "EUR", 10, 10'000'000),
                            Employee("bob", "EUR", 10, 10'000'000),
                            Employee("cy", "EUR", 10, 10'000'000)});
  ASSERT_TRUE(rate.ok()) << rate.status();
  EXPECT_EQ(Text(model.Cost(*rate, absl::Minutes(50))), "EUR 25.03");
  EXPECT_EQ(Text(model.Total(*rate, Weekly(52, absl::Minutes(50)))),
            "EUR 1301.30");
}

TEST(CostModelTest, TotalCostsEachOccurrenceAtItsOwnLength) {
  CostModel model = NoTable();
  auto rate = model.RateOf({Employee("ada", "EUR", 85)});
  ASSERT_TRUE(rate.ok()) << rate.status();
  std::vector<OccurrenceTime> occurrences = Weekly(2, absl::Hours(1));
  occurrences[1].span.end = occurrences[1].span.start + absl::Minutes(30);
  EXPECT_EQ(Text(model.Total(*rate, occurrences)), "EUR 127.50");
  EXPECT_EQ(Text(model.Total(*rate, {})), "EUR 0.00");
}

TEST(CostModelTest, AbsurdAmountsSaturateInsteadOfWrappingAround) {
  CostModel model = NoTable();
  const int64_t max_units = std::numeric_limits<int64_t>::max();
  auto rate = model.RateOf({Employee("ada", "EUR", max_units)});
  ASSERT_TRUE(rate.ok()) << rate.status();
  google::type::Money cost = model.Cost(*rate, absl::Hours(24));
  EXPECT_EQ(cost.units(), max_units);
  EXPECT_EQ(cost.nanos(), 990'000'000);
}

TEST(CostModelTest, MixedCurrenciesWithoutTableAreRefusedNamingBoth) {
  absl::StatusOr<MeetingRate> rate =
      NoTable().RateOf({Employee("ada", "EUR", 85), Employee("bob", "USD", 90),
                        Employee("cy", "EUR", 40)});
  EXPECT_EQ(rate.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BadField(rate.status()), "meeting.attendees");
  EXPECT_THAT(rate.status().message(), HasSubstr("EUR (participants/ada)"));
  EXPECT_THAT(rate.status().message(), HasSubstr("USD (participants/bob)"));
}

TEST(CostModelTest, ReportingCurrencyWithoutTableIsIgnored) {
  scheduling::v1::SchedulingPolicy policy;
  policy.set_reporting_currency("EUR");
  absl::StatusOr<CostModel> model = CostModel::FromPolicy(policy);
  ASSERT_TRUE(model.ok()) << model.status();
  auto rate = model->RateOf({Employee("ada", "USD", 100)});
  ASSERT_TRUE(rate.ok()) << rate.status();
  EXPECT_EQ(Text(model->Cost(*rate, absl::Hours(1))), "USD 100.00");
}

TEST(CostModelTest, TableConvertsEveryCostToReportingCurrency) {
  CostModel model = EurTable();
  auto rate =
      model.RateOf({Employee("ada", "USD", 100), Employee("bob", "EUR", 50)});
  ASSERT_TRUE(rate.ok()) << rate.status();
  EXPECT_EQ(Text(model.Cost(*rate, absl::Hours(1))), "EUR 142.00");  // 92+50
}

TEST(CostModelTest, ConversionUsesTheRateAsWrittenExactlyToTheNano) {
  CostModel model = EurTable();
  // 123456789123.456789 USD x 0.92 = 113580245993.58024588 EUR exactly; a
  // double product would be thousands of nanos off at this size.
  auto rate = model.RateOf({Employee("ada", "USD", 123456789123, 456789000)});
  ASSERT_TRUE(rate.ok()) << rate.status();
  EXPECT_TRUE(rate->nanos_per_hour ==
              __int128{113580245993580245} * 1000 + 880);
}

TEST(CostModelTest, CurrencyWithoutRateIsRefusedNamingTheAttendee) {
  absl::StatusOr<MeetingRate> rate = EurTable().RateOf(
      {Employee("ada", "EUR", 85), Employee("ken", "JPY", 9000)});
  EXPECT_EQ(rate.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BadField(rate.status()), "meeting.attendees[1]");
  EXPECT_THAT(rate.status().message(), HasSubstr("JPY"));
}

TEST(CostModelTest, MeetingWithoutEmployeesCostsZeroInNoCurrency) {
  CostModel model = NoTable();
  auto rate = model.RateOf(
      {External("carol", ::salesmeet::type::v1::CUSTOMER_CONTACT)});
  ASSERT_TRUE(rate.ok()) << rate.status();
  EXPECT_EQ(Text(model.Cost(*rate, absl::Hours(1))), "XXX 0.00");
}

TEST(CostModelTest, MeetingWithoutEmployeesCostsZeroInReportingCurrency) {
  CostModel model = EurTable();
  auto rate = model.RateOf({});
  ASSERT_TRUE(rate.ok()) << rate.status();
  EXPECT_EQ(Text(model.Cost(*rate, absl::Hours(1))), "EUR 0.00");
}

TEST(CostModelTest, TableWithoutReportingCurrencyIsRefused) {
  scheduling::v1::SchedulingPolicy policy = EurPolicy();
  policy.clear_reporting_currency();
  absl::StatusOr<CostModel> model = CostModel::FromPolicy(policy);
  EXPECT_EQ(model.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BadField(model.status()), "policy.reporting_currency");
}

TEST(CostModelTest, NonPositiveRateIsRefusedNamingIt) {
  scheduling::v1::SchedulingPolicy policy = EurPolicy();
  policy.mutable_currency_rates(0)->set_rate(0);
  absl::StatusOr<CostModel> model = CostModel::FromPolicy(policy);
  EXPECT_EQ(model.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BadField(model.status()), "policy.currency_rates[0].rate");
}

}  // namespace
}  // namespace salesmeet
