// MeetingBooker::Create: what a booking stores and answers, previews,
// idempotent retries, bad attendees, the policy and the cost in the verdict.
// Conflicts are in meeting_booker_conflict_test.cc, updates and occurrence
// moves in meeting_booker_update_test.cc.

#include "services/scheduling/booking/meeting_booker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/scheduling/policy/scheduling_policy.h"
#include "services/scheduling/scheduling_test_fixture.h"

namespace salesmeet::scheduling {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

using CreateMeetingTest = SchedulingTest;

TEST_F(CreateMeetingTest, StoresTheMeetingWithWhatTheServerOwns) {
  v1::CreateMeetingResponse created =
      *Create(Meeting(Rome(3, 10, 10)), "weekly-update");
  const v1::Meeting& m = created.meeting();
  EXPECT_EQ(m.name(), "meetings/weekly-update");
  EXPECT_EQ(m.state(), v1::SCHEDULED);
  EXPECT_EQ(m.audience(), v1::INTERNAL);
  EXPECT_EQ(m.time_zone(), "Europe/Rome");  // The organizer's.
  EXPECT_FALSE(m.etag().empty());
  EXPECT_EQ(ToAbslTime(m.create_time()), now_);
  EXPECT_EQ(MustGet("meetings/weekly-update").SerializeAsString(),
            m.SerializeAsString());
}

TEST_F(CreateMeetingTest, SnapshotsEachAttendeeAndAcceptsForTheOrganizer) {
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)));
  ASSERT_EQ(m.attendees_size(), 2);
  const v1::Attendee& ada = m.attendees(0);
  EXPECT_EQ(ada.response(), v1::ACCEPTED);
  EXPECT_EQ(ada.snapshot().kind(), tv1::EMPLOYEE);
  EXPECT_EQ(ada.snapshot().role(), tv1::SALES_REP);
  EXPECT_EQ(ada.snapshot().team(), "teams/emea");
  EXPECT_EQ(ada.snapshot().hourly_cost().units(), 60);
  EXPECT_EQ(ToAbslTime(ada.snapshot().capture_time()), now_);
  EXPECT_EQ(m.attendees(1).response(), v1::NEEDS_ACTION);
  EXPECT_EQ(m.attendees(1).snapshot().role(), tv1::SALES_MANAGER);
}

TEST_F(CreateMeetingTest, KeepsAnExplicitTimeZone) {
  v1::Meeting meeting = Meeting(Rome(3, 10, 10));
  meeting.set_time_zone("America/New_York");
  EXPECT_EQ(MustCreate(meeting).time_zone(), "America/New_York");
}

TEST_F(CreateMeetingTest, ACustomerAttendeeMakesItCustomerFacing) {
  v1::Meeting meeting = Meeting(Rome(3, 10, 16));
  AddAttendee(meeting, "cleo");
  v1::Meeting m = MustCreate(meeting);
  EXPECT_EQ(m.audience(), v1::CUSTOMER_FACING);
  EXPECT_FALSE(m.attendees(2).snapshot().has_hourly_cost());
}

TEST_F(CreateMeetingTest, IgnoresOutputOnlyFieldsTheClientSent) {
  v1::Meeting meeting = Meeting(Rome(3, 10, 10));
  meeting.set_state(v1::COMPLETED);
  meeting.set_audience(v1::CUSTOMER_FACING);
  meeting.set_etag("forged");
  v1::Meeting m = MustCreate(meeting);
  EXPECT_EQ(m.state(), v1::SCHEDULED);
  EXPECT_EQ(m.audience(), v1::INTERNAL);
  EXPECT_NE(m.etag(), "forged");
}

TEST_F(CreateMeetingTest, ValidateOnlyWritesNothingAndReturnsTheVerdict) {
  v1::CreateMeetingRequest request;
  *request.mutable_meeting() = Meeting(Rome(3, 10, 10));
  request.set_meeting_id("preview");
  request.set_validate_only(true);
  absl::StatusOr<v1::CreateMeetingResponse> preview =
      booker_->Create(request, CallScope());
  ASSERT_TRUE(preview.ok()) << preview.status();
  EXPECT_TRUE(preview->meeting().name().empty());
  EXPECT_TRUE(preview->meeting().etag().empty());
  EXPECT_EQ(preview->verdict().cost_per_occurrence().units(), 150);
  EXPECT_FALSE(preview->verdict().rejected());
  EXPECT_EQ(MeetingCount(), 0);
  EXPECT_THAT(Changes(), IsEmpty());
}

