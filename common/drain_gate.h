#ifndef SALESMEET_COMMON_DRAIN_GATE_H_
#define SALESMEET_COMMON_DRAIN_GATE_H_

// How a draining server stops taking calls without any caller seeing
// CANCELLED. gRPC's own Shutdown() cancels (RST_STREAM CANCEL, which
// clients report as CANCELLED) every call that reaches the server after it
// starts and before the client has read its GOAWAY, and clients retry only
// UNAVAILABLE. So once the drain grace ends the handlers themselves refuse
// new calls with UNAVAILABLE, the server waits for the calls already
// working, and the process then exits without Shutdown(): a call in flight
// at that instant sees its connection close, which is UNAVAILABLE too.

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace salesmeet {

class DrainGate {
 public:
  // The one gate of this process, used by every handler (grpc_status.h).
  static DrainGate& Process();

  // Held by a call while it works. `admitted()` is false once the gate
  // refuses: the call must answer Refusal() and do nothing else.
  class Ticket {
   public:
    explicit Ticket(DrainGate& gate);
    ~Ticket();
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    bool admitted() const { return admitted_; }

   private:
    DrainGate& gate_;
    bool admitted_;
  };

  // UNAVAILABLE with ErrorInfo DRAINING: retry, on another replica.
  static absl::Status Refusal();

  // From now on calls are refused.
  void StartRefusing();
  // Waits until no admitted call is working, or `timeout` passes; true
  // when idle.
  bool WaitUntilIdle(absl::Duration timeout);

 private:
  absl::Mutex mu_;
  bool refusing_ ABSL_GUARDED_BY(mu_) = false;
  int working_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_DRAIN_GATE_H_
