#include "services/scheduling/calendar_cache/redis_connection.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace salesmeet::scheduling {

CircuitBreaker::CircuitBreaker(int failures, absl::Duration cooldown,
                               std::function<absl::Time()> clock)
    : failures_to_open_(failures > 0 ? failures : 1),
      cooldown_(cooldown),
      clock_(std::move(clock)) {}

bool CircuitBreaker::Allow() {
  absl::MutexLock lock(&mu_);
  if (!tripped_) return true;
  if (clock_() < open_until_ || probe_out_) return false;
  probe_out_ = true;  // Half-open: this caller is the one probe.
  return true;
}

void CircuitBreaker::Succeeded() {
  absl::MutexLock lock(&mu_);
  consecutive_failures_ = 0;
  tripped_ = false;
  probe_out_ = false;
}

void CircuitBreaker::Failed() {
  absl::MutexLock lock(&mu_);
  probe_out_ = false;
  if (++consecutive_failures_ >= failures_to_open_ || tripped_) {
    tripped_ = true;
    open_until_ = clock_() + cooldown_;
  }
}

bool CircuitBreaker::open() const {
  absl::MutexLock lock(&mu_);
  return tripped_;
}

absl::Status ParseRedisAddress(const std::string& address,
                               RedisOptions& options) {
  const size_t colon = address.rfind(':');
  int port = 0;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(address.substr(colon + 1), &port) || port <= 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("--redis must be host:port, got \"", address, "\""));
  }
  options.host = address.substr(0, colon);
  options.port = port;
  return absl::OkStatus();
}

namespace {

timeval AtLeastOneMs(absl::Duration d) {
  return absl::ToTimeval(d < absl::Milliseconds(1) ? absl::Milliseconds(1) : d);
}

}  // namespace

// What the cache needs from a reply: a value, a nil or an integer.
struct RedisConnectionPool::Reply {
  std::optional<std::string> value;
  std::vector<std::optional<std::string>> elements;
  int64_t integer = 0;
};

// A connection taken from the pool for one pipeline. It goes back when the
// lease ends, unless it saw an error: a hiredis context in error state is
// unusable, and a timed-out one may still deliver the late reply, so it is
// freed and the next Acquire connects afresh.
class RedisConnectionPool::Lease {
 public:
  Lease(RedisConnectionPool& pool, redisContext* context)
      : pool_(pool), context_(context) {}
  ~Lease() { pool_.Release(context_, broken_); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  redisContext* get() const { return context_; }
  void MarkBroken() { broken_ = true; }

 private:
  RedisConnectionPool& pool_;
  redisContext* context_;
  bool broken_ = false;
};

RedisConnectionPool::RedisConnectionPool(RedisOptions options)
    : options_(std::move(options)),
      breaker_(options_.breaker_failures, options_.breaker_cooldown) {}

RedisConnectionPool::~RedisConnectionPool() {
  absl::MutexLock lock(&mu_);
  for (redisContext* c : idle_) redisFree(c);
}

absl::StatusOr<redisContext*> RedisConnectionPool::Acquire() {
  {
    absl::MutexLock lock(&mu_);
    // Waiting for a busy pool counts against the command timeout too.
    auto available = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !idle_.empty() || open_ < options_.pool_size;
    };
    if (!mu_.AwaitWithTimeout(absl::Condition(&available),
                              options_.command_timeout)) {
      return absl::UnavailableError("redis: every pooled connection is busy");
    }
    if (!idle_.empty()) {
      redisContext* c = idle_.back();
      idle_.pop_back();
      return c;
    }
    ++open_;  // Reserved; connected below, outside the lock.
  }
  redisContext* c =
      redisConnectWithTimeout(options_.host.c_str(), options_.port,
                              AtLeastOneMs(options_.connect_timeout));
  absl::Status failed;
  if (c == nullptr) {
    failed = absl::UnavailableError("redis: cannot allocate a context");
  } else if (c->err != 0) {
    failed = absl::UnavailableError(
        absl::StrCat("redis: cannot connect to ", options_.host, ":",
                     options_.port, ": ", c->errstr));
  } else if (redisSetTimeout(c, AtLeastOneMs(options_.command_timeout)) !=
             REDIS_OK) {
    failed = absl::UnavailableError("redis: cannot set the command timeout");
  }
  if (!failed.ok()) {
    if (c != nullptr) redisFree(c);
    absl::MutexLock lock(&mu_);
    --open_;
    return failed;
  }
  return c;
}

