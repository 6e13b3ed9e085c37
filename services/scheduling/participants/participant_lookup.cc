#include "services/scheduling/participants/participant_lookup.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/client_channel.h"
#include "common/errors.h"
#include "common/grpc_status.h"

namespace salesmeet::scheduling {
namespace {

namespace pv1 = participant::v1;

}  // namespace

absl::StatusOr<KnownParticipants> LookupKnown(ParticipantLookup& people,
                                              std::vector<std::string> names,
                                              const CallScope& incoming) {
  KnownParticipants known;
  while (!names.empty()) {
    absl::StatusOr<ParticipantsByName> found = people.Lookup(names, incoming);
    if (found.ok()) {
      known.found = *std::move(found);
      break;
    }
    google::rpc::ResourceInfo info;
    if (!absl::IsNotFound(found.status()) ||
        !GetResourceInfo(found.status(), &info)) {
      return found.status();
    }
    auto kept = std::remove(names.begin(), names.end(), info.resource_name());
    // A NOT_FOUND for something not asked about is not ours to absorb.
    if (kept == names.end()) return found.status();
    names.erase(kept, names.end());
    known.missing.emplace(info.resource_name(), found.status());
  }
  return known;
}

absl::StatusOr<ParticipantsByName> ParticipantLookup::LookupForCaller(
    const std::vector<std::string>& names, const CallScope& incoming) {
  absl::StatusOr<KnownParticipants> known = LookupKnown(*this, names, incoming);
  if (!known.ok()) return known.status();
  return std::move(known->found);
}

}  // namespace salesmeet::scheduling
