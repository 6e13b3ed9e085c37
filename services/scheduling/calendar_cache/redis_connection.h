#ifndef SALESMEET_SERVICES_SCHEDULING_CALENDAR_CACHE_REDIS_CONNECTION_H_
#define SALESMEET_SERVICES_SCHEDULING_CALENDAR_CACHE_REDIS_CONNECTION_H_

// A small pool of blocking hiredis connections to one Redis, for the
// calendar cache. Redis is optional to the service, so every call is
// bounded by short timeouts, reports failure as a Status (never throws), and
// a circuit breaker stops calling a Redis that keeps failing.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

struct redisContext;

namespace salesmeet::scheduling {

// Closed until `failures` consecutive failures, then open (refusing calls)
// for `cooldown`, then half-open: one probe goes through, and its outcome
// closes the breaker or opens it again.
class CircuitBreaker {
 public:
  CircuitBreaker(int failures, absl::Duration cooldown,
                 std::function<absl::Time()> clock = absl::Now);

  // Whether a call may go to Redis now. A true answer in half-open state
  // makes the caller the probe; it must report Succeeded or Failed.
  bool Allow();
  void Succeeded();
  void Failed();
  // True while calls are refused (open, or half-open with a probe out).
  bool open() const;

 private:
  const int failures_to_open_;
  const absl::Duration cooldown_;
  const std::function<absl::Time()> clock_;
  mutable absl::Mutex mu_;
  int consecutive_failures_ ABSL_GUARDED_BY(mu_) = 0;
  bool tripped_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time open_until_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  bool probe_out_ ABSL_GUARDED_BY(mu_) = false;
};

struct RedisOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  absl::Duration connect_timeout = absl::Milliseconds(200);
  absl::Duration command_timeout = absl::Milliseconds(100);
  int pool_size = 4;
  int breaker_failures = 5;
  absl::Duration breaker_cooldown = absl::Seconds(5);
};

// "host:port" into the options' host and port; INVALID_ARGUMENT otherwise.
absl::Status ParseRedisAddress(const std::string& address,
                               RedisOptions& options);

// One SET key value PX ttl.
struct RedisWrite {
  std::string key;
  std::string value;
  absl::Duration ttl;
};

class RedisConnectionPool {
 public:
  explicit RedisConnectionPool(RedisOptions options);
  ~RedisConnectionPool();
  RedisConnectionPool(const RedisConnectionPool&) = delete;
  RedisConnectionPool& operator=(const RedisConnectionPool&) = delete;

  // MGET: one value per key, nullopt where the key is missing.
  absl::StatusOr<std::vector<std::optional<std::string>>> MGet(
      const std::vector<std::string>& keys);
  // SET ... PX for each write, pipelined in one round trip.
  absl::Status Set(const std::vector<RedisWrite>& writes);
  // INCR of each key, pipelined; the new values in order. `urgent` calls
  // go through even while the breaker is open: they repair correctness
  // (orphaning stale cache entries), where the breaker only saves latency.
  absl::StatusOr<std::vector<int64_t>> Incr(
      const std::vector<std::string>& keys, bool urgent = false);

  bool breaker_open() const { return breaker_.open(); }

 private:
  class Lease;
  struct Reply;

  // Sends the commands in one pipeline and reads every reply. Any failure
  // (breaker open, no connection, timeout, error reply) is UNAVAILABLE and
  // counts against the breaker.
  absl::StatusOr<std::vector<Reply>> Run(
      const std::vector<std::vector<std::string>>& commands,
      bool urgent = false);
  absl::StatusOr<redisContext*> Acquire();
  void Release(redisContext* context, bool broken);

  const RedisOptions options_;
  CircuitBreaker breaker_;
  absl::Mutex mu_;
  std::vector<redisContext*> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;  // Idle plus leased.
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_CALENDAR_CACHE_REDIS_CONNECTION_H_
