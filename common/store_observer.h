#ifndef SALESMEET_COMMON_STORE_OBSERVER_H_
#define SALESMEET_COMMON_STORE_OBSERVER_H_

// Measures store transactions (Prometheus: store_transaction_seconds by kind
// and outcome) and, for tests and drills, can inject a delay before each
// one. Each service's store decorator routes its calls through this.

#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/time/time.h"

namespace salesmeet {

class StoreObserver {
 public:
  StoreObserver(prometheus::Registry& registry, absl::Duration injected_delay);

  // Runs `transaction`, timing it under `kind` ("read", "write", ...).
  absl::Status Observe(const std::string& kind,
                       absl::FunctionRef<absl::Status()> transaction);

 private:
  prometheus::Family<prometheus::Histogram>& latency_;
  const absl::Duration injected_delay_;
};

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_STORE_OBSERVER_H_
