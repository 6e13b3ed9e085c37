#include "services/scheduling/calendars/slot_finder.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/field_checks.h"
#include "services/scheduling/calendars/attendee_timeline.h"

namespace salesmeet::scheduling {
namespace {

constexpr absl::Duration kDiagnosisReach = absl::Hours(24 * 90);

// In SlotObstacle order, which is also the order an optional attendee's
// "first reason found" is picked in.
constexpr std::array<std::pair<uint8_t, v1::SlotObstacle>, 5> kObstacles = {{
    {kBusy, v1::ATTENDEE_BUSY},
    {kBuffer, v1::ATTENDEE_BUFFER},
    {kOffHours, v1::ATTENDEE_OUTSIDE_WORKING_HOURS},
    {kTimeOff, v1::ATTENDEE_TIME_OFF},
    {kOverBudget, v1::ATTENDEE_OVER_BUDGET},
}};

// Every instant in [first, last] whose local time in `zone` is a whole
// multiple of `step` past local midnight, in time order.
std::vector<absl::Time> CandidateStarts(absl::TimeZone zone,
                                        absl::Duration step, absl::Time first,
                                        absl::Time last) {
  std::vector<absl::Time> out;
  if (last < first) return out;
  const int step_minutes = static_cast<int>(step / absl::Minutes(1));
  const absl::CivilDay end = absl::ToCivilDay(last, zone) + 1;
  for (absl::CivilDay day = absl::ToCivilDay(first, zone) - 1; day <= end;
       ++day) {
    for (int minute = 0; minute < 24 * 60; minute += step_minutes) {
      const auto info = zone.At(absl::CivilSecond(day) + minute * 60);
      // A repeated local time happens twice, and both are candidates; a
      // skipped one never happens.
      if (info.kind == absl::TimeZone::TimeInfo::SKIPPED) continue;
      for (absl::Time t : {info.pre, info.post}) {
        if (t >= first && t <= last && (out.empty() || out.back() != t)) {
          out.push_back(t);
        }
      }
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// What one candidate runs into.
struct Verdict {
  bool past = false;           // Starts before now.
  bool before_notice = false;  // Starts before now + minimum_notice.
  bool outside_local = false;  // Outside earliest/latest local time.
  std::vector<uint8_t> bits;   // Per attendee, in query order.
};

// Judges candidates in time order for every attendee.
class Sweep {
 public:
  static absl::StatusOr<Sweep> Start(const SlotQuery& query,
                                     absl::TimeZone zone, TimeSpan horizon) {
    Sweep sweep(query, zone);
    for (const SlotAttendee& a : query.attendees) {
      absl::StatusOr<AttendeeTimeline> t =
          AttendeeTimeline::Build(a, horizon, query.search.check_weekly_budget);
      if (!t.ok()) return t.status();
      sweep.timelines_.push_back(*std::move(t));
    }
    sweep.verdict_.bits.resize(query.attendees.size());
    return sweep;
  }

  const Verdict& Judge(absl::Time start) {
    const SlotSearch& s = query_->search;
    const TimeSpan slot{start, start + s.duration};
    verdict_.past = start < s.now;
    verdict_.before_notice = start < s.now + s.minimum_notice;
    verdict_.outside_local = false;
    if (s.earliest_minute.has_value() || s.latest_minute.has_value()) {
      const absl::CivilSecond local = absl::ToCivilSecond(start, zone_);
      const absl::CivilSecond midnight(absl::CivilDay{local});
      verdict_.outside_local =
          (s.earliest_minute.has_value() &&
           local < midnight + *s.earliest_minute * 60) ||
          (s.latest_minute.has_value() && absl::ToCivilSecond(slot.end, zone_) >
                                              midnight + *s.latest_minute * 60);
    }
    for (size_t i = 0; i < timelines_.size(); ++i) {
      verdict_.bits[i] =
          timelines_[i].Obstacles(slot, s.buffer_before, s.buffer_after);
    }
    return verdict_;
  }

  // Whether the verdict qualifies once `dropped` is ignored
  // (SLOT_CONSTRAINT_UNSPECIFIED: nothing is).
  bool Qualifies(const Verdict& v, v1::SlotConstraint dropped) const {
    if (dropped == v1::MINIMUM_NOTICE ? v.past : v.before_notice) return false;
    if (dropped != v1::LOCAL_HOURS && v.outside_local) return false;
    const uint8_t ignored = dropped == v1::BUFFERS         ? kBuffer
                            : dropped == v1::WEEKLY_BUDGET ? kOverBudget
                                                           : 0;
    for (size_t i = 0; i < v.bits.size(); ++i) {
      if (query_->attendees[i].required && (v.bits[i] & ~ignored) != 0) {
        return false;
      }
    }
    return true;
  }

 private:
  Sweep(const SlotQuery& query, absl::TimeZone zone)
      : query_(&query), zone_(zone) {}

  const SlotQuery* query_;
  absl::TimeZone zone_;
  std::vector<AttendeeTimeline> timelines_;
  Verdict verdict_;
};

int FreeOptional(const SlotQuery& query, const uint8_t* bits) {
  int free = 0;
  for (size_t i = 0; i < query.attendees.size(); ++i) {
    if (!query.attendees[i].required && bits[i] == 0) ++free;
  }
  return free;
}

v1::MeetingSlot MakeSlot(const SlotQuery& query, absl::Time start,
                         const uint8_t* bits) {
  v1::MeetingSlot slot;
  *slot.mutable_interval()->mutable_start_time() = ToProtoTime(start);
  *slot.mutable_interval()->mutable_end_time() =
      ToProtoTime(start + query.search.duration);
  for (size_t i = 0; i < query.attendees.size(); ++i) {
    const SlotAttendee& a = query.attendees[i];
    if (a.required) continue;
    if (bits[i] == 0) {
      slot.add_free_optional_attendees(a.name);
      continue;
    }
    v1::UnavailableAttendee& out = *slot.add_unavailable_optional_attendees();
    out.set_participant(a.name);
    for (const auto& [bit, obstacle] : kObstacles) {
      if ((bits[i] & bit) != 0) {
        out.set_reason(obstacle);
        break;
      }
    }
  }
  if (query.cost.has_value()) *slot.mutable_cost() = *query.cost;
  return slot;
}

// A qualifying candidate, with its attendees' bits at `bits_at` in a flat
// store so the ranking need not keep a vector per candidate.
struct Qualified {
  absl::Time start;
  int free_optional;
  size_t bits_at;
};

}  // namespace

absl::StatusOr<v1::FindMeetingSlotsResponse> FindSlots(const SlotQuery& query) {
  absl::StatusOr<absl::TimeZone> zone =
      LoadIanaTimeZone(query.organizer_time_zone);
  if (!zone.ok()) {
    return absl::InternalError(absl::StrCat("organizer time zone not known: ",
                                            query.organizer_time_zone));
  }
  const SlotSearch& s = query.search;
  const size_t n = query.attendees.size();
  v1::FindMeetingSlotsResponse response;
  response.set_time_zone(query.organizer_time_zone);
  v1::SlotSearchDiagnosis& diagnosis = *response.mutable_diagnosis();

  const TimeSpan horizon{s.window.start - s.buffer_before,
                         s.window.end + s.buffer_after};
  absl::StatusOr<Sweep> sweep = Sweep::Start(query, *zone, horizon);
  if (!sweep.ok()) return sweep.status();
  const std::vector<absl::Time> candidates = CandidateStarts(
      *zone, s.granularity, s.window.start, s.window.end - s.duration);

  std::vector<Qualified> qualified;
  std::vector<uint8_t> qualified_bits;
  // Per attendee: candidates each obstacle bit ruled out, and any of them.
  std::vector<std::array<int, kObstacles.size()>> by_obstacle(n);
  std::vector<int> by_attendee(n, 0);
  int before_notice = 0, outside_local = 0;
  // Indexed by SlotConstraint: candidates it rules out, and the first one
  // that qualifies without it.
  std::array<int, 5> by_constraint{};
  std::array<std::optional<v1::MeetingSlot>, 5> first_without;

  for (absl::Time start : candidates) {
    const Verdict& v = sweep->Judge(start);
    if (sweep->Qualifies(v, v1::SLOT_CONSTRAINT_UNSPECIFIED)) {
      qualified.push_back(
          {start, FreeOptional(query, v.bits.data()), qualified_bits.size()});
      qualified_bits.insert(qualified_bits.end(), v.bits.begin(), v.bits.end());
      continue;
    }
    before_notice += v.before_notice;
    outside_local += v.outside_local;
    uint8_t any_required = 0;
    for (size_t i = 0; i < n; ++i) {
      if (!query.attendees[i].required || v.bits[i] == 0) continue;
      any_required |= v.bits[i];
      ++by_attendee[i];
      for (size_t k = 0; k < kObstacles.size(); ++k) {
        by_obstacle[i][k] += (v.bits[i] & kObstacles[k].first) != 0;
      }
    }
    by_constraint[v1::BUFFERS] += (any_required & kBuffer) != 0;
    by_constraint[v1::MINIMUM_NOTICE] += v.before_notice && !v.past;
    by_constraint[v1::LOCAL_HOURS] += v.outside_local;
    by_constraint[v1::WEEKLY_BUDGET] += (any_required & kOverBudget) != 0;
    for (int c = v1::BUFFERS; c <= v1::WEEKLY_BUDGET; ++c) {
      if (!first_without[c].has_value() &&
          sweep->Qualifies(v, static_cast<v1::SlotConstraint>(c))) {
        first_without[c] = MakeSlot(query, start, v.bits.data());
      }
    }
  }

  // Best first: most optional attendees free, then earliest. Candidates are
  // already in time order, so a stable sort on the count is enough.
  std::stable_sort(qualified.begin(), qualified.end(),
                   [](const Qualified& a, const Qualified& b) {
                     return a.free_optional > b.free_optional;
                   });
  const size_t shown = std::min<size_t>(qualified.size(), s.max_results);
  for (size_t i = 0; i < shown; ++i) {
    *response.add_slots() = MakeSlot(query, qualified[i].start,
                                     &qualified_bits[qualified[i].bits_at]);
  }

  diagnosis.set_candidate_count(static_cast<int>(candidates.size()));
  diagnosis.set_qualifying_count(static_cast<int>(qualified.size()));
  std::vector<v1::ObstacleCount> obstacles;
  auto add_count = [&](const std::string& who, v1::SlotObstacle what,
                       int count) {
    if (count == 0) return;
    v1::ObstacleCount& c = obstacles.emplace_back();
    c.set_participant(who);
    c.set_obstacle(what);
    c.set_candidate_count(count);
  };
  add_count("", v1::BEFORE_MINIMUM_NOTICE, before_notice);
  add_count("", v1::OUTSIDE_LOCAL_HOURS, outside_local);
  for (size_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < kObstacles.size(); ++k) {
      add_count(query.attendees[i].name, kObstacles[k].second,
                by_obstacle[i][k]);
    }
  }
  std::sort(obstacles.begin(), obstacles.end(),
            [](const v1::ObstacleCount& a, const v1::ObstacleCount& b) {
              if (a.candidate_count() != b.candidate_count()) {
                return a.candidate_count() > b.candidate_count();
              }
              if (a.participant() != b.participant()) {
                return a.participant() < b.participant();
              }
              return a.obstacle() < b.obstacle();
            });
  for (v1::ObstacleCount& c : obstacles) {
    *diagnosis.add_obstacles() = std::move(c);
  }
  if (!qualified.empty()) return response;

  // Nothing qualified: who and what to blame, and what would work instead.
  // Ties go to the attendee listed first.
  size_t worst = n;
  for (size_t i = 0; i < n; ++i) {
    if (by_attendee[i] > 0 &&
        (worst == n || by_attendee[i] > by_attendee[worst])) {
      worst = i;
    }
  }
  if (worst < n) {
    diagnosis.set_most_blocking_attendee(query.attendees[worst].name);
    diagnosis.set_most_blocking_attendee_candidate_count(by_attendee[worst]);
  }
  int constraint = 0;
  for (int c = v1::BUFFERS; c <= v1::WEEKLY_BUDGET; ++c) {
    if (by_constraint[c] > 0 &&
        (constraint == 0 || by_constraint[c] > by_constraint[constraint])) {
      constraint = c;
    }
  }
  if (constraint != 0) {
    diagnosis.set_most_blocking_constraint(
        static_cast<v1::SlotConstraint>(constraint));
    if (first_without[constraint].has_value()) {
      *diagnosis.mutable_first_slot_without_constraint() =
          *std::move(first_without[constraint]);
    }
  }

  // Widening the window: the earliest start whose slot is not inside the
  // window but ends within 90 days past it.
  const absl::Time wide_end = s.window.end + kDiagnosisReach;
  absl::StatusOr<Sweep> wide =
      Sweep::Start(query, *zone, {horizon.start, wide_end + s.buffer_after});
  if (!wide.ok()) return wide.status();
  const absl::Time first_outside = std::max(
      s.window.start, s.window.end - s.duration + absl::Nanoseconds(1));
  for (absl::Time start : CandidateStarts(*zone, s.granularity, first_outside,
                                          wide_end - s.duration)) {
    const Verdict& v = wide->Judge(start);
    if (wide->Qualifies(v, v1::SLOT_CONSTRAINT_UNSPECIFIED)) {
      *diagnosis.mutable_first_slot_after_window() =
          MakeSlot(query, start, v.bits.data());
      break;
    }
  }
  return response;
}

}  // namespace salesmeet::scheduling
