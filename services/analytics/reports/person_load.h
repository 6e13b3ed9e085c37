#ifndef SALESMEET_SERVICES_ANALYTICS_REPORTS_PERSON_LOAD_H_
#define SALESMEET_SERVICES_ANALYTICS_REPORTS_PERSON_LOAD_H_

// One employee's row of the meeting load report: their attended meetings
// set against their working hours, time off and weekly budget, in their own
// time zone, with scheduling's arithmetic (Availability, IsoWeekOf,
// WeekStart).

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "common/calendar/time_span.h"
#include "salesmeet/analytics/v1/reports.pb.h"
#include "salesmeet/participant/v1/participant.pb.h"

namespace salesmeet::analytics {

namespace av1 = ::salesmeet::analytics::v1;
namespace pv1 = ::salesmeet::participant::v1;

// The window whose occurrences a person's row needs: the range, and enough
// around it to hold every ISO week the range touches in any time zone
// (budgets judge those weeks whole).
TimeSpan LoadCollectionWindow(TimeSpan range);

// A span as whole unix seconds, [start, end): the row arithmetic runs over
// a year of a person's meetings and working days for every row, and plain
// integers keep it a few instructions per span (meetings start on whole
// seconds).
struct SpanSeconds {
  int64_t start;
  int64_t end;
  int64_t length() const { return end - start; }
};

// A row and its sort key.
struct PersonLoad {
  av1::ParticipantLoad row;
  absl::Duration over_budget;
};

// Computes rows for one report: its range and focus minimum, and the
// working hours already placed for each distinct zone and weekly schedule
// (most people share a few), which is most of a row's work.
class LoadCalculator {
 public:
  LoadCalculator(TimeSpan range, absl::Duration focus_block_minimum);

  // The row of `name`, from the whole spans (unix seconds) of the
  // occurrences they attend that overlap LoadCollectionWindow(range) (any
  // order; overlaps allowed), and their participant record now. `record` is
  // null for someone deleted since: their row has the meeting time in UTC and,
  // their hours and budget being unknown, no working, focus, outside-hours or
  // over-budget time. Outside-hours time, like meeting_time, counts overlapping
  // meetings each in full, so it never exceeds meeting_time.
  PersonLoad Compute(const std::string& name, const pv1::Participant* record,
                     std::vector<SpanSeconds> spans);

 private:
  // Working spans in wide_ before time off, for `record`'s zone and hours,
  // in unix seconds.
  const std::vector<SpanSeconds>& ScheduledSpans(
      const pv1::Participant& record);

  const TimeSpan range_;
  const absl::Duration focus_minimum_;
  // range_ widened by focus_minimum_ on both sides: a free block is judged
  // by its whole length, and one reaching that far is long enough anyway.
  const TimeSpan wide_;
  absl::flat_hash_map<std::string, std::vector<SpanSeconds>> scheduled_;
};

}  // namespace salesmeet::analytics

#endif  // SALESMEET_SERVICES_ANALYTICS_REPORTS_PERSON_LOAD_H_
