// MeetingReader: getting a meeting, listing with filters, time ranges and
// pages, and listing a series' occurrences with their exceptions.

#include "services/scheduling/booking/meeting_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "services/scheduling/scheduling_test_fixture.h"

namespace salesmeet::scheduling {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class ReaderTest : public SchedulingTest {
 protected:
  // The ids of the meetings one List call returns, in order.
  std::vector<std::string> Listed(const std::string& filter,
                                  std::optional<TimeSpan> interval = {}) {
    v1::ListMeetingsRequest request;
    request.set_filter(filter);
    if (interval.has_value()) {
      *request.mutable_interval()->mutable_start_time() =
          ToProtoTime(interval->start);
      *request.mutable_interval()->mutable_end_time() =
          ToProtoTime(interval->end);
    }
    absl::StatusOr<v1::ListMeetingsResponse> listed = reader_->List(request);
    EXPECT_TRUE(listed.ok()) << listed.status();
    std::vector<std::string> ids;
    if (!listed.ok()) return ids;
    EXPECT_TRUE(listed->next_page_token().empty());
    for (const v1::Meeting& m : listed->meetings()) {
      ids.push_back(IdFromName(m.name()));
    }
    return ids;
  }

  absl::StatusOr<v1::ListOccurrencesResponse> Occurrences(
      const v1::Meeting& m, bool show_cancelled = false, int page_size = 0,
      const std::string& page_token = "") {
    v1::ListOccurrencesRequest request;
    request.set_name(m.name());
    request.set_show_cancelled(show_cancelled);
    request.set_page_size(page_size);
    request.set_page_token(page_token);
    return reader_->ListOccurrences(request);
  }

  // Three meetings: a pitch to cleo on video (ada, eve), an internal
  // presentation (bob, dev) and a one-to-one (bob, ada), on three days.
  void BookThree() {
    v1::Meeting pitch =
        Meeting(Rome(3, 10, 16), absl::Hours(1), {"ada", "eve", "cleo"});
    pitch.set_purpose(v1::PROSPECT_PITCH);
    pitch.set_format(v1::VIDEO_CONFERENCE);
    pitch.mutable_video_conference()->set_provider(v1::ZOOM);
    pitch.mutable_video_conference()->set_join_uri("https://zoom.us/j/9");
    MustCreate(pitch, "pitch");
    v1::Meeting update =
        Meeting(Rome(3, 11, 10), absl::Hours(1), {"bob", "dev"});
    update.set_format(v1::PRESENTATION);
    MustCreate(update, "update");
    v1::Meeting one = Meeting(Rome(3, 12, 10), absl::Hours(1), {"bob", "ada"});
    one.set_purpose(v1::GOAL_SETTING);
    one.set_format(v1::ONE_ON_ONE);
    MustCreate(one, "one-to-one");
  }
};

TEST_F(ReaderTest, GetReturnsTheStoredMeeting) {
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)), "kickoff");
  EXPECT_EQ(MustGet("meetings/kickoff").SerializeAsString(),
            m.SerializeAsString());
}

TEST_F(ReaderTest, GetOfAnUnknownMeetingIsNotFound) {
  v1::GetMeetingRequest request;
  request.set_name("meetings/nothing");
  EXPECT_EQ(reader_->Get(request).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ReaderTest, GetOfAMalformedNameIsInvalid) {
  v1::GetMeetingRequest request;
  request.set_name("teams/emea");
  absl::Status refused = reader_->Get(request).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FirstBadField(refused), "name");
}

TEST_F(ReaderTest, ListsEverythingInStartOrder) {
  BookThree();
  EXPECT_THAT(Listed(""), ElementsAre("pitch", "update", "one-to-one"));
}

TEST_F(ReaderTest, FiltersByParticipantRequiredOrOptional) {
  BookThree();
  v1::Meeting m = Meeting(Rome(3, 13, 10), absl::Hours(1), {"bob"});
  AddAttendee(m, "eve", /*optional=*/true);
  MustCreate(m, "optional-eve");
  EXPECT_THAT(Listed("participant = \"participants/eve\""),
              ElementsAre("pitch", "optional-eve"));
}

