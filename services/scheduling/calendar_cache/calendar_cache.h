#ifndef SALESMEET_SERVICES_SCHEDULING_CALENDAR_CACHE_CALENDAR_CACHE_H_
#define SALESMEET_SERVICES_SCHEDULING_CALENDAR_CACHE_CALENDAR_CACHE_H_

// The Redis calendar cache: a CalendarSource that keeps each participant's
// calendar in week buckets (layout in calendar_buckets.h) and asks the
// wrapped source only for the buckets Redis lacks. Redis is optional: any
// Redis failure, or an open circuit breaker, answers from the wrapped source
// instead, and nothing here touches the RPC's status or the health check.
//
// Why a cached bucket is never older than what its key promises: a reader
// reads the participant's version BEFORE it loads from the database, and a
// writer increments the version AFTER its commit. So a bucket stored under
// version v holds data at least as new as every commit that happened before
// v was reached; a commit whose increment is still to come is the writer's
// own, still unanswered, call.
//
// Writers increment even while the breaker is open (it only saves readers
// latency). When an increment still fails (Redis unreachable from this
// process), buckets of the old version may hold data the write made stale.
// The cache is then "dirty": a background loop retries every 200 ms to
// increment the generation, which is part of every bucket key, orphaning
// every bucket of every process sharing this Redis; this process itself
// reads from the database until then. Other processes may serve such a
// bucket only while Redis cannot be reached from this one.
// Redis must not evict keys without a TTL (maxmemory-policy noeviction or a
// volatile-* policy): a lost version key would revive old buckets.
//
// Writes and conflict checks never read through this class.

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/scheduling/calendar_cache/redis_connection.h"
#include "services/scheduling/calendars/calendar_source.h"
#include "services/scheduling/scheduling_context.h"

namespace prometheus {
class Counter;
class Gauge;
class Registry;
}  // namespace prometheus

namespace salesmeet::scheduling {

struct CalendarCacheOptions {
  absl::Duration ttl = absl::Hours(1);
  double ttl_jitter = 0.1;  // Each TTL is ttl × (1 ± jitter), at random.
  // Windows longer than this bypass the cache (too many buckets per call).
  absl::Duration max_window = absl::Hours(24 * 400);
  // How long a reader waits for another reader loading the same bucket
  // before loading it itself.
  absl::Duration single_flight_wait = absl::Seconds(5);
};

class CachedCalendarSource : public CalendarSource, public CalendarInvalidator {
 public:
  // `inner` and `redis` are not owned. Metrics go to `metrics`.
  CachedCalendarSource(CalendarSource& inner, RedisConnectionPool& redis,
                       CalendarCacheOptions options,
                       prometheus::Registry& metrics);
  ~CachedCalendarSource() override;

  absl::StatusOr<CalendarsByParticipant> Calendars(
      const std::vector<std::string>& participants, TimeSpan window) override;

  // Increments the participants' versions; marks the cache dirty if it
  // cannot.
  void CalendarsChanged(const std::vector<std::string>& participants) override;

  struct Counts {
    double hits = 0;    // Buckets found in Redis.
    double misses = 0;  // Buckets loaded from the wrapped source.
    double errors = 0;  // Redis calls that failed or were refused.
  };
  Counts counts() const;

 private:
  // One bucket being loaded by one reader; others wanting it wait.
  struct Flight {
    bool done = false;
    bool ok = false;
    std::shared_ptr<const std::vector<CalendarOccurrence>> occurrences;
  };
  struct Wanted {
    std::string participant;
    absl::Time week;
    std::string key;
    std::shared_ptr<const std::vector<CalendarOccurrence>> occurrences;
  };

  // False when the cache is dirty and the generation cannot be bumped.
  bool ReadyToUse();
  // Fills every `missing` bucket, loading at most once per key across
  // concurrent readers, and writes the loaded ones back.
  absl::Status Load(std::vector<Wanted*>& missing);
  // One call to the wrapped source for all of `wanted`.
  absl::Status LoadFromInner(const std::vector<Wanted*>& wanted);
  absl::Duration JitteredTtl();
  void Failed();

  CalendarSource& inner_;
  RedisConnectionPool& redis_;
  const CalendarCacheOptions options_;
  prometheus::Counter& hits_;
  prometheus::Counter& misses_;
  prometheus::Counter& errors_;
  prometheus::Gauge& breaker_open_;

  // Retries the generation bump while the cache is dirty, so that other
  // processes stop serving buckets older than a write this process could
  // not announce as soon as Redis answers again, not only when this
  // process next reads.
  void RepairLoop();

  std::atomic<bool> dirty_{false};
  absl::Mutex generation_mu_;  // One bump at a time.
  absl::Mutex repair_mu_;
  bool stopping_ ABSL_GUARDED_BY(repair_mu_) = false;
  std::thread repairer_;

  absl::Mutex flights_mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<Flight>> flights_
      ABSL_GUARDED_BY(flights_mu_);
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_CALENDAR_CACHE_CALENDAR_CACHE_H_
