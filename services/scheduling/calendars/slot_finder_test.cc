#include "services/scheduling/calendars/slot_finder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/errors.h"
#include "common/field_checks.h"

namespace salesmeet::scheduling {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

absl::TimeZone Zone(const char* name) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(name, &zone)) << name;
  return zone;
}

absl::Time At(const char* zone, int y, int m, int d, int h, int mi = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, h, mi, 0), Zone(zone));
}

std::string Utc(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M", t, absl::UTCTimeZone());
}

std::string StartOf(const v1::MeetingSlot& slot) {
  return Utc(ToAbslTime(slot.interval().start_time()));
}

std::vector<std::string> Starts(const v1::FindMeetingSlotsResponse& r) {
  std::vector<std::string> out;
  for (const v1::MeetingSlot& slot : r.slots()) out.push_back(StartOf(slot));
  return out;
}

google::type::TimeOfDay Clock(int h, int m = 0) {
  google::type::TimeOfDay t;
  t.set_hours(h);
  t.set_minutes(m);
  return t;
}

// An employee working the given hours every weekday (all week if
// `weekends`).
pv1::Participant Person(const std::string& zone, int from_hour, int to_hour,
                        bool weekends = false) {
  pv1::Participant p;
  p.set_time_zone(zone);
  p.set_kind(salesmeet::type::v1::EMPLOYEE);
  for (int day = google::type::MONDAY; day <= google::type::SUNDAY; ++day) {
    if (!weekends && day >= google::type::SATURDAY) continue;
    auto* period = p.add_working_hours();
    period->set_day(static_cast<google::type::DayOfWeek>(day));
    *period->mutable_start_time() = Clock(from_hour);
    *period->mutable_end_time() = Clock(to_hour);
  }
  return p;
}

SlotAttendee Attendee(const std::string& id, pv1::Participant p,
                      bool required = true) {
  SlotAttendee a;
  a.name = "participants/" + id;
  a.participant = std::move(p);
  a.required = required;
  return a;
}

// One hour-long meeting with `attendee`, searched for on Tuesday
// 2025-01-14 in New York, hourly; nobody has anything booked.
SlotQuery NewYorkDay(SlotAttendee attendee) {
  SlotQuery q;
  q.organizer_time_zone = "America/New_York";
  q.search.window = {At("America/New_York", 2025, 1, 14, 0),
                     At("America/New_York", 2025, 1, 15, 0)};
  q.search.duration = absl::Hours(1);
  q.search.granularity = absl::Hours(1);
  q.search.now = At("America/New_York", 2025, 1, 1, 0);
  q.search.max_results = 100;
  q.attendees.push_back(std::move(attendee));
  return q;
}

v1::FindMeetingSlotsResponse Find(const SlotQuery& q) {
  absl::StatusOr<v1::FindMeetingSlotsResponse> r = FindSlots(q);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : v1::FindMeetingSlotsResponse();
}

TEST(SlotFinderTest, OffersEveryHourInsideWorkingHours) {
  const auto r =
      Find(NewYorkDay(Attendee("ada", Person("America/New_York", 9, 17))));
  EXPECT_THAT(Starts(r), ElementsAre("2025-01-14 14:00", "2025-01-14 15:00",
                                     "2025-01-14 16:00", "2025-01-14 17:00",
                                     "2025-01-14 18:00", "2025-01-14 19:00",
                                     "2025-01-14 20:00", "2025-01-14 21:00"));
  EXPECT_EQ(r.diagnosis().candidate_count(), 24);
  EXPECT_EQ(r.diagnosis().qualifying_count(), 8);
  EXPECT_EQ(r.time_zone(), "America/New_York");
}

// The count of `obstacle` for `participant` in the diagnosis, 0 if absent.
int CountOf(const v1::FindMeetingSlotsResponse& r,
            const std::string& participant, v1::SlotObstacle obstacle) {
  for (const v1::ObstacleCount& c : r.diagnosis().obstacles()) {
    if (c.participant() == participant && c.obstacle() == obstacle) {
      return c.candidate_count();
    }
  }
  return 0;
}

