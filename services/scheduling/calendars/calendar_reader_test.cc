#include "services/scheduling/calendars/calendar_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "services/scheduling/calendars/calendar_source.h"
#include "services/scheduling/scheduling_test_fixture.h"

namespace salesmeet::scheduling {
namespace {

using Kind = v1::UnavailableInterval;

absl::Time Utc(int month, int day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilSecond(2026, month, day, hour, minute, 0),
                         absl::UTCTimeZone());
}

tv1::Interval Span(absl::Time start, absl::Time end) {
  tv1::Interval interval;
  *interval.mutable_start_time() = ToProtoTime(start);
  *interval.mutable_end_time() = ToProtoTime(end);
  return interval;
}

// A readable form of an interval for comparisons: "start/end" in UTC.
std::string Text(const tv1::Interval& interval) {
  return absl::StrCat(
      absl::FormatTime("%Y-%m-%dT%H:%M", ToAbslTime(interval.start_time()),
                       absl::UTCTimeZone()),
      "/",
      absl::FormatTime("%Y-%m-%dT%H:%M", ToAbslTime(interval.end_time()),
                       absl::UTCTimeZone()));
}

std::string Text(absl::Time start, absl::Time end) {
  return Text(Span(start, end));
}

class CalendarReaderTest : public SchedulingTest {
 protected:
  void SetUp() override {
    SchedulingTest::SetUp();
    source_ = std::make_unique<StoreCalendarSource>(*store_);
    calendars_ = std::make_unique<CalendarReader>(people_, *source_);
  }

  void TearDown() override {
    calendars_.reset();
    source_.reset();
    SchedulingTest::TearDown();
  }

  absl::StatusOr<v1::GetCalendarResponse> Calendar(const std::string& who,
                                                   absl::Time from,
                                                   absl::Time to) {
    v1::GetCalendarRequest request;
    request.set_participant("participants/" + who);
    *request.mutable_interval() = Span(from, to);
    return calendars_->GetCalendar(request, CallScope());
  }

  v1::GetCalendarResponse MustCalendar(const std::string& who, absl::Time from,
                                       absl::Time to) {
    absl::StatusOr<v1::GetCalendarResponse> calendar = Calendar(who, from, to);
    EXPECT_TRUE(calendar.ok()) << calendar.status();
    return calendar.ok() ? *calendar : v1::GetCalendarResponse();
  }

  absl::StatusOr<v1::QueryFreeBusyResponse> FreeBusy(
      const std::vector<std::string>& names, absl::Time from, absl::Time to,
      bool include_unavailable = false) {
    v1::QueryFreeBusyRequest request;
    for (const std::string& name : names) request.add_participants(name);
    *request.mutable_interval() = Span(from, to);
    request.set_include_unavailable(include_unavailable);
    return calendars_->QueryFreeBusy(request, CallScope());
  }

  // One participant's busy intervals as text.
  std::vector<std::string> Busy(const std::string& who, absl::Time from,
                                absl::Time to) {
    absl::StatusOr<v1::QueryFreeBusyResponse> answer =
        FreeBusy({"participants/" + who}, from, to);
    EXPECT_TRUE(answer.ok()) << answer.status();
    std::vector<std::string> busy;
    if (!answer.ok()) return busy;
    for (const tv1::Interval& i : answer->free_busy(0).busy()) {
      busy.push_back(Text(i));
    }
    return busy;
  }

  // One participant's unavailable intervals as "kind span reason".
  std::vector<std::string> Unavailable(const std::string& who, absl::Time from,
                                       absl::Time to) {
    absl::StatusOr<v1::QueryFreeBusyResponse> answer =
        FreeBusy({"participants/" + who}, from, to, true);
    EXPECT_TRUE(answer.ok()) << answer.status();
    std::vector<std::string> spans;
    if (!answer.ok()) return spans;
    for (const v1::UnavailableInterval& u :
         answer->free_busy(0).unavailable()) {
      spans.push_back(absl::StrCat(Kind::Kind_Name(u.kind()), " ",
                                   Text(u.interval()), " ", u.reason()));
    }
    return spans;
  }

  absl::StatusOr<v1::MoveOccurrenceResponse> Move(const v1::Meeting& m,
                                                  absl::Time original,
                                                  absl::Time start) {
    v1::MoveOccurrenceRequest request;
    request.set_name(m.name());
    *request.mutable_original_start_time() = ToProtoTime(original);
    *request.mutable_start_time() = ToProtoTime(start);
    *request.mutable_end_time() = ToProtoTime(start + absl::Hours(1));
    return booker_->MoveOccurrence(request, CallScope());
  }

