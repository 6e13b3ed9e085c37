#include "services/participant/directory_rules.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/fingerprint.h"
#include "common/status_macros.h"

namespace salesmeet::participant {
namespace {

std::string RequestKey(absl::string_view method, absl::string_view request_id) {
  return absl::StrCat(method, ":", request_id);
}

}  // namespace

absl::StatusOr<std::optional<std::string>> FindRetriedCreate(
    ParticipantTransaction& tx, absl::string_view method,
    absl::string_view request_id, const google::protobuf::Message& request) {
  if (request_id.empty()) return std::optional<std::string>();
  std::optional<CreateRequestRecord> record;
  ASSIGN_OR_RETURN(record,
                   tx.FindCreateRequest(RequestKey(method, request_id)));
  if (!record.has_value()) return std::optional<std::string>();
  if (record->fingerprint != Fingerprint(request)) {
    return WithErrorInfo(
        InvalidFieldError("request_id",
                          "was already used for a different request; use a "
                          "new request_id for a new request"),
        reason::kRequestIdReused);
  }
  return std::optional<std::string>(record->resource_name);
}

absl::Status RecordCreate(ParticipantTransaction& tx, absl::string_view method,
                          absl::string_view request_id,
                          const google::protobuf::Message& request,
                          absl::string_view resource_name, absl::Time now) {
  if (request_id.empty()) return absl::OkStatus();
  return tx.PutCreateRequest({RequestKey(method, request_id),
                              Fingerprint(request), std::string(resource_name),
                              now});
}

absl::StatusOr<std::vector<v1::Participant>> AccountsOwnedBy(
    ParticipantTransaction& tx, const std::string& owner_name) {
  ParticipantQuery query;
  query.account_owner = owner_name;
  query.limit = std::numeric_limits<int>::max();
  return tx.ListParticipants(query);
}

absl::StatusOr<std::vector<v1::Team>> TeamsManagedBy(
    ParticipantTransaction& tx, const std::string& manager_name) {
  TeamQuery query;
  query.manager = manager_name;
  query.limit = std::numeric_limits<int>::max();
  return tx.ListTeams(query);
}

}  // namespace salesmeet::participant