TEST(SlotFinderTest, ACandidateOnTimeOffAndOutsideHoursCountsForBoth) {
  // A whole day off: the 8 working-hour candidates are time off only; the
  // 16 others are time off and outside working hours, and count for both.
  pv1::Participant ada = Person("America/New_York", 9, 17);
  auto* off = ada.add_time_off();
  *off->mutable_interval()->mutable_start_time() =
      ToProtoTime(At("America/New_York", 2025, 1, 14, 0));
  *off->mutable_interval()->mutable_end_time() =
      ToProtoTime(At("America/New_York", 2025, 1, 15, 0));
  const auto r = Find(NewYorkDay(Attendee("ada", ada)));
  EXPECT_EQ(r.diagnosis().qualifying_count(), 0);
  EXPECT_EQ(CountOf(r, "participants/ada", v1::ATTENDEE_TIME_OFF), 24);
  EXPECT_EQ(CountOf(r, "participants/ada", v1::ATTENDEE_OUTSIDE_WORKING_HOURS),
            16);
}

TEST(SlotFinderTest, SpringForwardDayHasTwentyThreeLocalHourCandidates) {
  SlotQuery q = NewYorkDay(Attendee("ada", Person("UTC", 0, 24, true)));
  q.organizer_time_zone = "Europe/Berlin";
  q.search.window = {At("Europe/Berlin", 2025, 3, 30, 0),
                     At("Europe/Berlin", 2025, 3, 31, 0)};
  const auto r = Find(q);
  EXPECT_EQ(r.diagnosis().candidate_count(), 23);
  for (const v1::MeetingSlot& slot : r.slots()) {
    const absl::CivilSecond local = absl::ToCivilSecond(
        ToAbslTime(slot.interval().start_time()), Zone("Europe/Berlin"));
    EXPECT_EQ(local.minute(), 0) << StartOf(slot);
    EXPECT_NE(local.hour(), 2) << "02:00 does not exist that day";
  }
}

TEST(SlotFinderTest, FallBackDayOffersTheRepeatedHourTwice) {
  SlotQuery q = NewYorkDay(Attendee("ada", Person("UTC", 0, 24, true)));
  q.organizer_time_zone = "Europe/Berlin";
  q.search.window = {At("Europe/Berlin", 2025, 10, 26, 0),
                     At("Europe/Berlin", 2025, 10, 27, 0)};
  const auto r = Find(q);
  EXPECT_EQ(r.diagnosis().candidate_count(), 25);
  EXPECT_EQ(r.diagnosis().qualifying_count(), 25);
}

TEST(SlotFinderTest, WorkingDayAcrossUtcMidnightIsOneStretch) {
  // Tokyo 06:00-14:00 is 21:00-05:00 UTC the day before.
  SlotQuery q = NewYorkDay(Attendee("kenji", Person("Asia/Tokyo", 6, 14)));
  q.organizer_time_zone = "UTC";
  q.search.window = {At("UTC", 2025, 1, 14, 20), At("UTC", 2025, 1, 15, 6)};
  q.search.duration = absl::Hours(2);
  const auto r = Find(q);
  EXPECT_THAT(Starts(r), ElementsAre("2025-01-14 21:00", "2025-01-14 22:00",
                                     "2025-01-14 23:00", "2025-01-15 00:00",
                                     "2025-01-15 01:00", "2025-01-15 02:00",
                                     "2025-01-15 03:00"));
}

