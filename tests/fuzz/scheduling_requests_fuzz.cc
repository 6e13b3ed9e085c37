// Every unary request of the scheduling service, through its gRPC handlers
// (services/scheduling/api/scheduling_service.h): the request limits, the
// validation (meeting fields and recurrence, intervals, filters, page
// tokens, update masks, slot queries, the policy) and, for a request that
// passes, booking, lifecycle, calendars and slot finding on a real SQLite
// store holding a few meetings, with the participants of a small sales
// organisation in memory. The input's first byte picks the method
// (Methods(), in order), the rest is the request. WatchMeetingChanges is
// left out: a stream needs a live call.
//
// Every answer's error must fit the trailers. The store is put back after
// any write that succeeded, so each input meets the same meetings.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/page_token.h"
#include "salesmeet/scheduling/v1/scheduling_service.pb.h"
#include "services/scheduling/api/scheduling_service.h"
#include "services/scheduling/calendars/calendar_source.h"
#include "services/scheduling/change_feed/change_feed.h"
#include "services/scheduling/participants/in_memory_participant_lookup.h"
#include "services/scheduling/scheduling_context.h"
#include "services/scheduling/store/sqlite_meeting_store.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/fuzz/sales_org.h"

namespace salesmeet::fuzz {
namespace {

namespace sv1 = ::salesmeet::scheduling::v1;
using scheduling::SchedulingServiceImpl;

// The methods in the order the first byte picks them; make_seeds.py
// numbers its seeds the same way.
const std::vector<UnaryMethod<SchedulingServiceImpl>>& Methods() {
  using S = SchedulingServiceImpl;
  static const auto* methods = new std::vector<UnaryMethod<S>>{
      Unary("CreateMeeting", true, &S::CreateMeeting),
      Unary("GetMeeting", false, &S::GetMeeting),
      Unary("ListMeetings", false, &S::ListMeetings),
      Unary("UpdateMeeting", true, &S::UpdateMeeting),
      Unary("CancelMeeting", true, &S::CancelMeeting),
      Unary("CompleteMeeting", true, &S::CompleteMeeting),
      Unary("RespondToMeeting", true, &S::RespondToMeeting),
      Unary("ListOccurrences", false, &S::ListOccurrences),
      Unary("MoveOccurrence", true, &S::MoveOccurrence),
      Unary("CancelOccurrence", true, &S::CancelOccurrence),
      Unary("RestoreOccurrence", true, &S::RestoreOccurrence),
      Unary("TruncateSeries", true, &S::TruncateSeries),
      Unary("GetCalendar", false, &S::GetCalendar),
      Unary("QueryFreeBusy", false, &S::QueryFreeBusy),
      Unary("FindMeetingSlots", false, &S::FindMeetingSlots),
      Unary("GetSchedulingPolicy", false, &S::GetSchedulingPolicy),
      Unary("UpdateSchedulingPolicy", true, &S::UpdateSchedulingPolicy),
  };
  return *methods;
}

// The meetings every input meets (times are 2026, Rome = UTC+1 in March):
// a weekly series, an endless daily stand-up, a customer pitch by video,
// and a review held last week that can be completed.
constexpr const char* kMeetings[] = {
    R"pb(meeting_id: "weekly"
         meeting {
           title: "Pipeline review"
           agenda: "1. Deals\n2. Forecast"
           purpose: SALES_DATA_REVIEW
           format: IN_PERSON
           organizer: "participants/bob"
           attendees { participant: "participants/bob" }
           attendees { participant: "participants/ada" }
           attendees { participant: "participants/eve" optional: true }
           start_time { seconds: 1772528400 }  # Tue 3 Mar 10:00 Rome
           end_time { seconds: 1772532000 }
           time_zone: "Europe/Rome"
           recurrence { rrule: "FREQ=WEEKLY;BYDAY=TU;COUNT=20" }
         })pb",
    R"pb(meeting_id: "standup"
         meeting {
           title: "Stand-up"
           agenda: "Blockers"
           purpose: CHALLENGE_REVIEW
           format: CONFERENCE_CALL
           organizer: "participants/ada"
           attendees { participant: "participants/ada" }
           attendees { participant: "participants/dev" }
           start_time { seconds: 1773043200 }  # Mon 9 Mar 09:00 Rome
           end_time { seconds: 1773044100 }
           time_zone: "Europe/Rome"
           recurrence { rrule: "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR" }
         })pb",
    R"pb(meeting_id: "pitch"
         meeting {
           title: "Acme pitch"
           agenda: "Demo"
           purpose: PROSPECT_PITCH
           format: VIDEO_CONFERENCE
           video_conference {
             provider: ZOOM
             join_uri: "https://zoom.example/j/42"
           }
           organizer: "participants/ada"
           attendees { participant: "participants/ada" }
           attendees { participant: "participants/cleo" }
           start_time { seconds: 1772636400 }  # Wed 4 Mar 16:00 Rome
           end_time { seconds: 1772640000 }
         })pb",
    R"pb(meeting_id: "review"
         meeting {
           title: "Quarter review"
           agenda: "Numbers"
           purpose: GOAL_SETTING
           format: IN_PERSON
           organizer: "participants/bob"
           attendees { participant: "participants/bob" }
           attendees { participant: "participants/ada" }
           start_time { seconds: 1772182800 }  # Fri 27 Feb 10:00 Rome
           end_time { seconds: 1772186400 }
         })pb",
};

