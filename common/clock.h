#ifndef SALESMEET_COMMON_CLOCK_H_
#define SALESMEET_COMMON_CLOCK_H_

// "Now" as the services' users see it: the booking horizon, create and
// update times, report defaults, the feed's commit times. Timers (deadlines,
// cache lifetimes, heartbeats) keep using real time, so a pinned clock never
// stops a cache from expiring.

#include <functional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace salesmeet {

using Clock = std::function<absl::Time()>;

// The real clock.
Clock RealClock();

// A clock that reads `start` at the moment it is made and then runs on with
// real time, as a machine whose clock was set to `start` would.
Clock ClockStartingAt(absl::Time start);

// The clock --testing_now asks for: the real one when the flag is empty,
// otherwise ClockStartingAt the flag's RFC 3339 time. A value that does not
// parse is INVALID_ARGUMENT naming the flag.
absl::StatusOr<Clock> ClockFromFlags();

// Parses --testing_now's value; exposed for its test.
absl::StatusOr<absl::Time> ParseTestingNow(absl::string_view value);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_CLOCK_H_
