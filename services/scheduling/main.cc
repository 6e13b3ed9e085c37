// scheduling: books, guards and lists meetings, and publishes the change
// feed. Flags can also be set as SALESMEET_<FLAG> variables.

#include <algorithm>
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
#include "services/scheduling/api/scheduling_service.h"
#include "services/scheduling/calendar_cache/calendar_cache.h"
#include "services/scheduling/calendar_cache/redis_connection.h"
#include "services/scheduling/calendars/calendar_source.h"
#include "services/scheduling/change_feed/change_feed.h"
#include "services/scheduling/participants/grpc_participant_lookup.h"
#include "services/scheduling/participants/recent_participants.h"
#include "services/scheduling/store/observed_meeting_store.h"
#include "services/scheduling/store/postgres_meeting_store.h"
#include "services/scheduling/store/sqlite_meeting_store.h"

ABSL_FLAG(std::string, db, "sqlite:///var/lib/salesmeet/scheduling.db",
          "Database URL: sqlite:///path/to/file.db, or a PostgreSQL URL "
          "postgresql://user@host:5432/dbname (see --db_password_file)");
ABSL_FLAG(int, db_pool_size, 4, "Database connections kept open");
ABSL_FLAG(std::string, participant, "localhost:50051",
          "Address of the participant service");
ABSL_FLAG(absl::Duration, participant_timeout, absl::Seconds(2),
          "Deadline of each call to the participant service (shortened to "
          "the incoming call's own deadline)");
ABSL_FLAG(absl::Duration, participant_cache_ttl, absl::Seconds(5),
          "How long calendars, free/busy and slot finding reuse a "
          "participant record (time zone, working hours, time off); 0 asks "
          "the participant service every time. Bookings always ask");
ABSL_FLAG(std::string, page_token_secret, "",
          "Key for page tokens; empty uses a random key stored in the "
          "database, shared by every replica using it");
ABSL_FLAG(std::string, redis, "",
          "Redis for the calendar cache, host:port; empty turns the cache "
          "off and reads calendars from the database");
ABSL_FLAG(absl::Duration, redis_connect_timeout, absl::Milliseconds(200),
          "How long connecting to Redis may take before the database answers "
          "instead");
ABSL_FLAG(absl::Duration, redis_command_timeout, absl::Milliseconds(100),
          "How long a Redis command may take before the database answers "
          "instead");
ABSL_FLAG(absl::Duration, redis_ttl, absl::Hours(1),
          "How long a cached calendar week lives in Redis (plus or minus 10% "
          "at random)");
ABSL_FLAG(int, redis_pool_size, 4, "Redis connections kept open");
ABSL_FLAG(absl::Duration, testing_store_delay, absl::ZeroDuration(),
          "Fault injection for tests and drills: wait this long before every "
          "database transaction");

namespace salesmeet::scheduling {
namespace {

int Fail(absl::string_view what, const absl::Status& status) {
  return StartupFailure("scheduling", what, status);
}

constexpr int kDefaultGrpcPort = 50052;
constexpr int kDefaultMetricsPort = 9452;

int Main() {
  ServerRunner runner(ServerOptionsFromFlags("scheduling", kDefaultGrpcPort,
                                             kDefaultMetricsPort));
  absl::StatusOr<std::unique_ptr<MeetingStore>> backend =
      OpenChosenStore<MeetingStore, SqliteMeetingStore, PostgresMeetingStore>(
          absl::GetFlag(FLAGS_db), "scheduling",
          absl::GetFlag(FLAGS_db_pool_size));
  if (!backend.ok()) return Fail("cannot open the database", backend.status());
  if (MigrateOnly()) return 0;
  ObservedMeetingStore store(*std::move(backend), runner.metrics(),
                             absl::GetFlag(FLAGS_testing_store_delay));
  absl::StatusOr<std::string> secret =
      PageTokenKey(absl::GetFlag(FLAGS_page_token_secret), store);
  if (!secret.ok()) {
    return Fail("cannot read the page token key", secret.status());
  }
  absl::StatusOr<int64_t> head = store.HeadSequence();
  if (!head.ok()) return Fail("cannot read the change feed", head.status());

  PageTokenCodec tokens(*secret, absl::Hours(24));
  ChangeNotifier feed(*head);
  // Other replicas' commits wake this replica's watchers too.
  store.FollowOtherWriters([&feed](int64_t head) { feed.Published(head); });
  GrpcParticipantLookup people(absl::GetFlag(FLAGS_participant),
                               absl::GetFlag(FLAGS_participant_timeout));
  StoreCalendarSource from_store(store);
  absl::StatusOr<Clock> clock = ClockFromFlags();
  if (!clock.ok()) return Fail("bad --testing_now", clock.status());
  SchedulingContext context{store, people, feed, tokens, *clock};
  // Calendar reads may show a record a few seconds old, and keep working
  // for a while on older ones when the participant service is down.
  std::unique_ptr<RecentParticipantLookup> recent_people;
  if (const absl::Duration ttl = absl::GetFlag(FLAGS_participant_cache_ttl);
      ttl > absl::ZeroDuration()) {
    recent_people = std::make_unique<RecentParticipantLookup>(
        people, ttl, absl::Minutes(5), [] { return absl::Now(); });
    context.calendar_people = recent_people.get();
  }
  CalendarSource* calendars = &from_store;
  // Redis is optional: with --redis empty, or Redis down, reads go to the
  // database. It is not probed at start-up and never affects health.
  std::unique_ptr<RedisConnectionPool> redis;
  std::unique_ptr<CachedCalendarSource> cache;
  if (const std::string address = absl::GetFlag(FLAGS_redis);
      !address.empty()) {
    RedisOptions options;
    if (absl::Status parsed = ParseRedisAddress(address, options);
        !parsed.ok()) {
      return Fail("bad --redis", parsed);
    }
    options.connect_timeout = absl::GetFlag(FLAGS_redis_connect_timeout);
    options.command_timeout = absl::GetFlag(FLAGS_redis_command_timeout);
    options.pool_size = std::max(1, absl::GetFlag(FLAGS_redis_pool_size));
    redis = std::make_unique<RedisConnectionPool>(options);
    CalendarCacheOptions cache_options;
    cache_options.ttl = absl::GetFlag(FLAGS_redis_ttl);
    cache = std::make_unique<CachedCalendarSource>(
        from_store, *redis, cache_options, runner.metrics());
    calendars = cache.get();
    context.calendars_changed = cache.get();
  }
  SchedulingServiceImpl service(context, *calendars);

  runner.AddService(&service, "salesmeet.scheduling.v1.SchedulingService");
  runner.SetStoreProbe([&store] { return store.Ping(); });
  // Watch streams end at once on shutdown; clients reconnect elsewhere.
  runner.SetDrainHook([&feed] { feed.Close(); });
  absl::Status status = runner.Run();
  if (!status.ok()) return Fail("cannot serve", status);
  return 0;
}

}  // namespace
}  // namespace salesmeet::scheduling

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "scheduling service: meetings, policies and the change feed");
  salesmeet::ParseFlagsWithEnvironment(argc, argv);
  return salesmeet::scheduling::Main();
}