TEST_F(ReaderTest, FiltersByOrganizer) {
  BookThree();
  EXPECT_THAT(Listed("organizer = \"participants/bob\""),
              ElementsAre("update", "one-to-one"));
}

TEST_F(ReaderTest, FiltersByState) {
  BookThree();
  v1::CancelMeetingRequest cancel;
  cancel.set_name("meetings/update");
  ASSERT_TRUE(lifecycle_->Cancel(cancel).ok());
  EXPECT_THAT(Listed("state = CANCELLED"), ElementsAre("update"));
  EXPECT_THAT(Listed("state = SCHEDULED"), ElementsAre("pitch", "one-to-one"));
}

TEST_F(ReaderTest, FiltersByPurposeFormatAndAudience) {
  BookThree();
  EXPECT_THAT(Listed("purpose = PROSPECT_PITCH"), ElementsAre("pitch"));
  EXPECT_THAT(Listed("format = ONE_ON_ONE"), ElementsAre("one-to-one"));
  EXPECT_THAT(Listed("audience = CUSTOMER_FACING"), ElementsAre("pitch"));
  EXPECT_THAT(Listed("audience = INTERNAL AND organizer = "
                     "\"participants/bob\" AND format = PRESENTATION"),
              ElementsAre("update"));
}

TEST_F(ReaderTest, ABadFilterIsInvalid) {
  v1::ListMeetingsRequest request;
  for (const char* filter :
       {"colour = RED", "state = SLEEPING", "participant = \"ada\"",
        "purpose = MEETING_PURPOSE_UNSPECIFIED", "state ="}) {
    request.set_filter(filter);
    absl::Status refused = reader_->List(request).status();
    EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument) << filter;
    EXPECT_EQ(FirstBadField(refused), "filter") << filter;
  }
}

TEST_F(ReaderTest, AnIntervalListsMeetingsWithAnOccurrenceInIt) {
  BookThree();
  // Touching the pitch's end and the one-to-one's start: neither overlaps.
  EXPECT_THAT(Listed("", TimeSpan{Rome(3, 10, 17), Rome(3, 12, 10)}),
              ElementsAre("update"));
  EXPECT_THAT(Listed("", TimeSpan{Rome(3, 10, 16, 59), Rome(3, 12, 10, 1)}),
              ElementsAre("pitch", "update", "one-to-one"));
}

TEST_F(ReaderTest, AnIntervalFindsASeriesByALaterOccurrence) {
  MustCreate(Recurring(Meeting(Rome(3, 10, 10)), "FREQ=WEEKLY"), "weekly");
  MustCreate(Meeting(Rome(5, 6, 10)), "single");
  EXPECT_THAT(Listed("", TimeSpan{Rome(5, 5, 0), Rome(5, 6, 0)}),
              ElementsAre("weekly"));
  EXPECT_THAT(Listed("", TimeSpan{Rome(5, 6, 0), Rome(5, 7, 0)}),
              ElementsAre("single"));
}

TEST_F(ReaderTest, ASeriesWhoseOnlyOccurrenceInRangeIsCancelledIsNotListed) {
  v1::Meeting series =
      MustCreate(Recurring(Meeting(Rome(3, 10, 10)), "FREQ=WEEKLY"), "weekly");
  v1::CancelOccurrenceRequest cancel;
  cancel.set_name(series.name());
  *cancel.mutable_original_start_time() = ToProtoTime(Rome(3, 17, 10));
  ASSERT_TRUE(lifecycle_->CancelOccurrence(cancel).ok());
  EXPECT_THAT(Listed("", TimeSpan{Rome(3, 16, 0), Rome(3, 18, 0)}), IsEmpty());
}

