#include "common/clock.h"

#include <string>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

ABSL_FLAG(std::string, testing_now, "",
          "Testing only: the service's clock starts at this RFC 3339 time "
          "(e.g. 2028-02-29T23:30:00Z) and runs on from there; empty uses "
          "the real clock");

namespace salesmeet {

Clock RealClock() {
  return [] { return absl::Now(); };
}

Clock ClockStartingAt(absl::Time start) {
  const absl::Duration offset = start - absl::Now();
  return [offset] { return absl::Now() + offset; };
}

absl::StatusOr<absl::Time> ParseTestingNow(absl::string_view value) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, value, &t, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--testing_now must be an RFC 3339 time such as "
                     "2028-02-29T23:30:00Z: ",
                     error));
  }
  return t;
}

absl::StatusOr<Clock> ClockFromFlags() {
  const std::string value = absl::GetFlag(FLAGS_testing_now);
  if (value.empty()) return RealClock();
  absl::StatusOr<absl::Time> start = ParseTestingNow(value);
  if (!start.ok()) return start.status();
  return ClockStartingAt(*start);
}

}  // namespace salesmeet
