#include "common/participant_records.h"

#include "absl/strings/str_cat.h"
#include "common/errors.h"

namespace salesmeet {

absl::Status ParticipantServiceUnavailable(absl::string_view why) {
  return WithErrorInfo(absl::UnavailableError(why),
                       "PARTICIPANT_SERVICE_UNAVAILABLE");
}

bool ParticipantServiceFailed(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED:
      return true;
    default:
      return false;
  }
}

absl::Status ParticipantServiceDown(absl::string_view target,
                                    const grpc::Status& status) {
  if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED ||
      status.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
    // Not the caller's doing: this service's own certificate or the access
    // policy is wrong, which an operator must fix.
    return ParticipantServiceUnavailable(absl::StrCat(
        "the participant service at ", target, " refused this service (",
        TruncateUtf8(status.error_message(), kMaxDescriptionBytes),
        "); check its certificate and the access policy"));
  }
  return ParticipantServiceUnavailable(
      absl::StrCat("the participant service at ", target, " did not answer (",
                   status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED
                       ? "deadline exceeded"
                       : status.error_message(),
                   "); retry later"));
}

void KeepReferencesOnly(participant::v1::Participant& participant) {
  participant.clear_display_name();
  participant.clear_email();
}

}  // namespace salesmeet
