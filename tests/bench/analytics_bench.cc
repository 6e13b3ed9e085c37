// The analytics service over a year of a sales organisation: how fast the
// projection catches up from sequence 0 over `changes` feed events, how
// long a restart takes to load it back, and each report's latency over the
// whole year next to grpc.health.v1.Health/Check on the same server.
//
//   analytics_bench [--participants=500] [--customers=200] [--weekly=15]
//                   [--weeks=52] [--changes=100000] [--samples=30]
//
// The org: `participants` sales reps in Europe/Rome working 09:00-17:00 in
// ten teams, and `customers` customer contacts owned by them, created
// through the participant service. Each rep has `weekly` half-hour meetings
// a week in threes (a third of them weekly series), every fifth single one
// with a customer; they are written straight into the scheduling database
// with one feed event each, as CreateMeeting writes them, and then past
// meetings are completed (WON, LOST, ADVANCED, HELD, NO_SHOW in turn) until
// the feed holds `changes` events.

#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/calendar/occurrences.h"
#include "common/etag.h"
#include "common/field_checks.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "salesmeet/analytics/v1/analytics_service.grpc.pb.h"
#include "salesmeet/participant/v1/participant_service.grpc.pb.h"
#include "services/scheduling/booking/attendee_records.h"
#include "services/scheduling/store/sqlite_meeting_store.h"
#include "tests/bench/bench_checks.h"
#include "tests/bench/bench_org.h"
#include "tests/bench/latency.h"
#include "tests/bench/service_process.h"