TEST(SlotFinderTest, BuffersKeepSlotsAwayFromMeetings) {
  SlotQuery q = NewYorkDay(Attendee("ada", Person("America/New_York", 9, 17)));
  q.search.duration = absl::Minutes(30);
  q.search.granularity = absl::Minutes(15);
  q.search.buffer_before = absl::Minutes(15);
  q.search.buffer_after = absl::Minutes(15);
  q.search.window = {At("America/New_York", 2025, 1, 14, 9),
                     At("America/New_York", 2025, 1, 14, 12)};
  q.attendees[0].busy = {{At("America/New_York", 2025, 1, 14, 10),
                          At("America/New_York", 2025, 1, 14, 11)}};
  const auto r = Find(q);
  // 09:30 ends as the meeting starts and 11:00 starts as it ends: buffers.
  EXPECT_THAT(Starts(r), ElementsAre("2025-01-14 14:00", "2025-01-14 14:15",
                                     "2025-01-14 16:15", "2025-01-14 16:30"));
  ASSERT_EQ(r.diagnosis().obstacles_size(), 2);
  EXPECT_EQ(r.diagnosis().obstacles(0).obstacle(), v1::ATTENDEE_BUSY);
  EXPECT_EQ(r.diagnosis().obstacles(0).candidate_count(), 5);
  EXPECT_EQ(r.diagnosis().obstacles(1).obstacle(), v1::ATTENDEE_BUFFER);
  EXPECT_EQ(r.diagnosis().obstacles(1).candidate_count(), 2);
}

TEST(SlotFinderTest, MinimumNoticeSkipsSlotsTooSoon) {
  SlotQuery q = NewYorkDay(Attendee("ada", Person("America/New_York", 9, 17)));
  q.search.now = At("America/New_York", 2025, 1, 14, 8, 40);
  q.search.minimum_notice = absl::Hours(2);
  const auto r = Find(q);
  EXPECT_EQ(StartOf(r.slots(0)), "2025-01-14 16:00");  // 11:00 local.
}

TEST(SlotFinderTest, LocalHoursApplyInTheOrganizersZone) {
  SlotQuery q = NewYorkDay(Attendee("ada", Person("UTC", 0, 24, true)));
  q.organizer_time_zone = "Europe/Paris";
  q.search.granularity = absl::Minutes(30);
  q.search.earliest_minute = 10 * 60;
  q.search.latest_minute = 12 * 60;
  const auto r = Find(q);
  // Paris is UTC+1 in January.
  EXPECT_THAT(Starts(r), ElementsAre("2025-01-14 09:00", "2025-01-14 09:30",
                                     "2025-01-14 10:00"));
}

TEST(SlotFinderTest, RanksMostOptionalAttendeesFreeThenEarliest) {
  SlotQuery q = NewYorkDay(Attendee("ada", Person("America/New_York", 9, 17)));
  q.search.window = {At("America/New_York", 2025, 1, 14, 9),
                     At("America/New_York", 2025, 1, 14, 13)};
  SlotAttendee bob =
      Attendee("bob", Person("America/New_York", 9, 17), /*required=*/false);
  bob.busy = {{At("America/New_York", 2025, 1, 14, 9),
               At("America/New_York", 2025, 1, 14, 12)}};
  SlotAttendee cy =
      Attendee("cy", Person("America/New_York", 9, 17), /*required=*/false);
  cy.busy = {{At("America/New_York", 2025, 1, 14, 9),
              At("America/New_York", 2025, 1, 14, 10)}};
  q.attendees.push_back(bob);
  q.attendees.push_back(cy);
  const auto r = Find(q);
  EXPECT_THAT(Starts(r), ElementsAre("2025-01-14 17:00", "2025-01-14 15:00",
                                     "2025-01-14 16:00", "2025-01-14 14:00"));
  EXPECT_THAT(r.slots(0).free_optional_attendees(),
              ElementsAre("participants/bob", "participants/cy"));
  EXPECT_THAT(r.slots(1).free_optional_attendees(),
              ElementsAre("participants/cy"));
  ASSERT_EQ(r.slots(1).unavailable_optional_attendees_size(), 1);
  EXPECT_EQ(r.slots(1).unavailable_optional_attendees(0).participant(),
            "participants/bob");
  EXPECT_EQ(r.slots(1).unavailable_optional_attendees(0).reason(),
            v1::ATTENDEE_BUSY);
  // Optional attendees never appear among the obstacles.
  EXPECT_THAT(r.diagnosis().obstacles(), IsEmpty());
}

