#include "common/calendar/money_math.h"

#include <gtest/gtest.h>

#include <limits>

namespace salesmeet {
namespace {

constexpr int64_t kMaxUnits = std::numeric_limits<int64_t>::max();

google::type::Money Units(int64_t units, int32_t nanos = 0) {
  google::type::Money money;
  money.set_currency_code("IDR");
  money.set_units(units);
  money.set_nanos(nanos);
  return money;
}

TEST(MoneyMathTest, NanosOfTheLargestMoneyAreExact) {
  // units x 10^9 overflows int64 for any units past 9.2 x 10^9: the
  // classic wrap-around of a 10,000,000,000 IDR deal.
  EXPECT_TRUE(MoneyNanos(Units(10'000'000'000)) ==
              int128{10'000'000'000} * kNanosPerUnit);
  EXPECT_TRUE(MoneyNanos(Units(kMaxUnits, 999'999'999)) ==
              int128{kMaxUnits} * kNanosPerUnit + 999'999'999);
  EXPECT_TRUE(MoneyNanos(Units(-kMaxUnits, -999'999'999)) ==
              -(int128{kMaxUnits} * kNanosPerUnit + 999'999'999));
}

TEST(MoneyMathTest, SumsSaturateInsteadOfWrappingAround) {
  EXPECT_TRUE(SaturatingAdd(kInt128Max, 1) == kInt128Max);
  EXPECT_TRUE(SaturatingAdd(-kInt128Max, -1) == -kInt128Max);
  EXPECT_TRUE(SaturatingAdd(kInt128Max, -1) == kInt128Max - 1);
  EXPECT_TRUE(SaturatingMul(kInt128Max / 2, 3) == kInt128Max);
  EXPECT_TRUE(SaturatingMul(kInt128Max / 2, -3) == -kInt128Max);
  EXPECT_TRUE(SaturatingMul(-kInt128Max, -1) == kInt128Max);
  EXPECT_TRUE(SaturatingMul(12, 12) == 144);
}

TEST(MoneyMathTest, RoundsHalfAwayFromZero) {
  EXPECT_TRUE(DivRoundHalfAway(5, 10) == 1);
  EXPECT_TRUE(DivRoundHalfAway(-5, 10) == -1);
  EXPECT_TRUE(DivRoundHalfAway(4, 10) == 0);
  EXPECT_TRUE(DivRoundHalfAway(-14, 10) == -1);
  EXPECT_TRUE(DivRoundHalfAway(kInt128Max, 2) == kInt128Max / 2 + 1);
}

TEST(MoneyMathTest, MoneyBeyondInt64UnitsSaturatesWithTheRightSign) {
  const google::type::Money most = MoneyFromNanos("IDR", kInt128Max);
  EXPECT_EQ(most.units(), kMaxUnits);
  EXPECT_EQ(most.nanos(), 990'000'000);
  const google::type::Money least = MoneyFromNanos("IDR", -kInt128Max);
  EXPECT_EQ(least.units(), -kMaxUnits);
  EXPECT_EQ(least.nanos(), -990'000'000);
  const google::type::Money deal =
      MoneyFromNanos("IDR", MoneyNanos(Units(10'000'000'000)));
  EXPECT_EQ(deal.units(), 10'000'000'000);
  EXPECT_EQ(deal.nanos(), 0);
}

TEST(MoneyMathTest, CentsKeepUnitsAndNanosOfTheSameSign) {
  const google::type::Money money = MoneyFromCents("EUR", -1234);
  EXPECT_EQ(money.units(), -12);
  EXPECT_EQ(money.nanos(), -340'000'000);
}

}  // namespace
}  // namespace salesmeet
