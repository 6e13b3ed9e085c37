#ifndef SALESMEET_SERVICES_PARTICIPANT_PARTICIPANT_VALIDATION_H_
#define SALESMEET_SERVICES_PARTICIPANT_PARTICIPANT_VALIDATION_H_

// The rules a participant or team must satisfy on its own, without looking
// at other records (references are checked by the directory, inside the
// write transaction).

#include "absl/strings/string_view.h"
#include "common/errors.h"
#include "salesmeet/participant/v1/participant.pb.h"

namespace salesmeet::participant {

// Loose but practical: one '@', a dot-atom local part, and a domain of
// letter/digit/hyphen labels ending in an alphabetic top-level domain.
bool IsValidEmail(absl::string_view email);

// Fills what a caller may leave out: Monday to Friday 09:00-17:00 when no
// working hours are given.
void ApplyParticipantDefaults(v1::Participant& participant);

// Adds a violation to `errors` for every rule `participant` breaks; field
// paths start with `prefix` (e.g. "participant").
void ValidateParticipant(const v1::Participant& participant,
                         absl::string_view prefix, FieldErrors& errors);

void ValidateTeam(const v1::Team& team, absl::string_view prefix,
                  FieldErrors& errors);

// True for the roles that sell: the ones that may own accounts.
bool IsSalesRole(salesmeet::type::v1::Role role);

}  // namespace salesmeet::participant

#endif  // SALESMEET_SERVICES_PARTICIPANT_PARTICIPANT_VALIDATION_H_
