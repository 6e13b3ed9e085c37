#ifndef SALESMEET_SERVICES_SCHEDULING_CALENDARS_FREE_BUSY_ORACLE_MODEL_H_
#define SALESMEET_SERVICES_SCHEDULING_CALENDARS_FREE_BUSY_ORACLE_MODEL_H_

// The free/busy oracle test's own model of an organisation: random people
// with zones, working weeks and time off, and the meetings it booked with
// their occurrences expanded independently of the code under test (see
// free_busy_oracle_test.cc).

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/calendar/time_span.h"
#include "salesmeet/participant/v1/participant.pb.h"
#include "salesmeet/scheduling/v1/meeting.pb.h"
#include "services/scheduling/calendars/seeded_random.h"
#include "services/scheduling/scheduling_test_fixture.h"

namespace salesmeet::scheduling {
// Inline, so the test reads these names unqualified; a clash with the
// library's names fails to compile instead of hiding.
inline namespace free_busy_oracle {

inline constexpr const char* kZones[] = {
    "Europe/Rome",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Europe/London",
    "Pacific/Auckland",
    "Asia/Kathmandu",
    "America/Santiago",  // Changes its clocks at local midnight.
    "UTC"};

// Each organisation lives around one of these days (its "now"); its
// meetings and queries reach from 25 days before to 70 days after, so they
// cross 2026's clock changes in the US, the EU, Chile, Australia and NZ.
inline constexpr int kBaseDays[][3] = {
    {2026, 3, 1},  {2026, 3, 20},  {2026, 4, 1}, {2026, 8, 25},
    {2026, 9, 20}, {2026, 10, 15}, {2026, 1, 10}};

inline constexpr const char* kReasons[] = {"", "Annual leave", "Sick",
                                           "Conference"};

inline absl::TimeZone Zone(const std::string& name) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(name, &zone)) << name;
  return zone;
}

// The project's rule for a local time: one in a spring-forward gap moves
// forward by the gap (absl's "pre" offset), one that happens twice takes
// the earlier instant (also "pre").
inline absl::Time Local(absl::CivilMinute local, absl::TimeZone zone) {
  return zone.At(absl::CivilSecond(local)).pre;
}

// What the random organisations exercised, printed at the end.
struct Stats {
  int meetings = 0, series = 0, unbounded = 0, moved = 0, move_refused = 0,
      occurrences_cancelled = 0, meetings_cancelled = 0, declined = 0,
      occurrences_in_gap = 0, occurrences_in_overlap = 0, block_ends_in_gap = 0,
      block_ends_in_overlap = 0;
} stats;

inline void CountLocal(absl::CivilMinute local, absl::TimeZone zone,
                       int& in_gap, int& in_overlap) {
  const auto kind = zone.At(absl::CivilSecond(local)).kind;
  if (kind == absl::TimeZone::TimeInfo::SKIPPED) ++in_gap;
  if (kind == absl::TimeZone::TimeInfo::REPEATED) ++in_overlap;
}

// A weekly working-hour block: absl weekday (Monday 0), minutes past local
// midnight, end up to 1440 (24:00).
struct Block {
  int weekday;
  int start;
  int end;
};

struct Person {
  std::string id;  // "o3p1"
  std::string name;
  std::string zone_name;
  absl::TimeZone zone;
  std::vector<Block> week;
  struct Off {
    TimeSpan span;
    std::string reason;
  };
  std::vector<Off> time_off;
};

struct Occurrence {
  absl::Time original;
  TimeSpan span;
  bool cancelled = false;
};

struct Booked {
  std::string name;  // "meetings/..."
  std::vector<int> attendees;
  std::vector<Occurrence> occurrences;  // Up to the organisation's horizon.
  bool recurring = false;
  bool cancelled = false;
};

struct Organisation {
  absl::Time base;
  TimeSpan reach;  // Every query window lies inside.
  std::vector<Person> people;
  std::vector<Booked> meetings;
};

inline google::type::TimeOfDay TimeOfDayAt(int minute) {
  google::type::TimeOfDay t;
  t.set_hours(minute / 60);
  t.set_minutes(minute % 60);
  return t;
}

// Non-overlapping blocks per day, in quarter hours, often touching midnight
// so that days join up across it.
inline std::vector<Block> RandomWeek(SeededRandom& rng,
                                     const std::string& zone) {
  std::vector<Block> blocks;
  const int shape = rng.Int(0, 5);
  if (shape == 0) {
    for (int d = 0; d < 5; ++d) blocks.push_back({d, 9 * 60, 17 * 60});
  } else if (shape == 1 && zone == "America/Los_Angeles") {
    // 15:00-24:00 local is 23:00-08:00 UTC (22:00-07:00 in summer).
    for (int d = 0; d < 5; ++d) blocks.push_back({d, 15 * 60, 24 * 60});
  } else if (shape == 1) {
    // Early hours, e.g. Tokyo 00:00-06:00 is the previous UTC day.
    for (int d = 0; d < 6; ++d) {
      blocks.push_back({d, 0, 6 * 60});
      blocks.push_back({d, 20 * 60, 24 * 60});
    }
  } else if (shape == 2) {
    // The small hours, where the clocks change.
    for (int d = 0; d < 7; ++d) {
      blocks.push_back({d, 0, rng.Int(4, 14) * 15});
      blocks.push_back({d, rng.Int(17, 95) * 15, 24 * 60});
    }
  } else {
    for (int d = 0; d < 7; ++d) {
      std::vector<int> cuts;
      for (int n = rng.Int(0, 3) * 2; n > 0; --n) {
        cuts.push_back(rng.Chance(15) ? (rng.Chance(50) ? 0 : 96) * 15
                                      : rng.Int(0, 96) * 15);
      }
      std::sort(cuts.begin(), cuts.end());
      cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
      for (size_t i = 0; i + 1 < cuts.size(); i += 2) {
        blocks.push_back({d, cuts[i], cuts[i + 1]});
      }
    }
  }
  return blocks;
}

// The occurrences of a series as the test expects them: the first one's
// local civil time in `zone`, repeated every `step_days` local dates,
// `count` times or (count 0) until past `until`.
inline std::vector<Occurrence> Expand(absl::CivilMinute first,
                                      absl::TimeZone zone,
                                      absl::Duration length, int step_days,
                                      int count, absl::Time until) {
  std::vector<Occurrence> out;
  const absl::CivilDay day(first);
  const int minute = first.hour() * 60 + first.minute();
  for (int k = 0; count == 0 || k < count; ++k) {
    const absl::CivilMinute local =
        absl::CivilMinute(day + k * step_days) + minute;
    const absl::Time start = Local(local, zone);
    if (count == 0 && start > until) break;
    CountLocal(local, zone, stats.occurrences_in_gap,
               stats.occurrences_in_overlap);
    out.push_back({start, {start, start + length}});
  }
  return out;
}

// The earlier local side of a clock change in `zone` within the
// organisation's reach (02:00 for both of Rome's), if there is one.
inline bool Transition(const Organisation& o, absl::TimeZone zone,
                       absl::CivilSecond& local) {
  absl::TimeZone::CivilTransition t;
  if (!zone.NextTransition(o.reach.start, &t)) return false;
  if (zone.At(t.from).pre > o.reach.end + absl::Hours(24)) return false;
  local = std::min(t.from, t.to);
  return true;
}

}  // namespace free_busy_oracle
}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_CALENDARS_FREE_BUSY_ORACLE_MODEL_H_
