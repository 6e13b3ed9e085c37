#include "tests/bench/bench_org.h"

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "salesmeet/participant/v1/participant_service.grpc.pb.h"
#include "tests/bench/bench_checks.h"

namespace salesmeet::bench {

void SetTime(absl::Time t, google::protobuf::Timestamp* out) {
  out->set_seconds(absl::ToUnixSeconds(t));
  out->set_nanos(0);
}

ParticipantsByName CreateOrg(const std::string& address, int count) {
  auto stub = participant::v1::ParticipantService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  ParticipantsByName people;
  for (int i = 0; i < count; ++i) {
    participant::v1::CreateParticipantRequest request =
        RepRequest(i, absl::Hours(40));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
    participant::v1::Participant created;
    Check("CreateParticipant",
          stub->CreateParticipant(&context, request, &created));
    people[created.name()] = created;
  }
  return people;
}

std::string Rep(int i) { return absl::StrCat("participants/rep-", i); }

participant::v1::CreateParticipantRequest RepRequest(int i,
                                                     absl::Duration budget) {
  participant::v1::CreateParticipantRequest request;
  request.set_participant_id(absl::StrCat("rep-", i));
  participant::v1::Participant* p = request.mutable_participant();
  p->set_display_name(absl::StrCat("Rep ", i));
  p->set_email(absl::StrCat("rep", i, "@bench.example"));
  p->set_kind(salesmeet::type::v1::EMPLOYEE);
  p->set_role(salesmeet::type::v1::SALES_REP);
  p->set_time_zone(kBenchZone);
  p->mutable_hourly_cost()->set_currency_code("EUR");
  p->mutable_hourly_cost()->set_units(50 + i % 40);
  p->mutable_weekly_meeting_budget()->set_seconds(absl::ToInt64Seconds(budget));
  return request;
}

std::vector<std::string> Group(int people, int rotation, int group) {
  int step = 7;
  while (std::gcd(step, people) != 1) ++step;
  const int turn = ((rotation * 11) % people + people) % people;
  std::vector<std::string> names;
  for (int j = group * 3; j < group * 3 + 3; ++j) {
    names.push_back(Rep((j * step + turn) % people));
  }
  return names;
}

SlotCalendar::SlotCalendar() {
  absl::LoadTimeZone(kBenchZone, &zone_);
  monday_ = absl::ToCivilDay(absl::Now(), zone_);
  while (absl::GetWeekday(monday_) != absl::Weekday::monday) --monday_;
}

absl::Time SlotCalendar::SlotStart(int week, int day, int slot) const {
  const absl::CivilDay date = monday_ + 7 * week + day;
  return absl::FromCivil(
      absl::CivilMinute(date.year(), date.month(), date.day(), 9, 30 * slot),
      zone_);
}

absl::Time SlotCalendar::Monday() const {
  return absl::FromCivil(monday_, zone_);
}

}  // namespace salesmeet::bench
