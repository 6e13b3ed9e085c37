#ifndef SALESMEET_TESTS_BENCH_REDIS_SERVER_H_
#define SALESMEET_TESTS_BENCH_REDIS_SERVER_H_

// A redis-server of a benchmark's own, on a free port, without persistence,
// killed when this object goes away (or when the benchmark dies).

#include <hiredis/hiredis.h>
#include <sys/types.h>

#include <string>

namespace salesmeet::bench {

class RedisServer {
 public:
  // Exits the benchmark with a message when redis-server cannot start.
  RedisServer();
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  std::string address() const;
  void Flush();      // FLUSHALL: the next reads are cold.
  long long Keys();  // DBSIZE.

 private:
  int port_;
  pid_t pid_ = -1;
  redisContext* context_ = nullptr;
};

}  // namespace salesmeet::bench

#endif  // SALESMEET_TESTS_BENCH_REDIS_SERVER_H_
