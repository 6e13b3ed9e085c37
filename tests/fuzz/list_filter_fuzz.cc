// The List methods' filter language (common/list_filter.h): the input is
// the filter text. Besides not crashing, a filter that parses must name
// only known fields, each once, and must parse to the same terms again when
// written back out with every value quoted; its canonical form must not
// depend on the order of its terms.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/list_filter.h"
#include "tests/fuzz/fuzz_support.h"

namespace salesmeet::fuzz {
namespace {

// Every field some List method accepts (participants, teams, meetings).
const std::set<std::string>& KnownFields() {
  static const auto* fields =
      new std::set<std::string>{"kind",
                                "role",
                                "team",
                                "customer.lifecycle",
                                "customer.account_owner",
                                "manager",
                                "participant",
                                "organizer",
                                "state",
                                "purpose",
                                "format",
                                "audience"};
  return *fields;
}

std::string Quote(const std::string& value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

bool SameTerms(const std::vector<FilterTerm>& a,
               const std::vector<FilterTerm>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const FilterTerm& x, const FilterTerm& y) {
                      return x.field == y.field && x.value == y.value;
                    });
}

}  // namespace
}  // namespace salesmeet::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace salesmeet;
  using namespace salesmeet::fuzz;
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<std::vector<FilterTerm>> terms =
      ParseFilter(text, KnownFields());
  if (!terms.ok()) {
    Check(terms.status().code() == absl::StatusCode::kInvalidArgument,
          "a bad filter is INVALID_ARGUMENT");
    return 0;
  }
  std::set<std::string> seen;
  for (const FilterTerm& term : *terms) {
    Check(KnownFields().count(term.field) > 0, "only known fields parse");
    Check(seen.insert(term.field).second, "no field appears twice");
  }

  std::vector<std::string> quoted;
  for (const FilterTerm& term : *terms) {
    quoted.push_back(absl::StrCat(term.field, " = ", Quote(term.value)));
  }
  const std::string written = absl::StrJoin(quoted, " AND ");
  absl::StatusOr<std::vector<FilterTerm>> again =
      ParseFilter(written, KnownFields());
  // Quoting can lengthen a filter past the 2000-character limit.
  if (written.size() <= 2000) {
    Check(again.ok() && SameTerms(*terms, *again),
          "a filter written back with quoted values parses to the same terms");
  }

  std::vector<FilterTerm> reversed(terms->rbegin(), terms->rend());
  Check(CanonicalFilter(*terms) == CanonicalFilter(reversed),
        "the canonical filter does not depend on the order of terms");
  return 0;
}
