#ifndef SALESMEET_COMMON_CALENDAR_TIME_SPAN_H_
#define SALESMEET_COMMON_CALENDAR_TIME_SPAN_H_

// Spans of absolute time and concrete occurrences: the vocabulary every
// calendar rule here, and both services, count time in.

#include "absl/time/time.h"

namespace salesmeet {

// A half-open span of absolute time, [start, end).
struct TimeSpan {
  absl::Time start;
  absl::Time end;

  absl::Duration length() const { return end - start; }
  bool Overlaps(const TimeSpan& other) const {
    return start < other.end && other.start < end;
  }
  friend bool operator==(const TimeSpan& a, const TimeSpan& b) {
    return a.start == b.start && a.end == b.end;
  }
};

// One concrete occurrence of a meeting: where the rule put it
// (original_start, its identity) and where it actually is, exceptions
// applied.
struct OccurrenceTime {
  absl::Time original_start;
  TimeSpan span;
};

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_CALENDAR_TIME_SPAN_H_