  void CancelOccurrence(const v1::Meeting& m, absl::Time original) {
    v1::CancelOccurrenceRequest request;
    request.set_name(m.name());
    *request.mutable_original_start_time() = ToProtoTime(original);
    absl::StatusOr<v1::Meeting> done = lifecycle_->CancelOccurrence(request);
    ASSERT_TRUE(done.ok()) << done.status();
  }

  void Respond(const v1::Meeting& m, const std::string& who,
               v1::ResponseStatus answer,
               std::optional<absl::Time> occurrence = std::nullopt) {
    v1::RespondToMeetingRequest request;
    request.set_name(m.name());
    request.set_attendee("participants/" + who);
    request.set_response(answer);
    if (occurrence.has_value()) {
      *request.mutable_original_start_time() = ToProtoTime(*occurrence);
    }
    absl::StatusOr<v1::Meeting> done = lifecycle_->Respond(request);
    ASSERT_TRUE(done.ok()) << done.status();
  }

  std::unique_ptr<StoreCalendarSource> source_;
  std::unique_ptr<CalendarReader> calendars_;
};

// --- GetCalendar ----------------------------------------------------------

TEST_F(CalendarReaderTest, CalendarListsASingleMeetingWithItsDetails) {
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)), "roadmap");
  v1::GetCalendarResponse calendar =
      MustCalendar("bob", Rome(3, 10, 0), Rome(3, 11, 0));
  EXPECT_EQ(calendar.participant(), "participants/bob");
  EXPECT_EQ(calendar.time_zone(), "Europe/Rome");
  ASSERT_EQ(calendar.entries_size(), 1);
  const v1::CalendarEntry& e = calendar.entries(0);
  EXPECT_EQ(e.meeting(), "meetings/roadmap");
  EXPECT_EQ(e.title(), "Product update");
  EXPECT_EQ(e.purpose(), v1::PRODUCT_UPDATE);
  EXPECT_EQ(e.format(), v1::IN_PERSON);
  EXPECT_EQ(e.state(), v1::SCHEDULED);
  EXPECT_EQ(e.organizer(), "participants/ada");
  EXPECT_EQ(Text(ToAbslTime(e.start_time()), ToAbslTime(e.end_time())),
            Text(Rome(3, 10, 10), Rome(3, 10, 11)));
  EXPECT_EQ(ToAbslTime(e.original_start_time()), Rome(3, 10, 10));
  EXPECT_FALSE(e.recurring());
  EXPECT_FALSE(e.moved());
  EXPECT_FALSE(e.optional());
  EXPECT_EQ(e.response(), v1::NEEDS_ACTION);
  EXPECT_EQ(
      MustCalendar("ada", Rome(3, 10, 0), Rome(3, 11, 0)).entries(0).response(),
      v1::ACCEPTED);  // The organizer.
}

TEST_F(CalendarReaderTest, CalendarExpandsASeriesWithItsExceptionsApplied) {
  // Monday to Friday at 10:00; Tuesday cancelled, Wednesday moved to 15:00.
  v1::Meeting m = MustCreate(
      Recurring(Meeting(Rome(3, 9, 10)), "FREQ=DAILY;COUNT=5"), "daily");
  CancelOccurrence(m, Rome(3, 10, 10));
  ASSERT_TRUE(Move(m, Rome(3, 11, 10), Rome(3, 11, 15)).ok());

  v1::GetCalendarResponse calendar =
      MustCalendar("bob", Rome(3, 9, 0), Rome(3, 14, 0));
  std::vector<std::string> starts;
  auto text = [](absl::Time original, absl::Time start) {
    return Text(Span(original, start));
  };
  for (const v1::CalendarEntry& e : calendar.entries()) {
    EXPECT_TRUE(e.recurring());
    starts.push_back(
        text(ToAbslTime(e.original_start_time()), ToAbslTime(e.start_time())));
  }
  EXPECT_EQ(starts, (std::vector<std::string>{
                        text(Rome(3, 9, 10), Rome(3, 9, 10)),
                        text(Rome(3, 11, 10), Rome(3, 11, 15)),
                        text(Rome(3, 12, 10), Rome(3, 12, 10)),
                        text(Rome(3, 13, 10), Rome(3, 13, 10)),
                    }));
  EXPECT_FALSE(calendar.entries(0).moved());
  EXPECT_TRUE(calendar.entries(1).moved());
}

