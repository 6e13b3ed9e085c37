#include "services/scheduling/calendars/slot_search.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/scheduling/calendars/calendar_source.h"
#include "services/scheduling/scheduling_test_fixture.h"

namespace salesmeet::scheduling {
namespace {

class SlotSearchTest : public SchedulingTest {
 protected:
  v1::FindMeetingSlotsRequest Request(absl::Time from, absl::Time to) {
    v1::FindMeetingSlotsRequest request;
    request.add_required_attendees("participants/ada");
    request.add_required_attendees("participants/bob");
    request.add_optional_attendees("participants/dev");
    request.mutable_duration()->set_seconds(3600);
    *request.mutable_window()->mutable_start_time() = ToProtoTime(from);
    *request.mutable_window()->mutable_end_time() = ToProtoTime(to);
    request.mutable_granularity()->set_seconds(30 * 60);
    request.set_max_results(50);
    return request;
  }

  absl::StatusOr<v1::FindMeetingSlotsResponse> Find(
      const v1::FindMeetingSlotsRequest& request) {
    StoreCalendarSource calendars(*store_);
    SlotSearcher searcher(*store_, people_, calendars, context_->clock);
    return searcher.Find(request, CallScope());
  }
};

TEST_F(SlotSearchTest, OffersOnlyTimesWhenEveryRequiredAttendeeIsFree) {
  // ada and bob meet 10:00-11:00 on Tuesday 10 March; the day runs 8-18.
  MustCreate(Meeting(Rome(3, 10, 10)));
  absl::StatusOr<v1::FindMeetingSlotsResponse> found =
      Find(Request(Rome(3, 10, 8), Rome(3, 10, 18)));
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_FALSE(found->slots().empty());
  for (const v1::MeetingSlot& slot : found->slots()) {
    TimeSpan span{ToAbslTime(slot.interval().start_time()),
                  ToAbslTime(slot.interval().end_time())};
    EXPECT_FALSE(span.Overlaps({Rome(3, 10, 10), Rome(3, 10, 11)}))
        << absl::FormatTime(span.start);
    EXPECT_EQ(span.length(), absl::Hours(1));
  }
  EXPECT_EQ(found->time_zone(), "Europe/Rome");
}

TEST_F(SlotSearchTest, EachSlotCarriesTheCostOfEveryAttendee) {
  absl::StatusOr<v1::FindMeetingSlotsResponse> found =
      Find(Request(Rome(3, 10, 8), Rome(3, 10, 18)));
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_FALSE(found->slots().empty());
  // ada 60 + bob 90 + dev 70 EUR an hour.
  EXPECT_EQ(found->slots(0).cost().currency_code(), "EUR");
  EXPECT_EQ(found->slots(0).cost().units(), 220);
}

TEST_F(SlotSearchTest, UnknownAttendeesAreEachNamed) {
  v1::FindMeetingSlotsRequest request =
      Request(Rome(3, 10, 8), Rome(3, 10, 18));
  request.add_required_attendees("participants/ghost");
  request.add_optional_attendees("participants/phantom");
  absl::Status status = Find(request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(GetBadRequest(status, &bad));
  std::vector<std::string> fields;
  for (const auto& v : bad.field_violations()) fields.push_back(v.field());
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre("required_attendees[2]",
                                                      "optional_attendees[1]"));
}

TEST_F(SlotSearchTest, AParticipantServiceOutageIsUnavailable) {
  people_.SetUnavailable(true);
  absl::Status status = Find(Request(Rome(3, 10, 8), Rome(3, 10, 18))).status();
  people_.SetUnavailable(false);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace salesmeet::scheduling
