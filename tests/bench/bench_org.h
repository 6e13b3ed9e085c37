#ifndef SALESMEET_TESTS_BENCH_BENCH_ORG_H_
#define SALESMEET_TESTS_BENCH_BENCH_ORG_H_

// The benchmarks' organisation: sales reps "participants/rep-N" in one zone,
// a calendar of half-hour slots in the working week, and groups of three
// reps that never repeat anyone within a slot.

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/participant_records.h"
#include "google/protobuf/timestamp.pb.h"
#include "salesmeet/participant/v1/participant_service.pb.h"

namespace salesmeet::bench {

inline constexpr char kBenchZone[] = "Europe/Rome";

// "participants/rep-{i}".
std::string Rep(int i);

// CreateParticipant for rep `i`: a sales rep in kBenchZone at 50-89 EUR an
// hour with the given weekly meeting budget.
participant::v1::CreateParticipantRequest RepRequest(int i,
                                                     absl::Duration budget);

// The people of group `group` in a slot: a permutation of the first
// `people` reps, turned by `rotation`, cut into threes, so a slot never
// holds anyone twice.
std::vector<std::string> Group(int people, int rotation, int group);

// Monday of the current week in kBenchZone, and the half-hour slots of the
// working days from 09:00.
// `t` to the second, as the API's timestamps.
void SetTime(absl::Time t, google::protobuf::Timestamp* out);

// Creates `count` sales reps (RepRequest(0..count-1), 40 h weekly budget)
// through the participant service at `address`; stops the bench on error.
ParticipantsByName CreateOrg(const std::string& address, int count);

class SlotCalendar {
 public:
  SlotCalendar();
  absl::Time SlotStart(int week, int day, int slot) const;
  absl::Time Monday() const;

 private:
  absl::TimeZone zone_;
  absl::CivilDay monday_;
};

}  // namespace salesmeet::bench

#endif  // SALESMEET_TESTS_BENCH_BENCH_ORG_H_
