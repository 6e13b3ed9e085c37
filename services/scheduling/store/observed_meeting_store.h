#ifndef SALESMEET_SERVICES_SCHEDULING_STORE_OBSERVED_MEETING_STORE_H_
#define SALESMEET_SERVICES_SCHEDULING_STORE_OBSERVED_MEETING_STORE_H_

// Wraps any MeetingStore with latency metrics and optional injected delay,
// so neither the backends nor the logic carry that code.

#include <memory>

#include "common/store_observer.h"
#include "services/scheduling/store/meeting_store.h"

namespace salesmeet::scheduling {

class ObservedMeetingStore : public MeetingStore {
 public:
  ObservedMeetingStore(std::unique_ptr<MeetingStore> inner,
                       prometheus::Registry& registry,
                       absl::Duration injected_delay)
      : inner_(std::move(inner)), observer_(registry, injected_delay) {}

  absl::Status Read(MeetingTransactionBody body) override {
    return observer_.Observe("read", [&] { return inner_->Read(body); });
  }
  absl::Status Write(MeetingTransactionBody body) override {
    return observer_.Observe("write", [&] { return inner_->Write(body); });
  }
  absl::StatusOr<std::vector<v1::MeetingChange>> ReadChanges(
      int64_t after_sequence, int limit) override {
    return inner_->ReadChanges(after_sequence, limit);
  }
  absl::StatusOr<int64_t> HeadSequence() override {
    return inner_->HeadSequence();
  }
  void FollowOtherWriters(std::function<void(int64_t)> on_head) override {
    inner_->FollowOtherWriters(std::move(on_head));
  }
  absl::Status Ping() override { return inner_->Ping(); }
  absl::StatusOr<std::string> PageTokenSecret() override {
    return inner_->PageTokenSecret();
  }

 private:
  std::unique_ptr<MeetingStore> inner_;
  StoreObserver observer_;
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_STORE_OBSERVED_MEETING_STORE_H_
