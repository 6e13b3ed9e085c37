// scale_out_bench, scenario 1: CreateMeeting under concurrency, on SQLite and
// on PostgreSQL with one and several replicas, double bookings counted.

#include "tests/bench/scale_out_env.h"

namespace salesmeet::bench {
namespace {

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

}  // namespace

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

}  // namespace salesmeet::bench
