// scale_out_bench, scenario 2: QueryFreeBusy for 100 people over 30 days,
// through Redis and without it, on both backends.

#include "tests/bench/scale_out_env.h"

namespace salesmeet::bench {
namespace {

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

}  // namespace

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

}  // namespace salesmeet::bench