TEST_F(CalendarReaderTest, ResponseForOneOccurrenceOverridesTheMeetingAnswer) {
  v1::Meeting m = MustCreate(
      Recurring(Meeting(Rome(3, 9, 10)), "FREQ=DAILY;COUNT=3"), "daily");
  Respond(m, "bob", v1::ACCEPTED);
  Respond(m, "bob", v1::DECLINED, Rome(3, 10, 10));
  v1::GetCalendarResponse calendar =
      MustCalendar("bob", Rome(3, 9, 0), Rome(3, 12, 0));
  ASSERT_EQ(calendar.entries_size(), 3);
  EXPECT_EQ(calendar.entries(0).response(), v1::ACCEPTED);
  EXPECT_EQ(calendar.entries(1).response(), v1::DECLINED);
  EXPECT_EQ(calendar.entries(2).response(), v1::ACCEPTED);
}

TEST_F(CalendarReaderTest, OptionalAttendeeSeesTheEntryMarkedOptional) {
  v1::Meeting meeting = Meeting(Rome(3, 10, 10));
  AddAttendee(meeting, "dev", /*optional=*/true);
  MustCreate(meeting);
  EXPECT_TRUE(MustCalendar("dev", Rome(3, 10, 0), Rome(3, 11, 0))
                  .entries(0)
                  .optional());
  EXPECT_FALSE(MustCalendar("bob", Rome(3, 10, 0), Rome(3, 11, 0))
                   .entries(0)
                   .optional());
}

TEST_F(CalendarReaderTest, EntriesAreOrderedByStartThenMeetingName) {
  MustCreate(Meeting(Rome(3, 10, 14)), "c-later");
  MustCreate(Meeting(Rome(3, 10, 10)), "b-same", /*allow_conflicts=*/true);
  MustCreate(Meeting(Rome(3, 10, 10)), "a-same", /*allow_conflicts=*/true);
  const v1::GetCalendarResponse calendar =
      MustCalendar("ada", Rome(3, 10, 0), Rome(3, 11, 0));
  std::vector<std::string> order;
  for (const v1::CalendarEntry& e : calendar.entries()) {
    order.push_back(e.meeting());
  }
  EXPECT_EQ(order,
            (std::vector<std::string>{"meetings/a-same", "meetings/b-same",
                                      "meetings/c-later"}));
}

TEST_F(CalendarReaderTest, CalendarReturnsOccurrencesOverlappingTheInterval) {
  MustCreate(Meeting(Rome(3, 10, 10)));
  EXPECT_EQ(
      MustCalendar("ada", Rome(3, 10, 10, 30), Rome(3, 10, 12)).entries_size(),
      1);
  EXPECT_EQ(
      MustCalendar("ada", Rome(3, 10, 11), Rome(3, 10, 12)).entries_size(),
      0);  // Half-open: ending at 11:00 does not overlap 11:00.
}

TEST_F(CalendarReaderTest, CancelledMeetingIsNeitherOnTheCalendarNorBusy) {
  v1::Meeting m = MustCreate(Meeting(Rome(3, 10, 10)));
  v1::CancelMeetingRequest cancel;
  cancel.set_name(m.name());
  ASSERT_TRUE(lifecycle_->Cancel(cancel).ok());
  EXPECT_EQ(MustCalendar("ada", Rome(3, 10, 0), Rome(3, 11, 0)).entries_size(),
            0);
  EXPECT_TRUE(Busy("ada", Rome(3, 10, 0), Rome(3, 11, 0)).empty());
}

TEST_F(CalendarReaderTest, CalendarLongerThan366DaysIsInvalidNamingInterval) {
  EXPECT_TRUE(Calendar("ada", now_, now_ + absl::Hours(24 * 366)).ok());
  absl::StatusOr<v1::GetCalendarResponse> calendar =
      Calendar("ada", now_, now_ + absl::Hours(24 * 366) + absl::Seconds(1));
  EXPECT_EQ(calendar.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FirstBadField(calendar.status()), "interval");
}

TEST_F(CalendarReaderTest, CalendarWithoutIntervalOrBackwardsIsInvalid) {
  v1::GetCalendarRequest request;
  request.set_participant("participants/ada");
  EXPECT_EQ(
      FirstBadField(calendars_->GetCalendar(request, CallScope()).status()),
      "interval");
  EXPECT_EQ(FirstBadField(Calendar("ada", now_, now_).status()),
            "interval.end_time");
}

