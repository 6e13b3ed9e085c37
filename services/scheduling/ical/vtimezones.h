#ifndef SALESMEET_SERVICES_SCHEDULING_ICAL_VTIMEZONES_H_
#define SALESMEET_SERVICES_SCHEDULING_ICAL_VTIMEZONES_H_

// VTIMEZONE components (RFC 5545 3.6.5) for IANA zones, from libical's
// reading of the system's zoneinfo: the same tzdata absl uses, so an
// exported calendar agrees with how salesmeet expanded it. libical shares
// one cache of zones between threads and iterates their components in
// place, so components are built once, under a lock, and kept as text.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace salesmeet::scheduling {

// The VTIMEZONE for `zone` (e.g. "Europe/Rome"), its TZID the IANA name
// (libical would prefix its own), cut to the rules in force from January
// of `from_year` on. NOT_FOUND when the zone is unknown.
absl::StatusOr<std::string> VTimezoneText(absl::string_view zone,
                                          int from_year);

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_ICAL_VTIMEZONES_H_
