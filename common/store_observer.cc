#include "common/store_observer.h"

#include "absl/time/clock.h"

namespace salesmeet {

StoreObserver::StoreObserver(prometheus::Registry& registry,
                             absl::Duration injected_delay)
    : latency_(prometheus::BuildHistogram()
                   .Name("store_transaction_seconds")
                   .Help("Database transactions, by kind and outcome.")
                   .Register(registry)),
      injected_delay_(injected_delay) {}

absl::Status StoreObserver::Observe(
    const std::string& kind, absl::FunctionRef<absl::Status()> transaction) {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
      0.01,    0.025,  0.05,    0.1,    0.25,  0.5,    1};
  if (injected_delay_ > absl::ZeroDuration()) absl::SleepFor(injected_delay_);
  const absl::Time start = absl::Now();
  absl::Status status = transaction();
  // "error" only for failures of the store itself; a rule the caller broke
  // (INVALID_ARGUMENT, NOT_FOUND, ...) is a normal outcome for the database.
  const bool store_failed = status.code() == absl::StatusCode::kUnavailable ||
                            status.code() == absl::StatusCode::kInternal ||
                            status.code() == absl::StatusCode::kDataLoss;
  latency_
      .Add({{"kind", kind}, {"outcome", store_failed ? "error" : "ok"}},
           kBuckets)
      .Observe(absl::ToDoubleSeconds(absl::Now() - start));
  return status;
}

}  // namespace salesmeet
