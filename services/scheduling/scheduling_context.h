#ifndef SALESMEET_SERVICES_SCHEDULING_SCHEDULING_CONTEXT_H_
#define SALESMEET_SERVICES_SCHEDULING_SCHEDULING_CONTEXT_H_

// What the scheduling components share: the store, the participant
// directory, the feed notifier, page tokens, the clock, and who hears of
// calendar changes.

#include <functional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/clock.h"
#include "common/page_token.h"
#include "services/scheduling/change_feed/change_feed.h"
#include "services/scheduling/participants/participant_lookup.h"
#include "services/scheduling/store/meeting_store.h"

namespace salesmeet::scheduling {

// Told after every committed meeting write which participants' calendars it
// changed (attendees before and after), so a calendar cache drops them.
// Called after the commit, never inside the transaction: see
// calendar_cache.h for why that order keeps the cache correct.
class CalendarInvalidator {
 public:
  CalendarInvalidator() = default;
  CalendarInvalidator(const CalendarInvalidator&) = delete;
  CalendarInvalidator& operator=(const CalendarInvalidator&) = delete;
  virtual ~CalendarInvalidator() = default;

  // Must not fail the write: it has committed already.
  virtual void CalendarsChanged(
      const std::vector<std::string>& participants) = 0;
};

struct SchedulingContext {
  MeetingStore& store;
  // Asked by every write, so bookings are judged on current records.
  ParticipantLookup& people;
  ChangeNotifier& feed;
  const PageTokenCodec& tokens;
  Clock clock = absl::Now;
  CalendarInvalidator* calendars_changed = nullptr;  // Null: no cache.
  // Asked by the calls that only show calendars (GetCalendar,
  // QueryFreeBusy, FindMeetingSlots): `people` behind a few seconds' cache
  // (RecentParticipantLookup). Null: `people` itself.
  ParticipantLookup* calendar_people = nullptr;

  ParticipantLookup& CalendarPeople() const {
    return calendar_people != nullptr ? *calendar_people : people;
  }
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_SCHEDULING_CONTEXT_H_
