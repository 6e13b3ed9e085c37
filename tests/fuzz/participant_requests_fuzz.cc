// Every request of the participant service, through its gRPC handlers
// (services/participant/participant_service.h): the request limits, the
// validation (participant_validation.h, names, ids, filters, page tokens,
// update masks) and, for a request that passes, the directory's rules on a
// real SQLite store holding a small organisation. The input's first byte
// picks the method (kMethods, in order), the rest is the request.
//
// Every answer's error must fit the trailers. The store is put back after
// any write that succeeded, so each input meets the same records.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/page_token.h"
#include "salesmeet/participant/v1/participant_service.pb.h"
#include "services/participant/participant_directory.h"
#include "services/participant/participant_service.h"
#include "services/participant/sqlite_participant_store.h"
#include "services/participant/team_directory.h"
#include "tests/fuzz/fuzz_support.h"

namespace salesmeet::fuzz {
namespace {

namespace pv1 = ::salesmeet::participant::v1;
using participant::ParticipantServiceImpl;

// The methods in the order the first byte picks them; make_seeds.py
// numbers its seeds the same way.
const std::vector<UnaryMethod<ParticipantServiceImpl>>& Methods() {
  using S = ParticipantServiceImpl;
  static const auto* methods = new std::vector<UnaryMethod<S>>{
      Unary("CreateParticipant", true, &S::CreateParticipant),
      Unary("GetParticipant", false, &S::GetParticipant),
      Unary("BatchGetParticipants", false, &S::BatchGetParticipants),
      Unary("ListParticipants", false, &S::ListParticipants),
      Unary("UpdateParticipant", true, &S::UpdateParticipant),
      Unary("DeleteParticipant", true, &S::DeleteParticipant),
      Unary("CreateTeam", true, &S::CreateTeam),
      Unary("GetTeam", false, &S::GetTeam),
      Unary("ListTeams", false, &S::ListTeams),
      Unary("UpdateTeam", true, &S::UpdateTeam),
      Unary("DeleteTeam", true, &S::DeleteTeam),
  };
  return *methods;
}

// The service as main wires it, on the snapshot's database file.
class Server {
 public:
  explicit Server(const std::string& path)
      : tokens_(kPageTokenSecret, absl::Hours(24)) {
    auto store = participant::SqliteParticipantStore::Open(path, 2);
    Check(store.ok(), "the participant store opens");
    store_ = *std::move(store);
    people_ = std::make_unique<participant::ParticipantDirectory>(
        *store_, tokens_, FuzzNow);
    teams_ =
        std::make_unique<participant::TeamDirectory>(*store_, tokens_, FuzzNow);
    service_ = std::make_unique<ParticipantServiceImpl>(*people_, *teams_);
  }
  ParticipantServiceImpl& service() { return *service_; }

 private:
  PageTokenCodec tokens_;
  std::unique_ptr<participant::SqliteParticipantStore> store_;
  std::unique_ptr<participant::ParticipantDirectory> people_;
  std::unique_ptr<participant::TeamDirectory> teams_;
  std::unique_ptr<ParticipantServiceImpl> service_;
};

void Seed(ParticipantServiceImpl& service) {
  grpc::ServerContext context;
  pv1::Participant participant;
  pv1::Team team;
  auto person = [&](const char* text) {
    const auto request = FromText<pv1::CreateParticipantRequest>(text);
    const grpc::Status created =
        service.CreateParticipant(&context, &request, &participant);
    Check(created.ok(), created.error_message());
  };
  auto add_team = [&](const char* text) {
    const auto request = FromText<pv1::CreateTeamRequest>(text);
    const grpc::Status created = service.CreateTeam(&context, &request, &team);
    Check(created.ok(), created.error_message());
  };
  person(R"pb(participant_id: "bob"
              participant {
                display_name: "Bob Manager"
                email: "bob@example.com"
                kind: EMPLOYEE
                role: SALES_MANAGER
                time_zone: "Europe/Rome"
                hourly_cost { currency_code: "EUR" units: 90 }
                weekly_meeting_budget { seconds: 36000 }
              })pb");
  add_team(
      R"pb(team_id: "emea"
           team { display_name: "EMEA sales" manager: "participants/bob" })pb");
  add_team(R"pb(team_id: "product"
                team { display_name: "Product" })pb");
  person(R"pb(participant_id: "ada"
              participant {
                display_name: "Ada Rep"
                email: "ada@example.com"
                kind: EMPLOYEE
                role: SALES_REP
                team: "teams/emea"
                time_zone: "Europe/Rome"
                hourly_cost { currency_code: "EUR" units: 60 }
                weekly_meeting_budget { seconds: 36000 }
                time_off {
                  interval {
                    start_time { seconds: 1775000000 }
                    end_time { seconds: 1775086400 }
                  }
                  reason: "Holiday"
                }
              })pb");
  person(R"pb(participant_id: "dev"
              participant {
                display_name: "Dev Eloper"
                email: "dev@example.com"
                kind: EMPLOYEE
                role: DEVELOPER
                team: "teams/product"
                time_zone: "America/New_York"
                hourly_cost { currency_code: "USD" units: 75 }
              })pb");
  person(R"pb(participant_id: "cleo"
              participant {
                display_name: "Cleo Customer"
                email: "cleo@acme.example"
                kind: CUSTOMER_CONTACT
                time_zone: "America/New_York"
                customer {
                  account: "Acme"
                  lifecycle: PROSPECT
                  account_owner: "participants/ada"
                  contact_cadence { seconds: 1209600 }
                }
              })pb");
}

class World {
 public:
  World() : snapshot_("participant") {
    {
      Server seeding(snapshot_.path());
      Seed(seeding.service());
    }
    snapshot_.Save();
    server_ = std::make_unique<Server>(snapshot_.path());
  }

  ParticipantServiceImpl& service() { return server_->service(); }

  void Reset() {
    server_.reset();
    snapshot_.Restore();
    server_ = std::make_unique<Server>(snapshot_.path());
  }

 private:
  DatabaseSnapshot snapshot_;
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
