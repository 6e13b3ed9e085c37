#include "common/page_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"

namespace salesmeet {
namespace {

constexpr char kVersion = '\x01';
constexpr size_t kMacBytes = 16;    // 128 bits is ample against forgery.
constexpr size_t kHeaderBytes = 9;  // version + issue time (8 bytes).

void AppendInt64(std::string* out, int64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(
        static_cast<char>((static_cast<uint64_t>(value) >> shift) & 0xff));
  }
}

int64_t ReadInt64(absl::string_view in) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) {
    value = (value << 8) | static_cast<unsigned char>(in[i]);
  }
  return static_cast<int64_t>(value);
}

absl::Status BadToken(absl::string_view field, absl::string_view why) {
  return WithErrorInfo(InvalidFieldError(field, why),
                       reason::kInvalidPageToken);
}

}  // namespace

PageTokenCodec::PageTokenCodec(std::string secret, absl::Duration lifetime)
    : secret_(std::move(secret)), lifetime_(lifetime) {}

std::string PageTokenCodec::Mac(absl::string_view scope,
                                absl::string_view query,
                                absl::string_view payload) const {
  // Length-prefix each part so that ("ab","c") and ("a","bc") differ.
  std::string message;
  for (absl::string_view part : {scope, query, payload}) {
    AppendInt64(&message, static_cast<int64_t>(part.size()));
    message.append(part.data(), part.size());
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
       digest, &digest_len);
  return std::string(reinterpret_cast<char*>(digest), kMacBytes);
}

std::string PageTokenCodec::Encode(absl::string_view scope,
                                   absl::string_view query,
                                   absl::string_view cursor,
                                   absl::Time now) const {
  std::string payload(1, kVersion);
  AppendInt64(&payload, absl::ToUnixSeconds(now));
  payload.append(cursor.data(), cursor.size());
  std::string sealed = payload + Mac(scope, query, payload);
  return absl::WebSafeBase64Escape(sealed);
}

absl::StatusOr<std::string> PageTokenCodec::Decode(
    absl::string_view token, absl::string_view scope, absl::string_view query,
    absl::Time now, absl::string_view field) const {
  std::string sealed;
  if (!absl::WebSafeBase64Unescape(token, &sealed) ||
      sealed.size() < kHeaderBytes + kMacBytes || sealed[0] != kVersion) {
    return BadToken(field, "is not a page token issued by this service");
  }
  absl::string_view payload(sealed.data(), sealed.size() - kMacBytes);
  absl::string_view mac(sealed.data() + payload.size(), kMacBytes);
  const std::string expected = Mac(scope, query, payload);
  if (CRYPTO_memcmp(expected.data(), mac.data(), kMacBytes) != 0) {
    return BadToken(field,
                    "was altered or belongs to a different query; repeat the "
                    "first call with the same filter");
  }
  const absl::Time issued = absl::FromUnixSeconds(ReadInt64(payload.substr(1)));
  if (now - issued > lifetime_ || issued - now > absl::Minutes(5)) {
    return BadToken(field, "has expired; start again from the first page");
  }
  return std::string(payload.substr(kHeaderBytes));
}

absl::StatusOr<int> EffectivePageSize(int requested, int default_size,
                                      int max_size) {
  if (requested < 0) {
    return InvalidFieldError("page_size", "must not be negative");
  }
  if (requested == 0) return default_size;
  return std::min(requested, max_size);
}

}  // namespace salesmeet
