// SlotCalendar reads against a year of meetings: GetCalendar, QueryFreeBusy and
// FindMeetingSlots, each cold (empty calendar cache) and warm, next to
// grpc.health.v1.Health/Check on the same server with the same client; then
// throughput with 8 concurrent clients; then how the figures grow with the
// number of participants and of meetings per participant.
//
//   calendar_bench [--participants=500] [--weekly=15] [--weeks=52]
//                  [--samples=1.0] [--throughput_seconds=2] [--scaling=1]
//                  [--participant_binary=...] [--scheduling_binary=...]
//
// --samples scales every sample count. The org: `participants` sales reps in
// Europe/Rome, working 09:00-17:00 (16 half-hour slots a day). Each person
// has `weekly` half-hour meetings a week of three people each, a third of
// them occurrences of weekly series, over `weeks` weeks centred on today.
// Meetings are written straight into the scheduling database, shaped as
// CreateMeeting stores them (attendee snapshots, audience, index columns);
// the participants are created through the participant service's API.

#include <grpcpp/grpcpp.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/calendar/occurrences.h"
#include "common/etag.h"
#include "common/field_checks.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "salesmeet/participant/v1/participant_service.grpc.pb.h"
#include "salesmeet/scheduling/v1/scheduling_service.grpc.pb.h"
#include "services/scheduling/booking/attendee_records.h"
#include "services/scheduling/store/sqlite_meeting_store.h"
#include "tests/bench/bench_checks.h"
#include "tests/bench/bench_org.h"
#include "tests/bench/latency.h"
#include "tests/bench/redis_server.h"
#include "tests/bench/service_process.h"

