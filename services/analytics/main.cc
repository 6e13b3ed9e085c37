// analytics: cost, load, mix, contact cadence and performance reports from
// a projection of scheduling's change feed. Flags can also be set as
// SALESMEET_<FLAG> variables.

#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/usage.h"
#include "common/clock.h"
#include "common/env_flags.h"
#include "common/page_token.h"
#include "common/server_runner.h"
#include "common/service_startup.h"
#include "services/analytics/api/analytics_service.h"
#include "services/analytics/feed/feed_follower.h"
#include "services/analytics/people/participant_fetcher.h"
#include "services/analytics/people/people_directory.h"
#include "services/analytics/projection/postgres_projection_store.h"
#include "services/analytics/projection/projection.h"
#include "services/analytics/projection/sqlite_projection_store.h"

ABSL_FLAG(std::string, db, "sqlite:///var/lib/salesmeet/analytics.db",
          "Database URL of the projection: sqlite:///path/to/file.db, or a "
          "PostgreSQL URL postgresql://user@host:5432/dbname shared by every "
          "replica (see --db_password_file)");
ABSL_FLAG(int, db_pool_size, 2, "Database connections kept open");
ABSL_FLAG(std::string, scheduling, "localhost:50052",
          "Address of the scheduling service, whose change feed is followed");
ABSL_FLAG(std::string, participant, "localhost:50051",
          "Address of the participant service");
ABSL_FLAG(absl::Duration, participant_timeout, absl::Seconds(2),
          "Deadline of each call to the participant service (shortened to "
          "the incoming call's own deadline)");
ABSL_FLAG(absl::Duration, people_cache_ttl, absl::Seconds(30),
          "How long participant records (working hours, customer profiles) "
          "are reused before the participant service is asked again");
ABSL_FLAG(absl::Duration, feed_heartbeat, absl::Seconds(5),
          "Heartbeat interval asked of the change feed; a stream silent for "
          "three of them is replaced");
ABSL_FLAG(absl::Duration, feed_max_backoff, absl::Seconds(30),
          "Longest wait between reconnection attempts to the change feed");
ABSL_FLAG(absl::Duration, policy_refresh, absl::Seconds(5),
          "How often scheduling's policy (its currency table) is read again");
ABSL_FLAG(std::string, page_token_secret, "",
          "Key for page tokens; empty uses a random key stored in the "
          "database");

namespace salesmeet::analytics {
namespace {

constexpr int kDefaultGrpcPort = 50053;
constexpr int kDefaultMetricsPort = 9453;

int Fail(absl::string_view what, const absl::Status& status) {
  return StartupFailure("analytics", what, status);
}

int Main() {
  ServerRunner runner(ServerOptionsFromFlags("analytics", kDefaultGrpcPort,
                                             kDefaultMetricsPort));
  absl::StatusOr<std::unique_ptr<ProjectionStore>> store =
      OpenChosenStore<ProjectionStore, SqliteProjectionStore,
                      PostgresProjectionStore>(
          absl::GetFlag(FLAGS_db), "analytics",
          absl::GetFlag(FLAGS_db_pool_size));
  if (!store.ok()) return Fail("cannot open the database", store.status());
  if (MigrateOnly()) return 0;
  absl::StatusOr<std::string> secret =
      PageTokenKey(absl::GetFlag(FLAGS_page_token_secret), **store);
  if (!secret.ok()) {
    return Fail("cannot read the page token key", secret.status());
  }
  PageTokenCodec tokens(*secret, absl::Hours(24));

  absl::StatusOr<Clock> clock = ClockFromFlags();
  if (!clock.ok()) return Fail("bad --testing_now", clock.status());
  absl::StatusOr<std::unique_ptr<Projection>> projection =
      Projection::Open(**store, *clock);
  if (!projection.ok()) {
    return Fail("cannot load the projection", projection.status());
  }

  const absl::Duration participant_timeout =
      absl::GetFlag(FLAGS_participant_timeout);
  PeopleDirectory people(
      ListParticipantsFetcher(absl::GetFlag(FLAGS_participant),
                              participant_timeout),
      absl::GetFlag(FLAGS_people_cache_ttl), RealClock());

  FeedFollowerOptions feed;
  feed.scheduling_target = absl::GetFlag(FLAGS_scheduling);
  feed.heartbeat_interval = absl::GetFlag(FLAGS_feed_heartbeat);
  feed.max_backoff = absl::GetFlag(FLAGS_feed_max_backoff);
  feed.policy_refresh = absl::GetFlag(FLAGS_policy_refresh);
  feed.clock = *clock;
  FeedFollower follower(**projection, feed, runner.metrics());
  follower.Start();

  AnalyticsServiceImpl service(**projection, people, tokens, *clock);
  runner.AddService(&service, "salesmeet.analytics.v1.AnalyticsService");
  // Health follows the database only: with scheduling down, reports still
  // answer from the last projection, marked with their freshness.
  runner.SetStoreProbe([&store] { return (*store)->Ping(); });
  runner.SetDrainHook([&follower] { follower.Stop(); });
  absl::Status status = runner.Run();
  follower.Stop();
  if (!status.ok()) return Fail("cannot serve", status);
  return 0;
}

}  // namespace
}  // namespace salesmeet::analytics

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "analytics service: reports built from scheduling's change feed");
  salesmeet::ParseFlagsWithEnvironment(argc, argv);
  return salesmeet::analytics::Main();
}
