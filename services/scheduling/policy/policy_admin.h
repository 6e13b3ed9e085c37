#ifndef SALESMEET_SERVICES_SCHEDULING_POLICY_POLICY_ADMIN_H_
#define SALESMEET_SERVICES_SCHEDULING_POLICY_POLICY_ADMIN_H_

// Reading and changing the one scheduling policy.

#include "absl/status/statusor.h"
#include "common/call_scope.h"
#include "salesmeet/scheduling/v1/policy.pb.h"
#include "services/scheduling/scheduling_context.h"

namespace salesmeet::scheduling {

class PolicyAdmin {
 public:
  PolicyAdmin(MeetingStore& store, ParticipantLookup& people, Clock clock)
      : store_(store), people_(people), clock_(std::move(clock)) {}

  absl::StatusOr<v1::SchedulingPolicy> Get(
      const v1::GetSchedulingPolicyRequest& request);
  // Validates the result whole, checks that overridden teams exist in the
  // participant service, and guards with the etag.
  absl::StatusOr<v1::SchedulingPolicy> Update(
      const v1::UpdateSchedulingPolicyRequest& request, const CallScope& rpc);

 private:
  MeetingStore& store_;
  ParticipantLookup& people_;
  const Clock clock_;
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_POLICY_POLICY_ADMIN_H_