namespace salesmeet::bench {
namespace {

namespace pv1 = salesmeet::participant::v1;
namespace sv1 = salesmeet::scheduling::v1;
using grpc::health::v1::Health;

constexpr const char* kZone = kBenchZone;
constexpr int kSlotsPerDay = 16;  // 09:00 to 17:00, 30 minutes each.
constexpr int kClients = 8;

struct Options {
  std::string participant_binary = SALESMEET_PARTICIPANT_BINARY;
  std::string scheduling_binary = SALESMEET_SCHEDULING_BINARY;
  int participants = 500;
  int weekly = 15;
  int weeks = 52;
  double samples = 1.0;
  double throughput_seconds = 2;
  bool scaling = true;
};

std::chrono::system_clock::time_point Deadline() {
  return std::chrono::system_clock::now() + std::chrono::seconds(30);
}

int Scaled(const Options& options, int n) {
  return std::max(1, static_cast<int>(n * options.samples));
}

// `count` consecutive reps from `first`, wrapping at `people`.
std::vector<std::string> Reps(int people, int first, int count) {
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) names.push_back(Rep((first + i) % people));
  return names;
}

struct DataSet {
  int people = 0;
  int weekly = 0;
  int series = 0;
  int singles = 0;
  double seconds = 0;
};

// Writes the org's year of meetings into a new scheduling database at
// `path`, as the service would store them.
DataSet Populate(const std::string& path, const ParticipantsByName& org,
                 int people, int weekly, int weeks,
                 const SlotCalendar& calendar) {
  const absl::Time start = absl::Now();
  DataSet data{people, weekly};
  const int per_day = (weekly + 4) / 5;
  if (per_day > kSlotsPerDay) Fail("--weekly must be at most 80");
  const int spacing = kSlotsPerDay / per_day;
  const int groups = people / 3;
  const int first_week = -weeks / 2;
  auto store = scheduling::SqliteMeetingStore::Open(path);
  Check("opening the scheduling database", store.status());
  const absl::Time now = absl::Now();
  const absl::Time check_until = now + absl::Hours(24 * 800);

  auto put = [&](scheduling::MeetingTransaction& tx,
                 const std::vector<std::string>& names, absl::Time at,
                 const std::string& id, const std::string& rrule) {
    sv1::Meeting m;
    m.set_title(rrule.empty() ? "Deal review" : "Weekly pipeline review");
    m.set_agenda("Pipeline\nNext steps");
    m.set_purpose(sv1::SALES_DATA_REVIEW);
    m.set_format(sv1::CONFERENCE_CALL);
    m.set_organizer(names[0]);
    for (const std::string& p : names) m.add_attendees()->set_participant(p);
    SetTime(at, m.mutable_start_time());
    SetTime(at + absl::Minutes(30), m.mutable_end_time());
    m.set_time_zone(kZone);
    if (!rrule.empty()) m.mutable_recurrence()->set_rrule(rrule);
    Check("BookAttendees", scheduling::BookAttendees(m, nullptr, org, now));
    auto series = SeriesOf(m, check_until);
    Check("SeriesOf", series.status());
    m.set_state(sv1::SCHEDULED);
    m.set_name(absl::StrCat("meetings/", id));
    *m.mutable_create_time() = ToProtoTime(now);
    StampWrite(m, now);
    Check("PutMeeting", tx.PutMeeting(m, IndexOf(m, *series)));
  };

  Check(
      "populating",
      (*store)->Write([&](scheduling::MeetingTransaction& tx) -> absl::Status {
        // The week's `weekly` (day, slot) pairs; every third one is a series.
        for (int i = 0; i < weekly; ++i) {
          const int day = i % 5;
          const int slot = (i / 5) * spacing;
          const int rotation = day * kSlotsPerDay + slot;
          for (int g = 0; g < groups; ++g) {
            if (i % 3 == 0) {
              put(tx, Group(people, rotation, g),
                  calendar.SlotStart(first_week, day, slot),
                  absl::StrCat("s-", day, "-", slot, "-", g),
                  absl::StrCat("FREQ=WEEKLY;COUNT=", weeks));
              ++data.series;
              continue;
            }
            for (int w = 0; w < weeks; ++w) {
              put(tx, Group(people, rotation + 97 * (w + 1), g),
                  calendar.SlotStart(first_week + w, day, slot),
                  absl::StrCat("m-", w, "-", day, "-", slot, "-", g), "");
              ++data.singles;
            }
          }
        }
        return absl::OkStatus();
      }));
  data.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  return data;
}

// One client of one scheduling server.
class Client {
 public:
  explicit Client(const std::string& address, int id = 0) {
    grpc::ChannelArguments args;
    args.SetInt("salesmeet.bench.client", id);  // Distinct connections.
    auto channel = grpc::CreateCustomChannel(
        address, grpc::InsecureChannelCredentials(), args);
    stub_ = sv1::SchedulingService::NewStub(channel);
    health_ = Health::NewStub(channel);
  }

  absl::Duration Health() {
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse reply;
    return Timed("Health/Check", [&](grpc::ClientContext& c) {
      return health_->Check(&c, request, &reply);
    });
  }

  absl::Duration GetCalendar(const std::string& who, absl::Time from,
                             absl::Time to) {
    sv1::GetCalendarRequest request;
    request.set_participant(who);
    SetTime(from, request.mutable_interval()->mutable_start_time());
    SetTime(to, request.mutable_interval()->mutable_end_time());
    sv1::GetCalendarResponse response;
    const absl::Duration d = Timed("GetCalendar", [&](grpc::ClientContext& c) {
      return stub_->GetCalendar(&c, request, &response);
    });
    if (response.entries_size() == 0) Fail("GetCalendar found no meetings");
    return d;
  }

