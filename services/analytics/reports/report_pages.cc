#include "services/analytics/reports/report_pages.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"

namespace salesmeet::analytics {

int CheckPageSize(int requested, FieldErrors& errors) {
  absl::StatusOr<int> size = EffectivePageSize(requested, 50, 1000);
  if (size.ok()) return *size;
  errors.Add("page_size", "must not be negative");
  return 0;
}

absl::StatusOr<PageSlice> SlicePage(const PageTokenCodec* tokens,
                                    absl::string_view report,
                                    absl::string_view query,
                                    absl::string_view page_token, int page_size,
                                    size_t total, absl::Time now) {
  if (tokens == nullptr) {
    return absl::InternalError("the report has no page token codec");
  }
  uint64_t offset = 0;
  if (!page_token.empty()) {
    absl::StatusOr<std::string> cursor =
        tokens->Decode(page_token, report, query, now);
    if (!cursor.ok()) return cursor.status();
    // A sealed token always holds a number; this guards a codec change.
    if (!absl::SimpleAtoi(*cursor, &offset)) {
      return WithErrorInfo(
          InvalidFieldError("page_token", "is not a page of this report"),
          reason::kInvalidPageToken);
    }
  }
  PageSlice slice;
  // The rows may have shrunk since the token was issued: past the end is an
  // empty last page, not an error.
  slice.begin = static_cast<size_t>(std::min<uint64_t>(offset, total));
  slice.end = std::min(total, slice.begin + static_cast<size_t>(page_size));
  if (slice.end < total) {
    slice.next_page_token =
        tokens->Encode(report, query, absl::StrCat(slice.end), now);
  }
  return slice;
}

}  // namespace salesmeet::analytics
