#include "common/participant_records.h"

#include "absl/strings/str_cat.h"
#include "common/errors.h"

namespace salesmeet {

absl::Status ParticipantServiceUnavailable(absl::string_view why) {
  return WithErrorInfo(absl::UnavailableError(why),
                       "PARTICIPANT_SERVICE_UNAVAILABLE");
}

absl::Status ParticipantServiceDown(absl::string_view target,
                                    const grpc::Status& status) {
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