TEST_F(CalendarReaderTest, CalendarOfUnknownParticipantIsNotFound) {
  absl::StatusOr<v1::GetCalendarResponse> calendar =
      Calendar("ghost", Rome(3, 10, 0), Rome(3, 11, 0));
  EXPECT_EQ(calendar.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ErrorReason(calendar.status()), "NOT_FOUND");
}

TEST_F(CalendarReaderTest, CalendarOfMalformedNameIsInvalidNamingParticipant) {
  v1::GetCalendarRequest request;
  request.set_participant("ada");
  *request.mutable_interval() = Span(Rome(3, 10, 0), Rome(3, 11, 0));
  EXPECT_EQ(
      FirstBadField(calendars_->GetCalendar(request, CallScope()).status()),
      "participant");
}

// --- QueryFreeBusy --------------------------------------------------------

TEST_F(CalendarReaderTest, FreeBusyMergesOverlappingAndTouchingMeetings) {
  MustCreate(Meeting(Rome(3, 10, 10)));
  MustCreate(Meeting(Rome(3, 10, 10, 30)), "", /*allow_conflicts=*/true);
  MustCreate(Meeting(Rome(3, 10, 11, 30), absl::Minutes(30)), "", true);
  MustCreate(Meeting(Rome(3, 10, 14)));
  EXPECT_EQ(Busy("ada", Rome(3, 10, 0), Rome(3, 11, 0)),
            (std::vector<std::string>{Text(Rome(3, 10, 10), Rome(3, 10, 12)),
                                      Text(Rome(3, 10, 14), Rome(3, 10, 15))}));
}

TEST_F(CalendarReaderTest, FreeBusyClipsToTheInterval) {
  MustCreate(Meeting(Rome(3, 10, 10)));
  MustCreate(Meeting(Rome(3, 10, 13)));
  EXPECT_EQ(
      Busy("ada", Rome(3, 10, 10, 30), Rome(3, 10, 13, 15)),
      (std::vector<std::string>{Text(Rome(3, 10, 10, 30), Rome(3, 10, 11)),
                                Text(Rome(3, 10, 13), Rome(3, 10, 13, 15))}));
}

TEST_F(CalendarReaderTest, FreeBusyCountsOptionalAndDecliningAttendees) {
  v1::Meeting meeting = Meeting(Rome(3, 10, 10));
  AddAttendee(meeting, "dev", /*optional=*/true);
  v1::Meeting m = MustCreate(meeting);
  Respond(m, "bob", v1::DECLINED);
  const std::vector<std::string> hour = {
      Text(Rome(3, 10, 10), Rome(3, 10, 11))};
  EXPECT_EQ(Busy("dev", Rome(3, 10, 0), Rome(3, 11, 0)), hour);
  EXPECT_EQ(Busy("bob", Rome(3, 10, 0), Rome(3, 11, 0)), hour);
}

TEST_F(CalendarReaderTest, FreeBusyOmitsCancelledOccurrencesOfASeries) {
  v1::Meeting m = MustCreate(
      Recurring(Meeting(Rome(3, 9, 10)), "FREQ=DAILY;COUNT=2"), "daily");
  CancelOccurrence(m, Rome(3, 9, 10));
  EXPECT_EQ(Busy("ada", Rome(3, 9, 0), Rome(3, 11, 0)),
            (std::vector<std::string>{Text(Rome(3, 10, 10), Rome(3, 10, 11))}));
}

TEST_F(CalendarReaderTest, UnknownParticipantGetsItsOwnErrorInRequestOrder) {
  MustCreate(Meeting(Rome(3, 10, 10)));
  absl::StatusOr<v1::QueryFreeBusyResponse> answer =
      FreeBusy({"participants/ada", "participants/ghost", "participants/bob",
                "participants/ghost", "participants/ada"},
               Rome(3, 10, 0), Rome(3, 11, 0));
  ASSERT_TRUE(answer.ok()) << answer.status();
  ASSERT_EQ(answer->free_busy_size(), 5);
  std::vector<std::string> order;
  for (const v1::ParticipantFreeBusy& fb : answer->free_busy()) {
    order.push_back(fb.participant());
  }
  EXPECT_EQ(order[1], "participants/ghost");
  EXPECT_EQ(order[2], "participants/bob");
  for (int i : {1, 3}) {
    const v1::ParticipantFreeBusy& ghost = answer->free_busy(i);
    EXPECT_EQ(ghost.error().code(),
              static_cast<int>(absl::StatusCode::kNotFound));
    EXPECT_TRUE(ghost.busy().empty());
    EXPECT_TRUE(ghost.time_zone().empty());
  }
  for (int i : {0, 2, 4}) {
    const v1::ParticipantFreeBusy& known = answer->free_busy(i);
    EXPECT_EQ(known.error().code(), 0);
    EXPECT_EQ(known.time_zone(), "Europe/Rome");
    EXPECT_EQ(known.busy_size(), 1);
  }
}

