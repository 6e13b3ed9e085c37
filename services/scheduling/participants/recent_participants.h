#ifndef SALESMEET_SERVICES_SCHEDULING_PARTICIPANTS_RECENT_PARTICIPANTS_H_
#define SALESMEET_SERVICES_SCHEDULING_PARTICIPANTS_RECENT_PARTICIPANTS_H_

// Participant records kept for a few seconds, for the calls that only show
// calendars (GetCalendar, QueryFreeBusy, FindMeetingSlots). Those read the
// participant service on every call, and the hop costs more than reading
// a cached calendar. Writes never use it: a booking is judged on the
// records as they are at that moment.

#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/call_scope.h"
#include "common/clock.h"
#include "services/scheduling/participants/participant_lookup.h"

namespace salesmeet::scheduling {

class RecentParticipantLookup : public ParticipantLookup {
 public:
  // Records from `source` are reused for `ttl`. When `source` fails, a
  // record up to `stale_limit` old still answers, so calendars keep working
  // through a short outage of the participant service.
  RecentParticipantLookup(ParticipantLookup& source, absl::Duration ttl,
                          absl::Duration stale_limit, Clock clock);

  // Asks `source` only for the names without a fresh record, in one call.
  // NOT_FOUND and other errors of `source` are passed on and not kept.
  absl::StatusOr<ParticipantsByName> Lookup(
      const std::vector<std::string>& names,
      const CallScope& incoming) override;
  absl::Status CheckTeam(const std::string& team,
                         const CallScope& incoming) override {
    return source_.CheckTeam(team, incoming);
  }
  // Never cached: what a caller may see is theirs alone.
  absl::StatusOr<ParticipantsByName> LookupForCaller(
      const std::vector<std::string>& names,
      const CallScope& incoming) override {
    return source_.LookupForCaller(names, incoming);
  }

 private:
  struct Kept {
    participant::v1::Participant record;
    absl::Time fetched;
  };

  ParticipantLookup& source_;
  const absl::Duration ttl_;
  const absl::Duration stale_limit_;
  const Clock clock_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Kept> kept_ ABSL_GUARDED_BY(mu_);
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_PARTICIPANTS_RECENT_PARTICIPANTS_H_
