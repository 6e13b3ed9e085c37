// participant: the directory of people and teams that salesmeet plans
// meetings with. Flags can also be set as SALESMEET_<FLAG> variables.

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "common/clock.h"
#include "common/env_flags.h"
#include "common/json_log.h"
#include "common/page_token.h"
#include "common/server_runner.h"
#include "common/service_startup.h"
#include "common/sqlite.h"
#include "services/participant/observed_participant_store.h"
#include "services/participant/participant_directory.h"
#include "services/participant/participant_service.h"
#include "services/participant/postgres_participant_store.h"
#include "services/participant/sqlite_participant_store.h"
#include "services/participant/team_directory.h"

ABSL_FLAG(std::string, db, "sqlite:///var/lib/salesmeet/participant.db",
          "Database URL: sqlite:///path/to/file.db, or a PostgreSQL URL "
          "postgresql://user@host:5432/dbname (see --db_password_file)");
ABSL_FLAG(int, db_pool_size, 4, "Database connections kept open");
ABSL_FLAG(std::string, page_token_secret, "",
          "Key for page tokens; empty uses a random key stored in the "
          "database, shared by every replica using it");
ABSL_FLAG(absl::Duration, testing_store_delay, absl::ZeroDuration(),
          "Fault injection for tests and drills: wait this long before every "
          "database transaction");

namespace salesmeet::participant {
namespace {

int Fail(absl::string_view what, const absl::Status& status) {
  return StartupFailure("participant", what, status);
}

constexpr int kDefaultGrpcPort = 50051;
constexpr int kDefaultMetricsPort = 9451;

int Main() {
  ServerRunner runner(ServerOptionsFromFlags("participant", kDefaultGrpcPort,
                                             kDefaultMetricsPort));
  absl::StatusOr<std::unique_ptr<ParticipantStore>> backend =
      OpenChosenStore<ParticipantStore, SqliteParticipantStore,
                      PostgresParticipantStore>(
          absl::GetFlag(FLAGS_db), "participant",
          absl::GetFlag(FLAGS_db_pool_size));
  if (!backend.ok()) return Fail("cannot open the database", backend.status());
  if (MigrateOnly()) return 0;
  ObservedParticipantStore store(*std::move(backend), runner.metrics(),
                                 absl::GetFlag(FLAGS_testing_store_delay));

  absl::StatusOr<std::string> secret =
      PageTokenKey(absl::GetFlag(FLAGS_page_token_secret), store);
  if (!secret.ok()) {
    return Fail("cannot read the page token key", secret.status());
  }
  PageTokenCodec tokens(*secret, absl::Hours(24));
  absl::StatusOr<Clock> clock = ClockFromFlags();
  if (!clock.ok()) return Fail("bad --testing_now", clock.status());
  ParticipantDirectory people(store, tokens, *clock);
  TeamDirectory teams(store, tokens, *clock);
  ParticipantServiceImpl service(people, teams);

  runner.AddService(&service, "salesmeet.participant.v1.ParticipantService");
  runner.SetStoreProbe([&store] { return store.Ping(); });
  absl::Status status = runner.Run();
  if (!status.ok()) return Fail("cannot serve", status);
  return 0;
}

}  // namespace
}  // namespace salesmeet::participant

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "participant service: people and teams for salesmeet");
  salesmeet::ParseFlagsWithEnvironment(argc, argv);
  return salesmeet::participant::Main();
}
