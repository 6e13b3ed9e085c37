// FindSlots against a brute-force reference written separately here: every
// minute of every attendee's horizon is painted working, time off or busy
// from their weekly blocks placed on each local date with absl civil time,
// and every candidate is checked minute by minute. Thousands of random
// organisations (DST-observing zones, half-hour and 45-minute offsets,
// working days across UTC midnight, time off, budgets) must agree exactly.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/field_checks.h"
#include "services/scheduling/calendars/seeded_random.h"
#include "services/scheduling/calendars/slot_finder.h"

namespace salesmeet::scheduling {
namespace {

constexpr const char* kZones[] = {
    "America/New_York", "America/Los_Angeles", "Europe/London",
    "Europe/Berlin",    "Australia/Sydney",    "Pacific/Auckland",
    "Asia/Kolkata",     "Asia/Kathmandu",      "UTC"};

// Days around 2025's clock changes (US, EU, AU/NZ both ways), so windows
// often contain one.
constexpr int kStartDays[][3] = {{2025, 3, 8},  {2025, 3, 29}, {2025, 4, 5},
                                 {2025, 9, 27}, {2025, 10, 4}, {2025, 10, 25},
                                 {2025, 11, 1}, {2025, 1, 13}, {2025, 6, 18}};

// A weekly block: absl weekday index (Monday 0), minutes past midnight.
struct Block {
  int weekday;
  int start_minute;
  int end_minute;
};

google::type::TimeOfDay Clock(int minute) {
  google::type::TimeOfDay t;
  t.set_hours(minute / 60);
  t.set_minutes(minute % 60);
  return t;
}

std::vector<Block> RandomWeek(SeededRandom& rng) {
  std::vector<Block> blocks;
  switch (rng.Int(0, 3)) {
    case 0:  // Office hours.
      for (int d = 0; d < 5; ++d) blocks.push_back({d, 9 * 60, 17 * 60});
      break;
    case 1:  // Around the clock, in halves that must join up.
      for (int d = 0; d < 7; ++d) {
        blocks.push_back({d, 0, 12 * 60});
        blocks.push_back({d, 12 * 60, 24 * 60});
      }
      break;
    default:  // Anything, including blocks through the small hours.
      for (int d = 0; d < 7; ++d) {
        for (int n = rng.Int(0, 2); n > 0; --n) {
          const int a = rng.Int(0, 96) * 15, b = rng.Int(0, 96) * 15;
          if (a != b) blocks.push_back({d, std::min(a, b), std::max(a, b)});
        }
      }
  }
  return blocks;
}

// The reference: one byte of flags per minute of the horizon.
enum Paint : uint8_t { kScheduled = 1, kOff = 2, kBusyMinute = 4 };

struct Reference {
  absl::Time base;  // Minute 0.
  int minutes = 0;
  std::vector<std::vector<uint8_t>> paint;    // Per attendee, per minute.
  std::vector<std::vector<IsoWeekKey>> week;  // Per budgeted attendee.

