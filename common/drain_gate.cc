#include "common/drain_gate.h"

#include "common/errors.h"

namespace salesmeet {

DrainGate& DrainGate::Process() {
  static DrainGate* const gate = new DrainGate();
  return *gate;
}

DrainGate::Ticket::Ticket(DrainGate& gate) : gate_(gate) {
  absl::MutexLock lock(&gate_.mu_);
  admitted_ = !gate_.refusing_;
  if (admitted_) ++gate_.working_;
}

DrainGate::Ticket::~Ticket() {
  if (!admitted_) return;
  absl::MutexLock lock(&gate_.mu_);
  --gate_.working_;
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
