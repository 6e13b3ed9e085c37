#ifndef SALESMEET_SERVICES_ANALYTICS_PEOPLE_PARTICIPANT_FETCHER_H_
#define SALESMEET_SERVICES_ANALYTICS_PEOPLE_PARTICIPANT_FETCHER_H_

// Where the people directory's records come from in the server: the
// participant service, over gRPC.

#include <string>

#include "absl/time/time.h"
#include "services/analytics/people/people_directory.h"

namespace salesmeet::analytics {

// A PeopleFetcher that pages through ListParticipants of the participant
// service at `target`, each page with a deadline of at most `timeout`.
PeopleFetcher ListParticipantsFetcher(const std::string& target,
                                      absl::Duration timeout);

}  // namespace salesmeet::analytics

#endif  // SALESMEET_SERVICES_ANALYTICS_PEOPLE_PARTICIPANT_FETCHER_H_