void RedisConnectionPool::Release(redisContext* context, bool broken) {
  if (broken || context->err != 0) {
    redisFree(context);
    absl::MutexLock lock(&mu_);
    --open_;
    return;
  }
  absl::MutexLock lock(&mu_);
  idle_.push_back(context);
}

absl::StatusOr<std::vector<RedisConnectionPool::Reply>>
RedisConnectionPool::Run(const std::vector<std::vector<std::string>>& commands,
                         bool urgent) {
  if (!urgent && !breaker_.Allow()) {
    return absl::UnavailableError("redis: circuit breaker open");
  }
  absl::StatusOr<redisContext*> acquired = Acquire();
  if (!acquired.ok()) {
    breaker_.Failed();
    return acquired.status();
  }
  Lease lease(*this, *acquired);
  auto fail = [&](std::string what) {
    lease.MarkBroken();
    breaker_.Failed();
    return absl::UnavailableError(absl::StrCat("redis: ", what));
  };
  for (const std::vector<std::string>& command : commands) {
    std::vector<const char*> argv;
    std::vector<size_t> lengths;
    for (const std::string& arg : command) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    if (redisAppendCommandArgv(lease.get(), static_cast<int>(argv.size()),
                               argv.data(), lengths.data()) != REDIS_OK) {
      return fail(lease.get()->errstr);
    }
  }
  std::vector<Reply> replies;
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(lease.get(), &raw) != REDIS_OK || raw == nullptr) {
      return fail(lease.get()->err != 0 ? lease.get()->errstr : "no reply");
    }
    // Freed on every path, however this iteration ends.
    std::unique_ptr<redisReply, void (*)(void*)> reply(
        static_cast<redisReply*>(raw), freeReplyObject);
    Reply out;
    switch (reply->type) {
      case REDIS_REPLY_ERROR:
        return fail(std::string(reply->str, reply->len));
      case REDIS_REPLY_STRING:
      case REDIS_REPLY_STATUS:
        out.value = std::string(reply->str, reply->len);
        break;
      case REDIS_REPLY_INTEGER:
        out.integer = reply->integer;
        break;
      case REDIS_REPLY_ARRAY:
        for (size_t e = 0; e < reply->elements; ++e) {
          const redisReply* element = reply->element[e];
          if (element->type == REDIS_REPLY_STRING) {
            out.elements.emplace_back(std::string(element->str, element->len));
          } else {
            out.elements.emplace_back(std::nullopt);
          }
        }
        break;
      default:  // NIL
        break;
    }
    replies.push_back(std::move(out));
  }
  breaker_.Succeeded();
  return replies;
}

absl::StatusOr<std::vector<std::optional<std::string>>>
RedisConnectionPool::MGet(const std::vector<std::string>& keys) {
  if (keys.empty()) return std::vector<std::optional<std::string>>();
  std::vector<std::string> command = {"MGET"};
  command.insert(command.end(), keys.begin(), keys.end());
  absl::StatusOr<std::vector<Reply>> replies = Run({command});
  if (!replies.ok()) return replies.status();
  if ((*replies)[0].elements.size() != keys.size()) {
    return absl::UnavailableError("redis: MGET answered the wrong count");
  }
  return std::move((*replies)[0].elements);
}

absl::Status RedisConnectionPool::Set(const std::vector<RedisWrite>& writes) {
  if (writes.empty()) return absl::OkStatus();
  std::vector<std::vector<std::string>> commands;
  for (const RedisWrite& w : writes) {
    const int64_t ms = std::max<int64_t>(1, absl::ToInt64Milliseconds(w.ttl));
    commands.push_back({"SET", w.key, w.value, "PX", absl::StrCat(ms)});
  }
  return Run(commands).status();
}

absl::StatusOr<std::vector<int64_t>> RedisConnectionPool::Incr(
    const std::vector<std::string>& keys, bool urgent) {
  if (keys.empty()) return std::vector<int64_t>();
  std::vector<std::vector<std::string>> commands;
  for (const std::string& key : keys) commands.push_back({"INCR", key});
  absl::StatusOr<std::vector<Reply>> replies = Run(commands, urgent);
  if (!replies.ok()) return replies.status();
  std::vector<int64_t> values;
  for (const Reply& r : *replies) values.push_back(r.integer);
  return values;
}

}  // namespace salesmeet::scheduling
