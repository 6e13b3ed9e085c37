#ifndef SALESMEET_TESTS_BENCH_SCALE_OUT_ENV_H_
#define SALESMEET_TESTS_BENCH_SCALE_OUT_ENV_H_

// What every scenario of scale_out_bench shares: its flags, the processes
// it starts (services, a throwaway PostgreSQL) and stops on every way out,
// the CPU meter, the organisation's meetings, and the scenarios themselves
// (one file each).

#include <grpcpp/grpcpp.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/calendar/occurrences.h"
#include "common/etag.h"
#include "common/field_checks.h"
#include "common/service_startup.h"
#include "salesmeet/analytics/v1/analytics_service.grpc.pb.h"
#include "salesmeet/participant/v1/participant_service.grpc.pb.h"
#include "salesmeet/scheduling/v1/scheduling_service.grpc.pb.h"
#include "services/scheduling/booking/attendee_records.h"
#include "services/scheduling/store/postgres_meeting_store.h"
#include "services/scheduling/store/sqlite_meeting_store.h"
#include "tests/bench/bench_checks.h"
#include "tests/bench/bench_org.h"
#include "tests/bench/latency.h"
#include "tests/bench/redis_server.h"
#include "tests/bench/service_process.h"

ABSL_DECLARE_FLAG(std::string, scenario);
ABSL_DECLARE_FLAG(std::vector<std::string>, clients);
ABSL_DECLARE_FLAG(double, seconds);
ABSL_DECLARE_FLAG(double, warmup);
ABSL_DECLARE_FLAG(std::vector<std::string>, setups);
ABSL_DECLARE_FLAG(bool, allow_conflicts);
ABSL_DECLARE_FLAG(int, people);
ABSL_DECLARE_FLAG(int, weeks_ahead);
ABSL_DECLARE_FLAG(int, scheduling_pool_size);
ABSL_DECLARE_FLAG(int, freebusy_weeks);
ABSL_DECLARE_FLAG(int64_t, events);
ABSL_DECLARE_FLAG(int, changes_per_meeting);
ABSL_DECLARE_FLAG(int, batch);
ABSL_DECLARE_FLAG(bool, put_every_change);
ABSL_DECLARE_FLAG(bool, sqlite_analytics);
ABSL_DECLARE_FLAG(std::string, participant_binary);
ABSL_DECLARE_FLAG(std::string, scheduling_binary);
ABSL_DECLARE_FLAG(std::string, analytics_binary);
ABSL_DECLARE_FLAG(std::string, pg_cluster_script);

namespace salesmeet::bench {

namespace av1 = salesmeet::analytics::v1;
namespace pv1 = salesmeet::participant::v1;
namespace sv1 = salesmeet::scheduling::v1;

inline std::chrono::system_clock::time_point Deadline(int seconds = 30) {
  return std::chrono::system_clock::now() + std::chrono::seconds(seconds);
}

// ---------------------------------------------------------------------------
// Processes: everything started is stopped on every way out, including
// Fail() (std::exit), which runs no destructors of locals.

inline std::mutex children_mu;
inline std::set<pid_t> children;  // Started services, still running.
inline std::function<void()> stop_cluster_at_exit;  // Set while a cluster runs.
inline std::atomic<pid_t> postmaster_pid{0};        // The cluster's server.

inline void KillChildrenAtExit() {
  std::lock_guard<std::mutex> lock(children_mu);
  for (pid_t pid : children) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  children.clear();
  if (stop_cluster_at_exit) {
    std::function<void()> stop = std::move(stop_cluster_at_exit);
    stop_cluster_at_exit = nullptr;
    stop();
  }
}

// A started service: SIGTERM (and wait) when it goes, or SIGKILL on Kill().
class Service {
 public:
  Service(const std::string& what, const std::string& binary,
          std::vector<std::string> args) {
    auto process = ServiceProcess::Start(binary, std::move(args));
    Check(absl::StrCat("starting ", what), process.status());
    process_.emplace(*std::move(process));
    std::lock_guard<std::mutex> lock(children_mu);
    children.insert(process_->pid());
  }
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;
  ~Service() {
    if (!process_) return;
    const pid_t pid = process_->pid();
    process_.reset();  // SIGTERM and wait.
    std::lock_guard<std::mutex> lock(children_mu);
    children.erase(pid);
  }

  // SIGKILL, as a crash would.
  void Kill() {
    const pid_t pid = process_->pid();
    kill(pid, SIGKILL);
    process_.reset();  // Reaps it.
    std::lock_guard<std::mutex> lock(children_mu);
    children.erase(pid);
  }

  std::string address() const { return process_->address(); }