// The service as main wires it, without the Redis cache, on the
// snapshot's database file.
class Server {
 public:
  Server(const std::string& path, scheduling::ParticipantLookup& people)
      : tokens_(kPageTokenSecret, absl::Hours(24)) {
    auto store = scheduling::SqliteMeetingStore::Open(path, 2);
    Check(store.ok(), "the meeting store opens");
    store_ = *std::move(store);
    absl::StatusOr<int64_t> head = store_->HeadSequence();
    Check(head.ok(), "the change feed reads");
    feed_ = std::make_unique<scheduling::ChangeNotifier>(*head);
    calendars_ = std::make_unique<scheduling::StoreCalendarSource>(*store_);
    service_ = std::make_unique<SchedulingServiceImpl>(
        scheduling::SchedulingContext{*store_, people, *feed_, tokens_,
                                      FuzzNow},
        *calendars_);
  }
  SchedulingServiceImpl& service() { return *service_; }

 private:
  PageTokenCodec tokens_;
  std::unique_ptr<scheduling::SqliteMeetingStore> store_;
  std::unique_ptr<scheduling::ChangeNotifier> feed_;
  std::unique_ptr<scheduling::StoreCalendarSource> calendars_;
  std::unique_ptr<SchedulingServiceImpl> service_;
};

class World {
 public:
  World() : snapshot_("scheduling") {
    for (const std::string& team : SalesOrgTeams()) people_.PutTeam(team);
    for (const auto& person : SalesOrgPeople()) people_.Put(person);
    {
      Server seeding(snapshot_.path(), people_);
      for (const char* text : kMeetings) {
        grpc::ServerContext context;
        const auto request = FromText<sv1::CreateMeetingRequest>(text);
        sv1::CreateMeetingResponse response;
        const grpc::Status created =
            seeding.service().CreateMeeting(&context, &request, &response);
        Check(created.ok(), created.error_message());
      }
    }
    snapshot_.Save();
    server_ = std::make_unique<Server>(snapshot_.path(), people_);
  }

  SchedulingServiceImpl& service() { return server_->service(); }

  void Reset() {
    server_.reset();
    snapshot_.Restore();
    server_ = std::make_unique<Server>(snapshot_.path(), people_);
  }

 private:
  DatabaseSnapshot snapshot_;
  scheduling::InMemoryParticipantLookup people_;
  std::unique_ptr<Server> server_;
};

}  // namespace
}  // namespace salesmeet::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace salesmeet::fuzz;
  static World& world = *new World();
  auto picked = PickMethod(Methods(), data, size);
  if (!picked.has_value()) return 0;
  const auto& [method, bytes] = *picked;
  std::optional<grpc::Status> status = method->call(world.service(), bytes);
  if (!status.has_value()) return 0;
  Trace(method->name, *status);
  CheckErrorFitsTrailers(*status);
  if (method->writes && status->ok()) world.Reset();
  return 0;
}
