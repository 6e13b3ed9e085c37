#ifndef SALESMEET_COMMON_ETAG_H_
#define SALESMEET_COMMON_ETAG_H_

// Etags for optimistic concurrency (AIP-154).

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/field_checks.h"

namespace salesmeet {

// The etag of a resource after a write: a digest of its name, the previous
// etag and the write time, so it changes on every write and a resource that
// is deleted and created again never reuses an old etag.
std::string NextEtag(absl::string_view resource_name,
                     absl::string_view previous_etag, absl::Time write_time);

// OK when `supplied` is empty (the caller did not ask for a check) or equals
// `current`; otherwise ABORTED with an ETAG_MISMATCH ErrorInfo.
absl::Status CheckEtag(absl::string_view supplied, absl::string_view current,
                       absl::string_view resource_name);

// Marks a resource (any message with name, etag and update_time) as
// written at `now`: a new update_time and a new etag.
template <typename Resource>
void StampWrite(Resource& resource, absl::Time now) {
  *resource.mutable_update_time() = ToProtoTime(now);
  resource.set_etag(NextEtag(resource.name(), resource.etag(), now));
}

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_ETAG_H_
