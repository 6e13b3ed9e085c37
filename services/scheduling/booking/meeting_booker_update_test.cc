// MeetingBooker::Update, MoveOccurrence and RestoreOccurrence: every change
// is judged again, stale and senseless writes are refused, and only
// committed writes reach the change feed.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/scheduling/booking/meeting_booker.h"
#include "services/scheduling/scheduling_test_fixture.h"

namespace salesmeet::scheduling {
namespace {

using ::testing::ElementsAre;

class UpdateMeetingTest : public SchedulingTest {
 protected:
  absl::StatusOr<v1::UpdateMeetingResponse> Update(
      v1::Meeting patch, const std::vector<std::string>& paths,
      bool validate_only = false) {
    v1::UpdateMeetingRequest request;
    *request.mutable_meeting() = std::move(patch);
    for (const std::string& path : paths) {
      request.mutable_update_mask()->add_paths(path);
    }
    request.set_validate_only(validate_only);
    return booker_->Update(request, CallScope());
  }

  // Moves the occurrence of `series` that the rule puts at `original`.
  absl::StatusOr<v1::MoveOccurrenceResponse> Move(const v1::Meeting& series,
                                                  absl::Time original,
                                                  absl::Time start,
                                                  absl::Duration length) {
    v1::MoveOccurrenceRequest request;
    request.set_name(series.name());
    *request.mutable_original_start_time() = ToProtoTime(original);
    *request.mutable_start_time() = ToProtoTime(start);
    *request.mutable_end_time() = ToProtoTime(start + length);
    return booker_->MoveOccurrence(request, CallScope());
  }

  absl::StatusOr<v1::RestoreOccurrenceResponse> Restore(
      const v1::Meeting& series, absl::Time original) {
    v1::RestoreOccurrenceRequest request;
    request.set_name(series.name());
    *request.mutable_original_start_time() = ToProtoTime(original);
    return booker_->RestoreOccurrence(request, CallScope());
  }

  void CancelOccurrence(const v1::Meeting& series, absl::Time original) {
    v1::CancelOccurrenceRequest request;
    request.set_name(series.name());
    *request.mutable_original_start_time() = ToProtoTime(original);
    ASSERT_TRUE(lifecycle_->CancelOccurrence(request).ok());
  }

  std::vector<v1::MeetingChangeType> ChangeTypes() {
    std::vector<v1::MeetingChangeType> types;
    int64_t expected = 1;
    for (const v1::MeetingChange& change : Changes()) {
      EXPECT_EQ(change.sequence(), expected++);
      types.push_back(change.type());
    }
    return types;
  }

  // A weekly Tuesday 10:00 series for ada and bob from 10 March.
  v1::Meeting Weekly() {
    return MustCreate(Recurring(Meeting(Rome(3, 10, 10)), "FREQ=WEEKLY"),
                      "weekly");
  }
};

TEST_F(UpdateMeetingTest, ChangesOnlyTheMaskedFields) {
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)));
  v1::Meeting patch = m;
  patch.set_title("Roadmap review");
  patch.set_agenda("ignored: not in the mask");
  absl::StatusOr<v1::UpdateMeetingResponse> updated = Update(patch, {"title"});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->meeting().title(), "Roadmap review");
  EXPECT_EQ(MustGet(m.name()).agenda(), m.agenda());
  EXPECT_NE(updated->meeting().etag(), m.etag());
  EXPECT_THAT(ChangeTypes(),
              ElementsAre(v1::MEETING_CREATED, v1::MEETING_UPDATED));
}

TEST_F(UpdateMeetingTest, AReschedulingIntoAConflictIsRefused) {
  MustCreate(Meeting(Rome(3, 10, 10)));
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 14)));
  v1::Meeting patch = m;
  *patch.mutable_start_time() = ToProtoTime(Rome(3, 10, 10, 30));
  *patch.mutable_end_time() = ToProtoTime(Rome(3, 10, 11, 30));
  absl::Status refused = Update(patch, {"start_time", "end_time"}).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(refused), "SCHEDULING_CONFLICT");
  EXPECT_EQ(ToAbslTime(MustGet(m.name()).start_time()), Rome(3, 10, 14));
  EXPECT_EQ(Changes().size(), 2u);
}

