#include "common/security/jwt_verifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/errors.h"
#include "common/security/test_tokens.h"

namespace salesmeet {
namespace {

using ::salesmeet::testing::KeyPair;
using ::salesmeet::testing::NewKeyPair;
using ::salesmeet::testing::SignToken;
using ::salesmeet::testing::TokenSpec;

const absl::Time kNow = absl::FromUnixSeconds(1812345678);  // 2027-06-07

class JwtVerifierTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    rsa_ = new KeyPair(NewKeyPair("RSA"));
    ec_ = new KeyPair(NewKeyPair("EC"));
    other_ = new KeyPair(NewKeyPair("RSA"));
  }

  JwtVerifier Verifier() const {
    return JwtVerifier(JwtSettings{{rsa_->public_pem, ec_->public_pem},
                                   "salesmeet-test",
                                   "salesmeet",
                                   absl::Seconds(60)});
  }
  TokenSpec Good() const {
    TokenSpec spec;
    spec.key = rsa_->private_pem;
    spec.now = kNow;
    return spec;
  }
  std::string ReasonOf(const absl::Status& status) const {
    google::rpc::ErrorInfo info;
    GetErrorInfo(status, &info);
    return info.reason();
  }
  void ExpectInvalid(const std::string& token) const {
    absl::StatusOr<TokenClaims> claims = Verifier().Verify(token, kNow);
    ASSERT_FALSE(claims.ok());
    EXPECT_EQ(claims.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(ReasonOf(claims.status()), "INVALID_TOKEN");
    EXPECT_EQ(claims.status().message(), "invalid token");
  }

  static KeyPair* rsa_;
  static KeyPair* ec_;
  static KeyPair* other_;
};
KeyPair* JwtVerifierTest::rsa_ = nullptr;
KeyPair* JwtVerifierTest::ec_ = nullptr;
KeyPair* JwtVerifierTest::other_ = nullptr;

TEST_F(JwtVerifierTest, AcceptsRs256AndReadsSubjectAndGroups) {
  absl::StatusOr<TokenClaims> claims =
      Verifier().Verify(SignToken(Good()), kNow);
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->subject, "dev-viewer");
  EXPECT_THAT(claims->groups, ::testing::ElementsAre("salesmeet-viewers"));
  EXPECT_EQ(claims->expiry, kNow + absl::Hours(1));
}

TEST_F(JwtVerifierTest, AcceptsEs256AndAudienceArrays) {
  TokenSpec spec = Good();
  spec.alg = JWT_ALG_ES256;
  spec.key = ec_->private_pem;
  spec.audience_json = "[\"other\",\"salesmeet\"]";
  spec.groups_json = "[\"a\",\"b\"]";
  absl::StatusOr<TokenClaims> claims = Verifier().Verify(SignToken(spec), kNow);
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_THAT(claims->groups, ::testing::ElementsAre("a", "b"));
}

TEST_F(JwtVerifierTest, RefusesAnotherSignersKey) {
  TokenSpec spec = Good();
  spec.key = other_->private_pem;
  ExpectInvalid(SignToken(spec));
}

TEST_F(JwtVerifierTest, RefusesAlgNone) {
  TokenSpec spec = Good();
  spec.alg = JWT_ALG_NONE;
  ExpectInvalid(SignToken(spec));
}

TEST_F(JwtVerifierTest, RefusesHs256SignedWithThePublicKey) {
  // The classic forgery: the verifier's public key used as an HMAC secret.
  TokenSpec spec = Good();
  spec.alg = JWT_ALG_HS256;
  spec.key = rsa_->public_pem;
  ExpectInvalid(SignToken(spec));
}

TEST_F(JwtVerifierTest, RefusesATamperedPayload) {
  std::string token = SignToken(Good());
  TokenSpec admin = Good();
  admin.groups_json = "[\"salesmeet-admins\"]";
  std::string forged = SignToken(admin);
  // The admin payload with the viewer's signature.
  const size_t a = token.find('.'), b = token.rfind('.');
  const size_t fa = forged.find('.'), fb = forged.rfind('.');
  ExpectInvalid(token.substr(0, a) + forged.substr(fa, fb - fa) +
                token.substr(b));
}

TEST_F(JwtVerifierTest, RefusesWrongIssuerAudienceOrNoSubject) {
  TokenSpec issuer = Good();
  issuer.issuer = "someone-else";
  ExpectInvalid(SignToken(issuer));
  TokenSpec audience = Good();
  audience.audience_json = "\"another-api\"";
  ExpectInvalid(SignToken(audience));
  TokenSpec subject = Good();
  subject.subject = "";
  ExpectInvalid(SignToken(subject));
}

TEST_F(JwtVerifierTest, ExpiryAndNotBeforeAllowTheSkewAndNoMore) {
  const std::string token = SignToken(Good());
  EXPECT_TRUE(Verifier().Verify(token, kNow + absl::Minutes(60)).ok());
  EXPECT_TRUE(Verifier().Verify(token, kNow + absl::Seconds(3659)).ok());
  absl::StatusOr<TokenClaims> late =
      Verifier().Verify(token, kNow + absl::Seconds(3660));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(ReasonOf(late.status()), "TOKEN_EXPIRED");
  EXPECT_TRUE(Verifier().Verify(token, kNow - absl::Seconds(60)).ok());
  absl::StatusOr<TokenClaims> early =
      Verifier().Verify(token, kNow - absl::Seconds(61));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(ReasonOf(early.status()), "TOKEN_NOT_YET_VALID");
}

TEST_F(JwtVerifierTest, RefusesGarbageWithoutCrashing) {
  for (const std::string& garbage :
       {std::string(""), std::string("a.b.c"), std::string("...."),
        std::string("eyJhbGciOiJSUzI1NiJ9.e30."), std::string(9000, 'x'),
        std::string("abc\0def", 7), std::string("Bearer x")}) {
    ExpectInvalid(garbage);
  }
}

}  // namespace
}  // namespace salesmeet
