#ifndef SALESMEET_COMMON_SECURITY_JWT_VERIFIER_H_
#define SALESMEET_COMMON_SECURITY_JWT_VERIFIER_H_

// Checks bearer tokens (JWT, RS256 or ES256) with Debian's libjwt: the
// signature against configured public keys, then issuer, audience, expiry
// and not-before with a small clock skew. libjwt checks signatures only, so
// the claims are checked here.

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace salesmeet {

// Tokens longer than this are refused before they are parsed.
inline constexpr size_t kMaxTokenBytes = 8192;

struct JwtSettings {
  // PEM "BEGIN PUBLIC KEY" blocks; a token signed by any of them verifies,
  // so keys can be rotated by adding the new one first.
  std::vector<std::string> public_keys;
  std::string issuer;    // Required "iss".
  std::string audience;  // Must be "aud", or one of its entries.
  absl::Duration clock_skew = absl::Seconds(60);
};

struct TokenClaims {
  std::string subject;                           // "sub"
  std::vector<std::string> groups;               // "groups", when present.
  absl::Time expiry;                             // "exp"
  absl::Time not_before = absl::InfinitePast();  // "nbf", when present.
};

// Thread-safe. A caller sends the same token with every call, and checking
// an RSA signature (with OpenSSL 3 decoding the PEM key each time) costs
// about a millisecond, so tokens that verified are remembered, up to
// kRememberedTokens of them; their lifetimes are still checked every time.
class JwtVerifier {
 public:
  static constexpr size_t kRememberedTokens = 4096;

  explicit JwtVerifier(JwtSettings settings);

  // UNAUTHENTICATED with ErrorInfo reason INVALID_TOKEN for anything wrong
  // with the token (the message never says what, so a forger learns
  // nothing), or TOKEN_EXPIRED / TOKEN_NOT_YET_VALID for a genuine token
  // outside its lifetime.
  absl::StatusOr<TokenClaims> Verify(absl::string_view token,
                                     absl::Time now) const;

 private:
  // Signature, issuer, audience, subject: what does not change with time.
  absl::StatusOr<TokenClaims> CheckSignedClaims(const std::string& token) const;

  JwtSettings settings_;
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<std::string, TokenClaims> verified_
      ABSL_GUARDED_BY(mu_);
};

// Reads PEM public keys from files; a file may hold several keys.
absl::StatusOr<std::vector<std::string>> ReadPublicKeys(
    const std::vector<std::string>& paths);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_SECURITY_JWT_VERIFIER_H_
