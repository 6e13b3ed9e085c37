#ifndef SALESMEET_SERVICES_ANALYTICS_REPORTS_REPORT_PAGES_H_
#define SALESMEET_SERVICES_ANALYTICS_REPORTS_REPORT_PAGES_H_

// Pages of a report computed whole on every call: the page token seals an
// offset into the report's ordering, so a page is a slice of the rows.

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/errors.h"
#include "common/page_token.h"

namespace salesmeet::analytics {

// The page size a paged report gets: 50 by default, at most 1000. A
// negative size is added to `errors` (naming page_size).
int CheckPageSize(int requested, FieldErrors& errors);

// The rows [begin, end) of one page, and the token for the next page (empty
// on the last one).
struct PageSlice {
  size_t begin = 0;
  size_t end = 0;
  std::string next_page_token;
};

// The page of `total` rows that `page_token` (empty: the first page) asks
// for. `report` names the report ("GetMeetingLoadReport") and `query` is a
// canonical form of every request field except page size and token, so a
// token is refused by another report or query: INVALID_ARGUMENT naming
// page_token, as for a forged or expired one. `tokens` may be null only
// when the service was started without one; that is INTERNAL.
absl::StatusOr<PageSlice> SlicePage(const PageTokenCodec* tokens,
                                    absl::string_view report,
                                    absl::string_view query,
                                    absl::string_view page_token, int page_size,
                                    size_t total, absl::Time now);

}  // namespace salesmeet::analytics

#endif  // SALESMEET_SERVICES_ANALYTICS_REPORTS_REPORT_PAGES_H_
