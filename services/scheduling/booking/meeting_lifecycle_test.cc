// MeetingLifecycle: cancelling, completing with an outcome, answering,
// cancelling one occurrence and ending a series early, each refused with a
// reason when the meeting's state makes it senseless.

#include "services/scheduling/booking/meeting_lifecycle.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/scheduling/booking/meeting_writes.h"
#include "services/scheduling/scheduling_test_fixture.h"

namespace salesmeet::scheduling {
namespace {

using ::testing::ElementsAre;

class LifecycleTest : public SchedulingTest {
 protected:
  absl::StatusOr<v1::Meeting> Cancel(const v1::Meeting& m) {
    v1::CancelMeetingRequest request;
    request.set_name(m.name());
    request.set_reason("Customer asked to postpone");
    return lifecycle_->Cancel(request);
  }

  absl::StatusOr<v1::Meeting> Complete(
      const v1::Meeting& m, v1::MeetingOutcome outcome,
      std::optional<google::type::Money> deal = std::nullopt) {
    v1::CompleteMeetingRequest request;
    request.set_name(m.name());
    request.set_outcome(outcome);
    if (deal.has_value()) *request.mutable_deal_value() = *deal;
    request.set_notes("Went well");
    return lifecycle_->Complete(request);
  }

  absl::StatusOr<v1::Meeting> Respond(
      const v1::Meeting& m, const std::string& who, v1::ResponseStatus answer,
      std::optional<absl::Time> occurrence = std::nullopt) {
    v1::RespondToMeetingRequest request;
    request.set_name(m.name());
    request.set_attendee("participants/" + who);
    request.set_response(answer);
    if (occurrence.has_value()) {
      *request.mutable_original_start_time() = ToProtoTime(*occurrence);
    }
    return lifecycle_->Respond(request);
  }

  absl::StatusOr<v1::Meeting> CancelOccurrence(const v1::Meeting& m,
                                               absl::Time original) {
    v1::CancelOccurrenceRequest request;
    request.set_name(m.name());
    *request.mutable_original_start_time() = ToProtoTime(original);
    return lifecycle_->CancelOccurrence(request);
  }

  absl::StatusOr<v1::Meeting> Truncate(const v1::Meeting& m, absl::Time cut) {
    v1::TruncateSeriesRequest request;
    request.set_name(m.name());
    *request.mutable_original_start_time() = ToProtoTime(cut);
    return lifecycle_->TruncateSeries(request);
  }

  std::vector<absl::Time> OccurrenceStarts(const v1::Meeting& m) {
    v1::ListOccurrencesRequest request;
    request.set_name(m.name());
    std::vector<absl::Time> starts;
    absl::StatusOr<v1::ListOccurrencesResponse> listed =
        reader_->ListOccurrences(request);
    EXPECT_TRUE(listed.ok()) << listed.status();
    if (!listed.ok()) return starts;
    for (const v1::Occurrence& o : listed->occurrences()) {
      starts.push_back(ToAbslTime(o.start_time()));
    }
    return starts;
  }

  static void ExpectRefused(const absl::StatusOr<v1::Meeting>& result,
                            const std::string& reason) {
    EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition)
        << result.status();
    EXPECT_EQ(ErrorReason(result.status()), reason);
  }

  // Weekly on Tuesdays at 10:00 from 10 March, `count` times (0: forever).
  v1::Meeting Weekly(int count) {
    return MustCreate(
        Recurring(Meeting(Rome(3, 10, 10)),
                  count == 0 ? "FREQ=WEEKLY"
                             : absl::StrCat("FREQ=WEEKLY;COUNT=", count)));
  }
};

TEST_F(LifecycleTest, CancellingRecordsWhyAndWhen) {
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)));
  absl::StatusOr<v1::Meeting> cancelled = Cancel(m);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->state(), v1::CANCELLED);
  EXPECT_EQ(cancelled->cancel_reason(), "Customer asked to postpone");
  EXPECT_EQ(ToAbslTime(cancelled->cancel_time()), now_);
  EXPECT_EQ(Changes().back().type(), v1::MEETING_CANCELLED);
  EXPECT_EQ(Changes().back().meeting().state(), v1::CANCELLED);
}

