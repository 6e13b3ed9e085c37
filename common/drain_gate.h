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

  // Called as a call arrives (by the RPC interceptor, which sees every
  // call from its arrival until its status has been written): true, and
  // the call counts as working until Release(), unless the gate refuses.
  bool Admit();
  void Release();

  // True once the gate refuses: handlers answer Refusal() and do nothing.
  bool refusing();

  // UNAVAILABLE with ErrorInfo DRAINING: retry, on another replica.
  static absl::Status Refusal();

  // From now on calls are refused.
  void StartRefusing();
  // Waits until every admitted call has been answered, or `timeout`
  // passes; true when idle.
  bool WaitUntilIdle(absl::Duration timeout);

 private:
  absl::Mutex mu_;
  bool refusing_ ABSL_GUARDED_BY(mu_) = false;
  int working_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_DRAIN_GATE_H_
