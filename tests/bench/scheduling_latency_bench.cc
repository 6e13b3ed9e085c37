// CreateMeeting latency next to grpc.health.v1.Health/Check on the same
// scheduling server with the same client, against a month of meetings
// already booked; then CreateMeeting throughput with 8 concurrent clients.
// Starts its own participant and scheduling processes on free ports with
// throw-away databases.
//
//   scheduling_latency_bench [participant binary] [scheduling binary]
//                            [creates] [employees]
//
// The org: `employees` sales reps in Europe/Rome, working 09:00-17:00. The
// working day has 16 half-hour slots. Each Monday-to-Friday, the 09:00 slot
// holds weekly series and the 11:30 and 14:00 slots hold single meetings, of
// three people each, everyone in at most one meeting per slot: about 15
// meetings per person per week, a third of them recurring, over the four
// weeks around today. Measured meetings go into free slots, so none is
// refused for a conflict.

#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "salesmeet/participant/v1/participant_service.grpc.pb.h"
#include "salesmeet/scheduling/v1/scheduling_service.grpc.pb.h"
#include "tests/bench/bench_org.h"
#include "tests/bench/latency.h"
#include "tests/bench/service_process.h"

namespace salesmeet::bench {
namespace {

namespace pv1 = salesmeet::participant::v1;
namespace sv1 = salesmeet::scheduling::v1;

constexpr const char* kZone = kBenchZone;
constexpr int kSlotsPerDay = 16;         // 09:00 to 17:00, 30 minutes each.
constexpr int kSeriesSlot = 0;           // 09:00: weekly series.
constexpr int kSingleSlots[] = {5, 10};  // 11:30 and 14:00: single meetings.
constexpr int kFirstWeek = -2;           // The booked month: weeks -2 to +1.
constexpr int kMonthWeeks = 4;
constexpr int kThroughputFirstWeek = 2;  // After the month: series only.
constexpr int kThroughputWeeks = 40;
constexpr int kClients = 8;
constexpr absl::Duration kThroughputRun = absl::Seconds(3);

std::chrono::system_clock::time_point Deadline() {
  return std::chrono::system_clock::now() + std::chrono::seconds(10);
}

bool IsBusySlot(int slot) {
  return slot == kSeriesSlot || slot == kSingleSlots[0] ||
         slot == kSingleSlots[1];
}

sv1::Meeting MeetingFor(const std::vector<std::string>& people,
                        absl::Time start, const std::string& title) {
  sv1::Meeting m;
  m.set_title(title);
  m.set_agenda("Pipeline\nNext steps");
  m.set_purpose(sv1::SALES_DATA_REVIEW);
  m.set_format(sv1::CONFERENCE_CALL);
  m.set_organizer(people[0]);
  for (const std::string& p : people) m.add_attendees()->set_participant(p);
  SetTime(start, m.mutable_start_time());
  SetTime(start + absl::Minutes(30), m.mutable_end_time());
  m.set_time_zone(kZone);
  return m;
}

void Die(const std::string& what, const grpc::Status& status) {
  std::fprintf(stderr, "%s failed: %s %s\n", what.c_str(),
               std::to_string(status.error_code()).c_str(),
               status.error_message().c_str());
  std::exit(1);
}

void CreateOrg(pv1::ParticipantService::Stub& stub, int employees) {
  for (int i = 0; i < employees; ++i) {
    pv1::CreateParticipantRequest request = RepRequest(i, absl::Hours(12));
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    pv1::Participant created;
    grpc::Status status = stub.CreateParticipant(&context, request, &created);
    if (!status.ok()) Die("CreateParticipant", status);
  }
}

grpc::Status Create(sv1::SchedulingService::Stub& stub, sv1::Meeting meeting,
                    const std::string& request_id, bool validate_only) {
  sv1::CreateMeetingRequest request;
  *request.mutable_meeting() = std::move(meeting);
  request.set_request_id(request_id);
  request.set_validate_only(validate_only);
  sv1::CreateMeetingResponse response;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  return stub.CreateMeeting(&context, request, &response);
}

struct Booked {
  int series = 0;
  int singles = 0;
};

Booked BookMonth(sv1::SchedulingService::Stub& stub,
                 const SlotCalendar& calendar, int employees) {
  Booked booked;
  const int groups = employees / 3;
  for (int day = 0; day < 5; ++day) {
    for (int g = 0; g < groups; ++g) {
      sv1::Meeting m =
          MeetingFor(Group(employees, day, g),
                     calendar.SlotStart(kFirstWeek, day, kSeriesSlot),
                     absl::StrCat("Weekly pipeline review ", day, "-", g));
      m.mutable_recurrence()->set_rrule("FREQ=WEEKLY");
      grpc::Status status =
          Create(stub, m, absl::StrCat("series-", day, "-", g), false);
      if (!status.ok()) Die("booking a series", status);
      ++booked.series;
    }
  }
  for (int week = kFirstWeek; week < kFirstWeek + kMonthWeeks; ++week) {
    for (int day = 0; day < 5; ++day) {
      for (int slot : kSingleSlots) {
        const int rotation = (week - kFirstWeek) * 97 + day * 13 + slot;
        for (int g = 0; g < groups; ++g) {
          const std::string id =
              absl::StrCat("single-", week + 10, "-", day, "-", slot, "-", g);
          grpc::Status status = Create(
              stub,
              MeetingFor(Group(employees, rotation, g),
                         calendar.SlotStart(week, day, slot), "Deal review"),
              id, false);
          if (!status.ok()) Die("booking a meeting", status);
          ++booked.singles;
        }
      }
    }
  }
  return booked;
}

// The n-th free (slot, group) in `weeks` weeks from `first_week`: a time
// when nobody in the group has anything booked. Consecutive n spread over
// the weeks and days first, then the groups, then the free slots of a day.
struct FreeSlot {
  int week, day, slot, group;
};

FreeSlot NthFree(int n, int first_week, int weeks, int groups) {
  const int week = first_week + n % weeks;
  n /= weeks;
  const int day = n % 5;
  n /= 5;
  const int group = n % groups;
  int free_index = n / groups;
  int slot = 0;
  for (;; ++slot) {
    if (IsBusySlot(slot)) continue;
    if (free_index-- == 0) break;
  }
  if (slot >= kSlotsPerDay) {
    std::fprintf(stderr, "out of free slots\n");
    std::exit(1);
  }
  return {week, day, slot, group};
}

// One Health/Check, timed into `sample` when given.
void CheckHealth(grpc::health::v1::Health::Stub& health,
                 LatencySample* sample) {
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse reply;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  const absl::Time start = absl::Now();
  grpc::Status status = health.Check(&context, request, &reply);
  if (!status.ok()) Die("Health/Check", status);
  if (sample != nullptr) sample->Add(absl::Now() - start);
}

LatencySample IdleHealth(grpc::health::v1::Health::Stub& health) {
  LatencySample sample;
  for (int i = -200; i < 2000; ++i) {
    CheckHealth(health, i >= 0 ? &sample : nullptr);
  }
  return sample;
}

void MeasureLatency(sv1::SchedulingService::Stub& stub,
                    grpc::health::v1::Health::Stub& health,
                    const SlotCalendar& calendar, int employees, int creates) {
  LatencySample create_sample, preview_sample, health_sample;
  const int groups = employees / 3;
  constexpr int kWarmUp = 50;
  // Each free slot is previewed, then booked, as a careful client does; a
  // health check follows each, so all three see the same conditions.
  for (int i = -kWarmUp; i < creates; ++i) {
    const FreeSlot at = NthFree(i + kWarmUp, kFirstWeek, kMonthWeeks, groups);
    const sv1::Meeting meeting = MeetingFor(
        Group(employees, at.week * 31 + at.day * 7 + at.slot, at.group),
        calendar.SlotStart(at.week, at.day, at.slot), "Account planning");
    absl::Time start = absl::Now();
    grpc::Status status = Create(stub, meeting, "", true);
    if (!status.ok()) Die("CreateMeeting validate_only", status);
    if (i >= 0) preview_sample.Add(absl::Now() - start);
    CheckHealth(health, i >= 0 ? &health_sample : nullptr);

    start = absl::Now();
    status =
        Create(stub, meeting, absl::StrCat("measured-", i + kWarmUp), false);
    if (!status.ok()) Die("CreateMeeting", status);
    if (i >= 0) create_sample.Add(absl::Now() - start);
    CheckHealth(health, i >= 0 ? &health_sample : nullptr);
  }
  health_sample.Print("grpc.health.v1.Health/Check");
  create_sample.Print("CreateMeeting, 3 attendees");
  preview_sample.Print("CreateMeeting validate_only, 3 attendees");
  std::printf("CreateMeeting p50 / Health p50 = %.1fx\n",
              create_sample.Percentile(50) / health_sample.Percentile(50));
}

void MeasureThroughput(const std::string& address, int employees) {
  const int per_client = (employees / kClients) / 3 * 3;
  if (per_client < 3) {
    std::printf("throughput: needs at least %d employees\n", 3 * kClients);
    return;
  }
  std::vector<std::thread> clients;
  std::vector<int> booked(kClients, 0), conflicts(kClients, 0),
      errors(kClients, 0);
  const SlotCalendar calendar;
  const absl::Time start = absl::Now();
  const absl::Time stop = start + kThroughputRun;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      grpc::ChannelArguments args;
      args.SetInt("salesmeet.bench.client", c);  // Distinct connections.
      auto stub = sv1::SchedulingService::NewStub(grpc::CreateCustomChannel(
          address, grpc::InsecureChannelCredentials(), args));
      const int groups = per_client / 3;
      for (int n = 0; absl::Now() < stop; ++n) {
        const FreeSlot at =
            NthFree(n, kThroughputFirstWeek, kThroughputWeeks, groups);
        std::vector<std::string> people;
        for (int k = 0; k < 3; ++k) {
          people.push_back(Rep(c * per_client + at.group * 3 + k));
        }
        grpc::Status status = Create(
            *stub,
            MeetingFor(people, calendar.SlotStart(at.week, at.day, at.slot),
                       "Customer prep"),
            absl::StrCat("load-", c, "-", n), false);
        if (status.ok()) {
          ++booked[c];
        } else if (status.error_code() ==
                   grpc::StatusCode::FAILED_PRECONDITION) {
          ++conflicts[c];
        } else {
          ++errors[c];
        }
      }
    });
  }
  for (std::thread& t : clients) t.join();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  int total = 0, refused = 0, failed = 0;
  for (int c = 0; c < kClients; ++c) {
    total += booked[c];
    refused += conflicts[c];
    failed += errors[c];
  }
  std::printf(
      "CreateMeeting throughput, %d clients (%d people each), %.1f s: "
      "%d booked = %.0f creates/s; refused (FAILED_PRECONDITION) %d, "
      "other errors %d\n",
      kClients, per_client, seconds, total, total / seconds, refused, failed);
}

