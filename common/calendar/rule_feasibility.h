#ifndef SALESMEET_COMMON_CALENDAR_RULE_FEASIBILITY_H_
#define SALESMEET_COMMON_CALENDAR_RULE_FEASIBILITY_H_

// Recurrence rules that can never occur. Given one, libical looks for a
// first occurrence month by month (or day by day) up to the year 2582
// before it gives up: FREQ=MONTHLY;BYDAY=-6FR costs two seconds of CPU, and
// every request naming it would. Recurrence refuses such rules before
// libical sees them.

#include <map>
#include <optional>
#include <string>

#include "absl/time/civil_time.h"

namespace salesmeet {

// Why the BY parts of an RRULE can never hold together on any date, e.g.
// "BYDAY=-6FR: no month has a sixth Friday from its end", or nullopt when
// some date may meet them (including whenever this cannot tell). `parts`
// maps upper-case keys to upper-case values; `start` is the series' first
// day in its own time zone (the phase of INTERVAL and its weekday).
// Never refuses a rule that has an occurrence.
std::optional<std::string> WhyRuleNeverOccurs(
    const std::map<std::string, std::string>& parts, absl::CivilDay start);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_CALENDAR_RULE_FEASIBILITY_H_
