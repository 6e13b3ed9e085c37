#ifndef SALESMEET_SERVICES_ANALYTICS_PEOPLE_PEOPLE_DIRECTORY_H_
#define SALESMEET_SERVICES_ANALYTICS_PEOPLE_PEOPLE_DIRECTORY_H_

// The participant records the load and contact-cadence reports read
// (working hours, time off, budgets, customer profiles), fetched from the
// participant service and cached briefly: a report costs no call most of
// the time, and one caller refreshes the copy while the others wait for it.
// When the participant service cannot answer, the last copy is served
// however old; only with no copy at all does a report fail, UNAVAILABLE.

#include <functional>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/call_scope.h"
#include "common/participant_records.h"

namespace salesmeet::analytics {

// Fetches every participant; `incoming` is the call being served, whose
// deadline and cancellation carry over. ListParticipantsFetcher
// (participant_fetcher.h) asks the participant service.
using PeopleFetcher = std::function<absl::StatusOr<ParticipantsByName>(
    const CallScope& incoming)>;

class PeopleDirectory {
 public:
  PeopleDirectory(PeopleFetcher fetch, absl::Duration ttl,
                  std::function<absl::Time()> clock);
  PeopleDirectory(const PeopleDirectory&) = delete;
  PeopleDirectory& operator=(const PeopleDirectory&) = delete;

  // Everyone, at most `ttl` old unless the participant service fails.
  absl::StatusOr<std::shared_ptr<const ParticipantsByName>> Everyone(
      const CallScope& incoming);

 private:
  const PeopleFetcher fetch_;
  const absl::Duration ttl_;
  const std::function<absl::Time()> clock_;

  absl::Mutex mu_;
  std::shared_ptr<const ParticipantsByName> copy_ ABSL_GUARDED_BY(mu_);
  absl::Time fetched_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  bool refreshing_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace salesmeet::analytics

#endif  // SALESMEET_SERVICES_ANALYTICS_PEOPLE_PEOPLE_DIRECTORY_H_
