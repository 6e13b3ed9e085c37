// The calendar cache's bucket decoder
// (services/scheduling/calendar_cache/calendar_buckets.h): the input is a
// bucket's value as read from Redis, which anyone who can write to Redis
// controls. A value that does not decode is DATA_LOSS (the cache then reads
// the database). One that decodes is joined into calendars as the cache
// joins buckets (Assemble), and must give an ordered, duplicate-free
// calendar of occurrences inside the window; then it is served to what
// reads through the cache: GetCalendar, QueryFreeBusy and FindMeetingSlots,
// whose errors must fit the trailers.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/grpc_status.h"
#include "salesmeet/scheduling/v1/scheduling_service.pb.h"
#include "services/scheduling/calendar_cache/calendar_buckets.h"
#include "services/scheduling/calendars/calendar_reader.h"
#include "services/scheduling/calendars/calendar_source.h"
#include "services/scheduling/calendars/slot_search.h"
#include "services/scheduling/participants/in_memory_participant_lookup.h"
#include "services/scheduling/store/sqlite_meeting_store.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/fuzz/sales_org.h"

namespace salesmeet::fuzz {
namespace {

namespace sv1 = ::salesmeet::scheduling::v1;
using scheduling::CalendarOccurrence;
using scheduling::CalendarsByParticipant;

// Serves the decoded bucket as everybody's only bucket, joined as
// CachedCalendarSource joins what Redis returned.
class PoisonedCache : public scheduling::CalendarSource {
 public:
  explicit PoisonedCache(const std::vector<CalendarOccurrence>& bucket)
      : bucket_(bucket) {}

  absl::StatusOr<CalendarsByParticipant> Calendars(
      const std::vector<std::string>& participants, TimeSpan window) override {
    CalendarsByParticipant calendars;
    for (const std::string& p : participants) {
      calendars[p] = scheduling::Assemble({&bucket_}, window);
    }
    return calendars;
  }

 private:
  const std::vector<CalendarOccurrence>& bucket_;
};

// What the readers need besides the cache: the organisation, and a store
// for the policy slot finding reads (never written).
struct World {
  World() {
    for (const std::string& team : SalesOrgTeams()) people.PutTeam(team);
    for (const auto& person : SalesOrgPeople()) people.Put(person);
    auto opened = scheduling::SqliteMeetingStore::Open(
        absl::StrCat(ScratchDir(), "/calendar_bucket.db"), 1);
    Check(opened.ok(), "the meeting store opens");
    store = *std::move(opened);
  }
  scheduling::InMemoryParticipantLookup people;
  std::unique_ptr<scheduling::SqliteMeetingStore> store;
};

// The week after FuzzNow(), Monday 9 March 2026 00:00 UTC onwards.
type::v1::Interval NextWeek() {
  return FromText<type::v1::Interval>(
      "start_time { seconds: 1773014400 } end_time { seconds: 1773619200 }");
}

void CheckAssembled(const std::vector<CalendarOccurrence>& decoded) {
  const TimeSpan window{FuzzNow() - absl::Hours(24 * 7),
                        FuzzNow() + absl::Hours(24 * 21)};
  // The same bucket twice: an occurrence crossing a week boundary sits in
  // two buckets and must come out once.
  const std::vector<CalendarOccurrence> calendar =
      scheduling::Assemble({&decoded, &decoded}, window);
  std::set<std::pair<std::string, absl::Time>> seen;
  for (size_t i = 0; i < calendar.size(); ++i) {
    const CalendarOccurrence& o = calendar[i];
    Check(o.time.span.Overlaps(window), "an assembled occurrence overlaps");
    Check(seen.insert({o.meeting, o.time.original_start}).second,
          "an occurrence is assembled once");
    if (i > 0) {
      const CalendarOccurrence& p = calendar[i - 1];
      Check(std::tie(p.time.span.start, p.meeting, p.time.original_start) <=
                std::tie(o.time.span.start, o.meeting, o.time.original_start),
            "assembled occurrences are ordered");
    }
  }
}

void ServeReaders(World& world,
                  const std::vector<CalendarOccurrence>& decoded) {
  PoisonedCache cache(decoded);
  scheduling::CalendarReader reader(world.people, cache);
  const CallScope scope;

  sv1::GetCalendarRequest calendar;
  calendar.set_participant("participants/ada");
  *calendar.mutable_interval() = NextWeek();
  CheckErrorFitsTrailers(
      ToGrpcStatus(reader.GetCalendar(calendar, scope).status()));

  sv1::QueryFreeBusyRequest free_busy;
  for (const char* p : {"participants/ada", "participants/bob",
                        "participants/cleo", "participants/nobody"}) {
    free_busy.add_participants(p);
  }
  *free_busy.mutable_interval() = NextWeek();
  free_busy.set_include_unavailable(true);
  CheckErrorFitsTrailers(
      ToGrpcStatus(reader.QueryFreeBusy(free_busy, scope).status()));

  scheduling::SlotSearcher slots(*world.store, world.people, cache, FuzzNow);
  sv1::FindMeetingSlotsRequest find = FromText<sv1::FindMeetingSlotsRequest>(
      R"pb(required_attendees: "participants/ada"
           required_attendees: "participants/bob"
           optional_attendees: "participants/dev"
           duration { seconds: 3600 }
           granularity { seconds: 900 }
           max_results: 5
           check_weekly_budget: true)pb");
  *find.mutable_window() = NextWeek();
  CheckErrorFitsTrailers(ToGrpcStatus(slots.Find(find, scope).status()));
}

}  // namespace
}  // namespace salesmeet::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace salesmeet;
  using namespace salesmeet::fuzz;
  static World& world = *new World();
  const std::string value(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<std::vector<scheduling::CalendarOccurrence>> decoded =
      scheduling::DecodeBucket(value);
  if (!decoded.ok()) {
    Check(decoded.status().code() == absl::StatusCode::kDataLoss,
          "a bucket that does not decode is DATA_LOSS");
    return 0;
  }
  // What the cache writes back decodes to as many occurrences.
  absl::StatusOr<std::vector<scheduling::CalendarOccurrence>> again =
      scheduling::DecodeBucket(scheduling::EncodeBucket(*decoded));
  Check(again.ok() && again->size() == decoded->size(),
        "an encoded bucket decodes again");
  CheckAssembled(*decoded);
  ServeReaders(world, *decoded);
  return 0;
}