TEST_F(ReaderTest, AnIntervalFindsAnOccurrenceMovedIntoIt) {
  v1::Meeting series = MustCreate(
      Recurring(Meeting(Rome(3, 10, 10)), "FREQ=WEEKLY;COUNT=2"), "weekly");
  v1::MoveOccurrenceRequest move;
  move.set_name(series.name());
  *move.mutable_original_start_time() = ToProtoTime(Rome(3, 17, 10));
  *move.mutable_start_time() = ToProtoTime(Rome(4, 2, 10));
  *move.mutable_end_time() = ToProtoTime(Rome(4, 2, 11));
  ASSERT_TRUE(booker_->MoveOccurrence(move, CallScope()).ok());
  EXPECT_THAT(Listed("", TimeSpan{Rome(4, 2, 0), Rome(4, 3, 0)}),
              ElementsAre("weekly"));
  EXPECT_THAT(Listed("", TimeSpan{Rome(3, 17, 0), Rome(3, 18, 0)}), IsEmpty());
}

TEST_F(ReaderTest, AnIntervalLongerThanAYearIsInvalid) {
  v1::ListMeetingsRequest request;
  *request.mutable_interval()->mutable_start_time() = ToProtoTime(now_);
  *request.mutable_interval()->mutable_end_time() =
      ToProtoTime(now_ + absl::Hours(24 * 367));
  EXPECT_EQ(FirstBadField(reader_->List(request).status()), "interval");
}

TEST_F(ReaderTest, PagesFollowEachOtherInStartOrder) {
  // Booked out of order; two share a start (ordered by id then).
  for (const auto& [id, day] : std::vector<std::pair<std::string, int>>{
           {"e", 14}, {"b", 11}, {"d", 13}, {"a", 10}, {"c", 13}}) {
    MustCreate(
        Meeting(Rome(3, day, 10), absl::Hours(1), {id == "c" ? "dev" : "ada"}),
        id);
  }
  v1::ListMeetingsRequest request;
  request.set_page_size(2);
  std::vector<std::string> ids;
  int pages = 0;
  do {
    absl::StatusOr<v1::ListMeetingsResponse> page = reader_->List(request);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const v1::Meeting& m : page->meetings()) {
      ids.push_back(IdFromName(m.name()));
    }
    request.set_page_token(page->next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 10);
  EXPECT_THAT(ids, ElementsAre("a", "b", "c", "d", "e"));
  EXPECT_EQ(pages, 3);
}

TEST_F(ReaderTest, APageTokenOfAnotherFilterIsInvalid) {
  BookThree();
  v1::ListMeetingsRequest request;
  request.set_page_size(1);
  absl::StatusOr<v1::ListMeetingsResponse> first = reader_->List(request);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_FALSE(first->next_page_token().empty());
  request.set_page_token(first->next_page_token());
  request.set_filter("state = SCHEDULED");
  absl::Status refused = reader_->List(request).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FirstBadField(refused), "page_token");
  request.set_filter("");
  request.set_page_token("garbage");
  EXPECT_EQ(FirstBadField(reader_->List(request).status()), "page_token");
}

TEST_F(ReaderTest, ASingleMeetingHasOneOccurrence) {
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)));
  absl::StatusOr<v1::ListOccurrencesResponse> listed = Occurrences(m);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->occurrences_size(), 1);
  EXPECT_EQ(ToAbslTime(listed->occurrences(0).start_time()), Rome(3, 10, 10));
  EXPECT_EQ(ToAbslTime(listed->occurrences(0).end_time()), Rome(3, 10, 11));
  EXPECT_FALSE(listed->occurrences(0).exception());
}

