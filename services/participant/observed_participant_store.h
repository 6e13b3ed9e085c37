#ifndef SALESMEET_SERVICES_PARTICIPANT_OBSERVED_PARTICIPANT_STORE_H_
#define SALESMEET_SERVICES_PARTICIPANT_OBSERVED_PARTICIPANT_STORE_H_

// Wraps any ParticipantStore with latency metrics and optional injected
// delay, so neither the backends nor the logic carry that code.

#include <memory>

#include "common/store_observer.h"
#include "services/participant/participant_store.h"

namespace salesmeet::participant {

class ObservedParticipantStore : public ParticipantStore {
 public:
  ObservedParticipantStore(std::unique_ptr<ParticipantStore> inner,
                           prometheus::Registry& registry,
                           absl::Duration injected_delay)
      : inner_(std::move(inner)), observer_(registry, injected_delay) {}

  absl::Status Read(TransactionBody body) override {
    return observer_.Observe("read", [&] { return inner_->Read(body); });
  }
  absl::Status Write(TransactionBody body) override {
    return observer_.Observe("write", [&] { return inner_->Write(body); });
  }
  absl::Status Ping() override { return inner_->Ping(); }
  absl::StatusOr<std::string> PageTokenSecret() override {
    return inner_->PageTokenSecret();
  }

 private:
  std::unique_ptr<ParticipantStore> inner_;
  StoreObserver observer_;
};

}  // namespace salesmeet::participant

#endif  // SALESMEET_SERVICES_PARTICIPANT_OBSERVED_PARTICIPANT_STORE_H_
