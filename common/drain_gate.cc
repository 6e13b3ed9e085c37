#include "common/drain_gate.h"

#include "common/errors.h"

namespace salesmeet {

DrainGate& DrainGate::Process() {
  static DrainGate* const gate = new DrainGate();
  return *gate;
}

bool DrainGate::Admit() {
  absl::MutexLock lock(&mu_);
  if (refusing_) return false;
  ++working_;
  return true;
}

void DrainGate::Release() {
  absl::MutexLock lock(&mu_);
  --working_;
}

bool DrainGate::refusing() {
  absl::MutexLock lock(&mu_);
  return refusing_;
}

absl::Status DrainGate::Refusal() {
  return WithErrorInfo(
      absl::UnavailableError("this server is shutting down; retry the call, "
                             "which another replica will serve"),
      "DRAINING");
}

void DrainGate::StartRefusing() {
  absl::MutexLock lock(&mu_);
  refusing_ = true;
}

bool DrainGate::WaitUntilIdle(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto idle = [this]()
                  ABSL_SHARED_LOCKS_REQUIRED(mu_) { return working_ == 0; };
  return mu_.AwaitWithTimeout(absl::Condition(&idle), timeout);
}

}  // namespace salesmeet
