#ifndef SALESMEET_SERVICES_SCHEDULING_SCHEDULING_TEST_FIXTURE_H_
#define SALESMEET_SERVICES_SCHEDULING_SCHEDULING_TEST_FIXTURE_H_

// The scheduling components wired as the server wires them, without the
// server: a real SQLite store in a temporary directory, an in-memory
// participant directory holding a small sales organisation, the change-feed
// notifier, page tokens and a clock the test controls. Plus builders for
// meetings that break no rule, and readers for error details.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "common/calendar/calendar_test_support.h"
#include "common/calendar/recurrence.h"
#include "common/calendar/time_span.h"
#include "common/error_test_support.h"
#include "common/errors.h"
#include "common/field_checks.h"
#include "common/page_token.h"
#include "salesmeet/participant/v1/participant.pb.h"
#include "salesmeet/scheduling/v1/meeting.pb.h"
#include "services/scheduling/booking/meeting_booker.h"
#include "services/scheduling/booking/meeting_lifecycle.h"
#include "services/scheduling/booking/meeting_reader.h"
#include "services/scheduling/change_feed/change_feed.h"
#include "services/scheduling/participants/in_memory_participant_lookup.h"
#include "services/scheduling/scheduling_context.h"
#include "services/scheduling/store/sqlite_meeting_store.h"

namespace salesmeet::scheduling {

namespace pv1 = ::salesmeet::participant::v1;

namespace tv1 = ::salesmeet::type::v1;

class SchedulingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat(
               "scheduling_", getpid(), "_",
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto store = SqliteMeetingStore::Open((dir_ / "s.db").string(), 2);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    feed_ = std::make_unique<ChangeNotifier>(0);
    context_ = std::make_unique<SchedulingContext>(SchedulingContext{
        *store_, people_, *feed_, tokens_, [this] { return now_; }});
    booker_ = std::make_unique<MeetingBooker>(
        *store_, people_, context_->Listeners(), context_->clock);
    lifecycle_ = std::make_unique<MeetingLifecycle>(
        *store_, context_->Listeners(), context_->clock);
    reader_ =
        std::make_unique<MeetingReader>(*store_, tokens_, context_->clock);

    people_.PutTeam("teams/emea");
    people_.PutTeam("teams/product");
    people_.Put(Employee("ada", tv1::SALES_REP, "teams/emea", 60));
    people_.Put(Employee("bob", tv1::SALES_MANAGER, "teams/emea", 90));
    people_.Put(Employee("dev", tv1::DEVELOPER, "teams/product", 70));
    people_.Put(Employee("eve", tv1::TECHNICAL_EXPERT, "teams/product", 80));
    people_.Put(Customer("cleo"));
    people_.Put(Partner("pat"));
  }

