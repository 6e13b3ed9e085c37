#include "services/scheduling/policy/policy_admin.h"

#include "absl/strings/str_cat.h"
#include "common/calendar/cost_model.h"
#include "common/errors.h"
#include "common/etag.h"
#include "common/status_macros.h"
#include "common/update_mask.h"
#include "services/scheduling/policy/scheduling_policy.h"

namespace salesmeet::scheduling {
namespace {

absl::Status CheckName(absl::string_view name) {
  if (name.empty() || name == kSchedulingPolicyName) return absl::OkStatus();
  return ResourceNotFoundError("salesmeet.scheduling.v1.SchedulingPolicy",
                               name);
}

}  // namespace

absl::StatusOr<v1::SchedulingPolicy> PolicyAdmin::Get(
    const v1::GetSchedulingPolicyRequest& request) {
  RETURN_IF_ERROR(CheckName(request.name()));
  v1::SchedulingPolicy policy;
  RETURN_IF_ERROR(store_.Read([&](MeetingTransaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(policy, LoadPolicy(tx));
    return absl::OkStatus();
  }));
  return policy;
}

absl::StatusOr<v1::SchedulingPolicy> PolicyAdmin::Update(
    const v1::UpdateSchedulingPolicyRequest& request, const CallScope& rpc) {
  const v1::SchedulingPolicy& patch = request.policy();
  RETURN_IF_ERROR(CheckName(patch.name()));
  ASSIGN_OR_RETURN(std::vector<std::string> paths,
                   ResolveUpdateMask(request.update_mask(), patch,
                                     SchedulingPolicyMaskRules()));
  ASSIGN_OR_RETURN(v1::SchedulingPolicy current, Get({}));
  RETURN_IF_ERROR(
      CheckEtag(patch.etag(), current.etag(), kSchedulingPolicyName));
  v1::SchedulingPolicy updated = current;
  ApplyUpdateMask(paths, patch, &updated);
  updated = WithDefaults(std::move(updated));
  FieldErrors errors;
  ValidatePolicy(updated, errors);
  RETURN_IF_ERROR(errors.ToStatus());
  RETURN_IF_ERROR(CostModel::FromPolicy(updated).status());
  for (int i = 0; i < updated.team_overrides_size(); ++i) {
    const std::string& team = updated.team_overrides(i).team();
    absl::Status exists = people_.CheckTeam(team, rpc);
    if (exists.code() == absl::StatusCode::kNotFound) {
      return InvalidFieldError(
          absl::StrCat("policy.team_overrides[", i, "].team"),
          absl::StrCat(team, " does not exist in the participant service"));
    }
    RETURN_IF_ERROR(exists);
  }
  RETURN_IF_ERROR(store_.Write([&](MeetingTransaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(v1::SchedulingPolicy latest, LoadPolicy(tx));
    if (latest.etag() != current.etag()) {
      return EtagMismatchError(kSchedulingPolicyName);
    }
    StampWrite(updated, clock_());
    return tx.PutPolicy(updated);
  }));
  return updated;
}

}  // namespace salesmeet::scheduling