 private:
  std::optional<ServiceProcess> process_;
};

// Runs a shell command; its output goes to `log`. Fails the bench unless it
// exits 0.
inline void Shell(const std::string& command, const std::string& log) {
  const int rc =
      std::system(absl::StrCat(command, " >>", log, " 2>&1").c_str());
  if (rc != 0) {
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    std::fputs(text.str().c_str(), stderr);
    Fail(absl::StrCat("`", command, "` failed"));
  }
}

// A throwaway PostgreSQL 15 cluster from scripts/pg_cluster.sh, on a free
// port, stopped and deleted when the bench ends.
class PgCluster {
 public:
  explicit PgCluster(const std::filesystem::path& work)
      : dir_((work / "pg").string()),
        log_((work / "pg_cluster.log").string()),
        script_(absl::GetFlag(FLAGS_pg_cluster_script)),
        port_(FreeLoopbackPort()) {
    const absl::Time start = absl::Now();
    stop_cluster_at_exit = [dir = dir_, script = script_, log = log_] {
      std::system(
          absl::StrCat("bash ", script, " stop ", dir, " >>", log, " 2>&1")
              .c_str());
    };
    Shell(absl::StrCat("bash ", script_, " start ", dir_, " ", port_), log_);
    std::ifstream pid_file(dir_ + "/postmaster.pid");
    pid_t pid = 0;
    if (pid_file >> pid) postmaster_pid = pid;
    std::printf("PostgreSQL 15 started in %s on 127.0.0.1:%d in %.1f s\n",
                dir_.c_str(), port_,
                absl::ToDoubleSeconds(absl::Now() - start));
  }
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;
  ~PgCluster() {
    if (stop_cluster_at_exit) {
      std::function<void()> stop = std::move(stop_cluster_at_exit);
      stop_cluster_at_exit = nullptr;
      stop();
    }
  }

  // A new database owned by salesmeet; returns its --db URL.
  std::string CreateDatabase(const std::string& name) {
    Shell(absl::StrCat("bash ", script_, " createdb ", dir_, " ", name), log_);
    const std::string command =
        absl::StrCat("bash ", script_, " dsn ", dir_, " ", port_, " ", name);
    FILE* out = popen(command.c_str(), "r");
    if (out == nullptr) Fail("popen failed");
    char line[512] = {0};
    const bool read = std::fgets(line, sizeof(line), out) != nullptr;
    if (pclose(out) != 0 || !read) Fail(absl::StrCat("`", command, "` failed"));
    return std::string(absl::StripTrailingAsciiWhitespace(line));
  }

 private:
  const std::string dir_, log_, script_;
  const int port_;
};

// ---------------------------------------------------------------------------
// Where the CPU goes: per-process CPU time from /proc, grouped by program,
// and the machine's busy and iowait share from /proc/stat.

class CpuMeter {
 public:
  void Start() {
    start_ = Read();
    since_ = absl::Now();
  }

  // "postgres 97%, scheduling 64%, ... of 200%; machine busy 98%, iowait 1%"
  std::string Summary() const {
    const Snapshot end = Read();
    const double seconds = absl::ToDoubleSeconds(absl::Now() - since_);
    const double hz = sysconf(_SC_CLK_TCK);
    std::vector<std::string> parts;
    std::vector<std::pair<long long, std::string>> order;
    for (const auto& [group, ticks] : end.by_group) {
      auto before = start_.by_group.find(group);
      const long long used =
          ticks - (before == start_.by_group.end() ? 0 : before->second);
      if (100.0 * used / hz / seconds >= 0.5) order.push_back({used, group});
    }
    std::sort(order.rbegin(), order.rend());
    for (const auto& [used, group] : order) {
      parts.push_back(absl::StrCat(
          group, " ", static_cast<int>(100.0 * used / hz / seconds + 0.5),
          "%"));
    }
    const long long total = end.total - start_.total;
    const long long idle = end.idle - start_.idle;
    const long long iowait = end.iowait - start_.iowait;
    return absl::StrCat(
        "CPU (100% = one core, ", cores_ * 100,
        "% = all): ", absl::StrJoin(parts, ", "), "; machine busy ",
        total > 0
            ? static_cast<int>(100.0 * (total - idle - iowait) / total + 0.5)
            : 0,
        "%, iowait ",
        total > 0 ? static_cast<int>(100.0 * iowait / total + 0.5) : 0, "%");
  }

 private:
  struct Snapshot {
    std::map<std::string, long long> by_group;  // utime + stime, in ticks
    long long total = 0, idle = 0, iowait = 0;  // /proc/stat "cpu" line
  };