  void TearDown() override {
    reader_.reset();
    lifecycle_.reset();
    booker_.reset();
    context_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // An employee in Rome working Monday to Friday 08:00-18:00, with a
  // 10-hour weekly meeting budget.
  static pv1::Participant Employee(const std::string& id, tv1::Role role,
                                   const std::string& team, int64_t hourly) {
    pv1::Participant p;
    p.set_name("participants/" + id);
    p.set_display_name(id);
    p.set_kind(tv1::EMPLOYEE);
    p.set_role(role);
    p.set_team(team);
    p.set_time_zone("Europe/Rome");
    for (int day = google::type::MONDAY; day <= google::type::FRIDAY; ++day) {
      tv1::WorkingPeriod* period = p.add_working_hours();
      period->set_day(static_cast<google::type::DayOfWeek>(day));
      period->mutable_start_time()->set_hours(8);
      period->mutable_end_time()->set_hours(18);
    }
    *p.mutable_hourly_cost() = Eur(hourly);
    p.mutable_weekly_meeting_budget()->set_seconds(10 * 3600);
    return p;
  }

  static pv1::Participant Customer(const std::string& id) {
    pv1::Participant p;
    p.set_name("participants/" + id);
    p.set_kind(tv1::CUSTOMER_CONTACT);
    p.set_time_zone("America/New_York");
    p.mutable_customer()->set_account("Acme");
    p.mutable_customer()->set_lifecycle(tv1::PROSPECT);
    p.mutable_customer()->set_account_owner("participants/ada");
    return p;
  }

  static pv1::Participant Partner(const std::string& id) {
    pv1::Participant p;
    p.set_name("participants/" + id);
    p.set_kind(tv1::PARTNER);
    p.set_time_zone("Europe/London");
    return p;
  }

  // An in-person product update from `start`, organised by the first of
  // `attendees` (all required), with an agenda: it breaks no rule.
  static v1::Meeting Meeting(absl::Time start,
                             absl::Duration length = absl::Hours(1),
                             const std::vector<std::string>& attendees = {
                                 "ada", "bob"}) {
    v1::Meeting m;
    m.set_title("Product update");
    m.set_agenda("1. Roadmap\n2. Questions");
    m.set_purpose(v1::PRODUCT_UPDATE);
    m.set_format(v1::IN_PERSON);
    m.set_organizer("participants/" + attendees.front());
    for (const std::string& id : attendees) {
      m.add_attendees()->set_participant("participants/" + id);
    }
    *m.mutable_start_time() = ToProtoTime(start);
    *m.mutable_end_time() = ToProtoTime(start + length);
    return m;
  }

  static v1::Meeting Recurring(v1::Meeting meeting, const std::string& rrule) {
    meeting.mutable_recurrence()->set_rrule(rrule);
    return meeting;
  }

  static v1::Attendee* AddAttendee(v1::Meeting& meeting, const std::string& id,
                                   bool optional = false) {
    v1::Attendee* attendee = meeting.add_attendees();
    attendee->set_participant("participants/" + id);
    attendee->set_optional(optional);
    return attendee;
  }

  absl::StatusOr<v1::CreateMeetingResponse> Create(
      const v1::Meeting& meeting, const std::string& id = "",
      bool allow_conflicts = false) {
    v1::CreateMeetingRequest request;
    *request.mutable_meeting() = meeting;
    request.set_meeting_id(id);
    request.set_allow_conflicts(allow_conflicts);
    return booker_->Create(request, CallScope());
  }

  // Books the meeting; fails the test when it is refused.
  v1::Meeting MustCreate(const v1::Meeting& meeting, const std::string& id = "",
                         bool allow_conflicts = false) {
    absl::StatusOr<v1::CreateMeetingResponse> created =
        Create(meeting, id, allow_conflicts);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->meeting() : v1::Meeting();
  }

  v1::Meeting MustGet(const std::string& name) {
    v1::GetMeetingRequest request;
    request.set_name(name);
    absl::StatusOr<v1::Meeting> meeting = reader_->Get(request);
    EXPECT_TRUE(meeting.ok()) << meeting.status();
    return meeting.ok() ? *meeting : v1::Meeting();
  }

  // The whole change feed, in order.
  std::vector<v1::MeetingChange> Changes() {
    absl::StatusOr<std::vector<v1::MeetingChange>> changes =
        store_->ReadChanges(0, 10000);
    EXPECT_TRUE(changes.ok()) << changes.status();
    return changes.ok() ? *changes : std::vector<v1::MeetingChange>();
  }

  // Every meeting in the store.
  int MeetingCount() {
    v1::ListMeetingsRequest request;
    request.set_page_size(1000);
    absl::StatusOr<v1::ListMeetingsResponse> listed = reader_->List(request);
    EXPECT_TRUE(listed.ok()) << listed.status();
    return listed.ok() ? listed->meetings_size() : -1;
  }

  static google::rpc::PreconditionFailure Violations(
      const absl::Status& status) {
    google::rpc::PreconditionFailure failure;
    GetPreconditionFailure(status, &failure);
    return failure;
  }

  // The Verdict a refusal carries as a detail.
  static v1::Verdict VerdictIn(const absl::Status& status) {
    v1::Verdict verdict;
    absl::optional<absl::Cord> payload = status.GetPayload(absl::StrCat(
        "type.googleapis.com/", v1::Verdict::descriptor()->full_name()));
    if (payload.has_value()) verdict.ParseFromString(std::string(*payload));
    return verdict;
  }

  std::filesystem::path dir_;
  // Monday 2 March 2026, 08:00 in Rome.
  absl::Time now_ = Rome(3, 2, 8);
  PageTokenCodec tokens_{"test-secret", absl::Hours(24)};
  InMemoryParticipantLookup people_;
  std::unique_ptr<SqliteMeetingStore> store_;
  std::unique_ptr<ChangeNotifier> feed_;
  std::unique_ptr<SchedulingContext> context_;
  std::unique_ptr<MeetingBooker> booker_;
  std::unique_ptr<MeetingLifecycle> lifecycle_;
  std::unique_ptr<MeetingReader> reader_;
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_SCHEDULING_TEST_FIXTURE_H_
