#include "tests/bench/service_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tests/bench/bench_checks.h"

extern char** environ;

namespace salesmeet::bench {
namespace {

// Extracts N from a log line containing "grpc_port":N.
int PortFromLine(const std::string& line) {
  const std::string key = "\"grpc_port\":";
  size_t at = line.find(key);
  if (at == std::string::npos) return 0;
  at += key.size();
  size_t end = at;
  while (end < line.size() && isdigit(static_cast<unsigned char>(line[end]))) {
    ++end;
  }
  int port = 0;
  return absl::SimpleAtoi(line.substr(at, end - at), &port) ? port : 0;
}

}  // namespace

absl::StatusOr<ServiceProcess> ServiceProcess::Start(
    const std::string& binary, std::vector<std::string> args) {
  args.insert(args.begin(), binary);
  args.push_back("--port=0");
  args.push_back("--metrics_port=-1");
  args.push_back("--bind_host=127.0.0.1");
  args.push_back("--access_log=false");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return absl::InternalError("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(),
                       environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (rc != 0) {
    close(pipe_fds[0]);
    return absl::NotFoundError(
        absl::StrCat("cannot start ", binary, ": ", std::strerror(rc)));
  }
  // Read log lines until the serving line; the rest of the log is drained
  // by a detached reader so the child never blocks on a full pipe.
  FILE* log = fdopen(pipe_fds[0], "r");
  char buffer[4096];
  int port = 0;
  while (port == 0 && fgets(buffer, sizeof(buffer), log) != nullptr) {
    port = PortFromLine(buffer);
    if (port == 0) std::fputs(buffer, stderr);
  }
  if (port == 0) {
    fclose(log);
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return absl::UnavailableError(absl::StrCat(binary, " did not start"));
  }
  std::thread([log] {
    char line[4096];
    while (fgets(line, sizeof(line), log) != nullptr) {
    }
    fclose(log);
  }).detach();
  return ServiceProcess(pid, port);
}

ServiceProcess::ServiceProcess(ServiceProcess&& other) noexcept
    : pid_(other.pid_), grpc_port_(other.grpc_port_) {
  other.pid_ = 0;
}

ServiceProcess::~ServiceProcess() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  waitpid(pid_, nullptr, 0);
}

std::string ServiceProcess::address() const {
  return absl::StrCat("127.0.0.1:", grpc_port_);
}

int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (fd < 0 ||
      bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    Fail("no free port");
  }
  close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace salesmeet::bench