  // Processes of the bench: itself, its descendants (the services, Redis),
  // and the PostgreSQL server it started with its backends. Everything
  // else on the machine is "not the bench's".
  static Snapshot Read() {
    struct Proc {
      pid_t parent;
      std::string comm;
      long long ticks;
    };
    std::map<pid_t, Proc> procs;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
      int pid = 0;
      if (!absl::SimpleAtoi(entry.path().filename().string(), &pid)) continue;
      std::ifstream in(entry.path() / "stat");
      std::string line;
      if (!std::getline(in, line)) continue;
      const size_t open = line.find('(');
      const size_t close = line.rfind(')');
      if (open == std::string::npos || close == std::string::npos) continue;
      Proc proc{0, line.substr(open + 1, close - open - 1), 0};
      std::istringstream rest(line.substr(close + 2));
      std::string field;
      // Fields after the comm start at 3 (state); ppid is 4, utime 14,
      // stime 15.
      for (int i = 3; i <= 15 && rest >> field; ++i) {
        if (i == 4) proc.parent = std::atoi(field.c_str());
        if (i == 14 || i == 15) proc.ticks += std::atoll(field.c_str());
      }
      procs[pid] = proc;
    }
    const pid_t self = getpid();
    const pid_t postmaster = postmaster_pid.load();
    auto mine = [&](pid_t pid) {
      for (int depth = 0; pid > 1 && depth < 64; ++depth) {
        if (pid == self || pid == postmaster) return true;
        auto it = procs.find(pid);
        if (it == procs.end()) return false;
        pid = it->second.parent;
      }
      return false;
    };
    Snapshot s;
    for (const auto& [pid, proc] : procs) {
      std::string group = "not the bench's";
      if (pid == self) {
        group = "bench";
      } else if (mine(pid)) {
        group = proc.comm;
      }
      s.by_group[group] += proc.ticks;
    }
    std::ifstream stat("/proc/stat");
    std::string cpu;
    stat >> cpu;
    long long v[10] = {0};
    for (long long& x : v) stat >> x;
    for (long long x : v) s.total += x;
    s.total -= v[8] + v[9];  // guest time is already in user time
    s.idle = v[3];
    s.iowait = v[4];
    return s;
  }

  Snapshot start_;
  absl::Time since_;
  const long cores_ = sysconf(_SC_NPROCESSORS_ONLN);
};

// ---------------------------------------------------------------------------
// The organisation and the meetings.

inline sv1::Meeting MeetingFor(const std::vector<std::string>& people,
                               absl::Time start, absl::Duration length,
                               const std::string& title) {
  sv1::Meeting m;
  m.set_title(title);
  m.set_agenda("Pipeline\nNext steps");
  m.set_purpose(sv1::SALES_DATA_REVIEW);
  m.set_format(sv1::CONFERENCE_CALL);
  m.set_organizer(people[0]);
  for (const std::string& p : people) m.add_attendees()->set_participant(p);
  SetTime(start, m.mutable_start_time());
  SetTime(start + length, m.mutable_end_time());
  m.set_time_zone(kBenchZone);
  return m;
}

// `count` distinct reps of `people`, at random.
inline std::vector<std::string> RandomReps(std::mt19937_64& rng, int people,
                                           int count) {
  std::vector<int> picked;
  while (static_cast<int>(picked.size()) < count) {
    const int i = static_cast<int>(rng() % people);
    if (std::find(picked.begin(), picked.end(), i) == picked.end()) {
      picked.push_back(i);
    }
  }
  std::vector<std::string> names;
  for (int i : picked) names.push_back(Rep(i));
  return names;
}

// ---------------------------------------------------------------------------
// Shared state of one bench process.

struct Env {
  std::filesystem::path work;
  std::unique_ptr<Service> participant;
  ParticipantsByName org;
  SlotCalendar calendar;
  std::unique_ptr<PgCluster> cluster;  // Started on first use.

  PgCluster& Cluster() {
    if (cluster == nullptr) cluster = std::make_unique<PgCluster>(work);
    return *cluster;
  }
};

inline std::vector<std::string> SchedulingArgs(const Env& env,
                                               const std::string& db) {
  std::vector<std::string> args = {
      absl::StrCat("--db=", db),
      absl::StrCat("--participant=", env.participant->address())};
  if (const int pool = absl::GetFlag(FLAGS_scheduling_pool_size); pool > 0) {
    args.push_back(absl::StrCat("--db_pool_size=", pool));
  }
  return args;
}

// Meetings written straight into a scheduling store, as the service stores
// them (the backend the URL picks).
inline std::unique_ptr<scheduling::MeetingStore> OpenStore(
    const std::string& db) {
  auto store =
      OpenChosenStore<scheduling::MeetingStore, scheduling::SqliteMeetingStore,
                      scheduling::PostgresMeetingStore>(db, "scheduling", 2);
  Check("opening the scheduling store", store.status());
  return *std::move(store);
}

// The scenarios: scale_out_create.cc, scale_out_freebusy.cc,
// scale_out_analytics.cc.
void CreateScenario(Env& env);
void FreeBusyScenario(Env& env);
void AnalyticsScenario(Env& env);

}  // namespace salesmeet::bench

#endif  // SALESMEET_TESTS_BENCH_SCALE_OUT_ENV_H_
