#include "common/clock.h"

#include <gtest/gtest.h>

#include "absl/time/clock.h"

namespace salesmeet {
namespace {

TEST(ClockTest, ParsesAnRfc3339InstantInUtcOrWithAnOffset) {
  absl::StatusOr<absl::Time> utc = ParseTestingNow("2028-02-29T23:30:00Z");
  ASSERT_TRUE(utc.ok()) << utc.status();
  EXPECT_EQ(absl::FormatTime("%Y-%m-%d %H:%M", *utc, absl::UTCTimeZone()),
            "2028-02-29 23:30");
  absl::StatusOr<absl::Time> rome =
      ParseTestingNow("2028-03-01T00:30:00+01:00");
  ASSERT_TRUE(rome.ok()) << rome.status();
  EXPECT_EQ(*rome, *utc);
}

TEST(ClockTest, RefusesADateWithoutATimeNamingTheFlag) {
  absl::StatusOr<absl::Time> parsed = ParseTestingNow("2028-02-29");
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(parsed.status().message().find("--testing_now"), std::string::npos);
}

TEST(ClockTest, AClockStartingAtAnInstantReadsItThenRunsOn) {
  const absl::Time start = absl::FromCivil(
      absl::CivilSecond(2027, 3, 28, 1, 30, 0), absl::UTCTimeZone());
  const Clock clock = ClockStartingAt(start);
  const absl::Time first = clock();
  EXPECT_GE(first, start);
  EXPECT_LT(first, start + absl::Minutes(1));
  EXPECT_GE(clock(), first);
}

TEST(ClockTest, TheRealClockIsTheSystemClock) {
  const absl::Time before = absl::Now();
  const absl::Time read = RealClock()();
  EXPECT_GE(read, before);
  EXPECT_LE(read, absl::Now());
}

}  // namespace
}  // namespace salesmeet