TEST_F(UpdateMeetingTest, AReschedulingIntoAPastConflictIsRefusedToo) {
  MustCreate(Meeting(Rome(2, 27, 10)));  // Last Friday.
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 14)));
  v1::Meeting patch = m;
  *patch.mutable_start_time() = ToProtoTime(Rome(2, 27, 10, 30));
  *patch.mutable_end_time() = ToProtoTime(Rome(2, 27, 11, 30));
  absl::Status refused = Update(patch, {"start_time", "end_time"}).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(refused), "SCHEDULING_CONFLICT");
}

TEST_F(UpdateMeetingTest, AddingABusyAttendeeIsRefused) {
  MustCreate(Meeting(Rome(3, 10, 10), absl::Hours(1), {"dev"}));
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)));
  v1::Meeting patch = m;
  AddAttendee(patch, "dev");
  EXPECT_EQ(Update(patch, {"attendees"}).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(UpdateMeetingTest, ShowsTheWeeklyLoadBeforeAndAfter) {
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)));
  v1::Meeting patch = m;
  *patch.mutable_end_time() = ToProtoTime(Rome(3, 10, 12));
  absl::StatusOr<v1::UpdateMeetingResponse> updated =
      Update(patch, {"end_time"});
  ASSERT_TRUE(updated.ok()) << updated.status();
  ASSERT_EQ(updated->verdict().weekly_loads_size(), 2);
  const v1::WeeklyLoad& ada = updated->verdict().weekly_loads(0);
  EXPECT_EQ(ada.participant(), "participants/ada");
  EXPECT_EQ(ToAbslDuration(ada.before()), absl::Hours(1));
  EXPECT_EQ(ToAbslDuration(ada.after()), absl::Hours(2));
  EXPECT_EQ(updated->verdict().cost_per_occurrence().units(), 300);
}

TEST_F(UpdateMeetingTest, ValidateOnlyPreviewsWithoutWriting) {
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)));
  v1::Meeting patch = m;
  patch.set_title("Preview");
  absl::StatusOr<v1::UpdateMeetingResponse> preview =
      Update(patch, {"title"}, /*validate_only=*/true);
  ASSERT_TRUE(preview.ok()) << preview.status();
  EXPECT_EQ(preview->meeting().title(), "Preview");
  EXPECT_EQ(MustGet(m.name()).title(), m.title());
  EXPECT_EQ(Changes().size(), 1u);
}

TEST_F(UpdateMeetingTest, AStaleEtagIsAborted) {
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)));
  v1::Meeting patch = m;
  patch.set_title("First");
  ASSERT_TRUE(Update(patch, {"title"}).ok());
  patch.set_title("Second, from the old read");
  EXPECT_EQ(Update(patch, {"title"}).status().code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(MustGet(m.name()).title(), "First");
}

TEST_F(UpdateMeetingTest, AnUnknownMaskPathIsInvalid) {
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)));
  absl::Status refused = Update(m, {"title", "colour"}).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FirstBadField(refused), "update_mask.paths[1]");
}

TEST_F(UpdateMeetingTest, ACancelledMeetingCannotBeUpdated) {
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)));
  v1::CancelMeetingRequest cancel;
  cancel.set_name(m.name());
  ASSERT_TRUE(lifecycle_->Cancel(cancel).ok());
  m.set_etag("");
  absl::Status refused = Update(m, {"title"}).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(refused), "MEETING_STATE");
}

TEST_F(UpdateMeetingTest, ALongRunningSeriesCanStillBeRetitled) {
  v1::Meeting series = Weekly();
  now_ += absl::Hours(24 * 400);  // Its start is now beyond the horizon.
  v1::Meeting patch = series;
  patch.set_etag("");
  patch.set_title("Weekly sales meeting");
  absl::StatusOr<v1::UpdateMeetingResponse> updated = Update(patch, {"title"});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->meeting().title(), "Weekly sales meeting");
}