TEST(SlotFinderTest, MaxResultsCapsSlotsButNotTheQualifyingCount) {
  SlotQuery q = NewYorkDay(Attendee("ada", Person("America/New_York", 9, 17)));
  q.search.max_results = 3;
  const auto r = Find(q);
  EXPECT_EQ(r.slots_size(), 3);
  EXPECT_EQ(r.diagnosis().qualifying_count(), 8);
}

TEST(SlotFinderTest, EverySlotCarriesTheCost) {
  SlotQuery q = NewYorkDay(Attendee("ada", Person("America/New_York", 9, 17)));
  google::type::Money cost;
  cost.set_currency_code("USD");
  cost.set_units(150);
  q.cost = cost;
  const auto r = Find(q);
  ASSERT_GT(r.slots_size(), 0);
  EXPECT_EQ(r.slots(0).cost().units(), 150);
  EXPECT_EQ(r.slots(0).cost().currency_code(), "USD");
}

TEST(SlotFinderTest, DiagnosisBlamesTheBusiestAttendeeAndLooksPastWindow) {
  SlotQuery q = NewYorkDay(Attendee("ada", Person("America/New_York", 9, 17)));
  q.attendees.push_back(Attendee("bob", Person("America/New_York", 9, 17)));
  q.attendees[1].busy = {{At("America/New_York", 2025, 1, 14, 0),
                          At("America/New_York", 2025, 1, 15, 10)}};
  const auto r = Find(q);
  EXPECT_THAT(r.slots(), IsEmpty());
  const v1::SlotSearchDiagnosis& d = r.diagnosis();
  // Bob is busy all 24 candidates; Ada is out of hours for 16 of them.
  EXPECT_EQ(d.most_blocking_attendee(), "participants/bob");
  EXPECT_EQ(d.most_blocking_attendee_candidate_count(), 24);
  EXPECT_EQ(StartOf(d.first_slot_after_window()), "2025-01-15 15:00");
  EXPECT_EQ(d.most_blocking_constraint(), v1::SLOT_CONSTRAINT_UNSPECIFIED);
  EXPECT_FALSE(d.has_first_slot_without_constraint());
}

TEST(SlotFinderTest, DiagnosisOffersTheFirstSlotWithoutLocalHours) {
  SlotQuery q = NewYorkDay(Attendee("ada", Person("America/New_York", 9, 17)));
  q.search.earliest_minute = 6 * 60;
  q.search.latest_minute = 8 * 60;
  q.search.buffer_before = absl::Minutes(30);
  const auto r = Find(q);
  EXPECT_THAT(r.slots(), IsEmpty());
  EXPECT_EQ(r.diagnosis().most_blocking_constraint(), v1::LOCAL_HOURS);
  EXPECT_EQ(StartOf(r.diagnosis().first_slot_without_constraint()),
            "2025-01-14 14:00");
}

TEST(SlotFinderTest, BudgetCheckRefusesSlotsThatBreakTheWeeklyBudget) {
  SlotQuery q = NewYorkDay(Attendee("ada", Person("America/New_York", 9, 17)));
  q.search.check_weekly_budget = true;
  *q.attendees[0].participant.mutable_weekly_meeting_budget() =
      ToProtoDuration(absl::Hours(5));
  q.attendees[0].weekly_totals[{2025, 3}] = absl::Minutes(4 * 60 + 30);
  auto r = Find(q);
  EXPECT_THAT(r.slots(), IsEmpty());
  EXPECT_EQ(r.diagnosis().most_blocking_constraint(), v1::WEEKLY_BUDGET);
  EXPECT_EQ(StartOf(r.diagnosis().first_slot_without_constraint()),
            "2025-01-14 14:00");

  q.search.duration = absl::Minutes(30);
  r = Find(q);
  EXPECT_EQ(r.diagnosis().qualifying_count(), 8);
}