TEST_F(CreateMeetingTest, ValidateOnlyReportsARejectionWithoutFailing) {
  MustCreate(Meeting(Rome(3, 10, 10)));
  v1::CreateMeetingRequest request;
  *request.mutable_meeting() = Meeting(Rome(3, 10, 10, 30));
  request.set_validate_only(true);
  absl::StatusOr<v1::CreateMeetingResponse> preview =
      booker_->Create(request, CallScope());
  ASSERT_TRUE(preview.ok()) << preview.status();
  EXPECT_TRUE(preview->verdict().rejected());
  EXPECT_EQ(preview->verdict().blocking_conflict_count(), 2);
  EXPECT_EQ(MeetingCount(), 1);
}

TEST_F(CreateMeetingTest, ARetryWithTheSameRequestIdReturnsTheFirstAnswer) {
  v1::CreateMeetingRequest request;
  *request.mutable_meeting() = Meeting(Rome(3, 10, 10));
  request.set_request_id("6f1c2a9e-retry");
  absl::StatusOr<v1::CreateMeetingResponse> first =
      booker_->Create(request, CallScope());
  ASSERT_TRUE(first.ok()) << first.status();
  now_ += absl::Minutes(1);
  absl::StatusOr<v1::CreateMeetingResponse> second =
      booker_->Create(request, CallScope());
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->SerializeAsString(), first->SerializeAsString());
  EXPECT_EQ(MeetingCount(), 1);
  EXPECT_EQ(Changes().size(), 1u);
}

TEST_F(CreateMeetingTest,
       ARetryGetsTheFirstAnswerEvenWhileParticipantsAreDown) {
  v1::CreateMeetingRequest request;
  *request.mutable_meeting() = Meeting(Rome(3, 10, 10));
  request.set_request_id("retry-during-outage");
  absl::StatusOr<v1::CreateMeetingResponse> first =
      booker_->Create(request, CallScope());
  ASSERT_TRUE(first.ok()) << first.status();
  people_.SetUnavailable(true);
  absl::StatusOr<v1::CreateMeetingResponse> retry =
      booker_->Create(request, CallScope());
  people_.SetUnavailable(false);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->meeting().name(), first->meeting().name());
}