TEST_F(ReaderTest, OccurrencesShowMovesAndCancellationsInStartOrder) {
  v1::Meeting series = MustCreate(
      Recurring(Meeting(Rome(3, 10, 10)), "FREQ=WEEKLY;COUNT=4"), "weekly");
  v1::MoveOccurrenceRequest move;
  move.set_name(series.name());
  *move.mutable_original_start_time() = ToProtoTime(Rome(3, 17, 10));
  *move.mutable_start_time() = ToProtoTime(Rome(4, 1, 15));
  *move.mutable_end_time() = ToProtoTime(Rome(4, 1, 16));
  ASSERT_TRUE(booker_->MoveOccurrence(move, CallScope()).ok());
  v1::CancelOccurrenceRequest cancel;
  cancel.set_name(series.name());
  *cancel.mutable_original_start_time() = ToProtoTime(Rome(3, 24, 10));
  ASSERT_TRUE(lifecycle_->CancelOccurrence(cancel).ok());

  absl::StatusOr<v1::ListOccurrencesResponse> shown = Occurrences(series);
  ASSERT_TRUE(shown.ok()) << shown.status();
  std::vector<absl::Time> starts;
  for (const v1::Occurrence& o : shown->occurrences()) {
    starts.push_back(ToAbslTime(o.start_time()));
  }
  EXPECT_THAT(starts,
              ElementsAre(Rome(3, 10, 10), Rome(3, 31, 10), Rome(4, 1, 15)));
  EXPECT_TRUE(shown->occurrences(2).moved());
  EXPECT_EQ(ToAbslTime(shown->occurrences(2).original_start_time()),
            Rome(3, 17, 10));

  absl::StatusOr<v1::ListOccurrencesResponse> all = Occurrences(series, true);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->occurrences_size(), 4);
  EXPECT_TRUE(all->occurrences(1).cancelled());
  EXPECT_EQ(ToAbslTime(all->occurrences(1).start_time()), Rome(3, 24, 10));
}

TEST_F(ReaderTest, AFirstOccurrenceMovedEarlierIsStillListed) {
  v1::Meeting series = MustCreate(
      Recurring(Meeting(Rome(3, 10, 10)), "FREQ=WEEKLY;COUNT=2"), "weekly");
  v1::MoveOccurrenceRequest move;
  move.set_name(series.name());
  *move.mutable_original_start_time() = ToProtoTime(Rome(3, 10, 10));
  *move.mutable_start_time() = ToProtoTime(Rome(3, 9, 10));
  *move.mutable_end_time() = ToProtoTime(Rome(3, 9, 11));
  ASSERT_TRUE(booker_->MoveOccurrence(move, CallScope()).ok());
  absl::StatusOr<v1::ListOccurrencesResponse> listed = Occurrences(series);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->occurrences_size(), 2);
  EXPECT_EQ(ToAbslTime(listed->occurrences(0).start_time()), Rome(3, 9, 10));
}

TEST_F(ReaderTest, OccurrencesPageThroughAnEndlessSeries) {
  v1::Meeting series =
      MustCreate(Recurring(Meeting(Rome(3, 10, 10)), "FREQ=WEEKLY"), "weekly");
  std::vector<absl::Time> starts;
  std::string token;
  int pages = 0;
  do {
    absl::StatusOr<v1::ListOccurrencesResponse> page =
        Occurrences(series, false, 20, token);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const v1::Occurrence& o : page->occurrences()) {
      starts.push_back(ToAbslTime(o.start_time()));
    }
    token = page->next_page_token();
    ++pages;
  } while (!token.empty() && pages < 10);
  ASSERT_EQ(starts.size(), 53u);  // The 366 days from its start.
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(starts[20], Rome(7, 28, 10));
  EXPECT_TRUE(std::is_sorted(starts.begin(), starts.end()));
}

TEST_F(ReaderTest, AnOccurrencesPageTokenOfAnotherViewIsInvalid) {
  v1::Meeting series =
      MustCreate(Recurring(Meeting(Rome(3, 10, 10)), "FREQ=WEEKLY"), "weekly");
  absl::StatusOr<v1::ListOccurrencesResponse> page =
      Occurrences(series, false, 5);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(FirstBadField(
                Occurrences(series, true, 5, page->next_page_token()).status()),
            "page_token");
}

}  // namespace
}  // namespace salesmeet::scheduling
