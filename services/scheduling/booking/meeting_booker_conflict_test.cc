// MeetingBooker refusing double bookings: single meetings and series,
// required and optional attendees, allow_conflicts, and what does not keep
// anyone busy.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/scheduling/booking/meeting_booker.h"
#include "services/scheduling/scheduling_test_fixture.h"

namespace salesmeet::scheduling {
namespace {

using ::testing::HasSubstr;

using BookingConflictTest = SchedulingTest;

TEST_F(BookingConflictTest, AnOverlappingMeetingIsRefusedWithTheConflicts) {
  v1::Meeting first = MustCreate(Meeting(Rome(3, 10, 10)), "first");
  absl::Status refused =
      Create(Meeting(Rome(3, 10, 10, 30), absl::Hours(1), {"ada", "dev"}))
          .status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(refused), "SCHEDULING_CONFLICT");
  const google::rpc::PreconditionFailure failure = Violations(refused);
  ASSERT_EQ(failure.violations_size(), 1);  // bob is not in the new one.
  EXPECT_EQ(failure.violations(0).type(), "CONFLICT");
  EXPECT_EQ(failure.violations(0).subject(), "participants/ada");
  EXPECT_THAT(failure.violations(0).description(), HasSubstr("meetings/first"));
  EXPECT_THAT(failure.violations(0).description(),
              HasSubstr("2026-03-10T09:30Z to 2026-03-10T10:00Z"));
  EXPECT_EQ(MeetingCount(), 1);
}

TEST_F(BookingConflictTest, TheRefusalCarriesTheVerdictWithTheOverlap) {
  MustCreate(Meeting(Rome(3, 10, 10)), "first");
  absl::Status refused = Create(Meeting(Rome(3, 10, 10, 30))).status();
  v1::Verdict verdict = VerdictIn(refused);
  EXPECT_TRUE(verdict.rejected());
  EXPECT_EQ(verdict.blocking_conflict_count(), 2);
  ASSERT_EQ(verdict.conflicts_size(), 2);
  const v1::Conflict& ada = verdict.conflicts(0);
  EXPECT_EQ(ada.attendee(), "participants/ada");
  EXPECT_EQ(ada.other_meeting(), "meetings/first");
  EXPECT_EQ(ada.other_meeting_title(), "Product update");
  EXPECT_EQ(ToAbslTime(ada.overlap().start_time()), Rome(3, 10, 10, 30));
  EXPECT_EQ(ToAbslTime(ada.overlap().end_time()), Rome(3, 10, 11));
}

TEST_F(BookingConflictTest, BackToBackMeetingsAreFine) {
  MustCreate(Meeting(Rome(3, 10, 10)));
  absl::StatusOr<v1::CreateMeetingResponse> next =
      Create(Meeting(Rome(3, 10, 11)));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->verdict().conflict_count(), 0);
  ASSERT_TRUE(Create(Meeting(Rome(3, 10, 9))).ok());
}

TEST_F(BookingConflictTest, AnOptionalAttendeesConflictIsReportedNotBlocking) {
  MustCreate(Meeting(Rome(3, 10, 10), absl::Hours(1), {"dev"}));
  v1::Meeting meeting = Meeting(Rome(3, 10, 10));
  AddAttendee(meeting, "dev", /*optional=*/true);
  absl::StatusOr<v1::CreateMeetingResponse> booked = Create(meeting);
  ASSERT_TRUE(booked.ok()) << booked.status();
  EXPECT_EQ(booked->verdict().conflict_count(), 1);
  EXPECT_EQ(booked->verdict().blocking_conflict_count(), 0);
  ASSERT_EQ(booked->verdict().conflicts_size(), 1);
  EXPECT_TRUE(booked->verdict().conflicts(0).optional());
  EXPECT_FALSE(booked->verdict().rejected());
}

TEST_F(BookingConflictTest, AllowConflictsBooksAnywayAndListsThem) {
  MustCreate(Meeting(Rome(3, 10, 10)));
  absl::StatusOr<v1::CreateMeetingResponse> booked =
      Create(Meeting(Rome(3, 10, 10, 30)), "", /*allow_conflicts=*/true);
  ASSERT_TRUE(booked.ok()) << booked.status();
  EXPECT_EQ(booked->verdict().blocking_conflict_count(), 2);
  EXPECT_EQ(booked->verdict().conflicts_size(), 2);
  EXPECT_FALSE(booked->verdict().rejected());
  EXPECT_EQ(MeetingCount(), 2);
}

TEST_F(BookingConflictTest, ASeriesIsCheckedOverTheHorizonNotJustItsStart) {
  // Five weeks after the series starts, past the change to summer time.
  MustCreate(Meeting(Rome(4, 14, 10, 30), absl::Hours(1), {"bob"}), "later");
  absl::Status refused =
      Create(Recurring(Meeting(Rome(3, 10, 10)), "FREQ=WEEKLY")).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  v1::Verdict verdict = VerdictIn(refused);
  ASSERT_EQ(verdict.conflicts_size(), 1);
  EXPECT_EQ(verdict.conflicts(0).other_meeting(), "meetings/later");
  EXPECT_EQ(ToAbslTime(verdict.conflicts(0).occurrence_start_time()),
            Rome(4, 14, 10));
}