  absl::Duration FreeBusy(const std::vector<std::string>& who, absl::Time from,
                          absl::Time to) {
    sv1::QueryFreeBusyRequest request;
    for (const std::string& p : who) request.add_participants(p);
    SetTime(from, request.mutable_interval()->mutable_start_time());
    SetTime(to, request.mutable_interval()->mutable_end_time());
    sv1::QueryFreeBusyResponse response;
    const absl::Duration d =
        Timed("QueryFreeBusy", [&](grpc::ClientContext& c) {
          return stub_->QueryFreeBusy(&c, request, &response);
        });
    for (const sv1::ParticipantFreeBusy& fb : response.free_busy()) {
      if (fb.has_error()) Fail("QueryFreeBusy: " + fb.error().message());
    }
    return d;
  }

  absl::Duration FindSlots(const std::vector<std::string>& required,
                           const std::vector<std::string>& optional,
                           absl::Time from, absl::Time to) {
    sv1::FindMeetingSlotsRequest request;
    for (const std::string& p : required) request.add_required_attendees(p);
    for (const std::string& p : optional) request.add_optional_attendees(p);
    request.mutable_duration()->set_seconds(30 * 60);
    request.mutable_granularity()->set_seconds(15 * 60);
    SetTime(from, request.mutable_window()->mutable_start_time());
    SetTime(to, request.mutable_window()->mutable_end_time());
    sv1::FindMeetingSlotsResponse response;
    const absl::Duration d =
        Timed("FindMeetingSlots", [&](grpc::ClientContext& c) {
          return stub_->FindMeetingSlots(&c, request, &response);
        });
    if (response.slots_size() == 0) Fail("FindMeetingSlots found no slot");
    return d;
  }

 private:
  absl::Duration Timed(
      const char* what,
      const std::function<grpc::Status(grpc::ClientContext&)>& call) {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    const absl::Time start = absl::Now();
    const grpc::Status status = call(context);
    const absl::Duration d = absl::Now() - start;
    Check(what, status);
    return d;
  }

