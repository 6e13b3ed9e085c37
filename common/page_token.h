#ifndef SALESMEET_COMMON_PAGE_TOKEN_H_
#define SALESMEET_COMMON_PAGE_TOKEN_H_

// Opaque, tamper-evident page tokens (AIP-158). A token carries a cursor (the
// key after which the next page starts) and is sealed with HMAC-SHA256 over
// the list method and the query it was issued for, so a token that was
// altered, comes from another query, or has expired is refused instead of
// producing a wrong page.

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/field_checks.h"

namespace salesmeet {

// Where a service keeps the key its page tokens are signed with when none
// is configured: in its database, created on first use, so every process
// on that database signs and checks tokens alike. Every store interface is
// one.
class PageTokenSecretStore {
 public:
  PageTokenSecretStore() = default;
  PageTokenSecretStore(const PageTokenSecretStore&) = delete;
  PageTokenSecretStore& operator=(const PageTokenSecretStore&) = delete;
  virtual ~PageTokenSecretStore() = default;

  virtual absl::StatusOr<std::string> PageTokenSecret() = 0;
};

class PageTokenCodec {
 public:
  // `secret` keys the HMAC; replicas that share a database must share it.
  PageTokenCodec(std::string secret, absl::Duration lifetime);

  PageTokenCodec(const PageTokenCodec&) = delete;
  PageTokenCodec& operator=(const PageTokenCodec&) = delete;

  // `scope` names the list method (e.g. "ListParticipants"); `query` is a
  // canonical form of every request parameter except page size and token.
  std::string Encode(absl::string_view scope, absl::string_view query,
                     absl::string_view cursor, absl::Time now) const;

  // The cursor, or INVALID_ARGUMENT naming `field` when the token is
  // malformed, forged, from another query, or older than the lifetime.
  absl::StatusOr<std::string> Decode(
      absl::string_view token, absl::string_view scope, absl::string_view query,
      absl::Time now, absl::string_view field = "page_token") const;

 private:
  std::string Mac(absl::string_view scope, absl::string_view query,
                  absl::string_view payload) const;

  const std::string secret_;
  const absl::Duration lifetime_;
};

// The page size a List call gets (AIP-158): 0 means `default_size`, values
// above `max_size` are lowered to it, and a negative value is
// INVALID_ARGUMENT naming page_size.
absl::StatusOr<int> EffectivePageSize(int requested, int default_size,
                                      int max_size);

// One page of a list ordered by resource id: decodes `page_token` into the
// id to start after, calls `read(after_id, limit)` for page_size + 1 rows
// (the extra one tells whether a page follows), and returns the page and the
// token for the next one ("" on the last page).
template <typename Resource, typename Read>
absl::StatusOr<std::pair<std::vector<Resource>, std::string>> ReadPageById(
    const PageTokenCodec& tokens, absl::string_view scope,
    absl::string_view query, absl::string_view page_token, int page_size,
    absl::Time now, Read read) {
  std::string after_id;
  if (!page_token.empty()) {
    absl::StatusOr<std::string> cursor =
        tokens.Decode(page_token, scope, query, now);
    if (!cursor.ok()) return cursor.status();
    after_id = *std::move(cursor);
  }
  absl::StatusOr<std::vector<Resource>> rows = read(after_id, page_size + 1);
  if (!rows.ok()) return rows.status();
  std::string next;
  if (static_cast<int>(rows->size()) > page_size) {
    rows->resize(page_size);
    next = tokens.Encode(scope, query, IdFromName(rows->back().name()), now);
  }
  return std::make_pair(*std::move(rows), std::move(next));
}

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_PAGE_TOKEN_H_
