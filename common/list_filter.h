#ifndef SALESMEET_COMMON_LIST_FILTER_H_
#define SALESMEET_COMMON_LIST_FILTER_H_

// The filter language of our List methods: a subset of AIP-160 made of
// equality terms joined by AND, e.g.
//   kind = EMPLOYEE AND team = "teams/emea-sales"
// Each service decides which fields it accepts and what values mean.

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace salesmeet {

struct FilterTerm {
  std::string field;
  std::string value;
};

// Parses `filter`. Syntax errors, unknown fields and a field given twice are
// INVALID_ARGUMENT naming `request_field`. An empty filter has no terms.
absl::StatusOr<std::vector<FilterTerm>> ParseFilter(
    absl::string_view filter, const std::set<std::string>& known_fields,
    absl::string_view request_field = "filter");

// A canonical text for the terms (sorted by field), so that equivalent
// filters share page tokens and different ones never do.
std::string CanonicalFilter(std::vector<FilterTerm> terms);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_LIST_FILTER_H_
