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

namespace av1 = salesmeet::analytics::v1;
namespace pv1 = salesmeet::participant::v1;
namespace sv1 = salesmeet::scheduling::v1;

std::chrono::system_clock::time_point Deadline(int seconds = 30) {
  return std::chrono::system_clock::now() + std::chrono::seconds(seconds);
}

// ---------------------------------------------------------------------------
// Processes: everything started is stopped on every way out, including
// Fail() (std::exit), which runs no destructors of locals.

std::mutex children_mu;
std::set<pid_t> children;                    // Started services, still running.
std::function<void()> stop_cluster_at_exit;  // Set while a cluster runs.
std::atomic<pid_t> postmaster_pid{0};        // The cluster's server.

void KillChildrenAtExit() {
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
void Shell(const std::string& command, const std::string& log) {
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

sv1::Meeting MeetingFor(const std::vector<std::string>& people,
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
std::vector<std::string> RandomReps(std::mt19937_64& rng, int people,
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

// The n-th booking of the create scenario, the same in every run: two
// people (60%) or three, 30 or 60 minutes from a half-hour boundary between
// 09:00 and 16:30, on a working day of weeks 1..weeks_ahead. As the
// calendars fill, more of them overlap someone's earlier booking and are
// refused.
sv1::Meeting NthBooking(uint64_t n, int people, int weeks_ahead,
                        const SlotCalendar& calendar) {
  std::mt19937_64 rng(n * 0x9E3779B97F4A7C15ULL + 0x5ca1e);
  const int size = rng() % 10 < 6 ? 2 : 3;
  std::vector<std::string> who = RandomReps(rng, people, size);
  const int week = 1 + static_cast<int>(rng() % weeks_ahead);
  const int day = static_cast<int>(rng() % 5);
  const int slot = static_cast<int>(rng() % 16);  // 09:00 .. 16:30
  const absl::Duration length =
      (slot == 15 || rng() % 2 == 0) ? absl::Minutes(30) : absl::Minutes(60);
  return MeetingFor(who, calendar.SlotStart(week, day, slot), length,
                    "Deal review");
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

std::vector<std::string> SchedulingArgs(const Env& env, const std::string& db) {
  std::vector<std::string> args = {
      absl::StrCat("--db=", db),
      absl::StrCat("--participant=", env.participant->address())};
  if (const int pool = absl::GetFlag(FLAGS_scheduling_pool_size); pool > 0) {
    args.push_back(absl::StrCat("--db_pool_size=", pool));
  }
  return args;
}

// ---------------------------------------------------------------------------
// Scenario 1: CreateMeeting under concurrency.

struct Setup {
  std::string name;  // "sqlite1", "pg3"
  bool postgres;
  int replicas;
};

Setup ParseSetup(const std::string& text) {
  Setup s{text, false, 0};
  absl::string_view rest = text;
  if (absl::ConsumePrefix(&rest, "sqlite")) {
    s.postgres = false;
  } else if (absl::ConsumePrefix(&rest, "pg")) {
    s.postgres = true;
  } else {
    Fail(absl::StrCat("bad --setups entry ", text));
  }
  if (!absl::SimpleAtoi(rest, &s.replicas) || s.replicas < 1) {
    Fail(absl::StrCat("bad --setups entry ", text));
  }
  if (!s.postgres && s.replicas != 1) {
    Fail("SQLite has one writer: only sqlite1");
  }
  return s;
}

std::string Describe(const Setup& s) {
  return absl::StrCat(s.postgres ? "PostgreSQL" : "SQLite", ", ", s.replicas,
                      s.replicas == 1 ? " replica" : " replicas");
}

struct CreateResult {
  Setup setup;
  int clients = 0;
  double seconds = 0;
  long booked = 0, conflicts = 0, aborted = 0, errors = 0;
  double p50 = 0, p99 = 0, booked_p50 = 0, booked_p99 = 0;
  long listed = 0, missing = 0, double_bookings = 0;
  std::string cpu;
  std::string first_error;
};

// Every SCHEDULED meeting, through ListMeetings.
std::vector<sv1::Meeting> ListScheduled(const std::string& address) {
  auto stub = sv1::SchedulingService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  std::vector<sv1::Meeting> all;
  sv1::ListMeetingsRequest request;
  request.set_page_size(1000);
  request.set_filter("state = SCHEDULED");
  while (true) {
    grpc::ClientContext context;
    context.set_deadline(Deadline(120));
    sv1::ListMeetingsResponse response;
    Check("ListMeetings", stub->ListMeetings(&context, request, &response));
    for (sv1::Meeting& m : *response.mutable_meetings()) {
      all.push_back(std::move(m));
    }
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  return all;
}

// Pairs of SCHEDULED single meetings that overlap for a required attendee
// (each meeting that starts before an earlier one of the same person ends
// counts once).
long CountDoubleBookings(const std::vector<sv1::Meeting>& meetings) {
  std::map<std::string, std::vector<std::pair<int64_t, int64_t>>> busy;
  for (const sv1::Meeting& m : meetings) {
    if (m.state() != sv1::SCHEDULED || m.has_recurrence()) continue;
    for (const sv1::Attendee& a : m.attendees()) {
      if (a.optional()) continue;
      busy[a.participant()].push_back(
          {m.start_time().seconds(), m.end_time().seconds()});
    }
  }
  long doubles = 0;
  for (auto& [who, spans] : busy) {
    std::sort(spans.begin(), spans.end());
    int64_t busy_until = std::numeric_limits<int64_t>::min();
    for (const auto& [start, end] : spans) {
      if (start < busy_until) ++doubles;
      busy_until = std::max(busy_until, end);
    }
  }
  return doubles;
}

CreateResult RunCreates(Env& env, const Setup& setup, int clients) {
  CreateResult result;
  result.setup = setup;
  result.clients = clients;
  const std::string db =
      setup.postgres
          ? env.Cluster().CreateDatabase(
                absl::StrCat("create_", setup.name, "_c", clients))
          : absl::StrCat("sqlite://",
                         (env.work / absl::StrCat("create_", setup.name, "_c",
                                                  clients, ".db"))
                             .string());
  std::vector<std::unique_ptr<Service>> replicas;
  for (int r = 0; r < setup.replicas; ++r) {
    replicas.push_back(std::make_unique<Service>(
        "scheduling", absl::GetFlag(FLAGS_scheduling_binary),
        SchedulingArgs(env, db)));
  }

  const int people = absl::GetFlag(FLAGS_people);
  const int weeks_ahead = absl::GetFlag(FLAGS_weeks_ahead);
  const bool allow_conflicts = absl::GetFlag(FLAGS_allow_conflicts);
  const absl::Time begin = absl::Now();
  const absl::Time measure_from =
      begin + absl::Seconds(absl::GetFlag(FLAGS_warmup));
  const absl::Time stop =
      measure_from + absl::Seconds(absl::GetFlag(FLAGS_seconds));
  std::atomic<uint64_t> next{0};
  struct PerClient {
    std::vector<absl::Duration> all, booked;
    long conflicts = 0, aborted = 0, errors = 0;
    std::vector<std::string> names;  // Every acknowledged booking.
    std::string first_error;
  };
  std::vector<PerClient> per(clients);
  CpuMeter cpu;
  std::thread meter([&] {
    absl::SleepFor(measure_from - absl::Now());
    cpu.Start();
    absl::SleepFor(stop - absl::Now());
    result.cpu = cpu.Summary();
  });
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      grpc::ChannelArguments args;
      args.SetInt("salesmeet.bench.client", c);  // Distinct connections.
      auto stub = sv1::SchedulingService::NewStub(
          grpc::CreateCustomChannel(replicas[c % replicas.size()]->address(),
                                    grpc::InsecureChannelCredentials(), args));
      PerClient& mine = per[c];
      while (true) {
        const uint64_t n = next.fetch_add(1);
        sv1::CreateMeetingRequest request;
        *request.mutable_meeting() =
            NthBooking(n, people, weeks_ahead, env.calendar);
        request.set_request_id(absl::StrCat("bench-", n));
        request.set_allow_conflicts(allow_conflicts);
        sv1::CreateMeetingResponse response;
        grpc::ClientContext context;
        context.set_deadline(Deadline());
        const absl::Time start = absl::Now();
        if (start >= stop) break;
        const grpc::Status status =
            stub->CreateMeeting(&context, request, &response);
        const absl::Time end = absl::Now();
        if (status.ok()) mine.names.push_back(response.meeting().name());
        // Only calls wholly inside the measured window count.
        const bool counted = start >= measure_from && end <= stop;
        if (status.ok()) {
          if (counted) mine.booked.push_back(end - start);
        } else if (status.error_code() ==
                   grpc::StatusCode::FAILED_PRECONDITION) {
          if (counted) ++mine.conflicts;
        } else if (status.error_code() == grpc::StatusCode::ABORTED) {
          if (counted) ++mine.aborted;
        } else {
          if (counted) ++mine.errors;
          if (mine.first_error.empty()) {
            mine.first_error =
                absl::StrCat(status.error_code(), " ", status.error_message());
          }
        }
        if (counted) mine.all.push_back(end - start);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  meter.join();
  result.seconds = absl::GetFlag(FLAGS_seconds);

  LatencySample all, booked;
  std::set<std::string> acknowledged;
  for (PerClient& p : per) {
    for (absl::Duration d : p.all) all.Add(d);
    for (absl::Duration d : p.booked) booked.Add(d);
    result.booked += p.booked.size();
    result.conflicts += p.conflicts;
    result.aborted += p.aborted;
    result.errors += p.errors;
    acknowledged.insert(p.names.begin(), p.names.end());
    if (result.first_error.empty()) result.first_error = p.first_error;
  }
  result.p50 = all.Percentile(50) / 1000;
  result.p99 = all.Percentile(99) / 1000;
  result.booked_p50 = booked.Percentile(50) / 1000;
  result.booked_p99 = booked.Percentile(99) / 1000;

  std::printf("\n%s, %d clients: %.1f s measured (after %.1f s warm-up)\n",
              Describe(setup).c_str(), clients, result.seconds,
              absl::GetFlag(FLAGS_warmup));
  all.Print("  CreateMeeting, every call");
  booked.Print("  CreateMeeting, booked");
  std::printf(
      "  %ld booked = %.0f creates/s; refused: %ld conflicts "
      "(FAILED_PRECONDITION) + %ld ABORTED; other errors %ld%s\n",
      result.booked, result.booked / result.seconds, result.conflicts,
      result.aborted, result.errors,
      result.first_error.empty()
          ? ""
          : absl::StrCat(" (first: ", result.first_error, ")").c_str());
  std::printf("  %s\n", result.cpu.c_str());

  // Every acknowledged booking must be there, and nobody double-booked.
  const std::vector<sv1::Meeting> listed =
      ListScheduled(replicas.back()->address());
  std::set<std::string> names;
  for (const sv1::Meeting& m : listed) names.insert(m.name());
  for (const std::string& n : acknowledged) {
    if (names.count(n) == 0) ++result.missing;
  }
  result.listed = static_cast<long>(listed.size());
  result.double_bookings = CountDoubleBookings(listed);
  std::printf(
      "  ListMeetings (state = SCHEDULED) through replica %zu: %ld meetings, "
      "%zu acknowledged (warm-up included), %ld acknowledged but missing\n",
      replicas.size(), result.listed, acknowledged.size(), result.missing);
  std::printf("  double bookings: %ld\n", result.double_bookings);
  std::fflush(stdout);
  return result;
}

void CreateScenario(Env& env) {
  std::vector<int> client_counts;
  for (const std::string& c : absl::GetFlag(FLAGS_clients)) {
    int n = 0;
    if (!absl::SimpleAtoi(c, &n) || n < 1) Fail("bad --clients");
    client_counts.push_back(n);
  }
  std::vector<Setup> setups;
  for (const std::string& s : absl::GetFlag(FLAGS_setups)) {
    setups.push_back(ParseSetup(s));
  }
  std::printf(
      "\n== CreateMeeting: %d reps, bookings of 2-3 of them (30/60 min) at "
      "random in weeks 1-%d, allow_conflicts %s, request_id set; a fresh "
      "database per run; scheduling --db_pool_size %s ==\n",
      absl::GetFlag(FLAGS_people), absl::GetFlag(FLAGS_weeks_ahead),
      absl::GetFlag(FLAGS_allow_conflicts) ? "TRUE" : "false",
      absl::GetFlag(FLAGS_scheduling_pool_size) > 0
          ? absl::StrCat(absl::GetFlag(FLAGS_scheduling_pool_size)).c_str()
          : "default (4)");
  std::vector<CreateResult> results;
  for (int clients : client_counts) {
    for (const Setup& setup : setups) {
      results.push_back(RunCreates(env, setup, clients));
    }
  }
  std::printf(
      "\nCreateMeeting summary (latency of every call in ms; refused = "
      "conflicts + ABORTED):\n");
  std::printf("%-26s %7s %9s %9s %8s %8s %7s %7s %8s\n", "setup", "clients",
              "booked/s", "refused/s", "p50", "p99", "errors", "missing",
              "doubles");
  for (const CreateResult& r : results) {
    std::printf("%-26s %7d %9.0f %9.0f %8.2f %8.2f %7ld %7ld %8ld\n",
                Describe(r.setup).c_str(), r.clients, r.booked / r.seconds,
                (r.conflicts + r.aborted) / r.seconds, r.p50, r.p99, r.errors,
                r.missing, r.double_bookings);
  }
  for (int clients : client_counts) {
    double sqlite = 0, best_pg = 0;
    std::string best;
    for (const CreateResult& r : results) {
      if (r.clients != clients) continue;
      const double rate = r.booked / r.seconds;
      if (!r.setup.postgres) sqlite = rate;
      if (r.setup.postgres && rate > best_pg) {
        best_pg = rate;
        best = Describe(r.setup);
      }
    }
    if (sqlite > 0 && best_pg > 0) {
      std::printf("%d clients: best PostgreSQL (%s) books %.2fx SQLite\n",
                  clients, best.c_str(), best_pg / sqlite);
    }
  }
  std::fflush(stdout);
}

// ---------------------------------------------------------------------------
// Meetings written straight into a scheduling store, as the service stores
// them.

std::unique_ptr<scheduling::MeetingStore> OpenStore(const std::string& db) {
  absl::StatusOr<StoreChoice> choice = ChooseStore(db, "scheduling", 2);
  Check("the scheduling database URL", choice.status());
  if (choice->postgres.has_value()) {
    auto store = scheduling::PostgresMeetingStore::Open(*choice->postgres);
    Check("opening the scheduling schema", store.status());
    return *std::move(store);
  }
  auto store = scheduling::SqliteMeetingStore::Open(choice->sqlite_path, 2);
  Check("opening the scheduling database", store.status());
  return *std::move(store);
}

// A year of calendar_bench's org: 15 half-hour meetings a week per person
// in threes, a third of them weekly series; in transactions of 1000.
struct CalendarData {
  int series = 0, singles = 0;
  double seconds = 0;
};

CalendarData PopulateCalendars(scheduling::MeetingStore& store, const Env& env,
                               int people, int weeks) {
  constexpr int kWeekly = 15, kSlotsPerDay = 16;
  const absl::Time start = absl::Now();
  CalendarData data;
  const int spacing = kSlotsPerDay / ((kWeekly + 4) / 5);
  const int groups = people / 3;
  const int first_week = -weeks / 2;
  const absl::Time now = absl::Now();
  const absl::Time check_until = now + absl::Hours(24 * 800);
  std::vector<sv1::Meeting> pending;
  auto flush = [&] {
    Check("writing meetings",
          store.Write([&](scheduling::MeetingTransaction& tx) -> absl::Status {
            for (const sv1::Meeting& m : pending) {
              auto series = SeriesOf(m, check_until);
              if (!series.ok()) return series.status();
              absl::Status put = tx.PutMeeting(m, IndexOf(m, *series));
              if (!put.ok()) return put;
            }
            return absl::OkStatus();
          }));
    pending.clear();
  };
  auto add = [&](const std::vector<std::string>& names, absl::Time at,
                 const std::string& id, const std::string& rrule) {
    sv1::Meeting m =
        MeetingFor(names, at, absl::Minutes(30),
                   rrule.empty() ? "Deal review" : "Weekly pipeline review");
    if (!rrule.empty()) m.mutable_recurrence()->set_rrule(rrule);
    Check("BookAttendees", scheduling::BookAttendees(m, nullptr, env.org, now));
    m.set_state(sv1::SCHEDULED);
    m.set_name(absl::StrCat("meetings/", id));
    *m.mutable_create_time() = ToProtoTime(now);
    StampWrite(m, now);
    pending.push_back(std::move(m));
    if (pending.size() >= 1000) flush();
  };
  for (int i = 0; i < kWeekly; ++i) {
    const int day = i % 5;
    const int slot = (i / 5) * spacing;
    const int rotation = day * kSlotsPerDay + slot;
    for (int g = 0; g < groups; ++g) {
      if (i % 3 == 0) {
        add(Group(people, rotation, g),
            env.calendar.SlotStart(first_week, day, slot),
            absl::StrCat("s-", day, "-", slot, "-", g),
            absl::StrCat("FREQ=WEEKLY;COUNT=", weeks));
        ++data.series;
        continue;
      }
      for (int w = 0; w < weeks; ++w) {
        add(Group(people, rotation + 97 * (w + 1), g),
            env.calendar.SlotStart(first_week + w, day, slot),
            absl::StrCat("m-", w, "-", day, "-", slot, "-", g), "");
        ++data.singles;
      }
    }
  }
  flush();
  data.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  return data;
}

// ---------------------------------------------------------------------------
// Scenario 2: QueryFreeBusy, 100 people, 30 days.

class FreeBusyClient {
 public:
  explicit FreeBusyClient(const std::string& address)
      : stub_(sv1::SchedulingService::NewStub(grpc::CreateChannel(
            address, grpc::InsecureChannelCredentials()))) {}

  absl::Duration Query(const std::vector<std::string>& who, absl::Time from,
                       absl::Time to) {
    sv1::QueryFreeBusyRequest request;
    for (const std::string& p : who) request.add_participants(p);
    SetTime(from, request.mutable_interval()->mutable_start_time());
    SetTime(to, request.mutable_interval()->mutable_end_time());
    sv1::QueryFreeBusyResponse response;
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    const absl::Time start = absl::Now();
    Check("QueryFreeBusy", stub_->QueryFreeBusy(&context, request, &response));
    const absl::Duration d = absl::Now() - start;
    int busy = 0;
    for (const sv1::ParticipantFreeBusy& fb : response.free_busy()) {
      if (fb.has_error()) Fail("QueryFreeBusy: " + fb.error().message());
      busy += fb.busy_size();
    }
    if (busy == 0) Fail("QueryFreeBusy found nobody busy");
    return d;
  }

  // A half-hour meeting of two of the queried people in a slot the data
  // set leaves free, so that it is booked: the write that makes the next
  // read of their weeks cold.
  void Book(const Env& env, int i) {
    sv1::CreateMeetingRequest request;
    const int week = 1 + i % 3, day = (i / 3) % 5;
    const int slot = (i / 15) % 2 == 0 ? 13 : 15;
    *request.mutable_meeting() =
        MeetingFor({Rep((2 * i) % 100), Rep((2 * i + 1) % 100)},
                   env.calendar.SlotStart(week, day, slot), absl::Minutes(30),
                   "Customer prep");
    sv1::CreateMeetingResponse response;
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    Check("CreateMeeting (between reads)",
          stub_->CreateMeeting(&context, request, &response));
  }

 private:
  std::unique_ptr<sv1::SchedulingService::Stub> stub_;
};

struct FreeBusyFigures {
  std::string backend;
  CalendarData data;
  double flushed_p50 = 0, flushed_p99 = 0, after_write_p50 = 0,
         after_write_p99 = 0, warm_p50 = 0, warm_p99 = 0, none_first_p50 = 0,
         none_first_p99 = 0, none_again_p50 = 0, none_again_p99 = 0;
};

FreeBusyFigures FreeBusyOn(Env& env, const std::string& backend,
                           const std::string& db, RedisServer& redis) {
  constexpr int kAsked = 100, kCold = 20, kWarm = 50, kWarmSet = 8;
  const int people = absl::GetFlag(FLAGS_people);
  const int weeks = absl::GetFlag(FLAGS_freebusy_weeks);
  FreeBusyFigures f;
  f.backend = backend;
  {
    std::unique_ptr<scheduling::MeetingStore> store = OpenStore(db);
    f.data = PopulateCalendars(*store, env, people, weeks);
  }
  std::printf(
      "\n%s: %d series + %d single meetings (%d people, 15 a week each, %d "
      "weeks) written in %.1f s\n",
      backend.c_str(), f.data.series, f.data.singles, people, weeks,
      f.data.seconds);
  const absl::Time from = env.calendar.Monday();
  const absl::Time to = from + absl::Hours(24 * 30);
  // The i-th set of 100 people: different i, different people (wrapping).
  auto asked = [people](int i) {
    std::vector<std::string> names;
    for (int k = 0; k < kAsked; ++k) {
      names.push_back(Rep((i * 13 + k) % people));
    }
    return names;
  };
  auto print = [](const char* what, LatencySample& s, double& p50,
                  double& p99) {
    s.Print(what);
    p50 = s.Percentile(50) / 1000;
    p99 = s.Percentile(99) / 1000;
  };
  {
    std::vector<std::string> args = SchedulingArgs(env, db);
    args.push_back(absl::StrCat("--redis=", redis.address()));
    Service scheduling("scheduling", absl::GetFlag(FLAGS_scheduling_binary),
                       args);
    FreeBusyClient client(scheduling.address());
    redis.Flush();
    LatencySample flushed, after_write, warm;
    CpuMeter cpu;
    cpu.Start();
    for (int i = 0; i < kCold; ++i) {
      redis.Flush();
      flushed.Add(client.Query(asked(1000 + i), from, to));
    }
    const std::string cold_cpu = cpu.Summary();
    // After a write: people 0..99 are cached, then two of them are booked
    // (their weeks are invalidated) before each read.
    client.Query(asked(0), from, to);
    for (int i = 0; i < kCold; ++i) {
      client.Book(env, i);
      after_write.Add(client.Query(asked(0), from, to));
    }
    for (int i = 0; i < kWarmSet; ++i) client.Query(asked(i), from, to);
    cpu.Start();
    for (int i = 0; i < kWarm; ++i) {
      warm.Add(client.Query(asked(i % kWarmSet), from, to));
    }
    const std::string warm_cpu = cpu.Summary();
    std::printf("With Redis (--redis), one client, sequential:\n");
    print("  QueryFreeBusy 100p 30d, Redis flushed", flushed, f.flushed_p50,
          f.flushed_p99);
    std::printf("    %s\n", cold_cpu.c_str());
    print("  QueryFreeBusy 100p 30d, after a write", after_write,
          f.after_write_p50, f.after_write_p99);
    print("  QueryFreeBusy 100p 30d, warm", warm, f.warm_p50, f.warm_p99);
    std::printf("    %s\n", warm_cpu.c_str());
  }
  {
    Service scheduling("scheduling", absl::GetFlag(FLAGS_scheduling_binary),
                       SchedulingArgs(env, db));
    FreeBusyClient client(scheduling.address());
    LatencySample first, again;
    CpuMeter cpu;
    cpu.Start();
    for (int i = 0; i < kCold; ++i) {
      first.Add(client.Query(asked(2000 + i), from, to));
    }
    for (int i = 0; i < kWarmSet; ++i) client.Query(asked(i), from, to);
    for (int i = 0; i < kWarm; ++i) {
      again.Add(client.Query(asked(i % kWarmSet), from, to));
    }
    const std::string none_cpu = cpu.Summary();
    std::printf("Without Redis (every read from the database):\n");
    print("  QueryFreeBusy 100p 30d, first asked", first, f.none_first_p50,
          f.none_first_p99);
    print("  QueryFreeBusy 100p 30d, asked again", again, f.none_again_p50,
          f.none_again_p99);
    std::printf("    %s\n", none_cpu.c_str());
  }
  std::fflush(stdout);
  return f;
}

void FreeBusyScenario(Env& env) {
  if (absl::GetFlag(FLAGS_people) < 100) Fail("freebusy needs --people >= 100");
  std::printf(
      "\n== QueryFreeBusy: 100 people, 30 days from this Monday, one client "
      "==\n");
  std::fflush(stdout);  // The Redis child would write the buffer again.
  RedisServer redis;
  std::vector<FreeBusyFigures> figures;
  figures.push_back(FreeBusyOn(
      env, "SQLite",
      absl::StrCat("sqlite://", (env.work / "freebusy.db").string()), redis));
  figures.push_back(FreeBusyOn(
      env, "PostgreSQL", env.Cluster().CreateDatabase("freebusy"), redis));
  std::printf(
      "\nQueryFreeBusy 100 people 30 days, p50 (p99) in ms:\n%-12s %17s %17s "
      "%17s %17s %17s\n",
      "backend", "Redis flushed", "after a write", "Redis warm",
      "no Redis, first", "no Redis, again");
  for (const FreeBusyFigures& f : figures) {
    auto cell = [](double p50, double p99) {
      char text[64];
      std::snprintf(text, sizeof(text), "%.1f (%.1f)", p50, p99);
      return std::string(text);
    };
    std::printf("%-12s %17s %17s %17s %17s %17s\n", f.backend.c_str(),
                cell(f.flushed_p50, f.flushed_p99).c_str(),
                cell(f.after_write_p50, f.after_write_p99).c_str(),
                cell(f.warm_p50, f.warm_p99).c_str(),
                cell(f.none_first_p50, f.none_first_p99).c_str(),
                cell(f.none_again_p50, f.none_again_p99).c_str());
  }
  std::fflush(stdout);
}

// ---------------------------------------------------------------------------
// Scenario 3: analytics catch-up over a long feed.

struct FeedData {
  int64_t events = 0;
  int meetings = 0;
  double seconds = 0;
};

// Writes `events` feed events through the store: `meetings` meetings, each
// created, then updated (retitled; every other time moved by half an hour
// and back), and last completed with an outcome when past, cancelled (one
// in ten future ones) or updated once more. Round r of every meeting comes
// before round r + 1 of any, so a transaction touches `batch` different
// meetings. Each event is an AppendChange; the meeting's row is put with
// its first and last event (with every one under --put_every_change): on
// PostgreSQL each statement is a round trip, and the rows in between would
// only be overwritten.
FeedData WriteFeed(scheduling::MeetingStore& store, const Env& env,
                   int64_t events) {
  const int per_meeting = absl::GetFlag(FLAGS_changes_per_meeting);
  const int batch = absl::GetFlag(FLAGS_batch);
  const int people = absl::GetFlag(FLAGS_people);
  const bool put_every_change = absl::GetFlag(FLAGS_put_every_change);
  FeedData data;
  data.events = events;
  data.meetings = static_cast<int>((events + per_meeting - 1) / per_meeting);
  const absl::Time start = absl::Now();
  const absl::Time now = absl::Now();
  const absl::Time check_until = now + absl::Hours(24 * 800);
  std::vector<sv1::Meeting> meetings(data.meetings);
  static constexpr sv1::MeetingOutcome kOutcomes[] = {
      sv1::WON, sv1::LOST, sv1::ADVANCED, sv1::HELD, sv1::NO_SHOW};
  static constexpr sv1::MeetingPurpose kPurposes[] = {
      sv1::SALES_DATA_REVIEW, sv1::CUSTOMER_PRESENTATION,
      sv1::SALES_DATA_REVIEW, sv1::PROSPECT_PITCH};

  // The e-th event: which meeting, in which state.
  auto next = [&](int64_t e) -> sv1::MeetingChange {
    const int round = static_cast<int>(e / data.meetings);
    const int i = static_cast<int>(e % data.meetings);
    sv1::Meeting& m = meetings[i];
    sv1::MeetingChange change;
    if (round == 0) {
      std::mt19937_64 rng(i * 0x9E3779B97F4A7C15ULL + 7);
      const int week = static_cast<int>(rng() % 52) - 26;
      const int day = static_cast<int>(rng() % 5);
      const int slot = static_cast<int>(rng() % 15);
      m = MeetingFor(RandomReps(rng, people, rng() % 10 < 6 ? 2 : 3),
                     env.calendar.SlotStart(week, day, slot),
                     rng() % 2 == 0 ? absl::Minutes(30) : absl::Minutes(60),
                     "Deal review");
      m.set_purpose(kPurposes[i % 4]);
      Check("BookAttendees",
            scheduling::BookAttendees(m, nullptr, env.org, now));
      m.set_state(sv1::SCHEDULED);
      m.set_name(absl::StrCat("meetings/f-", i));
      *m.mutable_create_time() = ToProtoTime(now);
      change.set_type(sv1::MEETING_CREATED);
    } else if (round == per_meeting - 1 &&
               ToAbslTime(m.end_time()) + absl::Hours(1) < now) {
      const sv1::MeetingOutcome outcome = kOutcomes[i % 5];
      m.set_state(sv1::COMPLETED);
      m.set_outcome(outcome);
      if (outcome == sv1::WON || outcome == sv1::LOST ||
          outcome == sv1::ADVANCED) {
        m.mutable_deal_value()->set_currency_code("EUR");
        m.mutable_deal_value()->set_units(5000 + 250 * (i % 40));
      }
      *m.mutable_complete_time() = ToProtoTime(now);
      change.set_type(sv1::MEETING_COMPLETED);
    } else if (round == per_meeting - 1 && i % 10 == 0) {
      m.set_state(sv1::CANCELLED);
      change.set_type(sv1::MEETING_CANCELLED);
    } else {
      m.set_title(absl::StrCat("Deal review, take ", round + 1));
      if (round % 2 == 1) {
        const absl::Duration shift =
            round % 4 == 1 ? absl::Minutes(30) : -absl::Minutes(30);
        SetTime(ToAbslTime(m.start_time()) + shift, m.mutable_start_time());
        SetTime(ToAbslTime(m.end_time()) + shift, m.mutable_end_time());
      }
      change.set_type(sv1::MEETING_UPDATED);
    }
    StampWrite(m, now);
    *change.mutable_meeting() = m;
    return change;
  };

  CpuMeter cpu;
  cpu.Start();
  absl::Time reported = start;
  for (int64_t e = 0; e < events; e += batch) {
    std::vector<sv1::MeetingChange> changes;
    for (int64_t k = e; k < std::min<int64_t>(events, e + batch); ++k) {
      changes.push_back(next(k));
      changes.back().set_sequence(k);  // Replaced by AppendChange.
    }
    Check("writing feed events",
          store.Write([&](scheduling::MeetingTransaction& tx) -> absl::Status {
            for (const sv1::MeetingChange& change : changes) {
              const int64_t k = change.sequence();  // The event index.
              if (put_every_change || k < data.meetings ||
                  k >= static_cast<int64_t>(per_meeting - 1) * data.meetings ||
                  k + data.meetings >= events) {
                auto series = SeriesOf(change.meeting(), check_until);
                if (!series.ok()) return series.status();
                absl::Status put = tx.PutMeeting(
                    change.meeting(), IndexOf(change.meeting(), *series));
                if (!put.ok()) return put;
              }
              auto appended = tx.AppendChange(change, now);
              if (!appended.ok()) return appended.status();
            }
            return absl::OkStatus();
          }));
    if (absl::Now() - reported > absl::Seconds(30)) {
      reported = absl::Now();
      std::printf("  ... %lld events written, %.0f s\n",
                  static_cast<long long>(e + batch),
                  absl::ToDoubleSeconds(reported - start));
      std::fflush(stdout);
    }
  }
  data.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::printf("  writing: %s\n", cpu.Summary().c_str());
  return data;
}

av1::FeedStatus FeedStatusOf(const std::string& address) {
  auto stub = av1::AnalyticsService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  av1::FeedStatus status;
  Check("GetFeedStatus",
        stub->GetFeedStatus(&context, av1::GetFeedStatusRequest(), &status));
  return status;
}

// Polls FeedStatus until `head` is applied; the time since `since`.
absl::Duration WaitApplied(const std::string& address, int64_t head,
                           absl::Time since) {
  absl::Time reported = absl::Now();
  while (true) {
    const av1::FeedStatus status = FeedStatusOf(address);
    if (status.applied_sequence() >= head) return absl::Now() - since;
    if (absl::Now() - reported > absl::Seconds(30)) {
      reported = absl::Now();
      std::printf("  ... applied %lld of %lld, %.0f s\n",
                  static_cast<long long>(status.applied_sequence()),
                  static_cast<long long>(head),
                  absl::ToDoubleSeconds(reported - since));
      std::fflush(stdout);
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
}

struct CatchUpFigures {
  std::string backend;
  FeedData feed;
  double catch_up = 0, restart_serving = 0, restart_caught_up = 0;
};

CatchUpFigures CatchUpOn(Env& env, const std::string& backend,
                         const std::string& scheduling_db,
                         const std::string& analytics_db) {
  const int64_t events = absl::GetFlag(FLAGS_events);
  CatchUpFigures f;
  f.backend = backend;
  std::printf("\n%s: writing %lld feed events in-process...\n", backend.c_str(),
              static_cast<long long>(events));
  std::fflush(stdout);
  {
    std::unique_ptr<scheduling::MeetingStore> store = OpenStore(scheduling_db);
    f.feed = WriteFeed(*store, env, events);
    auto head = store->HeadSequence();
    Check("reading the feed head", head.status());
    if (*head != events) {
      Fail(absl::StrCat("the feed head is ", *head, ", not ", events));
    }
  }
  std::printf(
      "%s: %lld events over %d meetings written in %.1f s (%.0f events/s, "
      "%d per transaction)\n",
      backend.c_str(), static_cast<long long>(events), f.feed.meetings,
      f.feed.seconds, events / f.feed.seconds, absl::GetFlag(FLAGS_batch));

  Service scheduling("scheduling", absl::GetFlag(FLAGS_scheduling_binary),
                     SchedulingArgs(env, scheduling_db));
  const std::vector<std::string> args = {
      absl::StrCat("--db=", analytics_db),
      absl::StrCat("--scheduling=", scheduling.address()),
      absl::StrCat("--participant=", env.participant->address())};
  {
    CpuMeter cpu;
    cpu.Start();
    const absl::Time launched = absl::Now();
    Service analytics("analytics", absl::GetFlag(FLAGS_analytics_binary), args);
    f.catch_up = absl::ToDoubleSeconds(
        WaitApplied(analytics.address(), events, launched));
    std::printf(
        "%s: catch-up from 0: %lld events in %.1f s = %.0f events/s (from "
        "process start)\n  %s\n",
        backend.c_str(), static_cast<long long>(events), f.catch_up,
        events / f.catch_up, cpu.Summary().c_str());
    analytics.Kill();
  }
  const absl::Time relaunched = absl::Now();
  Service analytics("analytics", absl::GetFlag(FLAGS_analytics_binary), args);
  f.restart_serving = absl::ToDoubleSeconds(absl::Now() - relaunched);
  f.restart_caught_up = absl::ToDoubleSeconds(
      WaitApplied(analytics.address(), events, relaunched));
  std::printf(
      "%s: restart after SIGKILL: serving in %.2f s, caught up (applied "
      "%lld) in %.2f s\n",
      backend.c_str(), f.restart_serving, static_cast<long long>(events),
      f.restart_caught_up);
  std::fflush(stdout);
  return f;
}

void AnalyticsScenario(Env& env) {
  std::printf(
      "\n== Analytics: catch-up from 0 and restart over %lld feed events "
      "(%d per meeting) ==\n",
      static_cast<long long>(absl::GetFlag(FLAGS_events)),
      absl::GetFlag(FLAGS_changes_per_meeting));
  std::vector<CatchUpFigures> figures;
  const std::string pg = env.Cluster().CreateDatabase("feed");
  figures.push_back(CatchUpOn(env, "PostgreSQL", pg, pg));
  if (absl::GetFlag(FLAGS_sqlite_analytics)) {
    figures.push_back(CatchUpOn(
        env, "SQLite",
        absl::StrCat("sqlite://", (env.work / "feed_scheduling.db").string()),
        absl::StrCat("sqlite://", (env.work / "feed_analytics.db").string())));
  }
  std::printf("\n%-12s %10s %12s %12s %14s %16s\n", "backend", "events",
              "write s", "catch-up s", "restart: serving s",
              "restart: caught up s");
  for (const CatchUpFigures& f : figures) {
    std::printf("%-12s %10lld %12.1f %12.1f %14.2f %16.2f\n", f.backend.c_str(),
                static_cast<long long>(f.feed.events), f.feed.seconds,
                f.catch_up, f.restart_serving, f.restart_caught_up);
  }
  std::fflush(stdout);
}

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