TEST_F(CreateMeetingTest, APreviewWithATakenMeetingIdFailsLikeTheRealCall) {
  MustCreate(Meeting(Rome(3, 10, 10)), "kickoff");
  v1::CreateMeetingRequest request;
  *request.mutable_meeting() = Meeting(Rome(3, 11, 10));
  request.set_meeting_id("kickoff");
  request.set_validate_only(true);
  EXPECT_EQ(booker_->Create(request, CallScope()).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(CreateMeetingTest, ReusingARequestIdForAnotherMeetingIsRefused) {
  v1::CreateMeetingRequest request;
  *request.mutable_meeting() = Meeting(Rome(3, 10, 10));
  request.set_request_id("key-1");
  ASSERT_TRUE(booker_->Create(request, CallScope()).ok());
  *request.mutable_meeting() = Meeting(Rome(3, 11, 10));
  absl::Status reused = booker_->Create(request, CallScope()).status();
  EXPECT_EQ(reused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FirstBadField(reused), "request_id");
  EXPECT_EQ(MeetingCount(), 1);
}

TEST_F(CreateMeetingTest, ATakenMeetingIdIsAlreadyExists) {
  MustCreate(Meeting(Rome(3, 10, 10)), "kickoff");
  absl::Status taken = Create(Meeting(Rome(3, 11, 10)), "kickoff").status();
  EXPECT_EQ(taken.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(ToAbslTime(MustGet("meetings/kickoff").start_time()),
            Rome(3, 10, 10));
}

TEST_F(CreateMeetingTest, AnUnknownAttendeeIsNamed) {
  v1::Meeting meeting = Meeting(Rome(3, 10, 10));
  AddAttendee(meeting, "nobody");
  absl::Status unknown = Create(meeting).status();
  EXPECT_EQ(unknown.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FirstBadField(unknown), "meeting.attendees[2].participant");
  EXPECT_THAT(unknown.message(), HasSubstr("participants/nobody"));
}

TEST_F(CreateMeetingTest, EveryUnknownAttendeeIsNamed) {
  v1::Meeting meeting = Meeting(Rome(3, 10, 10));
  AddAttendee(meeting, "nobody");
  AddAttendee(meeting, "ghost");
  AddAttendee(meeting, "phantom");
  absl::Status unknown = Create(meeting).status();
  EXPECT_EQ(unknown.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadFields(unknown),
              ElementsAre("meeting.attendees[2].participant",
                          "meeting.attendees[3].participant",
                          "meeting.attendees[4].participant"));
  EXPECT_EQ(MeetingCount(), 0);
}

TEST_F(CreateMeetingTest,
       AParticipantServiceOutageIsUnavailableAndWritesNothing) {
  people_.SetUnavailable(true);
  absl::Status down = Create(Meeting(Rome(3, 10, 10))).status();
  EXPECT_EQ(down.code(), absl::StatusCode::kUnavailable);
  people_.SetUnavailable(false);
  EXPECT_EQ(MeetingCount(), 0);
  EXPECT_THAT(Changes(), IsEmpty());
}

TEST_F(CreateMeetingTest, TheOrganizerMustBeAnEmployee) {
  v1::Meeting meeting =
      Meeting(Rome(3, 10, 10), absl::Hours(1), {"pat", "ada"});
  absl::Status refused = Create(meeting).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FirstBadField(refused), "meeting.organizer");
}

TEST_F(CreateMeetingTest, TooShortAMeetingNamesTheEndTime) {
  absl::Status refused =
      Create(Meeting(Rome(3, 10, 10), absl::Minutes(4))).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FirstBadField(refused), "meeting.end_time");
}

TEST_F(CreateMeetingTest, AVideoMeetingWithoutALinkIsRejectedByDefault) {
  v1::Meeting meeting = Meeting(Rome(3, 10, 10));
  meeting.set_format(v1::VIDEO_CONFERENCE);
  meeting.mutable_video_conference()->set_provider(v1::ZOOM);
  absl::Status refused = Create(meeting).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(refused), "POLICY_REJECTED");
  ASSERT_EQ(Violations(refused).violations_size(), 1);
  EXPECT_EQ(Violations(refused).violations(0).type(), "VIDEO_WITHOUT_LINK");
  EXPECT_TRUE(VerdictIn(refused).rejected());
  EXPECT_EQ(MeetingCount(), 0);
}

TEST_F(CreateMeetingTest, AVideoMeetingWithALinkIsBooked) {
  v1::Meeting meeting = Meeting(Rome(3, 10, 10));
  meeting.set_format(v1::VIDEO_CONFERENCE);
  meeting.mutable_video_conference()->set_provider(v1::ZOOM);
  meeting.mutable_video_conference()->set_join_uri("https://zoom.us/j/1");
  EXPECT_TRUE(Create(meeting).ok());
}

TEST_F(CreateMeetingTest, AStoredPolicyCanTurnARejectionIntoAWarning) {
  v1::SchedulingPolicy policy = DefaultPolicy();
  policy.mutable_rules()->set_video_without_link(v1::WARN);
  ASSERT_TRUE(
      store_
          ->Write([&](MeetingTransaction& tx) { return tx.PutPolicy(policy); })
          .ok());
  v1::Meeting meeting = Meeting(Rome(3, 10, 10));
  meeting.set_format(v1::VIDEO_CONFERENCE);
  meeting.mutable_video_conference()->set_provider(v1::ZOOM);
  absl::StatusOr<v1::CreateMeetingResponse> booked = Create(meeting);
  ASSERT_TRUE(booked.ok()) << booked.status();
  ASSERT_EQ(booked->verdict().findings_size(), 1);
  EXPECT_EQ(booked->verdict().findings(0).rule(), v1::VIDEO_WITHOUT_LINK);
  EXPECT_EQ(booked->verdict().findings(0).mode(), v1::WARN);
}

