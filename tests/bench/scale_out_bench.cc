// Scale-out: SQLite against PostgreSQL, one scheduling replica against
// three. Three scenarios, each runnable alone:
//
//   create     CreateMeeting p50/p99 and throughput with 8 and 24 concurrent
//              clients on SQLite (1 replica), PostgreSQL (1 replica) and
//              PostgreSQL (3 replicas, clients spread round-robin); each run
//              on a fresh database, then every acknowledged booking is looked
//              for and double bookings are counted through ListMeetings.
//   freebusy   QueryFreeBusy for 100 people over 30 days on a year of
//              meetings: through Redis cold (flushed), after a write to two
//              of them, warm, and without Redis; on SQLite and PostgreSQL.
//   analytics  analytics' projection catch-up from sequence 0 and restart
//              over a feed of --events changes written in-process through
//              the scheduling store, on PostgreSQL (and SQLite to compare).
//
//   scale_out_bench [--scenario=all|create|freebusy|analytics]
//                   [--clients=8,24] [--seconds=10] [--events=1000000] ...
//
// The bench starts everything it uses on free ports under a directory of
// its own in /tmp: a participant service (SQLite, the same for every run), a
// throwaway PostgreSQL cluster (scripts/pg_cluster.sh, as root), Redis for
// the freebusy scenario, and the scheduling and analytics processes; it
// stops them all when it ends. Besides each figure it prints where the CPU
// went while it was measured (from /proc: postgres, scheduling,
// participant, analytics, the bench itself), which on a small machine says
// more than the figure.

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "tests/bench/scale_out_env.h"

ABSL_FLAG(std::string, scenario, "all",
          "What to measure: create, freebusy, analytics or all");
ABSL_FLAG(std::vector<std::string>, clients,
          std::vector<std::string>({"8", "24"}),
          "create: numbers of concurrent clients, one run each");
ABSL_FLAG(double, seconds, 10, "create: measured seconds of each run");
ABSL_FLAG(double, warmup, 1,
          "create: seconds of each run before measuring starts (connections, "
          "pools, caches)");
ABSL_FLAG(std::vector<std::string>, setups,
          std::vector<std::string>({"sqlite1", "pg1", "pg3"}),
          "create: which deployments to run: sqliteN or pgN, N replicas");
ABSL_FLAG(bool, allow_conflicts, false,
          "create: book with allow_conflicts, to see the double-booking "
          "count work (it must then find some)");
ABSL_FLAG(int, people, 200, "Sales reps in the organisation");
ABSL_FLAG(int, weeks_ahead, 6,
          "create: bookings fall in the working hours of weeks 1..N from now");
ABSL_FLAG(int, scheduling_pool_size, 0,
          "--db_pool_size of each scheduling replica; 0 keeps its default");
ABSL_FLAG(int, freebusy_weeks, 52,
          "freebusy: weeks of meetings, centred on today (15 a week each)");
ABSL_FLAG(int64_t, events, 1000000, "analytics: feed events to write");
ABSL_FLAG(int, changes_per_meeting, 20,
          "analytics: events per meeting (created, updated..., completed or "
          "cancelled)");
ABSL_FLAG(int, batch, 1000, "analytics: events per write transaction");
ABSL_FLAG(bool, put_every_change, false,
          "analytics: PutMeeting on every event; by default a meeting's row "
          "is written with its first and its last event only (the ones in "
          "between would be overwritten), which halves the statements");
ABSL_FLAG(bool, sqlite_analytics, true,
          "analytics: also run the catch-up on SQLite, to compare");
ABSL_FLAG(std::string, participant_binary, SALESMEET_PARTICIPANT_BINARY, "");
ABSL_FLAG(std::string, scheduling_binary, SALESMEET_SCHEDULING_BINARY, "");
ABSL_FLAG(std::string, analytics_binary, SALESMEET_ANALYTICS_BINARY, "");
ABSL_FLAG(std::string, pg_cluster_script, SALESMEET_PG_CLUSTER_SCRIPT,
          "scripts/pg_cluster.sh, which starts the throwaway cluster");

namespace salesmeet::bench {
namespace {

int Run() {
  const std::string scenario = absl::GetFlag(FLAGS_scenario);
  const bool all = scenario == "all";
  if (!all && scenario != "create" && scenario != "freebusy" &&
      scenario != "analytics") {
    Fail("--scenario must be create, freebusy, analytics or all");
  }
  std::atexit(KillChildrenAtExit);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    signal(sig, [](int) { std::exit(130); });
  }
  Env env;
  env.work = std::filesystem::path("/tmp") /
             absl::StrCat("scale_out_bench_", getpid());
  std::filesystem::remove_all(env.work);
  std::filesystem::create_directories(env.work);
  std::filesystem::permissions(env.work, std::filesystem::perms(0755));
  std::printf("scale_out_bench: %ld cores; work directory %s\n",
              sysconf(_SC_NPROCESSORS_ONLN), env.work.c_str());
  env.participant = std::make_unique<Service>(
      "participant", absl::GetFlag(FLAGS_participant_binary),
      std::vector<std::string>{absl::StrCat(
          "--db=sqlite://", (env.work / "participant.db").string())});
  env.org = CreateOrg(env.participant->address(), absl::GetFlag(FLAGS_people));
  std::printf(
      "participant service (SQLite) with %d sales reps in %s, shared by "
      "every run\n",
      absl::GetFlag(FLAGS_people), kBenchZone);
  std::fflush(stdout);

  if (all || scenario == "create") CreateScenario(env);
  if (all || scenario == "freebusy") FreeBusyScenario(env);
  if (all || scenario == "analytics") AnalyticsScenario(env);

  env.participant.reset();
  env.cluster.reset();
  std::filesystem::remove_all(env.work);
  return 0;
}

}  // namespace
}  // namespace salesmeet::bench
int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "CreateMeeting, QueryFreeBusy and analytics catch-up on SQLite and "
      "PostgreSQL, with one and several scheduling replicas");
  absl::ParseCommandLine(argc, argv);
  return salesmeet::bench::Run();
}
