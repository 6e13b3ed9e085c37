// ExportCalendar for one person's year: a sales rep in Rome with five weekly
// series (every weekday at 09:00, each with a moved and a cancelled week)
// and two single meetings every working day (11:30 and 14:00) for the 50
// weeks from next week. Prints the latency of exporting the whole year and
// of one meeting, and the size of the file.
//
//   ical_export_bench [calls]

#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "salesmeet/scheduling/v1/scheduling_service.grpc.pb.h"
#include "tests/bench/bench_org.h"
#include "tests/bench/latency.h"
#include "tests/bench/service_process.h"

namespace salesmeet::bench {
namespace {

namespace sv1 = salesmeet::scheduling::v1;

constexpr int kWeeks = 50;

std::chrono::system_clock::time_point Deadline() {
  return std::chrono::system_clock::now() + std::chrono::seconds(30);
}

sv1::Meeting MeetingAt(absl::Time start, absl::Duration length,
                       const std::string& title) {
  sv1::Meeting meeting;
  meeting.set_title(title);
  meeting.set_purpose(sv1::SALES_DATA_REVIEW);
  meeting.set_format(sv1::CONFERENCE_CALL);
  meeting.set_organizer(Rep(0));
  meeting.add_attendees()->set_participant(Rep(0));
  meeting.add_attendees()->set_participant(Rep(1));
  meeting.set_time_zone(kBenchZone);
  SetTime(start, meeting.mutable_start_time());
  SetTime(start + length, meeting.mutable_end_time());
  return meeting;
}

bool Ok(const grpc::Status& status, const char* what) {
  if (!status.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, status.error_message().c_str());
  }
  return status.ok();
}

int Run(int calls) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      absl::StrCat("ical_export_bench_", getpid());
  std::filesystem::remove_all(dir);
  auto participant = ServiceProcess::Start(
      SALESMEET_PARTICIPANT_BINARY,
      {absl::StrCat("--db=sqlite://", (dir / "p.db").string())});
  if (!participant.ok()) return 1;
  auto scheduling = ServiceProcess::Start(
      SALESMEET_SCHEDULING_BINARY,
      {absl::StrCat("--db=sqlite://", (dir / "s.db").string()),
       absl::StrCat("--participant=", participant->address())});
  if (!scheduling.ok()) return 1;
  CreateOrg(participant->address(), 2);
  auto stub = sv1::SchedulingService::NewStub(grpc::CreateChannel(
      scheduling->address(), grpc::InsecureChannelCredentials()));

  const SlotCalendar slots;
  std::string series_name;
  for (int day = 0; day < 5; ++day) {
    sv1::CreateMeetingRequest create;
    *create.mutable_meeting() =
        MeetingAt(slots.SlotStart(1, day, 0), absl::Minutes(30),
                  absl::StrCat("Weekly ", day));
    create.mutable_meeting()->mutable_recurrence()->set_rrule(
        absl::StrCat("FREQ=WEEKLY;COUNT=", kWeeks));
    sv1::CreateMeetingResponse created;
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    if (!Ok(stub->CreateMeeting(&context, create, &created), "series")) {
      return 1;
    }
    series_name = created.meeting().name();
    for (int change = 0; change < 2; ++change) {
      const absl::Time original = slots.SlotStart(3 + 10 * change, day, 0);
      grpc::ClientContext change_context;
      change_context.set_deadline(Deadline());
      if (change == 0) {
        sv1::MoveOccurrenceRequest move;
        move.set_name(series_name);
        SetTime(original, move.mutable_original_start_time());
        SetTime(original + absl::Minutes(30), move.mutable_start_time());
        SetTime(original + absl::Minutes(60), move.mutable_end_time());
        sv1::MoveOccurrenceResponse moved;
        if (!Ok(stub->MoveOccurrence(&change_context, move, &moved), "move")) {
          return 1;
        }
      } else {
        sv1::CancelOccurrenceRequest cancel;
        cancel.set_name(series_name);
        SetTime(original, cancel.mutable_original_start_time());
        sv1::Meeting cancelled;
        if (!Ok(stub->CancelOccurrence(&change_context, cancel, &cancelled),
                "cancel")) {
          return 1;
        }
      }
    }
  }
  int singles = 0;
  for (int week = 1; week <= kWeeks; ++week) {
    for (int day = 0; day < 5; ++day) {
      for (int slot : {5, 10}) {
        sv1::CreateMeetingRequest create;
        *create.mutable_meeting() =
            MeetingAt(slots.SlotStart(week, day, slot), absl::Minutes(30),
                      absl::StrCat("Account review ", ++singles));
        sv1::CreateMeetingResponse created;
        grpc::ClientContext context;
        context.set_deadline(Deadline());
        if (!Ok(stub->CreateMeeting(&context, create, &created), "single")) {
          return 1;
        }
      }
    }
  }

  sv1::ExportCalendarRequest year;
  year.set_participant(Rep(0));
  SetTime(slots.Monday(), year.mutable_interval()->mutable_start_time());
  SetTime(slots.Monday() + absl::Hours(24 * 7 * (kWeeks + 2)),
          year.mutable_interval()->mutable_end_time());
  sv1::ExportMeetingRequest one;
  one.set_name(series_name);
  LatencySample year_sample, one_sample;
  sv1::ICalendar exported;
  for (int i = -5; i < calls; ++i) {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    absl::Time start = absl::Now();
    if (!Ok(stub->ExportCalendar(&context, year, &exported), "export")) {
      return 1;
    }
    if (i >= 0) year_sample.Add(absl::Now() - start);
    sv1::ICalendar meeting;
    grpc::ClientContext one_context;
    one_context.set_deadline(Deadline());
    start = absl::Now();
    if (!Ok(stub->ExportMeeting(&one_context, one, &meeting), "meeting")) {
      return 1;
    }
    if (i >= 0) one_sample.Add(absl::Now() - start);
  }
  std::printf(
      "ical_export_bench: one rep's %d weeks: 5 weekly series (a week moved "
      "and one cancelled each) and %d single meetings; %d events, %zu "
      "bytes (%.0f KiB)\n",
      kWeeks, singles, exported.event_count(), exported.data().size(),
      exported.data().size() / 1024.0);
  year_sample.Print("ExportCalendar, the year");
  one_sample.Print("ExportMeeting, one series");
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace salesmeet::bench

int main(int argc, char** argv) {
  return salesmeet::bench::Run(argc > 1 ? std::atoi(argv[1]) : 30);
}
