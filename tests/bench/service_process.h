#ifndef SALESMEET_TESTS_BENCH_SERVICE_PROCESS_H_
#define SALESMEET_TESTS_BENCH_SERVICE_PROCESS_H_

// Starts a real service binary on free ports for a benchmark and stops it
// with SIGTERM when destroyed. The port is read from the "serving" log line.

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace salesmeet::bench {

// A port on 127.0.0.1 that was free a moment ago, for a server that cannot
// be started on port 0 (Redis, PostgreSQL).
int FreeLoopbackPort();

class ServiceProcess {
 public:
  // Runs `binary` with `args` plus --port=0 --metrics_port=-1
  // --bind_host=127.0.0.1, and waits until it logs that it is serving.
  static absl::StatusOr<ServiceProcess> Start(const std::string& binary,
                                              std::vector<std::string> args);
  ServiceProcess(ServiceProcess&& other) noexcept;
  ServiceProcess& operator=(ServiceProcess&&) = delete;
  ~ServiceProcess();

  int grpc_port() const { return grpc_port_; }
  pid_t pid() const { return pid_; }
  std::string address() const;

 private:
  ServiceProcess(pid_t pid, int grpc_port) : pid_(pid), grpc_port_(grpc_port) {}

  pid_t pid_;
  int grpc_port_;
};

}  // namespace salesmeet::bench

#endif  // SALESMEET_TESTS_BENCH_SERVICE_PROCESS_H_
