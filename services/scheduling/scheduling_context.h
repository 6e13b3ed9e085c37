#ifndef SALESMEET_SERVICES_SCHEDULING_SCHEDULING_CONTEXT_H_
#define SALESMEET_SERVICES_SCHEDULING_SCHEDULING_CONTEXT_H_

// What the scheduling components share: the store, the participant
// directory, the feed notifier, page tokens and the clock.

#include <functional>

#include "absl/time/time.h"
#include "common/page_token.h"
#include "services/scheduling/change_feed.h"
#include "services/scheduling/meeting_store.h"
#include "services/scheduling/participant_lookup.h"

namespace salesmeet::scheduling {

using Clock = std::function<absl::Time()>;

struct SchedulingContext {
  MeetingStore& store;
  ParticipantLookup& people;
  ChangeNotifier& feed;
  const PageTokenCodec& tokens;
  Clock clock = absl::Now;
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_SCHEDULING_CONTEXT_H_
