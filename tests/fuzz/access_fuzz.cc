// Access control's parsers (common/security). The input's first byte picks
// what the rest is:
//   even: an access policy file, which must either parse or be refused
//         INVALID_ARGUMENT naming a field, with an error that fits in
//         gRPC's trailers;
//   odd:  the value of an authorization header's token, checked against a
//         key made at start-up. Anything the fuzzer writes lacks a valid
//         signature, so every one must be refused UNAUTHENTICATED with
//         reason INVALID_TOKEN and the message "invalid token" (a genuine,
//         signed token is checked once at start-up to show the verifier
//         accepts what it should).

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/errors.h"
#include "common/grpc_status.h"
#include "common/security/access_policy.h"
#include "common/security/jwt_verifier.h"
#include "common/security/test_tokens.h"
#include "tests/fuzz/fuzz_support.h"

namespace salesmeet::fuzz {
namespace {

struct Verifier {
  testing::KeyPair keys = testing::NewKeyPair("EC");
  JwtVerifier verifier{JwtSettings{
      {keys.public_pem}, "salesmeet-test", "salesmeet", absl::Seconds(60)}};

  Verifier() {
    testing::TokenSpec spec;
    spec.alg = JWT_ALG_ES256;
    spec.key = keys.private_pem;
    spec.now = FuzzNow();
    Check(verifier.Verify(testing::SignToken(spec), FuzzNow()).ok(),
          "a genuine token verifies");
  }
};

const Verifier& TheVerifier() {
  static const auto* verifier = new Verifier;
  return *verifier;
}

void CheckPolicy(absl::string_view text) {
  absl::StatusOr<AccessPolicy> policy = AccessPolicy::Parse(text);
  if (policy.ok()) {
    // Whatever it grants, it grants nobody who is in no binding.
    Check(!policy->Allows({}, "/salesmeet.x.v1.X/Y"),
          "a caller with no identity is granted nothing");
    return;
  }
  Check(policy.status().code() == absl::StatusCode::kInvalidArgument,
        "a bad policy is INVALID_ARGUMENT");
  CheckErrorFitsTrailers(ToGrpcStatus(policy.status()));
}

void CheckToken(absl::string_view token) {
  absl::StatusOr<TokenClaims> claims =
      TheVerifier().verifier.Verify(token, FuzzNow());
  Check(!claims.ok(), "an unsigned token is refused");
  Check(claims.status().code() == absl::StatusCode::kUnauthenticated,
        "a bad token is UNAUTHENTICATED");
  google::rpc::ErrorInfo info;
  Check(GetErrorInfo(claims.status(), &info) &&
            info.reason() == "INVALID_TOKEN" &&
            claims.status().message() == "invalid token",
        "a bad token says only \"invalid token\"");
}

}  // namespace
}  // namespace salesmeet::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const absl::string_view rest(reinterpret_cast<const char*>(data) + 1,
                               size - 1);
  if (data[0] % 2 == 0) {
    salesmeet::fuzz::CheckPolicy(rest);
  } else {
    salesmeet::fuzz::CheckToken(rest);
  }
  return 0;
}