int Run(const std::string& participant_binary,
        const std::string& scheduling_binary, int creates, int employees) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    absl::StrCat("scheduling_bench_", getpid());
  std::filesystem::remove_all(dir);
  auto participant = ServiceProcess::Start(
      participant_binary,
      {absl::StrCat("--db=sqlite://", (dir / "participant.db").string())});
  if (!participant.ok()) {
    std::fprintf(stderr, "%s\n", participant.status().ToString().c_str());
    return 1;
  }
  auto scheduling = ServiceProcess::Start(
      scheduling_binary,
      {absl::StrCat("--db=sqlite://", (dir / "scheduling.db").string()),
       absl::StrCat("--participant=", participant->address())});
  if (!scheduling.ok()) {
    std::fprintf(stderr, "%s\n", scheduling.status().ToString().c_str());
    return 1;
  }
  auto people = pv1::ParticipantService::NewStub(grpc::CreateChannel(
      participant->address(), grpc::InsecureChannelCredentials()));
  CreateOrg(*people, employees);

  auto channel = grpc::CreateChannel(scheduling->address(),
                                     grpc::InsecureChannelCredentials());
  auto stub = sv1::SchedulingService::NewStub(channel);
  auto health = grpc::health::v1::Health::NewStub(channel);
  // For reference: Health/Check alone, on the idle server, before any
  // meeting exists.
  LatencySample idle = IdleHealth(*health);
  const SlotCalendar calendar;
  const absl::Time seed_start = absl::Now();
  const Booked booked = BookMonth(*stub, calendar, employees);
  const double seed_seconds = absl::ToDoubleSeconds(absl::Now() - seed_start);
  const int groups = employees / 3;
  std::printf(
      "scheduling_latency_bench: %d employees; booked %d weekly series and "
      "%d meetings (3 people each, about %.1f per person per week over 4 "
      "weeks) in %.1f s\n",
      employees, booked.series, booked.singles,
      3.0 * groups * (5 + 10) / employees, seed_seconds);
  std::printf(
      "%d measured creates of 3 attendees into free slots of that month, "
      "one client, sequential, each previewed first, interleaved with "
      "Health/Check:\n",
      creates);
  idle.Print("Health/Check alone, idle server");
  MeasureLatency(*stub, *health, calendar, employees, creates);
  MeasureThroughput(scheduling->address(), employees);
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace salesmeet::bench

int main(int argc, char** argv) {
  const std::string participant =
      argc > 1 ? argv[1] : SALESMEET_PARTICIPANT_BINARY;
  const std::string scheduling =
      argc > 2 ? argv[2] : SALESMEET_SCHEDULING_BINARY;
  const int creates = argc > 3 ? std::atoi(argv[3]) : 400;
  const int employees = argc > 4 ? std::atoi(argv[4]) : 50;
  return salesmeet::bench::Run(participant, scheduling, creates, employees);
}
