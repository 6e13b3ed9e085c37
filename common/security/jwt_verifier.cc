#include "common/security/jwt_verifier.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <jwt.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"

namespace salesmeet {
namespace {

struct JwtFree {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;

absl::Status Unauthenticated(absl::string_view reason,
                             absl::string_view message) {
  return WithErrorInfo(absl::UnauthenticatedError(message), reason);
}

absl::Status InvalidToken() {
  return Unauthenticated("INVALID_TOKEN", "invalid token");
}

// A claim that may be a string or an array of strings ("aud", "groups").
std::vector<std::string> StringsOf(jwt_t* jwt, const char* claim) {
  std::vector<std::string> values;
  if (const char* one = jwt_get_grant(jwt, claim); one != nullptr) {
    values.emplace_back(one);
    return values;
  }
  std::unique_ptr<char, decltype(&std::free)> json(
      jwt_get_grants_json(jwt, claim), &std::free);
  if (json == nullptr) return values;
  google::protobuf::ListValue list;
  if (!google::protobuf::util::JsonStringToMessage(json.get(), &list).ok()) {
    return values;
  }
  for (const google::protobuf::Value& value : list.values()) {
    if (value.kind_case() == google::protobuf::Value::kStringValue) {
      values.push_back(value.string_value());
    }
  }
  return values;
}

// A numeric date claim; nullopt-like false when absent or not a number.
bool TimeClaim(jwt_t* jwt, const char* claim, absl::Time* out) {
  errno = 0;
  const long seconds = jwt_get_grant_int(jwt, claim);
  if (errno != 0) return false;
  *out = absl::FromUnixSeconds(seconds);
  return true;
}

}  // namespace

JwtVerifier::JwtVerifier(JwtSettings settings)
    : settings_(std::move(settings)) {}

absl::StatusOr<TokenClaims> JwtVerifier::Verify(absl::string_view token,
                                                absl::Time now) const {
  if (token.empty() || token.size() > kMaxTokenBytes ||
      absl::StrContains(token, '\0')) {
    return InvalidToken();
  }
  const std::string text(token);
  std::optional<TokenClaims> remembered;
  {
    absl::MutexLock lock(&mu_);
    if (auto it = verified_.find(text); it != verified_.end()) {
      remembered = it->second;
    }
  }
  if (!remembered.has_value()) {
    absl::StatusOr<TokenClaims> checked = CheckSignedClaims(text);
    if (!checked.ok()) return checked.status();
    remembered = *std::move(checked);
    absl::MutexLock lock(&mu_);
    if (verified_.size() >= kRememberedTokens) verified_.clear();
    verified_.emplace(text, *remembered);
  }
  if (now >= remembered->expiry + settings_.clock_skew) {
    return Unauthenticated("TOKEN_EXPIRED", "token expired");
  }
  if (now + settings_.clock_skew < remembered->not_before) {
    return Unauthenticated("TOKEN_NOT_YET_VALID", "token not yet valid");
  }
  return *std::move(remembered);
}

absl::StatusOr<TokenClaims> JwtVerifier::CheckSignedClaims(
    const std::string& text) const {
  JwtPtr jwt;
  for (const std::string& key : settings_.public_keys) {
    jwt_t* decoded = nullptr;
    if (jwt_decode(&decoded, text.c_str(),
                   reinterpret_cast<const unsigned char*>(key.data()),
                   static_cast<int>(key.size())) == 0) {
      jwt.reset(decoded);
      break;
    }
  }
  // libjwt skips verification for alg "none", and would check an HS256
  // token with the public key as its HMAC secret: only asymmetric
  // algorithms prove the signer held the private key.
  if (jwt == nullptr || (jwt_get_alg(jwt.get()) != JWT_ALG_RS256 &&
                         jwt_get_alg(jwt.get()) != JWT_ALG_ES256)) {
    return InvalidToken();
  }
  const char* issuer = jwt_get_grant(jwt.get(), "iss");
  if (issuer == nullptr || settings_.issuer != issuer) return InvalidToken();
  bool audience_ok = false;
  for (const std::string& audience : StringsOf(jwt.get(), "aud")) {
    audience_ok = audience_ok || audience == settings_.audience;
  }
  if (!audience_ok) return InvalidToken();
  const char* subject = jwt_get_grant(jwt.get(), "sub");
  if (subject == nullptr || *subject == '\0' || std::strlen(subject) > 256) {
    return InvalidToken();
  }
  TokenClaims claims;
  claims.subject = subject;
  if (!TimeClaim(jwt.get(), "exp", &claims.expiry)) return InvalidToken();
  absl::Time not_before;
  if (TimeClaim(jwt.get(), "nbf", &not_before)) claims.not_before = not_before;
  for (std::string& group : StringsOf(jwt.get(), "groups")) {
    if (!group.empty() && group.size() <= 256) {
      claims.groups.push_back(std::move(group));
    }
  }
  return claims;
}

absl::StatusOr<std::vector<std::string>> ReadPublicKeys(
    const std::vector<std::string>& paths) {
  static constexpr char kBegin[] = "-----BEGIN PUBLIC KEY-----";
  static constexpr char kEnd[] = "-----END PUBLIC KEY-----";
  std::vector<std::string> keys;
  for (const std::string& path : paths) {
    std::ifstream file(path);
    if (!file) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot read the token key file ", path));
    }
    std::stringstream text;
    text << file.rdbuf();
    const std::string pem = text.str();
    size_t at = 0;
    size_t found = 0;
    while ((at = pem.find(kBegin, at)) != std::string::npos) {
      const size_t end = pem.find(kEnd, at);
      if (end == std::string::npos) break;
      keys.push_back(pem.substr(at, end + sizeof(kEnd) - 1 - at) + "\n");
      at = end + sizeof(kEnd) - 1;
      ++found;
    }
    if (found == 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("no \"BEGIN PUBLIC KEY\" block in ", path));
    }
  }
  return keys;
}

}  // namespace salesmeet
