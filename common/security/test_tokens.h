#ifndef SALESMEET_COMMON_SECURITY_TEST_TOKENS_H_
#define SALESMEET_COMMON_SECURITY_TEST_TOKENS_H_

// Test-only: fresh key pairs and tokens signed with libjwt, good and bad.

#include <jwt.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace salesmeet::testing {

struct KeyPair {
  std::string private_pem;
  std::string public_pem;
};

inline std::string BioText(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(size));
}

// kind: "RSA" or "EC" (P-256).
inline KeyPair NewKeyPair(const std::string& kind) {
  EVP_PKEY* key = kind == "RSA" ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256");
  BIO* priv = BIO_new(BIO_s_mem());
  BIO* pub = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(priv, key, nullptr, nullptr, 0, nullptr, nullptr);
  PEM_write_bio_PUBKEY(pub, key);
  KeyPair pair{BioText(priv), BioText(pub)};
  BIO_free(priv);
  BIO_free(pub);
  EVP_PKEY_free(key);
  return pair;
}

struct TokenSpec {
  jwt_alg_t alg = JWT_ALG_RS256;
  std::string key;  // PEM private key, or the HMAC secret for HS256.
  std::string issuer = "salesmeet-test";
  std::string audience_json = "\"salesmeet\"";  // A string or an array.
  std::string subject = "dev-viewer";
  std::string groups_json = "[\"salesmeet-viewers\"]";
  absl::Time now;
  absl::Duration lifetime = absl::Hours(1);
  bool with_not_before = true;
};

inline std::string SignToken(const TokenSpec& spec) {
  jwt_t* jwt = nullptr;
  jwt_new(&jwt);
  const int64_t now = absl::ToUnixSeconds(spec.now);
  std::string claims = absl::StrCat(
      "{\"iss\":\"", spec.issuer, "\",\"aud\":", spec.audience_json,
      spec.subject.empty() ? ""
                           : absl::StrCat(",\"sub\":\"", spec.subject, "\""),
      ",\"groups\":", spec.groups_json, ",\"iat\":", now,
      ",\"exp\":", now + absl::ToInt64Seconds(spec.lifetime),
      spec.with_not_before ? absl::StrCat(",\"nbf\":", now) : "", "}");
  jwt_add_grants_json(jwt, claims.c_str());
  jwt_set_alg(jwt, spec.alg,
              spec.alg == JWT_ALG_NONE
                  ? nullptr
                  : reinterpret_cast<const unsigned char*>(spec.key.data()),
              spec.alg == JWT_ALG_NONE ? 0 : static_cast<int>(spec.key.size()));
  char* encoded = jwt_encode_str(jwt);
  std::string token = encoded == nullptr ? "" : encoded;
  std::free(encoded);
  jwt_free(jwt);
  return token;
}

}  // namespace salesmeet::testing

#endif  // SALESMEET_COMMON_SECURITY_TEST_TOKENS_H_
