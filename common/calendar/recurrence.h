#ifndef SALESMEET_COMMON_CALENDAR_RECURRENCE_H_
#define SALESMEET_COMMON_CALENDAR_RECURRENCE_H_

// Recurring series: RFC 5545 RRULE + EXDATE, expanded with libical in local
// civil time of the meeting's zone, each instance turned into an absolute
// time by absl::TimeZone. The rules for local times that do not exist or
// exist twice are documented in proto/salesmeet/scheduling/v1/recurrence.proto
// and implemented in ToAbsolute().

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace salesmeet {

// The local civil time `local` in `zone` as an absolute time. A time inside
// a spring-forward gap moves forward by the gap (02:30 -> 03:30); a time
// that happens twice takes the first, earlier instant.
absl::Time ToAbsolute(absl::CivilSecond local, absl::TimeZone zone);

// When a meeting happens: one start, or a rule that repeats it.
struct SeriesTiming {
  absl::Time start;  // The first occurrence (the only one when rrule is empty).
  absl::Duration duration;
  absl::TimeZone zone;
  std::string rrule;  // Without the "RRULE:" prefix; empty for a single one.
  std::vector<absl::Time> exdates;
};

// A rule that passed validation: well-formed, one of the supported shapes,
// and consistent with its series' start and duration.
class Recurrence {
 public:
  // Checks `timing` and returns a Recurrence ready to expand, or
  // INVALID_ARGUMENT naming `rrule_field` (e.g. "meeting.recurrence.rrule")
  // or `exdates_field`. `check_until` bounds how far the consistency checks
  // (no self-overlap, EXDATEs that match an occurrence) look.
  static absl::StatusOr<Recurrence> Create(SeriesTiming timing,
                                           absl::string_view rrule_field,
                                           absl::string_view exdates_field,
                                           absl::Time check_until);

  // For a series that passed Create() when it was written: parses the rule
  // but skips the consistency checks, which would cost a full expansion on
  // every read. last_start() is unknown (nullopt) for such a series.
  static absl::StatusOr<Recurrence> FromStored(SeriesTiming timing);

  const SeriesTiming& timing() const { return timing_; }
  bool recurring() const { return !timing_.rrule.empty(); }
  // The last possible original start, or nullopt when the series never ends.
  std::optional<absl::Time> last_start() const { return last_start_; }

  // Original start times of the occurrences whose [start, start + duration)
  // overlaps [from, to), in order, EXDATEs removed; at most `limit`.
  std::vector<absl::Time> OriginalStarts(absl::Time from, absl::Time to,
                                         size_t limit = 100000) const;

  // True when `original_start` is an occurrence of the rule (EXDATEs
  // included or not, as asked).
  bool IsOccurrence(absl::Time original_start, bool include_excluded) const;

 private:
  explicit Recurrence(SeriesTiming timing) : timing_(std::move(timing)) {}

  // Syntax and supported parts; sets until_ and libical_rule_. `bounded`
  // tells whether the rule has COUNT or UNTIL.
  static absl::StatusOr<Recurrence> Parse(SeriesTiming timing,
                                          absl::string_view rrule_field,
                                          bool* bounded);

  // Rule-generated starts in [skip_before, to), EXDATEs kept, in order; at
  // most `limit`.
  std::vector<absl::Time> RuleStarts(absl::Time to, size_t limit,
                                     absl::Time skip_before) const;

  SeriesTiming timing_;
  std::string libical_rule_;         // The rule without UNTIL.
  std::optional<absl::Time> until_;  // From the rule's UNTIL.
  std::optional<absl::Time> last_start_;
};

// Rewrites `rrule` so that the series ends just before `cut`: COUNT and
// UNTIL are replaced by UNTIL = cut - 1 second, in UTC.
std::string TruncatedRule(absl::string_view rrule, absl::Time cut);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_CALENDAR_RECURRENCE_H_