TEST_F(BookingConflictTest, ASingleMeetingInsideAnExistingSeriesIsRefused) {
  MustCreate(Recurring(Meeting(Rome(3, 10, 10)), "FREQ=WEEKLY"), "weekly");
  absl::Status refused =
      Create(Meeting(Rome(6, 2, 10, 15), absl::Minutes(15), {"ada"})).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  v1::Verdict verdict = VerdictIn(refused);
  ASSERT_EQ(verdict.conflicts_size(), 1);
  EXPECT_EQ(ToAbslTime(verdict.conflicts(0).other_occurrence_start_time()),
            Rome(6, 2, 10));
}

TEST_F(BookingConflictTest, TwoSeriesThatMeetEveryOtherWeekConflict) {
  MustCreate(Recurring(Meeting(Rome(3, 10, 10)), "FREQ=WEEKLY;INTERVAL=2"));
  // Weekly on Tuesdays too, but starting a week later and for 4 weeks: it
  // meets the fortnightly one in its second and fourth weeks.
  absl::Status refused =
      Create(Recurring(Meeting(Rome(3, 17, 10), absl::Hours(1), {"ada"}),
                       "FREQ=WEEKLY;COUNT=4"))
          .status();
  v1::Verdict verdict = VerdictIn(refused);
  ASSERT_EQ(verdict.conflicts_size(), 2);
  EXPECT_EQ(ToAbslTime(verdict.conflicts(0).occurrence_start_time()),
            Rome(3, 24, 10));
  EXPECT_EQ(ToAbslTime(verdict.conflicts(1).occurrence_start_time()),
            Rome(4, 7, 10));
}

TEST_F(BookingConflictTest, ACancelledMeetingKeepsNobodyBusy) {
  v1::Meeting first = MustCreate(Meeting(Rome(3, 10, 10)));
  v1::CancelMeetingRequest cancel;
  cancel.set_name(first.name());
  ASSERT_TRUE(lifecycle_->Cancel(cancel).ok());
  EXPECT_TRUE(Create(Meeting(Rome(3, 10, 10))).ok());
}

TEST_F(BookingConflictTest, ACancelledOccurrenceKeepsNobodyBusy) {
  v1::Meeting series =
      MustCreate(Recurring(Meeting(Rome(3, 10, 10)), "FREQ=WEEKLY"));
  v1::CancelOccurrenceRequest cancel;
  cancel.set_name(series.name());
  *cancel.mutable_original_start_time() = ToProtoTime(Rome(3, 17, 10));
  ASSERT_TRUE(lifecycle_->CancelOccurrence(cancel).ok());
  EXPECT_TRUE(Create(Meeting(Rome(3, 17, 10))).ok());
  EXPECT_FALSE(Create(Meeting(Rome(3, 24, 10))).ok());
}

TEST_F(BookingConflictTest, ACompletedMeetingStillKeepsPeopleBusy) {
  v1::Meeting held = MustCreate(Meeting(Rome(3, 10, 10)));
  now_ = Rome(3, 10, 12);
  v1::CompleteMeetingRequest complete;
  complete.set_name(held.name());
  complete.set_outcome(v1::HELD);
  ASSERT_TRUE(lifecycle_->Complete(complete).ok());
  EXPECT_EQ(Create(Meeting(Rome(3, 10, 10))).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(BookingConflictTest, AtMostTwentyConflictsAreListedWithTheirCount) {
  MustCreate(Recurring(Meeting(Rome(3, 10, 10)), "FREQ=DAILY;COUNT=30"));
  v1::CreateMeetingRequest preview;
  *preview.mutable_meeting() =
      Recurring(Meeting(Rome(3, 10, 10, 30)), "FREQ=DAILY;COUNT=30");
  preview.set_validate_only(true);
  absl::StatusOr<v1::CreateMeetingResponse> judged =
      booker_->Create(preview, CallScope());
  ASSERT_TRUE(judged.ok()) << judged.status();
  EXPECT_EQ(judged->verdict().conflicts_size(), 20);
  EXPECT_EQ(judged->verdict().conflict_count(), 60);  // ada and bob, daily.
  EXPECT_EQ(judged->verdict().blocking_conflict_count(), 60);
}

TEST_F(BookingConflictTest, ARefusalCountsEveryConflict) {
  MustCreate(Recurring(Meeting(Rome(3, 10, 10)), "FREQ=DAILY;COUNT=30"));
  absl::Status refused =
      Create(Recurring(Meeting(Rome(3, 10, 10, 30)), "FREQ=DAILY;COUNT=30"))
          .status();
  EXPECT_EQ(VerdictIn(refused).conflict_count(), 60);
  EXPECT_LE(Violations(refused).violations_size(), 20);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(GetErrorInfo(refused, &info));
  EXPECT_EQ(info.metadata().at("conflict_count"), "60");
}

TEST_F(BookingConflictTest, APolicyRejectionAndAConflictAreBothListed) {
  MustCreate(Meeting(Rome(3, 10, 10)));
  v1::Meeting meeting = Meeting(Rome(3, 10, 10));
  meeting.set_format(v1::VIDEO_CONFERENCE);
  meeting.mutable_video_conference()->set_provider(v1::MEET);
  absl::Status refused = Create(meeting).status();
  EXPECT_EQ(ErrorReason(refused), "POLICY_REJECTED");
  const google::rpc::PreconditionFailure failure = Violations(refused);
  ASSERT_EQ(failure.violations_size(), 3);
  EXPECT_EQ(failure.violations(0).type(), "VIDEO_WITHOUT_LINK");
  EXPECT_EQ(failure.violations(1).type(), "CONFLICT");
  EXPECT_EQ(failure.violations(2).type(), "CONFLICT");
}

}  // namespace
}  // namespace salesmeet::scheduling