namespace salesmeet::bench {
namespace {

namespace av1 = salesmeet::analytics::v1;
namespace pv1 = salesmeet::participant::v1;
namespace sv1 = salesmeet::scheduling::v1;
namespace tv1 = salesmeet::type::v1;

constexpr int kSlotsPerDay = 16;  // 09:00 to 17:00, 30 minutes each.
constexpr int kTeams = 10;

struct Options {
  int participants = 500;
  int customers = 200;
  int weekly = 15;
  int weeks = 52;
  int changes = 100000;
  int samples = 30;
};

void SetDeadline(grpc::ClientContext& context) {
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(60));
}

std::string Customer(int i) { return absl::StrCat("participants/cust-", i); }
std::string Team(int i) { return absl::StrCat("teams/team-", i); }

// Reps with working hours and teams, and customers owned by them.
ParticipantsByName CreateOrg(const std::string& address, const Options& o) {
  auto stub = pv1::ParticipantService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  for (int t = 0; t < kTeams; ++t) {
    pv1::CreateTeamRequest request;
    request.set_team_id(absl::StrCat("team-", t));
    request.mutable_team()->set_display_name(absl::StrCat("Team ", t));
    grpc::ClientContext context;
    SetDeadline(context);
    pv1::Team created;
    Check("CreateTeam", stub->CreateTeam(&context, request, &created));
  }
  ParticipantsByName people;
  auto create = [&](const pv1::CreateParticipantRequest& request) {
    grpc::ClientContext context;
    SetDeadline(context);
    pv1::Participant created;
    Check("CreateParticipant",
          stub->CreateParticipant(&context, request, &created));
    people[created.name()] = created;
  };
  for (int i = 0; i < o.participants; ++i) {
    pv1::CreateParticipantRequest request = RepRequest(i, absl::Hours(6));
    pv1::Participant* p = request.mutable_participant();
    p->set_team(Team(i % kTeams));
    for (int day = 1; day <= 5; ++day) {
      tv1::WorkingPeriod* period = p->add_working_hours();
      period->set_day(static_cast<google::type::DayOfWeek>(day));
      period->mutable_start_time()->set_hours(9);
      period->mutable_end_time()->set_hours(17);
    }
    create(request);
  }
  for (int i = 0; i < o.customers; ++i) {
    pv1::CreateParticipantRequest request;
    request.set_participant_id(absl::StrCat("cust-", i));
    pv1::Participant* p = request.mutable_participant();
    p->set_display_name(absl::StrCat("Customer ", i));
    p->set_email(absl::StrCat("cust", i, "@customer.example"));
    p->set_kind(tv1::CUSTOMER_CONTACT);
    p->set_time_zone("America/New_York");
    pv1::CustomerProfile* c = p->mutable_customer();
    c->set_account(absl::StrCat("Account ", i / 3));
    c->set_lifecycle(tv1::EXISTING_CUSTOMER);
    c->set_account_owner(Rep(i % o.participants));
    c->mutable_contact_cadence()->set_seconds((i % 2 == 0 ? 14 : 30) * 86400);
    create(request);
  }
  return people;
}

struct DataSet {
  int meetings = 0;
  int completions = 0;
  double seconds = 0;
};

// Writes the year of meetings, and the completions that bring the feed to
// o.changes events, into a new scheduling database at `path`.
DataSet Populate(const std::string& path, const ParticipantsByName& org,
                 const Options& o, const SlotCalendar& calendar) {
  const absl::Time start = absl::Now();
  DataSet data;
  const int per_day = (o.weekly + 4) / 5;
  if (per_day > kSlotsPerDay) Fail("--weekly must be at most 80");
  const int spacing = kSlotsPerDay / per_day;
  const int groups = o.participants / 3;
  const int first_week = -o.weeks / 2;
  auto store = scheduling::SqliteMeetingStore::Open(path);
  Check("opening the scheduling database", store.status());
  const absl::Time now = absl::Now();
  const absl::Time check_until = now + absl::Hours(24 * 800);
  std::vector<sv1::Meeting> past_singles;

  auto put = [&](scheduling::MeetingTransaction& tx, sv1::Meeting m,
                 sv1::MeetingChangeType type) -> absl::Status {
    auto series = SeriesOf(m, check_until);
    if (!series.ok()) return series.status();
    StampWrite(m, now);
    absl::Status put = tx.PutMeeting(m, IndexOf(m, *series));
    if (!put.ok()) return put;
    sv1::MeetingChange change;
    change.set_type(type);
    *change.mutable_meeting() = m;
    return tx.AppendChange(std::move(change), now).status();
  };
  auto book = [&](scheduling::MeetingTransaction& tx,
                  std::vector<std::string> names, absl::Time at,
                  const std::string& id, const std::string& rrule,
                  int customer) -> absl::Status {
    sv1::Meeting m;
    m.set_title(rrule.empty() ? "Deal review" : "Weekly pipeline review");
    m.set_agenda("Pipeline\nNext steps");
    m.set_purpose(customer >= 0 ? sv1::CUSTOMER_PRESENTATION
                                : sv1::SALES_DATA_REVIEW);
    m.set_format(sv1::CONFERENCE_CALL);
    m.set_organizer(names[0]);
    if (customer >= 0) names.push_back(Customer(customer));
    for (const std::string& p : names) m.add_attendees()->set_participant(p);
    *m.mutable_start_time() = ToProtoTime(at);
    *m.mutable_end_time() = ToProtoTime(at + absl::Minutes(30));
    m.set_time_zone(kBenchZone);
    if (!rrule.empty()) m.mutable_recurrence()->set_rrule(rrule);
    absl::Status booked = scheduling::BookAttendees(m, nullptr, org, now);
    if (!booked.ok()) return booked;
    m.set_state(sv1::SCHEDULED);
    m.set_name(absl::StrCat("meetings/", id));
    *m.mutable_create_time() = ToProtoTime(now);
    ++data.meetings;
    if (rrule.empty() && at + absl::Hours(1) < now) past_singles.push_back(m);
    return put(tx, std::move(m), sv1::MEETING_CREATED);
  };

  Check("populating", (*store)->Write([&](scheduling::MeetingTransaction& tx)
                                          -> absl::Status {
    int customer_turn = 0;
    for (int i = 0; i < o.weekly; ++i) {
      const int day = i % 5;
      const int slot = (i / 5) * spacing;
      const int rotation = day * kSlotsPerDay + slot;
      for (int g = 0; g < groups; ++g) {
        if (i % 3 == 0) {
          absl::Status s =
              book(tx, Group(o.participants, rotation, g),
                   calendar.SlotStart(first_week, day, slot),
                   absl::StrCat("s-", day, "-", slot, "-", g),
                   absl::StrCat("FREQ=WEEKLY;COUNT=", o.weeks), -1);
          if (!s.ok()) return s;
          continue;
        }
        for (int w = 0; w < o.weeks; ++w) {
          const int customer = (++customer_turn % 5 == 0 && o.customers > 0)
                                   ? customer_turn / 5 % o.customers
                                   : -1;
          absl::Status s = book(
              tx, Group(o.participants, rotation + 97 * (w + 1), g),
              calendar.SlotStart(first_week + w, day, slot),
              absl::StrCat("m-", w, "-", day, "-", slot, "-", g), "", customer);
          if (!s.ok()) return s;
        }
      }
    }
    static constexpr sv1::MeetingOutcome kOutcomes[] = {
        sv1::WON, sv1::LOST, sv1::ADVANCED, sv1::HELD, sv1::NO_SHOW};
    for (sv1::Meeting& m : past_singles) {
      if (data.meetings + data.completions >= o.changes) break;
      const sv1::MeetingOutcome outcome = kOutcomes[data.completions % 5];
      m.set_state(sv1::COMPLETED);
      m.set_outcome(outcome);
      if (outcome == sv1::WON || outcome == sv1::LOST ||
          outcome == sv1::ADVANCED) {
        m.mutable_deal_value()->set_currency_code("EUR");
        m.mutable_deal_value()->set_units(5000 + 250 * (data.completions % 40));
      }
      *m.mutable_complete_time() = ToProtoTime(now);
      ++data.completions;
      absl::Status s = put(tx, m, sv1::MEETING_COMPLETED);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }));
  data.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  return data;
}

class Client {
 public:
  explicit Client(const std::string& address) {
    auto channel =
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
    stub_ = av1::AnalyticsService::NewStub(channel);
    health_ = grpc::health::v1::Health::NewStub(channel);
  }

  av1::FeedStatus Status() {
    grpc::ClientContext context;
    SetDeadline(context);
    av1::FeedStatus status;
    Check("GetFeedStatus",
          stub_->GetFeedStatus(&context, av1::GetFeedStatusRequest(), &status));
    return status;
  }

  // Times `call` once; a failed call ends the benchmark.
  absl::Duration Timed(
      const char* what,
      const std::function<grpc::Status(av1::AnalyticsService::Stub&,
                                       grpc::ClientContext&)>& call) {
    grpc::ClientContext context;
    SetDeadline(context);
    const absl::Time start = absl::Now();
    const grpc::Status status = call(*stub_, context);
    const absl::Duration d = absl::Now() - start;
    Check(what, status);
    return d;
  }

  absl::Duration Health() {
    grpc::ClientContext context;
    SetDeadline(context);
    grpc::health::v1::HealthCheckResponse reply;
    const absl::Time start = absl::Now();
    Check("Health/Check",
          health_->Check(&context, grpc::health::v1::HealthCheckRequest(),
                         &reply));
    return absl::Now() - start;
  }

 private:
  std::unique_ptr<av1::AnalyticsService::Stub> stub_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
};

// Waits until analytics has applied `head`; returns how long that took.
absl::Duration CatchUp(Client& client, int64_t head, absl::Time since) {
  while (true) {
    const av1::FeedStatus status = client.Status();
    if (status.applied_sequence() >= head) return absl::Now() - since;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

Options ParseOptions(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto int_flag = [&](const char* name, int* out) {
      const std::string prefix = absl::StrCat("--", name, "=");
      if (!absl::StartsWith(arg, prefix)) return false;
      if (!absl::SimpleAtoi(arg.substr(prefix.size()), out)) {
        Fail("bad " + arg);
      }
      return true;
    };
    if (!int_flag("participants", &o.participants) &&
        !int_flag("customers", &o.customers) &&
        !int_flag("weekly", &o.weekly) && !int_flag("weeks", &o.weeks) &&
        !int_flag("changes", &o.changes) && !int_flag("samples", &o.samples)) {
      Fail("unknown argument " + arg);
    }
  }
  return o;
}

}  // namespace
}  // namespace salesmeet::bench

int main(int argc, char** argv) {
  using namespace salesmeet::bench;
  const Options o = ParseOptions(argc, argv);
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    absl::StrCat("analytics_bench_", getpid());
  std::filesystem::create_directories(dir);
  auto db = [&](const char* name) {
    return absl::StrCat("--db=sqlite://", (dir / name).string());
  };
  const std::vector<std::string> quiet = {"--access_log=false"};

  auto participant = ServiceProcess::Start(SALESMEET_PARTICIPANT_BINARY,
                                           {db("participant.db"), quiet[0]});
  Check("starting participant", participant.status());
  const salesmeet::ParticipantsByName org =
      CreateOrg(participant->address(), o);
  const SlotCalendar calendar;
  const DataSet data =
      Populate((dir / "scheduling.db").string(), org, o, calendar);
  std::printf(
      "organisation: %d reps in %d teams, %d customers; %d meetings and %d "
      "completions = %d feed events, written in %.1f s\n",
      o.participants, kTeams, o.customers, data.meetings, data.completions,
      data.meetings + data.completions, data.seconds);

  auto scheduling = ServiceProcess::Start(
      SALESMEET_SCHEDULING_BINARY,
      {db("scheduling.db"), quiet[0],
       absl::StrCat("--participant=", participant->address())});
  Check("starting scheduling", scheduling.status());
  const int64_t head = data.meetings + data.completions;
  const std::vector<std::string> analytics_args = {
      db("analytics.db"), quiet[0],
      absl::StrCat("--scheduling=", scheduling->address()),
      absl::StrCat("--participant=", participant->address())};

  absl::Duration catch_up;
  {
    const absl::Time launched = absl::Now();
    auto analytics =
        ServiceProcess::Start(SALESMEET_ANALYTICS_BINARY, analytics_args);
    Check("starting analytics", analytics.status());
    Client client(analytics->address());
    catch_up = CatchUp(client, head, launched);
  }
  std::printf(
      "projection catch-up from 0: %lld events in %.2f s = %.0f events/s "
      "(from process start, SQLite commit per 500-event message)\n",
      static_cast<long long>(head), absl::ToDoubleSeconds(catch_up),
      head / absl::ToDoubleSeconds(catch_up));

  const absl::Time restarted = absl::Now();
  auto analytics =
      ServiceProcess::Start(SALESMEET_ANALYTICS_BINARY, analytics_args);
  Check("restarting analytics", analytics.status());
  Client client(analytics->address());
  const absl::Duration reload = CatchUp(client, head, restarted);
  std::printf("restart: serving and caught up again in %.2f s\n",
              absl::ToDoubleSeconds(reload));

  // Reports over the whole year the meetings cover.
  const absl::Time year_start = calendar.Monday() - absl::Hours(24 * 7 * 26);
  const absl::Time year_end = year_start + absl::Hours(24 * 364);
  av1::ReportScope year;
  *year.mutable_interval()->mutable_start_time() =
      salesmeet::ToProtoTime(year_start);
  *year.mutable_interval()->mutable_end_time() =
      salesmeet::ToProtoTime(year_end);

  using Stub = salesmeet::analytics::v1::AnalyticsService::Stub;
  struct Report {
    const char* name;
    std::function<grpc::Status(Stub&, grpc::ClientContext&)> call;
  };
  std::vector<Report> reports;
  for (auto [name, dimension] :
       std::vector<std::pair<const char*, av1::CostDimension>>{
           {"GetCostReport TEAM", av1::TEAM},
           {"GetCostReport ISO_WEEK", av1::ISO_WEEK},
           {"GetCostReport PARTICIPANT", av1::PARTICIPANT}}) {
    reports.push_back(
        {name, [&year, dimension](Stub& s, grpc::ClientContext& c) {
           av1::GetCostReportRequest r;
           *r.mutable_scope() = year;
           r.set_group_by(dimension);
           av1::CostReport out;
           return s.GetCostReport(&c, r, &out);
         }});
  }
  reports.push_back(
      {"GetMeetingMixReport", [&](Stub& s, grpc::ClientContext& c) {
         av1::GetMeetingMixReportRequest r;
         *r.mutable_scope() = year;
         av1::MeetingMixReport out;
         return s.GetMeetingMixReport(&c, r, &out);
       }});
  reports.push_back(
      {"GetMeetingLoadReport", [&](Stub& s, grpc::ClientContext& c) {
         av1::GetMeetingLoadReportRequest r;
         *r.mutable_scope() = year;
         av1::MeetingLoadReport out;
         return s.GetMeetingLoadReport(&c, r, &out);
       }});
  reports.push_back(
      {"GetContactCadenceReport", [&](Stub& s, grpc::ClientContext& c) {
         av1::GetContactCadenceReportRequest r;
         *r.mutable_interval() = year.interval();
         av1::ContactCadenceReport out;
         return s.GetContactCadenceReport(&c, r, &out);
       }});
  reports.push_back(
      {"GetTopPerformers ROI", [&](Stub& s, grpc::ClientContext& c) {
         av1::GetTopPerformersRequest r;
         *r.mutable_scope() = year;
         r.set_metric(av1::RETURN_ON_MEETING_COST);
         av1::TopPerformersReport out;
         return s.GetTopPerformers(&c, r, &out);
       }});

  std::printf("\nreport latency over one year (%d samples each, one client):\n",
              o.samples);
  LatencySample health;
  for (Report& report : reports) {
    LatencySample sample;
    for (int i = 0; i < 3; ++i) client.Timed(report.name, report.call);
    for (int i = 0; i < o.samples; ++i) {
      sample.Add(client.Timed(report.name, report.call));
      health.Add(client.Health());
    }
    sample.Print(report.name);
  }
  health.Print("Health/Check (between reports)");
  std::filesystem::remove_all(dir);
  return 0;
}
