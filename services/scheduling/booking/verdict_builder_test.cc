// JudgeProposal on its own: the verdict one proposed write gets inside its
// transaction (cost, conflicts, weekly load) and when it is refused.

#include "services/scheduling/booking/verdict_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/calendar/occurrences.h"
#include "common/error_test_support.h"
#include "services/scheduling/booking/attendee_records.h"
#include "services/scheduling/policy/scheduling_policy.h"
#include "services/scheduling/scheduling_test_fixture.h"

namespace salesmeet::scheduling {
namespace {

class VerdictBuilderTest : public SchedulingTest {
 protected:
  // Judges creating `meeting` (attendees snapshotted, Rome time) over the
  // four weeks from its start.
  absl::StatusOr<Judgement> JudgeCreate(v1::Meeting meeting,
                                        bool allow_conflicts = false) {
    meeting.set_name("meetings/proposed");
    meeting.set_time_zone("Europe/Rome");
    std::vector<std::string> names;
    for (const v1::Attendee& a : meeting.attendees()) {
      names.push_back(a.participant());
    }
    absl::StatusOr<ParticipantsByName> people =
        people_.Lookup(names, CallScope());
    if (!people.ok()) return people.status();
    absl::Status booked = BookAttendees(meeting, nullptr, *people, now_);
    if (!booked.ok()) return booked;
    absl::StatusOr<Recurrence> series =
        SeriesOf(meeting, now_ + absl::Hours(24 * 365));
    if (!series.ok()) return series.status();
    const absl::Time start = ToAbslTime(meeting.start_time());
    WriteProposal proposal;
    proposal.after = &meeting;
    proposal.after_series = &*series;
    proposal.people = &*people;
    proposal.window = {start, start + absl::Hours(24 * 28)};
    proposal.allow_conflicts = allow_conflicts;
    absl::StatusOr<Judgement> judged;
    absl::Status read = store_->Read([&](MeetingTransaction& tx) {
      judged = JudgeProposal(tx, WithDefaults(DefaultPolicy()), proposal);
      return absl::OkStatus();
    });
    if (!read.ok()) return read;
    return judged;
  }
};

TEST_F(VerdictBuilderTest, CostIsEachEmployeesRateTimesTheDuration) {
  // Ada 60 and Bob 90 EUR an hour, for 90 minutes; the customer is free.
  v1::Meeting m =
      Meeting(Rome(3, 10, 10), absl::Minutes(90), {"ada", "bob", "cleo"});
  absl::StatusOr<Judgement> judged = JudgeCreate(m);
  ASSERT_TRUE(judged.ok()) << judged.status();
  EXPECT_EQ(judged->verdict.cost_per_occurrence().currency_code(), "EUR");
  EXPECT_EQ(judged->verdict.cost_per_occurrence().units(), 225);
  EXPECT_EQ(judged->verdict.horizon_occurrence_count(), 1);
  EXPECT_EQ(judged->verdict.conflict_count(), 0);
  EXPECT_TRUE(RefusalOf(*judged).ok());
}

TEST_F(VerdictBuilderTest,
       AWeeklySeriesIsCountedInLocalTimeAcrossTheClockChange) {
  // Tuesdays 10:00 in Rome from 10 March. The window is 28 days of absolute
  // time, so across the spring change (29 March) it ends at 11:00 local on
  // 7 April, and that day's 10:00 occurrence is inside it: five, not four.
  v1::Meeting m = Recurring(Meeting(Rome(3, 10, 10)), "FREQ=WEEKLY");
  absl::StatusOr<Judgement> judged = JudgeCreate(m);
  ASSERT_TRUE(judged.ok()) << judged.status();
  EXPECT_EQ(judged->verdict.horizon_occurrence_count(), 5);
  EXPECT_EQ(judged->verdict.horizon_cost().units(), 5 * 150);
}

TEST_F(VerdictBuilderTest,
       ABookedMeetingOfARequiredAttendeeIsABlockingConflict) {
  const v1::Meeting taken =
      MustCreate(Meeting(Rome(3, 10, 10), absl::Hours(1), {"bob", "eve"}));
  absl::StatusOr<Judgement> judged =
      JudgeCreate(Meeting(Rome(3, 10, 10, 30), absl::Hours(1)));
  ASSERT_TRUE(judged.ok()) << judged.status();
  ASSERT_EQ(judged->verdict.conflicts_size(), 1);
  EXPECT_EQ(judged->verdict.conflicts(0).attendee(), "participants/bob");
  EXPECT_EQ(judged->verdict.conflicts(0).other_meeting(), taken.name());
  EXPECT_EQ(judged->blocking_conflicts, 1);
  const absl::Status refusal = RefusalOf(*judged);
  EXPECT_EQ(refusal.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(refusal), "SCHEDULING_CONFLICT");
}

TEST_F(VerdictBuilderTest, AllowingConflictsReportsThemWithoutRefusing) {
  MustCreate(Meeting(Rome(3, 10, 10), absl::Hours(1), {"bob", "eve"}));
  absl::StatusOr<Judgement> judged =
      JudgeCreate(Meeting(Rome(3, 10, 10, 30), absl::Hours(1)), true);
  ASSERT_TRUE(judged.ok()) << judged.status();
  EXPECT_EQ(judged->verdict.conflict_count(), 1);
  EXPECT_EQ(judged->blocking_conflicts, 0);
  EXPECT_TRUE(RefusalOf(*judged).ok());
}

TEST_F(VerdictBuilderTest, MeetingsThatOnlyTouchDoNotConflict) {
  MustCreate(Meeting(Rome(3, 10, 9), absl::Hours(1), {"bob", "eve"}));
  absl::StatusOr<Judgement> judged =
      JudgeCreate(Meeting(Rome(3, 10, 10), absl::Hours(1)));
  ASSERT_TRUE(judged.ok()) << judged.status();
  EXPECT_EQ(judged->verdict.conflict_count(), 0);
}

TEST_F(VerdictBuilderTest, WeeklyLoadShowsEachEmployeesWeekBeforeAndAfter) {
  MustCreate(Meeting(Rome(3, 9, 10), absl::Hours(2), {"ada", "dev"}));
  absl::StatusOr<Judgement> judged =
      JudgeCreate(Meeting(Rome(3, 10, 10), absl::Hours(1)));
  ASSERT_TRUE(judged.ok()) << judged.status();
  bool saw_ada = false;
  for (const v1::WeeklyLoad& load : judged->verdict.weekly_loads()) {
    if (load.participant() != "participants/ada") continue;
    saw_ada = true;
    EXPECT_EQ(load.week().week(), 11);  // 9-15 March 2026.
    EXPECT_EQ(load.before().seconds(), 2 * 3600);
    EXPECT_EQ(load.after().seconds(), 3 * 3600);
    EXPECT_EQ(load.budget().seconds(), 10 * 3600);
    EXPECT_FALSE(load.over_budget());
  }
  EXPECT_TRUE(saw_ada);
}

}  // namespace
}  // namespace salesmeet::scheduling