TEST_F(UpdateMeetingTest, AnAttendeeWhoLeftTheDirectoryCanBeRemoved) {
  v1::Meeting m = MustCreate(
      Meeting(Rome(3, 10, 10), absl::Hours(1), {"ada", "bob", "pat"}));
  people_.Remove("participants/pat");
  v1::Meeting patch = m;
  patch.mutable_attendees()->RemoveLast();
  absl::StatusOr<v1::UpdateMeetingResponse> updated =
      Update(patch, {"attendees"});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->meeting().attendees_size(), 2);
}

TEST_F(UpdateMeetingTest, AddingAnUnknownAttendeeNamesThem) {
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)));
  v1::Meeting patch = m;
  AddAttendee(patch, "ghost");
  absl::Status refused = Update(patch, {"attendees"}).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FirstBadField(refused), "meeting.attendees[2].participant");
}

TEST_F(UpdateMeetingTest, ASeriesMadeSingleDropsItsOccurrenceExceptions) {
  v1::Meeting series = Weekly();
  ASSERT_TRUE(
      Move(series, Rome(3, 10, 10), Rome(3, 11, 10), absl::Hours(1)).ok());
  v1::Meeting patch = MustGet(series.name());
  patch.clear_recurrence();
  absl::StatusOr<v1::UpdateMeetingResponse> updated =
      Update(patch, {"recurrence"});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->meeting().occurrence_exceptions_size(), 0);
  v1::ListOccurrencesRequest list;
  list.set_name(series.name());
  absl::StatusOr<v1::ListOccurrencesResponse> listed =
      reader_->ListOccurrences(list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->occurrences_size(), 1);
  EXPECT_EQ(ToAbslTime(listed->occurrences(0).start_time()), Rome(3, 10, 10));
}

TEST_F(UpdateMeetingTest, ASingleMeetingHasNoOccurrenceToMove) {
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)));
  absl::Status refused =
      Move(m, Rome(3, 10, 10), Rome(3, 11, 10), absl::Hours(1)).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(refused), "NOT_RECURRING");
}

TEST_F(UpdateMeetingTest, MovingAnOccurrenceLeavesTheOthersAlone) {
  v1::Meeting series = Weekly();
  absl::StatusOr<v1::MoveOccurrenceResponse> moved =
      Move(series, Rome(3, 17, 10), Rome(3, 18, 15), absl::Minutes(30));
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_TRUE(moved->occurrence().moved());
  EXPECT_EQ(ToAbslTime(moved->occurrence().start_time()), Rome(3, 18, 15));
  EXPECT_EQ(moved->verdict().horizon_occurrence_count(), 1);
  EXPECT_EQ(moved->verdict().cost_per_occurrence().units(), 75);
  ASSERT_EQ(moved->meeting().occurrence_exceptions_size(), 1);
  EXPECT_EQ(
      ToAbslTime(
          moved->meeting().occurrence_exceptions(0).original_start_time()),
      Rome(3, 17, 10));
  EXPECT_EQ(MustGet(series.name()).start_time().seconds(),
            series.start_time().seconds());
  EXPECT_THAT(ChangeTypes(),
              ElementsAre(v1::MEETING_CREATED, v1::OCCURRENCE_MOVED));
}

TEST_F(UpdateMeetingTest, APreviewedMoveWritesNothing) {
  v1::Meeting series = Weekly();
  v1::MoveOccurrenceRequest request;
  request.set_name(series.name());
  *request.mutable_original_start_time() = ToProtoTime(Rome(3, 17, 10));
  *request.mutable_start_time() = ToProtoTime(Rome(3, 18, 10));
  *request.mutable_end_time() = ToProtoTime(Rome(3, 18, 11));
  request.set_validate_only(true);
  absl::StatusOr<v1::MoveOccurrenceResponse> preview =
      booker_->MoveOccurrence(request, CallScope());
  ASSERT_TRUE(preview.ok()) << preview.status();
  EXPECT_TRUE(preview->occurrence().moved());
  EXPECT_EQ(MustGet(series.name()).occurrence_exceptions_size(), 0);
  EXPECT_EQ(Changes().size(), 1u);
}

