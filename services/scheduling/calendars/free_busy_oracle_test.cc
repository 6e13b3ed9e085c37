// QueryFreeBusy against a brute-force reference written separately here.
// Random organisations (DST-observing zones in both hemispheres, half-hour
// and 45-minute offsets, working days across UTC midnight, time off) book
// random meetings through the real booker into a real SQLite store: singles
// and daily/weekly series, bounded and unbounded, with occurrences moved and
// cancelled, answers declined and whole meetings cancelled. The test keeps
// its own record of every occurrence it booked, expanding each series itself
// with absl civil time (never with the code under test), and paints every
// minute of every query window busy, scheduled (inside a working-hour block)
// or time off. The busy intervals and the labelled unavailable intervals
// must agree exactly with the runs of painted minutes.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "services/scheduling/calendars/calendar_reader.h"
#include "services/scheduling/calendars/calendar_source.h"
#include "services/scheduling/calendars/free_busy_oracle_model.h"
#include "services/scheduling/policy/scheduling_policy.h"
#include "services/scheduling/scheduling_test_fixture.h"

namespace salesmeet::scheduling {
namespace {

class FreeBusyOracleTest : public SchedulingTest {
 protected:
  void SetUp() override {
    SchedulingTest::SetUp();
    source_ = std::make_unique<StoreCalendarSource>(*store_);
    calendars_ = std::make_unique<CalendarReader>(people_, *source_);
    // No rule refuses anything: the test books whatever it likes.
    v1::SchedulingPolicy policy = DefaultPolicy();
    v1::PolicyRules& rules = *policy.mutable_rules();
    rules.set_over_weekly_budget(v1::OFF);
    rules.set_cost_without_agenda(v1::OFF);
    rules.set_too_many_attendees(v1::OFF);
    rules.set_outside_working_hours(v1::OFF);
    rules.set_video_without_link(v1::OFF);
    rules.set_customer_meeting_without_sales(v1::OFF);
    ASSERT_TRUE(store_
                    ->Write([&](MeetingTransaction& tx) {
                      return tx.PutPolicy(policy);
                    })
                    .ok());
  }

  void TearDown() override {
    calendars_.reset();
    source_.reset();
    SchedulingTest::TearDown();
  }

  Organisation RandomOrganisation(SeededRandom& rng, int org);
  void BookRandomMeeting(SeededRandom& rng, Organisation& o);