TEST_F(CreateMeetingTest, ACustomerMeetingWithoutSalesIsRejected) {
  v1::Meeting meeting =
      Meeting(Rome(3, 10, 16), absl::Hours(1), {"dev", "cleo"});
  absl::Status refused = Create(meeting).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_EQ(Violations(refused).violations_size(), 1);
  EXPECT_EQ(Violations(refused).violations(0).type(),
            "CUSTOMER_MEETING_WITHOUT_SALES");
}

TEST_F(CreateMeetingTest, ARejectionListsEveryViolatedRule) {
  v1::Meeting meeting =
      Meeting(Rome(3, 10, 16), absl::Hours(1), {"dev", "cleo"});
  meeting.set_format(v1::VIDEO_CONFERENCE);
  meeting.mutable_video_conference()->set_provider(v1::TEAMS);
  absl::Status refused = Create(meeting).status();
  const google::rpc::PreconditionFailure failure = Violations(refused);
  std::vector<std::string> types;
  for (const auto& v : failure.violations()) {
    types.push_back(v.type());
  }
  EXPECT_THAT(types, ElementsAre("VIDEO_WITHOUT_LINK",
                                 "CUSTOMER_MEETING_WITHOUT_SALES"));
}

TEST_F(CreateMeetingTest, TheVerdictPricesOneOccurrenceAndTheHorizon) {
  // ada (60 EUR/h) and bob (90 EUR/h), 30 minutes, four Tuesdays.
  v1::CreateMeetingResponse created = *Create(Recurring(
      Meeting(Rome(3, 10, 10), absl::Minutes(30)), "FREQ=WEEKLY;COUNT=4"));
  const v1::Verdict& verdict = created.verdict();
  EXPECT_EQ(verdict.cost_per_occurrence().currency_code(), "EUR");
  EXPECT_EQ(verdict.cost_per_occurrence().units(), 75);
  EXPECT_EQ(verdict.horizon_occurrence_count(), 4);
  EXPECT_EQ(verdict.horizon_cost().units(), 300);
}

TEST_F(CreateMeetingTest, TheVerdictShowsEachWeeksLoadAgainstTheBudget) {
  v1::CreateMeetingResponse created =
      *Create(Meeting(Rome(3, 10, 10), absl::Hours(2)));
  ASSERT_EQ(created.verdict().weekly_loads_size(), 2);  // ada and bob.
  const v1::WeeklyLoad& ada = created.verdict().weekly_loads(0);
  EXPECT_EQ(ada.participant(), "participants/ada");
  EXPECT_EQ(ada.week().week(), 11);
  EXPECT_EQ(ToAbslDuration(ada.before()), absl::ZeroDuration());
  EXPECT_EQ(ToAbslDuration(ada.after()), absl::Hours(2));
  EXPECT_EQ(ToAbslDuration(ada.budget()), absl::Hours(10));
  EXPECT_FALSE(ada.over_budget());
}

TEST_F(CreateMeetingTest, EachBookingAppendsOneCreatedEvent) {
  v1::Meeting first = MustCreate(Meeting(Rome(3, 10, 10)));
  v1::Meeting second = MustCreate(Meeting(Rome(3, 11, 10)));
  std::vector<v1::MeetingChange> changes = Changes();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].sequence(), 1);
  EXPECT_EQ(changes[1].sequence(), 2);
  EXPECT_EQ(changes[0].type(), v1::MEETING_CREATED);
  EXPECT_EQ(changes[0].meeting().SerializeAsString(),
            first.SerializeAsString());
  EXPECT_EQ(changes[1].meeting().name(), second.name());
  EXPECT_EQ(feed_->head(), 2);
}

TEST_F(CreateMeetingTest, ARefusedBookingAppendsNoEvent) {
  MustCreate(Meeting(Rome(3, 10, 10)));
  ASSERT_FALSE(Create(Meeting(Rome(3, 10, 10))).ok());
  MustCreate(Meeting(Rome(3, 10, 11)));
  std::vector<v1::MeetingChange> changes = Changes();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[1].sequence(), 2);  // No gap left by the refusal.
}

}  // namespace
}  // namespace salesmeet::scheduling