TEST(SlotFinderTest, UnknownAttendeeZoneIsInternal) {
  SlotQuery q = NewYorkDay(Attendee("ada", Person("Mars/Olympus", 9, 17)));
  EXPECT_EQ(FindSlots(q).status().code(), absl::StatusCode::kInternal);
}

// Validation.

v1::FindMeetingSlotsRequest GoodRequest() {
  v1::FindMeetingSlotsRequest r;
  r.add_required_attendees("participants/ada");
  *r.mutable_duration() = ToProtoDuration(absl::Minutes(30));
  *r.mutable_window()->mutable_start_time() =
      ToProtoTime(At("UTC", 2025, 1, 14, 0));
  *r.mutable_window()->mutable_end_time() =
      ToProtoTime(At("UTC", 2025, 1, 28, 0));
  return r;
}

std::vector<std::string> BadFields(const v1::FindMeetingSlotsRequest& r) {
  absl::Status status =
      ValidateFindMeetingSlotsRequest(r, At("UTC", 2025, 1, 1, 0)).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  google::rpc::BadRequest bad;
  std::vector<std::string> fields;
  if (!GetBadRequest(status, &bad)) return fields;
  for (const auto& v : bad.field_violations()) fields.push_back(v.field());
  return fields;
}

TEST(SlotQueryTest, AppliesDefaults) {
  auto search =
      ValidateFindMeetingSlotsRequest(GoodRequest(), At("UTC", 2025, 1, 1, 0));
  ASSERT_TRUE(search.ok()) << search.status();
  EXPECT_EQ(search->granularity, absl::Minutes(15));
  EXPECT_EQ(search->max_results, 10);
  EXPECT_FALSE(search->earliest_minute.has_value());
}

TEST(SlotQueryTest, WithoutAWindowSearchesTheTwoWeeksFromNow) {
  auto r = GoodRequest();
  r.clear_window();
  const absl::Time now = At("Europe/Rome", 2027, 3, 28, 3, 30);
  auto search = ValidateFindMeetingSlotsRequest(r, now);
  ASSERT_TRUE(search.ok()) << search.status();
  EXPECT_EQ(search->window.start, now);
  EXPECT_EQ(search->window.end, now + absl::Hours(24 * 14));
}

TEST(SlotQueryTest, WindowWithoutItsEndNamesWindow) {
  auto r = GoodRequest();
  r.mutable_window()->clear_end_time();
  EXPECT_THAT(BadFields(r), ElementsAre("window"));
}

TEST(SlotQueryTest, WindowOverNinetyDaysNamesWindow) {
  auto r = GoodRequest();
  *r.mutable_window()->mutable_end_time() =
      ToProtoTime(At("UTC", 2025, 4, 15, 0));
  EXPECT_THAT(BadFields(r), ElementsAre("window"));
}

TEST(SlotQueryTest, GranularityNotDividingAnHourNamesGranularity) {
  auto r = GoodRequest();
  *r.mutable_granularity() = ToProtoDuration(absl::Minutes(7));
  EXPECT_THAT(BadFields(r), ElementsAre("granularity"));
}

TEST(SlotQueryTest, MissingDurationAndAttendeesNameBoth) {
  auto r = GoodRequest();
  r.clear_duration();
  r.clear_required_attendees();
  EXPECT_THAT(BadFields(r), ElementsAre("required_attendees", "duration"));
}

TEST(SlotQueryTest, RepeatedAttendeeNamesTheRepeat) {
  auto r = GoodRequest();
  r.add_optional_attendees("participants/ada");
  EXPECT_THAT(BadFields(r), ElementsAre("optional_attendees[0]"));
}

TEST(SlotQueryTest, LatestBeforeEarliestNamesLatest) {
  auto r = GoodRequest();
  *r.mutable_earliest_local_time() = Clock(12);
  *r.mutable_latest_local_time() = Clock(9);
  EXPECT_THAT(BadFields(r), ElementsAre("latest_local_time"));
}

}  // namespace
}  // namespace salesmeet::scheduling
