#ifndef SALESMEET_SERVICES_PARTICIPANT_DIRECTORY_RULES_H_
#define SALESMEET_SERVICES_PARTICIPANT_DIRECTORY_RULES_H_

// Pieces shared by the participant and team directories: how ids are taken
// from names, how a retried create is recognised, and the lookups that
// enforce references inside a transaction.

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/etag.h"
#include "common/field_checks.h"
#include "google/protobuf/message.h"
#include "services/participant/participant_store.h"

namespace salesmeet::participant {

// At most this many violations are listed in a PreconditionFailure.
inline constexpr int kMaxReportedViolations = 20;

// Looks up an earlier Create with the same request_id. Returns the name of
// what it created, nullopt when there was none, and INVALID_ARGUMENT when the
// key was used for a different request.
absl::StatusOr<std::optional<std::string>> FindRetriedCreate(
    ParticipantTransaction& tx, absl::string_view method,
    absl::string_view request_id, const google::protobuf::Message& request);

// Records a Create so that FindRetriedCreate recognises its retries.
absl::Status RecordCreate(ParticipantTransaction& tx, absl::string_view method,
                          absl::string_view request_id,
                          const google::protobuf::Message& request,
                          absl::string_view resource_name, absl::Time now);

// Every participant whose account owner is `owner_name`, and every team
// managed by `manager_name`, without paging.
absl::StatusOr<std::vector<v1::Participant>> AccountsOwnedBy(
    ParticipantTransaction& tx, const std::string& owner_name);
absl::StatusOr<std::vector<v1::Team>> TeamsManagedBy(
    ParticipantTransaction& tx, const std::string& manager_name);

}  // namespace salesmeet::participant

#endif  // SALESMEET_SERVICES_PARTICIPANT_DIRECTORY_RULES_H_