  int Index(absl::Time t) const {
    return static_cast<int>((t - base) / absl::Minutes(1));
  }
  void Fill(int who, TimeSpan span, uint8_t flag) {
    const int from = std::max(0, Index(span.start));
    const int to = std::min(minutes, Index(span.end));
    for (int m = from; m < to; ++m) paint[who][m] |= flag;
  }
};

struct Case {
  SlotQuery query;
  std::vector<std::vector<Block>> weeks;
};

Case RandomCase(SeededRandom& rng) {
  Case c;
  SlotSearch& s = c.query.search;
  c.query.organizer_time_zone = kZones[rng.Int(0, std::size(kZones) - 1)];
  const auto& ymd = kStartDays[rng.Int(0, std::size(kStartDays) - 1)];
  const absl::CivilDay day(ymd[0], ymd[1], ymd[2]);
  s.window.start = absl::FromCivil(absl::CivilMinute(day) + rng.Int(0, 1439),
                                   absl::UTCTimeZone());
  s.window.end = s.window.start + absl::Minutes(rng.Int(120, 3 * 24 * 60));
  constexpr int kSteps[] = {5, 10, 12, 15, 20, 30, 60};
  s.granularity = absl::Minutes(kSteps[rng.Int(0, 6)]);
  s.duration =
      absl::Minutes(rng.Chance(80) ? rng.Int(5, 180) : rng.Int(5, 600));
  if (rng.Chance(50)) {
    s.buffer_before = absl::Minutes(rng.Int(0, 12) * 5);
    s.buffer_after = absl::Minutes(rng.Int(0, 12) * 5);
  }
  s.now = s.window.start + absl::Minutes(rng.Int(-2 * 1440, 1440));
  if (rng.Chance(40)) s.minimum_notice = absl::Minutes(rng.Int(0, 1440));
  if (rng.Chance(30)) s.earliest_minute = rng.Int(0, 20 * 60);
  if (rng.Chance(30)) {
    s.latest_minute = rng.Int(s.earliest_minute.value_or(0) + 1, 1440);
  }
  s.max_results = 100;
  s.check_weekly_budget = rng.Chance(40);

  const int required = rng.Int(1, 3), optional = rng.Int(0, 3);
  const TimeSpan around{s.window.start - absl::Hours(6),
                        s.window.end + absl::Hours(6)};
  const int around_minutes =
      static_cast<int>(around.length() / absl::Minutes(1));
  for (int i = 0; i < required + optional; ++i) {
    SlotAttendee a;
    a.name = absl::StrCat("participants/p", i);
    a.required = i < required;
    pv1::Participant& p = a.participant;
    p.set_time_zone(kZones[rng.Int(0, std::size(kZones) - 1)]);
    p.set_kind(salesmeet::type::v1::EMPLOYEE);
    c.weeks.push_back(RandomWeek(rng));
    for (const Block& b : c.weeks.back()) {
      auto* period = p.add_working_hours();
      period->set_day(static_cast<google::type::DayOfWeek>(b.weekday + 1));
      *period->mutable_start_time() = Clock(b.start_minute);
      *period->mutable_end_time() = Clock(b.end_minute);
    }
    auto random_span = [&](int max_minutes) {
      const absl::Time start =
          around.start + absl::Minutes(rng.Int(0, around_minutes));
      return TimeSpan{start, start + absl::Minutes(rng.Int(1, max_minutes))};
    };
    for (int n = rng.Int(0, 2); n > 0; --n) {
      const TimeSpan off = random_span(2 * 1440);
      auto* entry = p.add_time_off();
      *entry->mutable_interval()->mutable_start_time() = ToProtoTime(off.start);
      *entry->mutable_interval()->mutable_end_time() = ToProtoTime(off.end);
    }
    for (int n = rng.Int(0, 10); n > 0; --n) a.busy.push_back(random_span(180));
    if (rng.Chance(60)) {
      *p.mutable_weekly_meeting_budget() =
          ToProtoDuration(absl::Minutes(rng.Int(1, 10 * 60)));
      absl::TimeZone zone;
      absl::LoadTimeZone(p.time_zone(), &zone);
      for (absl::CivilDay d = absl::ToCivilDay(around.start, zone) - 8;
           d <= absl::ToCivilDay(around.end, zone) + 8; d += 7) {
        a.weekly_totals[IsoWeekOf(d)] = absl::Minutes(rng.Int(0, 10 * 60));
      }
    }
    c.query.attendees.push_back(std::move(a));
  }
  return c;
}

Reference Paint(const Case& c) {
  const SlotSearch& s = c.query.search;
  Reference ref;
  ref.base = s.window.start - s.buffer_before;
  ref.minutes = static_cast<int>((s.window.end + s.buffer_after - ref.base) /
                                 absl::Minutes(1));
  for (size_t i = 0; i < c.query.attendees.size(); ++i) {
    const SlotAttendee& a = c.query.attendees[i];
    absl::TimeZone zone;
    absl::LoadTimeZone(a.participant.time_zone(), &zone);
    ref.paint.emplace_back(ref.minutes, 0);
    // Each block on each local date, its ends read as local clock times; a
    // time the clocks skip counts as the instant after the gap has passed
    // by as much (absl's "pre" offset), one that repeats as the first.
    for (absl::CivilDay d = absl::ToCivilDay(ref.base, zone) - 1;
         d <= absl::ToCivilDay(s.window.end + s.buffer_after, zone) + 1; ++d) {
      for (const Block& b : c.weeks[i]) {
        if (static_cast<int>(absl::GetWeekday(d)) != b.weekday) continue;
        const absl::CivilMinute midnight(d);
        ref.Fill(i,
                 {zone.At(midnight + b.start_minute).pre,
                  zone.At(midnight + b.end_minute).pre},
                 kScheduled);
      }
    }
    for (const auto& off : a.participant.time_off()) {
      ref.Fill(i,
               {ToAbslTime(off.interval().start_time()),
                ToAbslTime(off.interval().end_time())},
               kOff);
    }
    for (const TimeSpan& busy : a.busy) ref.Fill(i, busy, kBusyMinute);
    ref.week.emplace_back();
    for (int m = 0; m < ref.minutes; ++m) {
      ref.week.back().push_back(
          IsoWeekOf(absl::ToCivilDay(ref.base + absl::Minutes(m), zone)));
    }
  }
  return ref;
}

// The reference's verdict on one attendee at one start: obstacle enum
// values in a bit set (1 << SlotObstacle).
int ReferenceObstacles(const Case& c, const Reference& ref, int who,
                       absl::Time start) {
  const SlotSearch& s = c.query.search;
  const std::vector<uint8_t>& paint = ref.paint[who];
  const int from = ref.Index(start);
  const int to = ref.Index(start + s.duration);
  int bits = 0;
  std::map<IsoWeekKey, absl::Duration> added;
  for (int m = from; m < to; ++m) {
    if (paint[m] & kBusyMinute) bits |= 1 << v1::ATTENDEE_BUSY;
    if (paint[m] & kOff) bits |= 1 << v1::ATTENDEE_TIME_OFF;
    // Outside the weekly hours counts whether or not the minute is also
    // time off: a candidate ruled out by both counts for both.
    if (!(paint[m] & kScheduled)) {
      bits |= 1 << v1::ATTENDEE_OUTSIDE_WORKING_HOURS;
    }
    added[ref.week[who][m]] += absl::Minutes(1);
  }
  if (!(bits & (1 << v1::ATTENDEE_BUSY))) {
    const int lo = ref.Index(start - s.buffer_before);
    const int hi = ref.Index(start + s.duration + s.buffer_after);
    for (int m = lo; m < hi; ++m) {
      if (paint[m] & kBusyMinute) bits |= 1 << v1::ATTENDEE_BUFFER;
    }
  }
  const SlotAttendee& a = c.query.attendees[who];
  if (s.check_weekly_budget && a.participant.has_weekly_meeting_budget()) {
    const absl::Duration budget =
        ToAbslDuration(a.participant.weekly_meeting_budget());
    for (const auto& [week, minutes] : added) {
      auto it = a.weekly_totals.find(week);
      const absl::Duration before =
          it == a.weekly_totals.end() ? absl::ZeroDuration() : it->second;
      if (before + minutes > budget) bits |= 1 << v1::ATTENDEE_OVER_BUDGET;
    }
  }
  return bits;
}

// The reference's slots and counts, in the response's own shape.
v1::FindMeetingSlotsResponse ReferenceSearch(const Case& c) {
  const SlotSearch& s = c.query.search;
  const Reference ref = Paint(c);
  absl::TimeZone org;
  absl::LoadTimeZone(c.query.organizer_time_zone, &org);
  const int step = static_cast<int>(s.granularity / absl::Minutes(1));
  std::vector<std::tuple<int, absl::Time, v1::MeetingSlot>> qualified;
  std::map<std::pair<std::string, int>, int> counts;
  int candidates = 0;
  for (absl::Time t = s.window.start; t + s.duration <= s.window.end;
       t += absl::Minutes(1)) {
    const absl::CivilSecond local = absl::ToCivilSecond(t, org);
    if (local.second() != 0 || (local.hour() * 60 + local.minute()) % step) {
      continue;
    }
    ++candidates;
    bool ok = true;
    if (t < s.now + s.minimum_notice) {
      ok = false;
      ++counts[{"", v1::BEFORE_MINIMUM_NOTICE}];
    }
    const absl::CivilSecond midnight(absl::CivilDay{local});
    const absl::CivilSecond end = absl::ToCivilSecond(t + s.duration, org);
    if ((s.earliest_minute && local < midnight + *s.earliest_minute * 60) ||
        (s.latest_minute && end > midnight + *s.latest_minute * 60)) {
      ok = false;
      ++counts[{"", v1::OUTSIDE_LOCAL_HOURS}];
    }
    v1::MeetingSlot slot;
    *slot.mutable_interval()->mutable_start_time() = ToProtoTime(t);
    int free = 0;
    for (size_t i = 0; i < c.query.attendees.size(); ++i) {
      const SlotAttendee& a = c.query.attendees[i];
      const int bits = ReferenceObstacles(c, ref, i, t);
      if (a.required) {
        if (bits != 0) ok = false;
        for (int o = v1::ATTENDEE_BUSY; o <= v1::ATTENDEE_OVER_BUDGET; ++o) {
          if (bits & (1 << o)) ++counts[{a.name, o}];
        }
      } else if (bits == 0) {
        ++free;
        slot.add_free_optional_attendees(a.name);
      } else {
        auto* u = slot.add_unavailable_optional_attendees();
        u->set_participant(a.name);
        int o = v1::ATTENDEE_BUSY;
        while (!(bits & (1 << o))) ++o;
        u->set_reason(static_cast<v1::SlotObstacle>(o));
      }
    }
    if (ok) qualified.emplace_back(-free, t, slot);
  }
  std::stable_sort(qualified.begin(), qualified.end(),
                   [](const auto& a, const auto& b) {
                     return std::tie(std::get<0>(a), std::get<1>(a)) <
                            std::tie(std::get<0>(b), std::get<1>(b));
                   });
  v1::FindMeetingSlotsResponse r;
  for (size_t i = 0; i < qualified.size() && i < 100; ++i) {
    *r.add_slots() = std::get<2>(qualified[i]);
  }
  r.mutable_diagnosis()->set_candidate_count(candidates);
  r.mutable_diagnosis()->set_qualifying_count(qualified.size());
  // Qualifying candidates have no obstacles, so only failures were counted.
  for (const auto& [key, count] : counts) {
    auto* o = r.mutable_diagnosis()->add_obstacles();
    o->set_participant(key.first);
    o->set_obstacle(static_cast<v1::SlotObstacle>(key.second));
    o->set_candidate_count(count);
  }
  return r;
}

std::string Describe(const v1::MeetingSlot& slot) {
  std::string out = absl::FormatTime("%Y-%m-%d %H:%M",
                                     ToAbslTime(slot.interval().start_time()),
                                     absl::UTCTimeZone());
  for (const auto& name : slot.free_optional_attendees()) {
    absl::StrAppend(&out, " +", name);
  }
  for (const auto& u : slot.unavailable_optional_attendees()) {
    absl::StrAppend(&out, " -", u.participant(), ":", u.reason());
  }
  return out;
}

std::map<std::pair<std::string, int>, int> CountsOf(
    const v1::SlotSearchDiagnosis& d) {
  std::map<std::pair<std::string, int>, int> out;
  for (const auto& o : d.obstacles()) {
    out[{o.participant(), o.obstacle()}] = o.candidate_count();
  }
  return out;
}

TEST(SlotFinderOracleTest, AgreesWithMinuteByMinuteReference) {
  SeededRandom rng(20250114);
  for (int n = 0; n < 3000; ++n) {
    const Case c = RandomCase(rng);
    SCOPED_TRACE(
        absl::StrCat("case ", n, " organizer ", c.query.organizer_time_zone));
    absl::StatusOr<v1::FindMeetingSlotsResponse> got = FindSlots(c.query);
    ASSERT_TRUE(got.ok()) << got.status();
    const v1::FindMeetingSlotsResponse want = ReferenceSearch(c);
    ASSERT_EQ(got->diagnosis().candidate_count(),
              want.diagnosis().candidate_count());
    ASSERT_EQ(got->diagnosis().qualifying_count(),
              want.diagnosis().qualifying_count());
    ASSERT_EQ(got->slots_size(), want.slots_size());
    for (int i = 0; i < want.slots_size(); ++i) {
      ASSERT_EQ(Describe(got->slots(i)), Describe(want.slots(i))) << i;
    }
    ASSERT_EQ(CountsOf(got->diagnosis()), CountsOf(want.diagnosis()));
  }
}

}  // namespace
}  // namespace salesmeet::scheduling