TEST_F(LifecycleTest, ACancelledMeetingCannotBeCancelledAgainOrCompleted) {
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)));
  ASSERT_TRUE(Cancel(m).ok());
  now_ = Rome(3, 11, 10);
  ExpectRefused(Cancel(m), "MEETING_STATE");
  ExpectRefused(Complete(m, v1::HELD), "MEETING_STATE");
  ExpectRefused(Respond(m, "bob", v1::ACCEPTED), "MEETING_STATE");
  EXPECT_EQ(Changes().size(), 2u);
}

TEST_F(LifecycleTest, AMeetingCannotBeCompletedBeforeItStarts) {
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)));
  now_ = Rome(3, 10, 9, 59);
  ExpectRefused(Complete(m, v1::HELD), "NOT_STARTED");
  now_ = Rome(3, 10, 10);
  EXPECT_TRUE(Complete(m, v1::HELD).ok());
}

TEST_F(LifecycleTest, CompletingRecordsTheOutcomeAndDeal) {
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)));
  now_ = Rome(3, 10, 12);
  absl::StatusOr<v1::Meeting> done = Complete(m, v1::WON, Eur(25000));
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->state(), v1::COMPLETED);
  EXPECT_EQ(done->outcome(), v1::WON);
  EXPECT_EQ(done->deal_value().units(), 25000);
  EXPECT_EQ(done->outcome_notes(), "Went well");
  EXPECT_EQ(ToAbslTime(done->complete_time()), now_);
  EXPECT_EQ(Changes().back().type(), v1::MEETING_COMPLETED);
}

TEST_F(LifecycleTest, CompletingAgainCorrectsTheOutcome) {
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)));
  now_ = Rome(3, 10, 12);
  ASSERT_TRUE(Complete(m, v1::WON, Eur(25000)).ok());
  absl::StatusOr<v1::Meeting> corrected = Complete(m, v1::HELD);
  ASSERT_TRUE(corrected.ok()) << corrected.status();
  EXPECT_EQ(corrected->outcome(), v1::HELD);
  EXPECT_FALSE(corrected->has_deal_value());
}

TEST_F(LifecycleTest, ACompletedMeetingCannotBeCancelled) {
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)));
  now_ = Rome(3, 10, 12);
  ASSERT_TRUE(Complete(m, v1::HELD).ok());
  ExpectRefused(Cancel(m), "MEETING_STATE");
}

TEST_F(LifecycleTest, AnOutcomeIsRequired) {
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)));
  now_ = Rome(3, 10, 12);
  absl::Status refused = Complete(m, v1::MEETING_OUTCOME_UNSPECIFIED).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FirstBadField(refused), "outcome");
}

TEST_F(LifecycleTest, ADealValueOnlyGoesWithADealOutcome) {
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)));
  now_ = Rome(3, 10, 12);
  absl::Status refused = Complete(m, v1::NO_SHOW, Eur(100)).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FirstBadField(refused), "deal_value");
}

TEST_F(LifecycleTest, ANegativeDealValueIsRefused) {
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)));
  now_ = Rome(3, 10, 12);
  absl::Status refused = Complete(m, v1::LOST, Eur(-100)).status();
  EXPECT_EQ(FirstBadField(refused), "deal_value");
}

TEST_F(LifecycleTest, ASeriesCompletesOnlyOnceItsLastOccurrenceStarted) {
  v1::Meeting series = Weekly(3);  // 10, 17 and 24 March.
  now_ = Rome(3, 24, 9);
  ExpectRefused(Complete(series, v1::HELD), "SERIES_NOT_ENDED");
  now_ = Rome(3, 24, 10, 30);
  EXPECT_TRUE(Complete(series, v1::HELD).ok());
}

TEST_F(LifecycleTest, ASeriesWhoseLastOccurrenceIsCancelledEndsEarlier) {
  v1::Meeting series = Weekly(3);
  ASSERT_TRUE(CancelOccurrence(series, Rome(3, 24, 10)).ok());
  now_ = Rome(3, 17, 10, 30);
  EXPECT_TRUE(Complete(series, v1::HELD).ok());
}

