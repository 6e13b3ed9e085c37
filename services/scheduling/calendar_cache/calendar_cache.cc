#include "services/scheduling/calendar_cache/calendar_cache.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/random/random.h"
#include "absl/strings/numbers.h"
#include "common/metrics.h"
#include "common/status_macros.h"
#include "services/scheduling/calendar_cache/calendar_buckets.h"

namespace salesmeet::scheduling {
namespace {

// A missing or unreadable counter is 0: INCR creates it at 1.
int64_t CounterValue(const std::optional<std::string>& value) {
  int64_t n = 0;
  if (value.has_value() && absl::SimpleAtoi(*value, &n)) return n;
  return 0;
}

std::vector<std::string> Distinct(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  absl::flat_hash_set<std::string> seen;
  for (const std::string& name : names) {
    if (seen.insert(name).second) out.push_back(name);
  }
  return out;
}

}  // namespace

CachedCalendarSource::CachedCalendarSource(CalendarSource& inner,
                                           RedisConnectionPool& redis,
                                           CalendarCacheOptions options,
                                           prometheus::Registry& metrics)
    : inner_(inner),
      redis_(redis),
      options_(options),
      hits_(NewCounter(metrics, "calendar_cache_hits_total",
                       "Calendar week buckets found in Redis.")),
      misses_(NewCounter(metrics, "calendar_cache_misses_total",
                         "Calendar week buckets loaded from the database.")),
      errors_(NewCounter(metrics, "calendar_cache_errors_total",
                         "Redis calls that failed or that the circuit "
                         "breaker refused; the database answered instead.")),
      breaker_open_(NewGauge(metrics, "calendar_cache_breaker_open",
                             "1 while the Redis circuit breaker is open.")),
      repairer_([this] { RepairLoop(); }) {}

CachedCalendarSource::~CachedCalendarSource() {
  {
    absl::MutexLock lock(&repair_mu_);
    stopping_ = true;
  }
  repairer_.join();
}

void CachedCalendarSource::RepairLoop() {
  constexpr absl::Duration kRetry = absl::Milliseconds(200);
  absl::MutexLock lock(&repair_mu_);
  while (!stopping_) {
    repair_mu_.AwaitWithTimeout(absl::Condition(&stopping_), kRetry);
    if (stopping_ || !dirty_.load()) continue;
    repair_mu_.Unlock();
    {
      absl::MutexLock bump(&generation_mu_);
      // Urgent: past an open breaker, which only guards latency.
      if (dirty_.load() &&
          redis_.Incr({GenerationKey()}, /*urgent=*/true).ok()) {
        dirty_.store(false);
      }
    }
    repair_mu_.Lock();
  }
}

CachedCalendarSource::Counts CachedCalendarSource::counts() const {
  return {hits_.Value(), misses_.Value(), errors_.Value()};
}

void CachedCalendarSource::Failed() {
  errors_.Increment();
  breaker_open_.Set(redis_.breaker_open() ? 1 : 0);
}

absl::Duration CachedCalendarSource::JitteredTtl() {
  // Spread expiries so buckets cached together do not all miss together.
  thread_local absl::BitGen bits;
  const double factor =
      1 + absl::Uniform(bits, -options_.ttl_jitter, options_.ttl_jitter);
  return options_.ttl * factor;
}

bool CachedCalendarSource::ReadyToUse() {
  if (!dirty_.load()) return true;
  absl::MutexLock lock(&generation_mu_);
  if (!dirty_.load()) return true;  // Another thread bumped it meanwhile.
  if (!redis_.Incr({GenerationKey()}).ok()) {
    Failed();
    return false;
  }
  dirty_.store(false);
  return true;
}

void CachedCalendarSource::CalendarsChanged(
    const std::vector<std::string>& participants) {
  if (participants.empty()) return;
  std::vector<std::string> keys;
  for (const std::string& p : Distinct(participants)) {
    keys.push_back(VersionKey(p));
  }
  // Urgent, past an open breaker: the breaker saves readers latency, but
  // a write that is not announced leaves every process sharing this Redis
  // serving what it changed.
  bool announced = false;
  {
    absl::MutexLock bump(&generation_mu_);
    if (dirty_.load() && redis_.Incr({GenerationKey()}, /*urgent=*/true).ok()) {
      dirty_.store(false);
    }
    announced = !dirty_.load() && redis_.Incr(keys, /*urgent=*/true).ok();
  }
  if (!announced) {
    // Set before anyone can read the old buckets through this process
    // again; the repair loop (or the next use of Redis) orphans them all.
    dirty_.store(true);
    Failed();
    return;
  }
  breaker_open_.Set(redis_.breaker_open() ? 1 : 0);
}

absl::StatusOr<CalendarsByParticipant> CachedCalendarSource::Calendars(
    const std::vector<std::string>& asked, TimeSpan window) {
  if (!(window.start < window.end) || window.start == absl::InfinitePast() ||
      window.end == absl::InfiniteFuture() ||
      window.length() > options_.max_window || !ReadyToUse()) {
    return inner_.Calendars(asked, window);
  }
  const std::vector<std::string> participants = Distinct(asked);
  if (participants.empty()) return inner_.Calendars(asked, window);

  // The versions first: see the header for why they must precede the load.
  std::vector<std::string> keys = {GenerationKey()};
  for (const std::string& p : participants) keys.push_back(VersionKey(p));
  absl::StatusOr<std::vector<std::optional<std::string>>> versions =
      redis_.MGet(keys);
  if (!versions.ok()) {
    Failed();
    return inner_.Calendars(asked, window);
  }
  const int64_t generation = CounterValue((*versions)[0]);

  const std::vector<absl::Time> weeks = WeeksOverlapping(window);
  std::vector<Wanted> wanted;
  wanted.reserve(participants.size() * weeks.size());
  keys.clear();
  for (size_t i = 0; i < participants.size(); ++i) {
    const int64_t version = CounterValue((*versions)[i + 1]);
    for (absl::Time week : weeks) {
      std::string key = BucketKey(generation, participants[i], version, week);
      keys.push_back(key);
      wanted.push_back({participants[i], week, std::move(key), nullptr});
    }
  }
  absl::StatusOr<std::vector<std::optional<std::string>>> buckets =
      redis_.MGet(keys);
  if (!buckets.ok()) {
    Failed();
    return inner_.Calendars(asked, window);
  }
  breaker_open_.Set(0);

  std::vector<Wanted*> missing;
  for (size_t i = 0; i < wanted.size(); ++i) {
    if ((*buckets)[i].has_value()) {
      absl::StatusOr<std::vector<CalendarOccurrence>> decoded =
          DecodeBucket(*(*buckets)[i]);
      if (decoded.ok()) {
        wanted[i].occurrences =
            std::make_shared<const std::vector<CalendarOccurrence>>(
                *std::move(decoded));
        continue;
      }
    }
    missing.push_back(&wanted[i]);
  }
  hits_.Increment(static_cast<double>(wanted.size() - missing.size()));
  misses_.Increment(static_cast<double>(missing.size()));
  if (!missing.empty()) RETURN_IF_ERROR(Load(missing));

  CalendarsByParticipant calendars;
  for (size_t i = 0; i < participants.size(); ++i) {
    std::vector<const std::vector<CalendarOccurrence>*> mine;
    for (size_t w = 0; w < weeks.size(); ++w) {
      mine.push_back(wanted[i * weeks.size() + w].occurrences.get());
    }
    calendars[participants[i]] = Assemble(mine, window);
  }
  return calendars;
}

absl::Status CachedCalendarSource::Load(std::vector<Wanted*>& missing) {
  // Claim the buckets nobody is loading; wait for the others only after
  // ours are published, so two readers can never wait on each other.
  std::vector<Wanted*> owned;
  std::vector<std::pair<Wanted*, std::shared_ptr<Flight>>> waiting;
  std::vector<std::shared_ptr<Flight>> mine;
  {
    absl::MutexLock lock(&flights_mu_);
    for (Wanted* w : missing) {
      auto [it, inserted] = flights_.try_emplace(w->key, nullptr);
      if (inserted) {
        it->second = std::make_shared<Flight>();
        owned.push_back(w);
        mine.push_back(it->second);
      } else {
        waiting.push_back({w, it->second});
      }
    }
  }
  absl::Status loaded = absl::OkStatus();
  if (!owned.empty()) loaded = LoadFromInner(owned);
  {
    absl::MutexLock lock(&flights_mu_);
    for (size_t i = 0; i < owned.size(); ++i) {
      mine[i]->done = true;
      mine[i]->ok = loaded.ok();
      mine[i]->occurrences = owned[i]->occurrences;
      flights_.erase(owned[i]->key);
    }
  }
  RETURN_IF_ERROR(loaded);
  // Written back after publishing, so waiters need not wait for Redis too.
  // A failed write-back costs only a later miss; the answer stands.
  std::vector<RedisWrite> writes;
  for (const Wanted* w : owned) {
    writes.push_back({w->key, EncodeBucket(*w->occurrences), JitteredTtl()});
  }
  if (!writes.empty() && !redis_.Set(writes).ok()) Failed();

  std::vector<Wanted*> unserved;
  for (auto& [w, flight] : waiting) {
    absl::MutexLock lock(&flights_mu_);
    const bool done = flights_mu_.AwaitWithTimeout(
        absl::Condition(&flight->done), options_.single_flight_wait);
    if (done && flight->ok) {
      w->occurrences = flight->occurrences;
    } else {
      unserved.push_back(w);  // The loader failed or is stuck: load it here.
    }
  }
  if (unserved.empty()) return absl::OkStatus();
  return LoadFromInner(unserved);
}

absl::Status CachedCalendarSource::LoadFromInner(
    const std::vector<Wanted*>& wanted) {
  // One call for every participant and week missing, however scattered.
  std::vector<std::string> participants;
  absl::Time from = absl::InfiniteFuture();
  absl::Time to = absl::InfinitePast();
  for (const Wanted* w : wanted) {
    participants.push_back(w->participant);
    from = std::min(from, w->week);
    to = std::max(to, w->week + kWeek);
  }
  ASSIGN_OR_RETURN(CalendarsByParticipant loaded,
                   inner_.Calendars(Distinct(participants), {from, to}));
  for (Wanted* w : wanted) {
    w->occurrences = std::make_shared<const std::vector<CalendarOccurrence>>(
        Overlapping(loaded[w->participant], {w->week, w->week + kWeek}));
  }
  return absl::OkStatus();
}

}  // namespace salesmeet::scheduling