  std::unique_ptr<StoreCalendarSource> source_;
  std::unique_ptr<CalendarReader> calendars_;
};

Organisation FreeBusyOracleTest::RandomOrganisation(SeededRandom& rng,
                                                    int org) {
  Organisation o;
  const auto& ymd = kBaseDays[rng.Int(0, std::size(kBaseDays) - 1)];
  o.base = absl::FromCivil(absl::CivilDay(ymd[0], ymd[1], ymd[2]),
                           absl::UTCTimeZone()) +
           absl::Minutes(rng.Int(0, 1439));
  o.reach = {o.base - absl::Hours(25 * 24), o.base + absl::Hours(70 * 24)};
  now_ = o.base;
  const int reach_minutes =
      static_cast<int>(o.reach.length() / absl::Minutes(1));

  const int people = rng.Int(2, 7);
  for (int i = 0; i < people; ++i) {
    Person p;
    p.id = absl::StrCat("o", org, "p", i);
    p.name = "participants/" + p.id;
    p.zone_name = kZones[rng.Int(0, std::size(kZones) - 1)];
    p.zone = Zone(p.zone_name);
    p.week = RandomWeek(rng, p.zone_name);
    for (int n = rng.Int(0, 3); n > 0; --n) {
      const absl::Time start =
          o.reach.start + absl::Minutes(rng.Int(0, reach_minutes));
      const absl::Duration length =
          absl::Minutes(rng.Chance(50) ? rng.Int(1, 600) : rng.Int(1, 7200));
      p.time_off.push_back({{start, start + length},
                            kReasons[rng.Int(0, std::size(kReasons) - 1)]});
    }
    pv1::Participant record =
        Employee(p.id, tv1::SALES_REP, "teams/emea", 50 + i);
    record.set_time_zone(p.zone_name);
    record.clear_working_hours();
    for (const Block& b : p.week) {
      tv1::WorkingPeriod* period = record.add_working_hours();
      period->set_day(static_cast<google::type::DayOfWeek>(b.weekday + 1));
      *period->mutable_start_time() = TimeOfDayAt(b.start);
      *period->mutable_end_time() = TimeOfDayAt(b.end);
    }
    for (const Person::Off& off : p.time_off) {
      tv1::TimeOff* entry = record.add_time_off();
      *entry->mutable_interval()->mutable_start_time() =
          ToProtoTime(off.span.start);
      *entry->mutable_interval()->mutable_end_time() =
          ToProtoTime(off.span.end);
      entry->set_reason(off.reason);
    }
    people_.Put(record);
    o.people.push_back(std::move(p));
  }
  for (int n = rng.Int(3, 22), i = 0; i < n; ++i) {
    BookRandomMeeting(rng, o);
  }
  return o;
}

void FreeBusyOracleTest::BookRandomMeeting(SeededRandom& rng, Organisation& o) {
  Booked b;
  // Attendees: the organizer first, then others, some optional.
  std::vector<int> order(o.people.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(rng.Int(0, 1 << 30)));
  const int count = rng.Int(1, std::min<int>(4, order.size()));
  b.attendees.assign(order.begin(), order.begin() + count);

  const std::string zone_name = rng.Chance(70)
                                    ? o.people[b.attendees[0]].zone_name
                                    : kZones[rng.Int(0, std::size(kZones) - 1)];
  const absl::TimeZone zone = Zone(zone_name);
  // A local start; often in the small hours, where the clocks change.
  // Weekly series often start on a Sunday (or, for Chile, a Saturday late
  // evening), the day most zones change their clocks.
  absl::CivilDay day = absl::ToCivilDay(o.base, zone) + rng.Int(-22, 55);
  if (rng.Chance(40)) {
    while (absl::GetWeekday(day) != absl::Weekday::sunday) ++day;
  }
  int minute = rng.Int(0, 95) * 15;
  if (rng.Chance(50)) minute = rng.Int(0, 15) * 15;  // 00:00 to 03:45.
  if (zone_name == "America/Santiago" && rng.Chance(30)) {
    --day;
    minute = rng.Int(92, 95) * 15;  // 23:00 to 23:45.
  }
  // Often aimed at a clock change: the local hour that is skipped or
  // repeated, on the day it happens or some days or weeks before.
  if (absl::CivilSecond change; rng.Chance(40) && Transition(o, zone, change)) {
    day = absl::CivilDay(change) - rng.Int(0, 2) * 7 -
          rng.Int(0, 1) * rng.Int(1, 6);
    minute = change.hour() * 60 + rng.Int(0, 3) * 15;
  }
  absl::CivilMinute first = absl::CivilMinute(day) + minute;
  // The first occurrence is a real instant, so its local time exists.
  while (zone.At(absl::CivilSecond(first)).kind ==
         absl::TimeZone::TimeInfo::SKIPPED) {
    first += 15;
  }

  const int kind = rng.Int(0, 5);
  const absl::Duration length = absl::Minutes(
      kind == 0 || kind >= 3 ? rng.Int(1, 48) * 15 : rng.Int(1, 12) * 15);
  std::string rrule;
  const absl::Time until = o.reach.end + absl::Hours(48);
  if (kind == 0) {
    b.occurrences = Expand(first, zone, length, 1, 1, until);
  } else if (kind == 1) {
    const int n = rng.Int(2, 20);
    rrule = absl::StrCat("FREQ=DAILY;COUNT=", n);
    b.occurrences = Expand(first, zone, length, 1, n, until);
  } else if (kind == 2) {
    rrule = "FREQ=DAILY";
    b.occurrences = Expand(first, zone, length, 1, 0, until);
  } else if (kind == 3) {
    const int n = rng.Int(2, 12);
    rrule = absl::StrCat("FREQ=WEEKLY;COUNT=", n);
    b.occurrences = Expand(first, zone, length, 7, n, until);
  } else if (kind == 4) {
    rrule = "FREQ=WEEKLY";
    b.occurrences = Expand(first, zone, length, 7, 0, until);
  } else {
    rrule = "FREQ=WEEKLY;INTERVAL=2;COUNT=6";
    b.occurrences = Expand(first, zone, length, 14, 6, until);
  }
  b.recurring = !rrule.empty();

  std::vector<std::string> ids;
  for (int who : b.attendees) ids.push_back(o.people[who].id);
  v1::Meeting m = Meeting(b.occurrences[0].original, length, ids);
  m.set_time_zone(zone_name);
  for (int i = 1; i < m.attendees_size(); ++i) {
    m.mutable_attendees(i)->set_optional(rng.Chance(30));
  }
  if (b.recurring) m.mutable_recurrence()->set_rrule(rrule);
  const v1::Meeting created = MustCreate(m, "", /*allow_conflicts=*/true);
  ASSERT_FALSE(created.name().empty())
      << zone_name << " " << first << " " << rrule;
  b.name = created.name();
  ++stats.meetings;
  if (b.recurring) ++stats.series;
  if (kind == 2 || kind == 4) ++stats.unbounded;

  // Declining changes nothing: invitees are busy whatever they answer.
  if (count > 1 && rng.Chance(20)) {
    v1::RespondToMeetingRequest request;
    request.set_name(b.name);
    request.set_attendee(o.people[b.attendees[1]].name);
    request.set_response(v1::DECLINED);
    if (b.recurring && rng.Chance(50)) {
      *request.mutable_original_start_time() =
          ToProtoTime(rng.Pick(b.occurrences).original);
    }
    absl::StatusOr<v1::Meeting> done = lifecycle_->Respond(request);
    ASSERT_TRUE(done.ok()) << done.status();
    ++stats.declined;
  }

  if (b.recurring) {
    for (int n = rng.Int(0, 4); n > 0; --n) {
      Occurrence& occ = b.occurrences[rng.Int(
          0, std::min<int>(b.occurrences.size(), 30) - 1)];
      if (occ.cancelled) continue;
      if (rng.Chance(50)) {
        v1::CancelOccurrenceRequest request;
        request.set_name(b.name);
        *request.mutable_original_start_time() = ToProtoTime(occ.original);
        absl::StatusOr<v1::Meeting> done =
            lifecycle_->CancelOccurrence(request);
        ASSERT_TRUE(done.ok()) << done.status() << " " << occ.original;
        occ.cancelled = true;
        ++stats.occurrences_cancelled;
      } else {
        const absl::Time start =
            occ.original + absl::Minutes(rng.Int(-48 * 4, 48 * 4) * 15);
        const absl::Time end = start + absl::Minutes(rng.Int(1, 32) * 15);
        v1::MoveOccurrenceRequest request;
        request.set_name(b.name);
        *request.mutable_original_start_time() = ToProtoTime(occ.original);
        *request.mutable_start_time() = ToProtoTime(start);
        *request.mutable_end_time() = ToProtoTime(end);
        request.set_allow_conflicts(true);
        absl::StatusOr<v1::MoveOccurrenceResponse> done =
            booker_->MoveOccurrence(request, CallScope());
        if (done.ok()) {
          occ.span = {start, end};
          ++stats.moved;
        } else {
          ++stats.move_refused;
          // Refused only for overlapping a sibling; never for not finding
          // an occurrence the test expanded.
          ASSERT_EQ(done.status().code(), absl::StatusCode::kInvalidArgument)
              << done.status() << " " << occ.original;
        }
      }
    }
  }

  if (rng.Chance(10)) {
    v1::CancelMeetingRequest request;
    request.set_name(b.name);
    absl::StatusOr<v1::Meeting> done = lifecycle_->Cancel(request);
    ASSERT_TRUE(done.ok()) << done.status();
    b.cancelled = true;
    ++stats.meetings_cancelled;
  }
  o.meetings.push_back(std::move(b));
}

// ---- The reference ----

enum Paint : uint8_t { kBusy = 1, kScheduled = 2, kOff = 4 };

struct Expected {
  std::vector<TimeSpan> busy;
  std::vector<TimeSpan> out_of_office;
  std::vector<std::string> reasons;  // One per out_of_office span.
  std::vector<TimeSpan> off_hours;
};

// Maximal runs of minutes for which `test` holds.
template <typename Test>
std::vector<TimeSpan> Runs(const std::vector<uint8_t>& paint, absl::Time base,
                           Test test) {
  std::vector<TimeSpan> out;
  const int n = paint.size();
  for (int m = 0; m < n;) {
    if (!test(paint[m])) {
      ++m;
      continue;
    }
    int e = m;
    while (e < n && test(paint[e])) ++e;
    out.push_back({base + absl::Minutes(m), base + absl::Minutes(e)});
    m = e;
  }
  return out;
}

Expected Reference(const Organisation& o, int who, TimeSpan window) {
  const Person& p = o.people[who];
  const int n = static_cast<int>(window.length() / absl::Minutes(1));
  std::vector<uint8_t> paint(n, 0);
  auto fill = [&](TimeSpan span, uint8_t flag) {
    // Everything here falls on whole minutes.
    const int64_t from =
        std::max<int64_t>(0, (span.start - window.start) / absl::Minutes(1));
    const int64_t to =
        std::min<int64_t>(n, (span.end - window.start) / absl::Minutes(1));
    for (int64_t m = from; m < to; ++m) paint[m] |= flag;
  };
  for (const Booked& b : o.meetings) {
    if (b.cancelled || std::find(b.attendees.begin(), b.attendees.end(), who) ==
                           b.attendees.end()) {
      continue;
    }
    for (const Occurrence& occ : b.occurrences) {
      if (!occ.cancelled) fill(occ.span, kBusy);
    }
  }
  // Each block on each local date, its ends read as local clock times by
  // the project's rule (Local()); 24:00 is the next date's midnight.
  for (absl::CivilDay d = absl::ToCivilDay(window.start, p.zone) - 1;
       d <= absl::ToCivilDay(window.end, p.zone) + 1; ++d) {
    const int weekday = static_cast<int>(absl::GetWeekday(d));
    for (const Block& b : p.week) {
      if (b.weekday != weekday) continue;
      CountLocal(absl::CivilMinute(d) + b.start, p.zone,
                 stats.block_ends_in_gap, stats.block_ends_in_overlap);
      CountLocal(absl::CivilMinute(d) + b.end, p.zone, stats.block_ends_in_gap,
                 stats.block_ends_in_overlap);
      fill({Local(absl::CivilMinute(d) + b.start, p.zone),
            Local(absl::CivilMinute(d) + b.end, p.zone)},
           kScheduled);
    }
  }
  for (const Person::Off& off : p.time_off) fill(off.span, kOff);

  Expected e;
  e.busy = Runs(paint, window.start, [](uint8_t v) { return v & kBusy; });
  e.out_of_office =
      Runs(paint, window.start, [](uint8_t v) { return v & kOff; });
  e.off_hours = Runs(paint, window.start,
                     [](uint8_t v) { return !(v & (kScheduled | kOff)); });
  for (const TimeSpan& span : e.out_of_office) {
    std::vector<std::string> reasons;
    for (const Person::Off& off : p.time_off) {
      if (off.reason.empty() || !off.span.Overlaps(span)) continue;
      if (std::find(reasons.begin(), reasons.end(), off.reason) ==
          reasons.end()) {
        reasons.push_back(off.reason);
      }
    }
    e.reasons.push_back(absl::StrJoin(reasons, "; "));
  }
  return e;
}

std::string Show(const std::vector<TimeSpan>& spans) {
  std::string out;
  for (const TimeSpan& s : spans) {
    absl::StrAppend(
        &out, " [",
        absl::FormatTime("%Y-%m-%d %H:%M", s.start, absl::UTCTimeZone()), ", ",
        absl::FormatTime("%Y-%m-%d %H:%M", s.end, absl::UTCTimeZone()), ")");
  }
  return out;
}

TimeSpan SpanOf(const tv1::Interval& interval) {
  return {ToAbslTime(interval.start_time()), ToAbslTime(interval.end_time())};
}

// Sorted, each non-empty, inside the window, and no two touching or
// overlapping (merged).
void ExpectMergedAndClipped(const std::vector<TimeSpan>& spans, TimeSpan window,
                            const std::string& what) {
  for (size_t i = 0; i < spans.size(); ++i) {
    EXPECT_LT(spans[i].start, spans[i].end) << what << " " << i;
    EXPECT_GE(spans[i].start, window.start) << what << " " << i;
    EXPECT_LE(spans[i].end, window.end) << what << " " << i;
    if (i > 0) {
      EXPECT_LT(spans[i - 1].end, spans[i].start) << what << " " << i;
    }
  }
}

TEST_F(FreeBusyOracleTest, AgreesWithMinuteByMinuteReference) {
  SeededRandom rng(20260301);
  int queries = 0, answers = 0, labelled = 0, busy_spans = 0,
      unavailable_spans = 0;
  for (int org = 0; org < 40; ++org) {
    SCOPED_TRACE(absl::StrCat("organisation ", org));
    const Organisation o = RandomOrganisation(rng, org);
    if (HasFatalFailure()) return;
    const int reach_minutes =
        static_cast<int>(o.reach.length() / absl::Minutes(1));
    for (int q = 0; q < 50; ++q) {
      ++queries;
      SCOPED_TRACE(absl::StrCat("query ", q));
      // A window of a few hours to three weeks, inside the reach.
      const int length = rng.Chance(30)   ? rng.Int(60, 12 * 60)
                         : rng.Chance(50) ? rng.Int(12 * 60, 4 * 1440)
                                          : rng.Int(4 * 1440, 21 * 1440);
      int offset = rng.Int(0, reach_minutes - length);
      // Often around someone's clock change.
      if (absl::CivilSecond change;
          rng.Chance(40) && Transition(o, rng.Pick(o.people).zone, change)) {
        const int at = static_cast<int>(
            (absl::FromCivil(change, absl::UTCTimeZone()) - o.reach.start) /
            absl::Minutes(1));
        offset = std::clamp(at - rng.Int(0, length), 0, reach_minutes - length);
      }
      if (rng.Chance(40)) offset -= offset % 60;
      const TimeSpan window{o.reach.start + absl::Minutes(offset),
                            o.reach.start + absl::Minutes(offset + length)};

      v1::QueryFreeBusyRequest request;
      std::vector<int> asked;
      for (int n = rng.Int(1, o.people.size()); n > 0; --n) {
        asked.push_back(rng.Int(0, o.people.size() - 1));  // Repeats too.
      }
      const bool ghost = rng.Chance(15);
      for (int who : asked) request.add_participants(o.people[who].name);
      if (ghost) {
        request.add_participants(absl::StrCat("participants/ghost", org));
      }
      *request.mutable_interval()->mutable_start_time() =
          ToProtoTime(window.start);
      *request.mutable_interval()->mutable_end_time() = ToProtoTime(window.end);
      request.set_include_unavailable(rng.Chance(70));

      absl::StatusOr<v1::QueryFreeBusyResponse> got =
          calendars_->QueryFreeBusy(request, CallScope());
      ASSERT_TRUE(got.ok()) << got.status();
      ASSERT_EQ(got->free_busy_size(), request.participants_size());
      if (ghost) {
        const v1::ParticipantFreeBusy& g =
            got->free_busy(request.participants_size() - 1);
        EXPECT_EQ(g.participant(),
                  request.participants(request.participants_size() - 1));
        EXPECT_EQ(g.error().code(),
                  static_cast<int>(absl::StatusCode::kNotFound));
        EXPECT_TRUE(g.busy().empty());
        EXPECT_TRUE(g.unavailable().empty());
      }
      for (size_t i = 0; i < asked.size(); ++i) {
        ++answers;
        const Person& p = o.people[asked[i]];
        const v1::ParticipantFreeBusy& fb = got->free_busy(i);
        SCOPED_TRACE(absl::StrCat(p.name, " (", p.zone_name, ") window",
                                  Show({window})));
        ASSERT_EQ(fb.participant(), p.name);
        ASSERT_EQ(fb.error().code(), 0) << fb.error().message();
        EXPECT_EQ(fb.time_zone(), p.zone_name);
        const Expected want = Reference(o, asked[i], window);

        std::vector<TimeSpan> busy;
        for (const tv1::Interval& span : fb.busy())
          busy.push_back(SpanOf(span));
        ExpectMergedAndClipped(busy, window, "busy");
        ASSERT_EQ(Show(busy), Show(want.busy));
        busy_spans += busy.size();

        if (!request.include_unavailable()) {
          EXPECT_TRUE(fb.unavailable().empty());
          continue;
        }
        ++labelled;
        std::vector<TimeSpan> ooo, off_hours;
        std::vector<std::string> reasons;
        for (int u = 0; u < fb.unavailable_size(); ++u) {
          const v1::UnavailableInterval& span = fb.unavailable(u);
          if (u > 0) {
            // Sorted across both kinds.
            EXPECT_LE(SpanOf(fb.unavailable(u - 1).interval()).end,
                      SpanOf(span.interval()).start);
          }
          if (span.kind() == v1::UnavailableInterval::OUT_OF_OFFICE) {
            ooo.push_back(SpanOf(span.interval()));
            reasons.push_back(span.reason());
          } else {
            ASSERT_EQ(span.kind(),
                      v1::UnavailableInterval::OUTSIDE_WORKING_HOURS);
            EXPECT_EQ(span.reason(), "");
            off_hours.push_back(SpanOf(span.interval()));
          }
        }
        unavailable_spans += fb.unavailable_size();
        ExpectMergedAndClipped(ooo, window, "out of office");
        ExpectMergedAndClipped(off_hours, window, "outside working hours");
        ASSERT_EQ(Show(ooo), Show(want.out_of_office));
        ASSERT_EQ(Show(off_hours), Show(want.off_hours));
        ASSERT_EQ(reasons, want.reasons);
      }
    }
  }
  std::printf(
      "%d queries, %d participant answers (%d with unavailable), %d busy "
      "and %d unavailable intervals compared\n",
      queries, answers, labelled, busy_spans, unavailable_spans);
  std::printf(
      "%d meetings (%d series, %d unbounded), %d occurrences moved (%d moves "
      "refused), %d cancelled, %d meetings cancelled, %d declined; %d series "
      "occurrences in a DST gap, %d in an overlap; %d working-hour block ends "
      "in a gap, %d in an overlap\n",
      stats.meetings, stats.series, stats.unbounded, stats.moved,
      stats.move_refused, stats.occurrences_cancelled, stats.meetings_cancelled,
      stats.declined, stats.occurrences_in_gap, stats.occurrences_in_overlap,
      stats.block_ends_in_gap, stats.block_ends_in_overlap);
}

}  // namespace
}  // namespace salesmeet::scheduling
