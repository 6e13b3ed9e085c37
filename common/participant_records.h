#ifndef SALESMEET_COMMON_PARTICIPANT_RECORDS_H_
#define SALESMEET_COMMON_PARTICIPANT_RECORDS_H_

// What scheduling and analytics both keep of the participant service's
// answers: records by name, and the one way they say it did not answer.

#include <grpcpp/support/status.h>

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "salesmeet/participant/v1/participant.pb.h"

namespace salesmeet {

// Participant records by resource name, "participants/{id}".
using ParticipantsByName =
    absl::flat_hash_map<std::string, participant::v1::Participant>;

// Drops what identifies the person (name, email) from a record another
// service keeps: personal data stays in the participant service, and
// neither scheduling nor analytics needs it.
void KeepReferencesOnly(participant::v1::Participant& participant);

// UNAVAILABLE with reason PARTICIPANT_SERVICE_UNAVAILABLE: the participant
// service could not be asked, so the caller may retry later.
absl::Status ParticipantServiceUnavailable(absl::string_view why);

// Whether a call to the participant service failed for a reason of the
// service or of this one (down, too slow, or this service refused by its
// access policy), not of the request.
bool ParticipantServiceFailed(const grpc::Status& status);

// ParticipantServiceUnavailable for a call to the service at `target` that
// failed with `status`.
absl::Status ParticipantServiceDown(absl::string_view target,
                                    const grpc::Status& status);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_PARTICIPANT_RECORDS_H_