TEST_F(LifecycleTest, AnEndlessSeriesCompletesOnlyAfterTruncation) {
  v1::Meeting series = Weekly(0);
  now_ = Rome(4, 1, 12);
  ExpectRefused(Complete(series, v1::HELD), "SERIES_NOT_ENDED");
  ASSERT_TRUE(Truncate(series, Rome(4, 7, 10)).ok());
  EXPECT_TRUE(Complete(series, v1::HELD).ok());
}

TEST_F(LifecycleTest, AnAttendeeAnswersForTheWholeMeeting) {
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)));
  absl::StatusOr<v1::Meeting> answered = Respond(m, "bob", v1::DECLINED);
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(answered->attendees(1).response(), v1::DECLINED);
  EXPECT_EQ(Changes().back().type(), v1::MEETING_RESPONDED);
  EXPECT_EQ(Changes().back().attendee(), "participants/bob");
}

TEST_F(LifecycleTest, SomeoneNotInvitedCannotAnswer) {
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)));
  ExpectRefused(Respond(m, "dev", v1::ACCEPTED), "NOT_ATTENDEE");
}

TEST_F(LifecycleTest, AnAnswerForOneOccurrenceLeavesTheOthersAlone) {
  v1::Meeting series = Weekly(0);
  ASSERT_TRUE(Respond(series, "bob", v1::ACCEPTED).ok());
  absl::StatusOr<v1::Meeting> answered =
      Respond(series, "bob", v1::DECLINED, Rome(3, 17, 10));
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(answered->attendees(1).response(), v1::ACCEPTED);
  ASSERT_EQ(answered->occurrence_exceptions_size(), 1);
  const v1::OccurrenceException& e = answered->occurrence_exceptions(0);
  EXPECT_EQ(ToAbslTime(e.original_start_time()), Rome(3, 17, 10));
  ASSERT_EQ(e.responses_size(), 1);
  EXPECT_EQ(e.responses(0).response(), v1::DECLINED);
  EXPECT_EQ(ToAbslTime(Changes().back().original_start_time()),
            Rome(3, 17, 10));
}

TEST_F(LifecycleTest, NoAnswerForACancelledOccurrence) {
  v1::Meeting series = Weekly(0);
  ASSERT_TRUE(CancelOccurrence(series, Rome(3, 17, 10)).ok());
  ExpectRefused(Respond(series, "bob", v1::ACCEPTED, Rome(3, 17, 10)),
                "OCCURRENCE_STATE");
}

TEST_F(LifecycleTest, AnAnswerForAnOccurrenceTheRuleLacksIsNotFound) {
  v1::Meeting series = Weekly(0);
  EXPECT_EQ(
      Respond(series, "bob", v1::ACCEPTED, Rome(3, 18, 10)).status().code(),
      absl::StatusCode::kNotFound);
}

TEST_F(LifecycleTest, ASingleMeetingHasNoOccurrencesToAnswer) {
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)));
  ExpectRefused(Respond(m, "bob", v1::ACCEPTED, Rome(3, 10, 10)),
                "NOT_RECURRING");
}

TEST_F(LifecycleTest, AnOccurrenceCanBeCancelledOnlyOnce) {
  v1::Meeting series = Weekly(0);
  absl::StatusOr<v1::Meeting> cancelled =
      CancelOccurrence(series, Rome(3, 17, 10));
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(Changes().back().type(), v1::OCCURRENCE_CANCELLED);
  ExpectRefused(CancelOccurrence(series, Rome(3, 17, 10)), "OCCURRENCE_STATE");
}

TEST_F(LifecycleTest, ACancelledOccurrenceIsNoLongerListed) {
  v1::Meeting series = Weekly(3);
  ASSERT_TRUE(CancelOccurrence(series, Rome(3, 17, 10)).ok());
  EXPECT_THAT(OccurrenceStarts(series),
              ElementsAre(Rome(3, 10, 10), Rome(3, 24, 10)));
}

TEST_F(LifecycleTest, ASeriesCannotBeTruncatedAtItsFirstOccurrence) {
  v1::Meeting series = Weekly(0);
  ExpectRefused(Truncate(series, Rome(3, 10, 10)), "FIRST_OCCURRENCE");
}

