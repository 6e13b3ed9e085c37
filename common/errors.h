#ifndef SALESMEET_COMMON_ERRORS_H_
#define SALESMEET_COMMON_ERRORS_H_

// Builders for absl::Status values that carry google.rpc error details as
// payloads. Domain code uses these; grpc_status.h turns them into
// grpc::Status at the edge.

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/rpc/error_details.pb.h"

namespace salesmeet {

// The ErrorInfo domain of every error this project raises.
inline constexpr absl::string_view kErrorDomain = "salesmeet.dev";

// Machine-readable ErrorInfo reasons shared by the services.
namespace reason {
inline constexpr absl::string_view kInvalidArgument = "INVALID_ARGUMENT";
inline constexpr absl::string_view kNotFound = "NOT_FOUND";
inline constexpr absl::string_view kAlreadyExists = "ALREADY_EXISTS";
inline constexpr absl::string_view kEtagMismatch = "ETAG_MISMATCH";
inline constexpr absl::string_view kInvalidPageToken = "INVALID_PAGE_TOKEN";
inline constexpr absl::string_view kRequestIdReused = "REQUEST_ID_REUSED";
inline constexpr absl::string_view kStoreUnavailable = "STORE_UNAVAILABLE";
}  // namespace reason

// Errors travel in HTTP/2 trailers, where default clients (C++, Python,
// Java) accept at most 8 KiB of metadata; past that they report
// RESOURCE_EXHAUSTED instead of the real error. So every error is bounded,
// however large or numerous the bad values: values are echoed as a short
// prefix, at most kMaxListedViolations violations are listed (the count of
// all of them is kept), and the gRPC edge trims what is still too large.
inline constexpr size_t kMaxEchoedChars = 40;
inline constexpr size_t kMaxListedViolations = 10;
inline constexpr size_t kMaxFieldPathBytes = 120;
inline constexpr size_t kMaxDescriptionBytes = 200;
inline constexpr size_t kMaxMessageBytes = 512;

// A caller's value for an error message: quoted, and cut to its first
// kMaxEchoedChars characters with the length of the rest, e.g.
// "Europe/Rom…" (+9990 characters). Control characters are shown escaped.
std::string Quoted(absl::string_view value);

// `text` cut at a character boundary to at most `max_bytes` bytes, with "…"
// marking the cut. Invalid UTF-8 is replaced, so the result is always valid.
std::string TruncateUtf8(absl::string_view text, size_t max_bytes);

// One bad field: its path in the request (e.g. "participant.email") and
// what is wrong with it.
struct FieldViolation {
  std::string field;
  std::string description;
};

// One violated precondition, as in google.rpc.PreconditionFailure.
struct PreconditionViolation {
  std::string type;  // e.g. "RESOURCE_IN_USE"
  std::string subject;
  std::string description;
};

// INVALID_ARGUMENT naming one bad field.
absl::Status InvalidFieldError(absl::string_view field,
                               absl::string_view description);

// INVALID_ARGUMENT naming every bad field, up to kMaxListedViolations of
// them; `total` (when larger than fields.size()) is how many there were in
// all. The message names the first few; ErrorInfo's "violations" says how
// many there were.
absl::Status InvalidFieldsError(const std::vector<FieldViolation>& fields,
                                size_t total = 0);

// NOT_FOUND for a resource, with ResourceInfo and ErrorInfo details.
absl::Status ResourceNotFoundError(absl::string_view resource_type,
                                   absl::string_view resource_name);

// ALREADY_EXISTS for a resource, with ResourceInfo and ErrorInfo details.
absl::Status ResourceExistsError(absl::string_view resource_type,
                                 absl::string_view resource_name,
                                 absl::string_view message);

// FAILED_PRECONDITION with a PreconditionFailure listing every violation.
absl::Status FailedPreconditionError(
    absl::string_view reason, absl::string_view message,
    const std::vector<PreconditionViolation>& violations);

// ABORTED because the caller's etag no longer matches the resource.
absl::Status EtagMismatchError(absl::string_view resource_name);

// Attaches an ErrorInfo with this reason (and optional metadata), replacing
// any ErrorInfo the status already carried. An OK status is returned as is.
absl::Status WithErrorInfo(
    absl::Status status, absl::string_view reason,
    const std::map<std::string, std::string>& metadata = {});

// "1 team", "3 teams": counts in messages people read.
std::string CountOf(size_t count, absl::string_view singular,
                    absl::string_view plural);

// Attaches any message as a detail (for example a verdict the caller can
// act on). An OK status is returned as is.
absl::Status WithDetail(absl::Status status,
                        const google::protobuf::Message& detail);

// Collects every field problem in a request so the caller sees all of them
// at once instead of fixing one per round trip. Past kMaxListedViolations
// it only counts, so a request with 100,000 bad entries costs no more to
// refuse than one with ten.
class FieldErrors {
 public:
  void Add(absl::string_view field, absl::string_view description);
  bool empty() const { return total_ == 0; }
  size_t count() const { return total_; }
  // OK when nothing was added, otherwise InvalidFieldsError(...).
  absl::Status ToStatus() const;

 private:
  std::vector<FieldViolation> violations_;
  size_t total_ = 0;
};

// Reads back the details a status carries; nullopt-like empty message when
// absent. Used by tests and by the gRPC edge.
bool GetBadRequest(const absl::Status& status, google::rpc::BadRequest* out);
bool GetPreconditionFailure(const absl::Status& status,
                            google::rpc::PreconditionFailure* out);
bool GetErrorInfo(const absl::Status& status, google::rpc::ErrorInfo* out);
bool GetResourceInfo(const absl::Status& status,
                     google::rpc::ResourceInfo* out);
bool GetRetryInfo(const absl::Status& status, google::rpc::RetryInfo* out);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_ERRORS_H_
