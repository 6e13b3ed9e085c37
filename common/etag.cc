#include "common/etag.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/errors.h"

namespace salesmeet {
namespace {

// FNV-1a: stable across builds and machines, unlike std::hash, so replicas
// running different binaries agree on etags.
uint64_t Fnv1a(absl::string_view data, uint64_t hash) {
  for (unsigned char c : data) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

}  // namespace

std::string NextEtag(absl::string_view resource_name,
                     absl::string_view previous_etag, absl::Time write_time) {
  uint64_t hash = 14695981039346656037ULL;
  hash = Fnv1a(resource_name, hash);
  hash = Fnv1a("\x1f", hash);
  hash = Fnv1a(previous_etag, hash);
  hash = Fnv1a("\x1f", hash);
  hash = Fnv1a(absl::StrCat(absl::ToUnixNanos(write_time)), hash);
  return absl::StrFormat("%016x", hash);
}

absl::Status CheckEtag(absl::string_view supplied, absl::string_view current,
                       absl::string_view resource_name) {
  if (supplied.empty() || supplied == current) return absl::OkStatus();
  return EtagMismatchError(resource_name);
}

}  // namespace salesmeet