  std::unique_ptr<sv1::SchedulingService::Stub> stub_;
  std::unique_ptr<Health::Stub> health_;
};

// What one operation is called on the i-th sample: different people for
// different i.
using Operation = std::function<absl::Duration(Client&, int)>;

struct OperationSpec {
  std::string name;
  Operation run;
  int warm_samples;
  int cold_samples;
};

struct Figures {
  double cold_p50 = 0, cold_p99 = 0, warm_p50 = 0, warm_p99 = 0;
};

// The i-th cold call: with a cache, Redis is emptied first; without one,
// each call names people not asked about before, where it can.
Figures Measure(Client& client, RedisServer* redis, const OperationSpec& op,
                LatencySample& health, bool print) {
  LatencySample cold, warm;
  for (int i = 0; i < op.cold_samples; ++i) {
    if (redis != nullptr) redis->Flush();
    cold.Add(op.run(client, 1000 + i));
  }
  // Warm: a few distinct requests, each asked once before it is timed; a
  // Health/Check follows each timed call.
  constexpr int kWarmSet = 8;
  for (int i = 0; i < kWarmSet; ++i) op.run(client, i);
  for (int i = 0; i < op.warm_samples; ++i) {
    warm.Add(op.run(client, i % kWarmSet));
    health.Add(client.Health());
  }
  if (print) {
    cold.Print(op.name + " cold");
    warm.Print(op.name + " warm");
  }
  return {cold.Percentile(50), cold.Percentile(99), warm.Percentile(50),
          warm.Percentile(99)};
}

struct Window {
  absl::Time month_from, month_to;  // 30 days from this Monday.
  absl::Time slots_from, slots_to;  // 2 weeks from now.
};

Window Windows(const SlotCalendar& calendar) {
  Window w;
  w.month_from = calendar.Monday();
  w.month_to = w.month_from + absl::Hours(24 * 30);
  w.slots_from = absl::Now() + absl::Minutes(5);
  w.slots_to = w.slots_from + absl::Hours(24 * 14);
  return w;
}

OperationSpec GetCalendarOp(const Options& o, const Window& w, int people) {
  return {"GetCalendar 1 person 30d",
          [w, people](Client& c, int i) {
            return c.GetCalendar(Rep((i * 37) % people), w.month_from,
                                 w.month_to);
          },
          Scaled(o, 300), Scaled(o, 40)};
}

OperationSpec FreeBusyOp(const Options& o, const Window& w, int people,
                         int size, int warm, int cold) {
  size = std::min(size, people);
  return {absl::StrCat("QueryFreeBusy ", size, " people 30d"),
          [w, people, size](Client& c, int i) {
            return c.FreeBusy(Reps(people, i * 13, size), w.month_from,
                              w.month_to);
          },
          Scaled(o, warm), Scaled(o, cold)};
}

OperationSpec FindSlotsOp(const Options& o, const Window& w, int people) {
  return {"FindMeetingSlots 5+5 2w 15min",
          [w, people](Client& c, int i) {
            return c.FindSlots(Reps(people, i * 10, 5),
                               Reps(people, i * 10 + 5, 5), w.slots_from,
                               w.slots_to);
          },
          Scaled(o, 200), Scaled(o, 40)};
}

std::optional<ServiceProcess> StartScheduling(const Options& o,
                                              const std::string& db,
                                              const std::string& participant,
                                              const RedisServer* redis) {
  std::vector<std::string> args = {absl::StrCat("--db=sqlite://", db),
                                   absl::StrCat("--participant=", participant)};
  if (redis != nullptr) {
    args.push_back(absl::StrCat("--redis=", redis->address()));
  }
  auto process = ServiceProcess::Start(o.scheduling_binary, args);
  Check("starting scheduling", process.status());
  return std::move(*process);
}

void PrintDataSet(const DataSet& d, int weeks) {
  std::printf(
      "data set: %d participants, %d meetings/person/week: %d weekly series "
      "+ %d single meetings (3 people each, %d weeks) written in %.1f s\n",
      d.people, d.weekly, d.series, d.singles, weeks, d.seconds);
}

// Calls per second of `op` from kClients clients at once, each on its own
// connection; their latencies together.
void Throughput(const std::string& address, const std::string& name,
                const Operation& op, double seconds) {
  std::vector<std::vector<absl::Duration>> samples(kClients);
  std::vector<std::thread> threads;
  const absl::Time start = absl::Now();
  const absl::Time stop = start + absl::Seconds(seconds);
  for (int t = 0; t < kClients; ++t) {
    threads.emplace_back([&, t] {
      Client client(address, t + 1);
      for (int i = 0; i < 8; ++i) op(client, i);  // Connect and warm.
      for (int n = 0; absl::Now() < stop; ++n) {
        samples[t].push_back(op(client, (t + n) % 8));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const double elapsed = absl::ToDoubleSeconds(absl::Now() - start);
  LatencySample all;
  size_t calls = 0;
  for (const std::vector<absl::Duration>& s : samples) {
    calls += s.size();
    for (absl::Duration d : s) all.Add(d);
  }
  std::printf("%-40s %d clients: %zu calls in %.1f s = %.0f calls/s\n",
              name.c_str(), kClients, calls, elapsed, calls / elapsed);
  all.Print("  latency under load");
}

struct ScalingRow {
  DataSet data;
  Figures calendar, free_busy_10, free_busy_100, free_busy_all, slots;
  double health_p50 = 0;
};

void PrintScaling(const std::vector<ScalingRow>& rows) {
  std::printf(
      "\nScaling (p50 in microseconds, cold / warm; Redis cache; FB = "
      "QueryFreeBusy 30 days, FB all = every participant)\n");
  std::printf("%6s %6s %8s %7s | %15s | %15s | %15s | %17s | %15s | %7s\n",
              "people", "weekly", "meetings", "load s", "GetCalendar", "FB 10",
              "FB 100", "FB all", "FindSlots 5+5", "health");
  for (const ScalingRow& r : rows) {
    auto cell = [](const Figures& f) {
      return absl::StrCat(static_cast<int>(f.cold_p50), " / ",
                          static_cast<int>(f.warm_p50));
    };
    std::printf(
        "%6d %6d %8d %7.1f | %15s | %15s | %15s | %17s | %15s | %7.0f\n",
        r.data.people, r.data.weekly, r.data.series + r.data.singles,
        r.data.seconds, cell(r.calendar).c_str(), cell(r.free_busy_10).c_str(),
        cell(r.free_busy_100).c_str(), cell(r.free_busy_all).c_str(),
        cell(r.slots).c_str(), r.health_p50);
  }
}

int Run(const Options& o) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    absl::StrCat("calendar_bench_", getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const SlotCalendar calendar;
  const Window window = Windows(calendar);

  std::vector<std::pair<int, int>> scaling;  // (people, weekly)
  int org_size = o.participants;
  if (o.scaling) {
    scaling = {
        {100, o.weekly}, {250, o.weekly}, {500, o.weekly}, {500, 5}, {500, 30}};
    for (const auto& [people, weekly] : scaling) {
      org_size = std::max(org_size, people);
    }
  }

  auto participant = ServiceProcess::Start(
      o.participant_binary,
      {absl::StrCat("--db=sqlite://", (dir / "participant.db").string())});
  Check("starting participant", participant.status());
  absl::Time start = absl::Now();
  const ParticipantsByName org = CreateOrg(participant->address(), org_size);
  std::printf(
      "calendar_bench: created %d participants through the API in "
      "%.1f s\n",
      org_size, absl::ToDoubleSeconds(absl::Now() - start));

  auto db_for = [&](int people, int weekly) {
    return (dir / absl::StrCat("scheduling-", people, "-", weekly, ".db"))
        .string();
  };
  const std::string main_db = db_for(o.participants, o.weekly);
  const DataSet main_data =
      Populate(main_db, org, o.participants, o.weekly, o.weeks, calendar);
  PrintDataSet(main_data, o.weeks);
  std::fflush(stdout);

  RedisServer redis;
  const int n = o.participants;
  // ops[0] and ops[1] are also run under load below.
  std::vector<OperationSpec> ops = {GetCalendarOp(o, window, n),
                                    FreeBusyOp(o, window, n, 10, 300, 40)};
  if (n > 10) ops.push_back(FreeBusyOp(o, window, n, 100, 60, 20));
  if (n > 100) ops.push_back(FreeBusyOp(o, window, n, 500, 20, 8));
  ops.push_back(FindSlotsOp(o, window, n));
  {
    auto scheduling =
        StartScheduling(o, main_db, participant->address(), &redis);
    Client client(scheduling->address());
    LatencySample idle;
    for (int i = -100; i < Scaled(o, 1000); ++i) {
      const absl::Duration d = client.Health();
      if (i >= 0) idle.Add(d);
    }
    std::printf(
        "\nWith the Redis cache (--redis); cold = FLUSHALL before each call; "
        "one client, sequential:\n");
    idle.Print("Health/Check alone, idle");
    LatencySample health;
    std::vector<Figures> figures;
    for (const OperationSpec& op : ops) {
      figures.push_back(Measure(client, &redis, op, health, true));
    }
    health.Print("Health/Check between warm calls");
    std::printf("warm GetCalendar p50 / Health/Check p50 = %.1fx\n",
                figures[0].warm_p50 / health.Percentile(50));
    std::printf("Redis holds %lld keys after the warm runs\n", redis.Keys());

    std::printf("\nThroughput, warm, Redis cache:\n");
    const Operation free_busy = ops[1].run;
    Throughput(scheduling->address(), ops[1].name, free_busy,
               o.throughput_seconds);
    Throughput(scheduling->address(), ops[0].name, ops[0].run,
               o.throughput_seconds);
    Throughput(
        scheduling->address(), "Health/Check",
        [](Client& c, int) { return c.Health(); }, o.throughput_seconds);
  }
  {
    auto scheduling =
        StartScheduling(o, main_db, participant->address(), nullptr);
    Client client(scheduling->address());
    std::printf(
        "\nWithout a cache (no --redis: every read from SQLite); cold = the "
        "first call for those people:\n");
    LatencySample health;
    for (const OperationSpec& op : ops) {
      Measure(client, nullptr, op, health, true);
    }
    health.Print("Health/Check between warm calls");
    std::printf("\nThroughput, no cache:\n");
    Throughput(scheduling->address(), ops[1].name, ops[1].run,
               o.throughput_seconds);
  }

  std::vector<ScalingRow> rows;
  for (const auto& [people, weekly] : scaling) {
    ScalingRow row;
    std::string db = db_for(people, weekly);
    if (people == o.participants && weekly == o.weekly) {
      row.data = main_data;
    } else {
      row.data = Populate(db, org, people, weekly, o.weeks, calendar);
    }
    auto scheduling = StartScheduling(o, db, participant->address(), &redis);
    Client client(scheduling->address());
    for (int i = 0; i < 50; ++i) client.Health();
    Options less = o;
    less.samples = o.samples / 3;
    LatencySample health;
    row.calendar = Measure(client, &redis, GetCalendarOp(less, window, people),
                           health, false);
    row.free_busy_10 =
        Measure(client, &redis, FreeBusyOp(less, window, people, 10, 300, 40),
                health, false);
    row.free_busy_100 =
        Measure(client, &redis, FreeBusyOp(less, window, people, 100, 60, 20),
                health, false);
    row.free_busy_all = Measure(
        client, &redis, FreeBusyOp(less, window, people, people, 30, 15),
        health, false);
    row.slots = Measure(client, &redis, FindSlotsOp(less, window, people),
                        health, false);
    row.health_p50 = health.Percentile(50);
    rows.push_back(row);
    std::filesystem::remove(db);
  }
  if (!rows.empty()) PrintScaling(rows);
  std::filesystem::remove_all(dir);
  return 0;
}

bool ParseFlag(const std::string& arg, Options& o) {
  auto value = [&](const char* name) -> std::optional<std::string> {
    const std::string prefix = absl::StrCat("--", name, "=");
    if (!absl::StartsWith(arg, prefix)) return std::nullopt;
    return arg.substr(prefix.size());
  };
  auto as_int = [](const std::string& s, int& out) {
    return absl::SimpleAtoi(s, &out) && out > 0;
  };
  auto as_double = [](const std::string& s, double& out) {
    return absl::SimpleAtod(s, &out) && out > 0;
  };
  if (auto v = value("participants")) return as_int(*v, o.participants);
  if (auto v = value("weekly")) return as_int(*v, o.weekly);
  if (auto v = value("weeks")) return as_int(*v, o.weeks);
  if (auto v = value("samples")) return as_double(*v, o.samples);
  if (auto v = value("throughput_seconds")) {
    return as_double(*v, o.throughput_seconds);
  }
  if (auto v = value("scaling")) {
    o.scaling = *v != "0" && *v != "false";
    return true;
  }
  if (auto v = value("participant_binary")) {
    o.participant_binary = *v;
    return true;
  }
  if (auto v = value("scheduling_binary")) {
    o.scheduling_binary = *v;
    return true;
  }
  return false;
}

}  // namespace
}  // namespace salesmeet::bench

int main(int argc, char** argv) {
  salesmeet::bench::Options options;
  for (int i = 1; i < argc; ++i) {
    if (!salesmeet::bench::ParseFlag(argv[i], options)) {
      std::fprintf(stderr, "calendar_bench: bad argument %s\n", argv[i]);
      return 2;
    }
  }
  if (options.participants < 10) {
    std::fprintf(stderr, "calendar_bench: needs at least 10 participants\n");
    return 2;
  }
  return salesmeet::bench::Run(options);
}