TEST_F(LifecycleTest, TruncatingRemovesTheLaterOccurrencesAndExceptions) {
  v1::Meeting series = Weekly(0);
  ASSERT_TRUE(Respond(series, "bob", v1::DECLINED, Rome(3, 17, 10)).ok());
  ASSERT_TRUE(CancelOccurrence(series, Rome(3, 31, 10)).ok());
  absl::StatusOr<v1::Meeting> truncated = Truncate(series, Rome(3, 24, 10));
  ASSERT_TRUE(truncated.ok()) << truncated.status();
  ASSERT_EQ(truncated->occurrence_exceptions_size(), 1);
  EXPECT_EQ(
      ToAbslTime(truncated->occurrence_exceptions(0).original_start_time()),
      Rome(3, 17, 10));
  EXPECT_EQ(Changes().back().type(), v1::SERIES_TRUNCATED);
  EXPECT_THAT(OccurrenceStarts(series),
              ElementsAre(Rome(3, 10, 10), Rome(3, 17, 10)));
}

TEST_F(LifecycleTest, ASeriesCanBeTruncatedAtAnExcludedOccurrence) {
  v1::Meeting meeting = Recurring(Meeting(Rome(3, 10, 10)), "FREQ=WEEKLY");
  *meeting.mutable_recurrence()->add_exdates() = ToProtoTime(Rome(3, 24, 10));
  v1::Meeting series = MustCreate(meeting);
  ASSERT_TRUE(Truncate(series, Rome(3, 24, 10)).ok());
  EXPECT_THAT(OccurrenceStarts(series),
              ElementsAre(Rome(3, 10, 10), Rome(3, 17, 10)));
}

TEST_F(LifecycleTest, TruncatingFreesTheLaterSlots) {
  v1::Meeting series = Weekly(0);
  ASSERT_TRUE(Truncate(series, Rome(3, 24, 10)).ok());
  EXPECT_TRUE(Create(Meeting(Rome(6, 2, 10))).ok());
}

TEST_F(LifecycleTest, ASeriesHoldsAtMostAThousandExceptions) {
  v1::Meeting series =
      MustCreate(Recurring(Meeting(Rome(3, 10, 10)), "FREQ=DAILY;COUNT=1100"));
  // A thousand answered occurrences (days run on past the month's end),
  // written straight to the store.
  ASSERT_TRUE(store_
                  ->Write([&](MeetingTransaction& tx) {
                    for (int day = 0; day < kMaxOccurrenceExceptions; ++day) {
                      v1::OccurrenceException* e =
                          series.add_occurrence_exceptions();
                      *e->mutable_original_start_time() =
                          ToProtoTime(Rome(3, 10 + day, 10));
                      v1::OccurrenceResponse* r = e->add_responses();
                      r->set_attendee("participants/bob");
                      r->set_response(v1::ACCEPTED);
                    }
                    return tx.PutMeeting(series, {Rome(3, 10, 10), {}, true});
                  })
                  .ok());
  ExpectRefused(CancelOccurrence(series, Rome(3, 10 + 1050, 10)),
                "TOO_MANY_EXCEPTIONS");
  EXPECT_TRUE(CancelOccurrence(series, Rome(3, 11, 10)).ok());
}

TEST_F(LifecycleTest, EveryCommittedChangeHasTheNextSequence) {
  v1::Meeting series = Weekly(0);
  ASSERT_TRUE(Respond(series, "bob", v1::ACCEPTED).ok());
  ASSERT_TRUE(CancelOccurrence(series, Rome(3, 17, 10)).ok());
  ASSERT_FALSE(CancelOccurrence(series, Rome(3, 17, 10)).ok());
  ASSERT_TRUE(Truncate(series, Rome(4, 7, 10)).ok());
  std::vector<int64_t> sequences;
  for (const v1::MeetingChange& c : Changes()) {
    sequences.push_back(c.sequence());
  }
  EXPECT_THAT(sequences, ElementsAre(1, 2, 3, 4));
  EXPECT_EQ(feed_->head(), 4);
}

}  // namespace
}  // namespace salesmeet::scheduling
