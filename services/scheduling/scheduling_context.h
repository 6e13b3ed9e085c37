#ifndef SALESMEET_SERVICES_SCHEDULING_SCHEDULING_CONTEXT_H_
#define SALESMEET_SERVICES_SCHEDULING_SCHEDULING_CONTEXT_H_

// How the service is wired: main fills a SchedulingContext (store,
// participant lookups, feed, page tokens, clock, calendar cache) and the gRPC
// adapter hands each component only the parts it uses. Also who hears of a
// committed write (CommitListeners).

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

// Who hears of a committed meeting write: the change feed's watchers, and
// the calendar cache (null: no cache).
struct CommitListeners {
  ChangeNotifier& feed;
  CalendarInvalidator* calendars_changed = nullptr;
};

// How main wires the service's components; each is constructed with the
// parts of it that it uses.
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
  CommitListeners Listeners() const { return {feed, calendars_changed}; }
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_SCHEDULING_CONTEXT_H_