TEST_F(UpdateMeetingTest, MovingAnOccurrenceIntoAConflictIsRefused) {
  v1::Meeting series = Weekly();
  MustCreate(Meeting(Rome(3, 18, 15), absl::Hours(1), {"bob"}));
  absl::Status refused =
      Move(series, Rome(3, 17, 10), Rome(3, 18, 15), absl::Hours(1)).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(MustGet(series.name()).occurrence_exceptions_size(), 0);
  EXPECT_EQ(Changes().size(), 2u);
}

TEST_F(UpdateMeetingTest, MovingOntoAnotherOccurrenceOfTheSeriesIsRefused) {
  v1::Meeting series = Weekly();
  absl::Status refused =
      Move(series, Rome(3, 17, 10), Rome(3, 24, 10, 30), absl::Hours(1))
          .status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FirstBadField(refused), "start_time");
}

TEST_F(UpdateMeetingTest, MovingOntoACancelledOccurrencesSlotIsFine) {
  v1::Meeting series = Weekly();
  CancelOccurrence(series, Rome(3, 24, 10));
  EXPECT_TRUE(
      Move(series, Rome(3, 17, 10), Rome(3, 24, 10), absl::Hours(1)).ok());
}

TEST_F(UpdateMeetingTest, MovingBackToTheRulesTimeLeavesItUnmoved) {
  v1::Meeting series = Weekly();
  ASSERT_TRUE(
      Move(series, Rome(3, 17, 10), Rome(3, 18, 10), absl::Hours(1)).ok());
  absl::StatusOr<v1::MoveOccurrenceResponse> back =
      Move(series, Rome(3, 17, 10), Rome(3, 17, 10), absl::Hours(1));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_FALSE(back->occurrence().moved());
  EXPECT_EQ(back->meeting().occurrence_exceptions_size(), 0);
}

TEST_F(UpdateMeetingTest, ACancelledOccurrenceMustBeRestoredBeforeMoving) {
  v1::Meeting series = Weekly();
  CancelOccurrence(series, Rome(3, 17, 10));
  absl::Status refused =
      Move(series, Rome(3, 17, 10), Rome(3, 18, 10), absl::Hours(1)).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(refused), "OCCURRENCE_STATE");
}

TEST_F(UpdateMeetingTest, RestoringPutsTheOccurrenceBackWhereTheRuleHasIt) {
  v1::Meeting series = Weekly();
  ASSERT_TRUE(
      Move(series, Rome(3, 17, 10), Rome(3, 18, 10), absl::Hours(1)).ok());
  absl::StatusOr<v1::RestoreOccurrenceResponse> restored =
      Restore(series, Rome(3, 17, 10));
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(ToAbslTime(restored->occurrence().start_time()), Rome(3, 17, 10));
  EXPECT_FALSE(restored->occurrence().exception());
  EXPECT_EQ(MustGet(series.name()).occurrence_exceptions_size(), 0);
  EXPECT_THAT(ChangeTypes(),
              ElementsAre(v1::MEETING_CREATED, v1::OCCURRENCE_MOVED,
                          v1::OCCURRENCE_RESTORED));
}

TEST_F(UpdateMeetingTest, RestoringACancelledOccurrenceIntoAConflictIsRefused) {
  v1::Meeting series = Weekly();
  CancelOccurrence(series, Rome(3, 17, 10));
  MustCreate(Meeting(Rome(3, 17, 10), absl::Hours(1), {"ada"}));
  absl::Status refused = Restore(series, Rome(3, 17, 10)).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(refused), "SCHEDULING_CONFLICT");
}

TEST_F(UpdateMeetingTest, RestoringOntoAnOccurrenceMovedThereIsRefused) {
  v1::Meeting series = Weekly();
  CancelOccurrence(series, Rome(3, 24, 10));
  ASSERT_TRUE(
      Move(series, Rome(3, 17, 10), Rome(3, 24, 10), absl::Hours(1)).ok());
  absl::Status refused = Restore(series, Rome(3, 24, 10)).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(refused), "OCCURRENCE_STATE");
}

TEST_F(UpdateMeetingTest, RestoringAnUntouchedOccurrenceIsRefused) {
  v1::Meeting series = Weekly();
  absl::Status refused = Restore(series, Rome(3, 17, 10)).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(refused), "OCCURRENCE_STATE");
}

}  // namespace
}  // namespace salesmeet::scheduling