TEST_F(CalendarReaderTest, FreeBusyIsUnavailableWhenParticipantServiceIsDown) {
  people_.SetUnavailable(true);
  EXPECT_EQ(FreeBusy({"participants/ada"}, Rome(3, 10, 0), Rome(3, 11, 0))
                .status()
                .code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(CalendarReaderTest, FreeBusyTakesAtMost500Participants) {
  std::vector<std::string> names(500, "participants/ada");
  EXPECT_TRUE(FreeBusy(names, Rome(3, 10, 0), Rome(3, 11, 0)).ok());
  names.push_back("participants/bob");
  absl::Status status =
      FreeBusy(names, Rome(3, 10, 0), Rome(3, 11, 0)).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FirstBadField(status), "participants");
  EXPECT_EQ(
      FirstBadField(FreeBusy({}, Rome(3, 10, 0), Rome(3, 11, 0)).status()),
      "participants");
}

TEST_F(CalendarReaderTest, FreeBusyNamesAMalformedParticipantByIndex) {
  absl::Status status =
      FreeBusy({"participants/ada", "bob"}, Rome(3, 10, 0), Rome(3, 11, 0))
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FirstBadField(status), "participants[1]");
}

TEST_F(CalendarReaderTest, FreeBusyLongerThan366DaysIsInvalidNamingInterval) {
  absl::Status status =
      FreeBusy({"participants/ada"}, now_, now_ + absl::Hours(24 * 367))
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FirstBadField(status), "interval");
}

TEST_F(CalendarReaderTest, UnavailableIsOnlyReturnedWhenAskedFor) {
  absl::StatusOr<v1::QueryFreeBusyResponse> answer =
      FreeBusy({"participants/ada"}, Rome(3, 10, 0), Rome(3, 11, 0));
  ASSERT_TRUE(answer.ok());
  EXPECT_TRUE(answer->free_busy(0).unavailable().empty());
}

TEST_F(CalendarReaderTest, OffHoursFollowTheLocalClockAcrossDaylightSaving) {
  // Rome moves to summer time on Sunday 29 March 2026: 08:00-18:00 is
  // 07:00-17:00 UTC on Friday and 06:00-16:00 UTC on Monday.
  EXPECT_EQ(
      Unavailable("ada", Rome(3, 27, 0), Rome(3, 31, 0)),
      (std::vector<std::string>{
          "OUTSIDE_WORKING_HOURS " + Text(Utc(3, 26, 23), Utc(3, 27, 7)) + " ",
          "OUTSIDE_WORKING_HOURS " + Text(Utc(3, 27, 17), Utc(3, 30, 6)) + " ",
          "OUTSIDE_WORKING_HOURS " + Text(Utc(3, 30, 16), Utc(3, 30, 22)) + " ",
      }));
}

TEST_F(CalendarReaderTest, TimeOffWinsOverOffHoursAndCarriesItsReason) {
  pv1::Participant ada = Employee("ada", tv1::SALES_REP, "teams/emea", 60);
  tv1::TimeOff* off = ada.add_time_off();
  *off->mutable_interval() = Span(Rome(3, 11, 12), Rome(3, 13, 12));
  off->set_reason("Annual leave");
  people_.Put(ada);
  MustCreate(Meeting(Rome(3, 11, 9)));  // Busy may overlap unavailability.

  absl::StatusOr<v1::QueryFreeBusyResponse> answer =
      FreeBusy({"participants/ada"}, Rome(3, 11, 0), Rome(3, 12, 0), true);
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->free_busy(0).busy_size(), 1);
  EXPECT_EQ(
      Unavailable("ada", Rome(3, 11, 0), Rome(3, 12, 0)),
      (std::vector<std::string>{
          "OUTSIDE_WORKING_HOURS " + Text(Rome(3, 11, 0), Rome(3, 11, 8)) + " ",
          "OUT_OF_OFFICE " + Text(Rome(3, 11, 12), Rome(3, 12, 0)) +
              " Annual leave",
      }));
}

}  // namespace
}  // namespace salesmeet::scheduling
