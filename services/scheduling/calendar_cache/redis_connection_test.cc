#include "services/scheduling/calendar_cache/redis_connection.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "services/scheduling/calendar_cache/loopback_port.h"

namespace salesmeet::scheduling {
namespace {

class CircuitBreakerTest : public ::testing::Test {
 protected:
  absl::Time now_ = absl::FromUnixSeconds(1000);
  CircuitBreaker breaker_{3, absl::Seconds(5), [this] { return now_; }};

  void FailTimes(int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(breaker_.Allow());
      breaker_.Failed();
    }
  }
};

TEST_F(CircuitBreakerTest, StaysClosedBelowTheFailureCount) {
  FailTimes(2);
  EXPECT_TRUE(breaker_.Allow());
  EXPECT_FALSE(breaker_.open());
}

TEST_F(CircuitBreakerTest, ASuccessResetsTheFailureCount) {
  FailTimes(2);
  breaker_.Succeeded();
  FailTimes(2);
  EXPECT_FALSE(breaker_.open());
}

TEST_F(CircuitBreakerTest, OpensAfterConsecutiveFailuresForTheCooldown) {
  FailTimes(3);
  EXPECT_TRUE(breaker_.open());
  EXPECT_FALSE(breaker_.Allow());
  now_ += absl::Seconds(4);
  EXPECT_FALSE(breaker_.Allow());
}

TEST_F(CircuitBreakerTest, LetsOneProbeThroughAfterTheCooldown) {
  FailTimes(3);
  now_ += absl::Seconds(5);
  EXPECT_TRUE(breaker_.Allow());
  EXPECT_FALSE(breaker_.Allow());  // The probe is still out.
}

TEST_F(CircuitBreakerTest, ASuccessfulProbeClosesIt) {
  FailTimes(3);
  now_ += absl::Seconds(5);
  ASSERT_TRUE(breaker_.Allow());
  breaker_.Succeeded();
  EXPECT_FALSE(breaker_.open());
  EXPECT_TRUE(breaker_.Allow());
  EXPECT_TRUE(breaker_.Allow());
}

TEST_F(CircuitBreakerTest, AFailedProbeOpensItForAnotherCooldown) {
  FailTimes(3);
  now_ += absl::Seconds(5);
  ASSERT_TRUE(breaker_.Allow());
  breaker_.Failed();
  EXPECT_FALSE(breaker_.Allow());
  now_ += absl::Seconds(5);
  EXPECT_TRUE(breaker_.Allow());
}

TEST(ParseRedisAddressTest, AcceptsHostAndPort) {
  RedisOptions options;
  ASSERT_TRUE(ParseRedisAddress("redis.internal:6380", options).ok());
  EXPECT_EQ(options.host, "redis.internal");
  EXPECT_EQ(options.port, 6380);
}

TEST(ParseRedisAddressTest, RefusesAMissingOrBadPort) {
  RedisOptions options;
  for (const char* bad :
       {"redis", "redis:", ":6379", "redis:0", "redis:x", "redis:70000"}) {
    EXPECT_EQ(ParseRedisAddress(bad, options).code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(RedisConnectionPoolTest, ADeadRedisFailsAsUnavailableAndOpensTheBreaker) {
  RedisOptions options;
  options.port = UnusedLoopbackPort();
  options.breaker_failures = 2;
  RedisConnectionPool redis(options);
  EXPECT_EQ(redis.MGet({"a"}).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(redis.breaker_open());
  EXPECT_EQ(redis.Incr({"a"}).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(redis.breaker_open());
  absl::Status refused = redis.Set({{"a", "1", absl::Seconds(1)}});
  EXPECT_EQ(refused.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(refused.message().find("breaker"), std::string::npos) << refused;
}

}  // namespace
}  // namespace salesmeet::scheduling
