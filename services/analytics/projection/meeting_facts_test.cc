#include "services/analytics/projection/meeting_facts.h"

#include <gtest/gtest.h>

#include <vector>

#include "services/analytics/reports/report_test_fixture.h"

namespace salesmeet::analytics {
namespace {

using testing::At;
using testing::Customer;
using testing::Employee;
using testing::Meeting;
using testing::Series;

std::vector<OccurrenceFacts> Occurrences(const MeetingFacts& facts,
                                         TimeSpan window) {
  std::vector<OccurrenceFacts> out;
  facts.ForEachOccurrence(window,
                          [&](const OccurrenceFacts& o) { out.push_back(o); });
  return out;
}

const TimeSpan kAllOf2027{At("UTC", 2027, 1, 1, 0), At("UTC", 2028, 1, 1, 0)};

TEST(MeetingFactsTest, WeeklySeriesKeepsLocalTimeAcrossDaylightSaving) {
  AmountTable amounts;
  NameTable names;
  // 09:00 in Rome every Monday, across the switch to summer time on 28 March.
  sv1::Meeting meeting = Series(
      Meeting("standup", At("Europe/Rome", 2027, 3, 22, 9), absl::Hours(1),
              {Employee("ada", "emea", 100)}, "Europe/Rome"),
      "FREQ=WEEKLY;COUNT=2");
  auto facts =
      MeetingFacts::FromMeeting(meeting, kAllOf2027.start, amounts, names);
  ASSERT_TRUE(facts.ok()) << facts.status();
  std::vector<OccurrenceFacts> got = Occurrences(*facts, kAllOf2027);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].span.start, At("UTC", 2027, 3, 22, 8));
  EXPECT_EQ(got[1].span.start, At("UTC", 2027, 3, 29, 7));
}

TEST(MeetingFactsTest,
     CancelledOccurrenceIsNotListedAndMovedOneIsAtItsNewTime) {
  AmountTable amounts;
  NameTable names;
  sv1::Meeting meeting =
      Series(Meeting("weekly", At("UTC", 2027, 1, 4, 10), absl::Hours(1),
                     {Employee("ada", "emea", 100)}),
             "FREQ=WEEKLY;COUNT=3");
  sv1::OccurrenceException* cancelled = meeting.add_occurrence_exceptions();
  *cancelled->mutable_original_start_time() =
      ToProtoTime(At("UTC", 2027, 1, 11, 10));
  cancelled->set_cancelled(true);
  sv1::OccurrenceException* moved = meeting.add_occurrence_exceptions();
  *moved->mutable_original_start_time() =
      ToProtoTime(At("UTC", 2027, 1, 18, 10));
  *moved->mutable_start_time() = ToProtoTime(At("UTC", 2027, 1, 19, 15));
  *moved->mutable_end_time() = ToProtoTime(At("UTC", 2027, 1, 19, 17));
  auto facts =
      MeetingFacts::FromMeeting(meeting, kAllOf2027.start, amounts, names);
  ASSERT_TRUE(facts.ok()) << facts.status();
  std::vector<OccurrenceFacts> got = Occurrences(*facts, kAllOf2027);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].span.start, At("UTC", 2027, 1, 4, 10));
  EXPECT_EQ(got[1].span.start, At("UTC", 2027, 1, 19, 15));
  EXPECT_EQ(got[1].span.length(), absl::Hours(2));
}

TEST(MeetingFactsTest, AnswerForOneOccurrenceOverridesTheSeriesAnswer) {
  AmountTable amounts;
  NameTable names;
  sv1::Meeting meeting = Series(
      Meeting("weekly", At("UTC", 2027, 1, 4, 10), absl::Hours(1),
              {Employee("ada", "emea", 100), Employee("bo", "emea", 80)}),
      "FREQ=WEEKLY;COUNT=2");
  meeting.mutable_attendees(1)->set_response(sv1::DECLINED);
  sv1::OccurrenceException* e = meeting.add_occurrence_exceptions();
  *e->mutable_original_start_time() = ToProtoTime(At("UTC", 2027, 1, 11, 10));
  sv1::OccurrenceResponse* r = e->add_responses();
  r->set_attendee("participants/bo");
  r->set_response(sv1::ACCEPTED);
  r = e->add_responses();
  r->set_attendee("participants/ada");
  r->set_response(sv1::DECLINED);
  auto facts =
      MeetingFacts::FromMeeting(meeting, kAllOf2027.start, amounts, names);
  ASSERT_TRUE(facts.ok()) << facts.status();
  std::vector<OccurrenceFacts> got = Occurrences(*facts, kAllOf2027);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_TRUE(facts->Attends(got[0], 0));
  EXPECT_FALSE(facts->Attends(got[0], 1));
  EXPECT_FALSE(facts->Attends(got[1], 0));
  EXPECT_TRUE(facts->Attends(got[1], 1));
}

TEST(MeetingFactsTest, EndlessSeriesIsExpandedPastTheStoredHorizonOnDemand) {
  AmountTable amounts;
  NameTable names;
  sv1::Meeting meeting =
      Series(Meeting("forever", At("UTC", 2027, 1, 4, 10), absl::Hours(1),
                     {Employee("ada", "emea", 100)}),
             "FREQ=WEEKLY");
  auto facts =
      MeetingFacts::FromMeeting(meeting, kAllOf2027.start, amounts, names);
  ASSERT_TRUE(facts.ok()) << facts.status();
  // Five years on, far beyond the two years expanded ahead.
  const TimeSpan later{At("UTC", 2032, 1, 1, 0), At("UTC", 2032, 2, 1, 0)};
  std::vector<OccurrenceFacts> got = Occurrences(*facts, later);
  ASSERT_EQ(got.size(), 4u);  // Mondays 5, 12, 19 and 26 January 2032.
  EXPECT_EQ(got[0].span.start, At("UTC", 2032, 1, 5, 10));
  EXPECT_FALSE(facts->OutsideOf(later));
}

TEST(MeetingFactsTest, CustomersCostNothingAndEmployeeCostsAreInterned) {
  AmountTable amounts;
  NameTable names;
  sv1::Meeting meeting =
      Meeting("pitch", At("UTC", 2027, 1, 4, 10), absl::Hours(1),
              {Employee("ada", "emea", 100), Customer("carla"),
               Employee("bo", "emea", 100)});
  auto facts =
      MeetingFacts::FromMeeting(meeting, kAllOf2027.start, amounts, names);
  ASSERT_TRUE(facts.ok()) << facts.status();
  EXPECT_TRUE(facts->customer_facing());
  EXPECT_EQ(facts->attendees()[1].hourly_cost, -1);
  EXPECT_EQ(facts->attendees()[0].hourly_cost,
            facts->attendees()[2].hourly_cost);
  EXPECT_EQ(amounts.amounts().size(), 1u);
}

}  // namespace
}  // namespace salesmeet::analytics
