#include "tests/bench/redis_server.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/bench/bench_checks.h"
#include "tests/bench/service_process.h"

namespace salesmeet::bench {

RedisServer::RedisServer() : port_(FreeLoopbackPort()) {
  const std::string port = std::to_string(port_);
  pid_ = fork();
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // Never outlive a crashed bench.
    if (freopen("/dev/null", "w", stdout) == nullptr) _exit(127);
    execlp("redis-server", "redis-server", "--port", port.c_str(), "--bind",
           "127.0.0.1", "--save", "", "--appendonly", "no",
           static_cast<char*>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 200 && context_ == nullptr; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
    redisContext* c = redisConnect("127.0.0.1", port_);
    if (c != nullptr && c->err == 0) {
      context_ = c;
    } else if (c != nullptr) {
      redisFree(c);
    }
  }
  if (context_ == nullptr) Fail("redis-server did not start");
}

RedisServer::~RedisServer() {
  if (context_ != nullptr) redisFree(context_);
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

std::string RedisServer::address() const {
  return absl::StrCat("127.0.0.1:", port_);
}

void RedisServer::Flush() {
  auto* reply = static_cast<redisReply*>(redisCommand(context_, "FLUSHALL"));
  if (reply == nullptr) Fail("FLUSHALL failed");
  freeReplyObject(reply);
}

long long RedisServer::Keys() {
  auto* reply = static_cast<redisReply*>(redisCommand(context_, "DBSIZE"));
  if (reply == nullptr) Fail("DBSIZE failed");
  const long long keys = reply->integer;
  freeReplyObject(reply);
  return keys;
}

}  // namespace salesmeet::bench
