#include "common/page_token.h"

#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "common/errors.h"

namespace salesmeet {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

class PageTokenTest : public ::testing::Test {
 protected:
  PageTokenCodec codec_{"secret-key", absl::Hours(24)};
};

TEST_F(PageTokenTest, RoundTripReturnsCursor) {
  std::string token = codec_.Encode("List", "q", "participants/m", kNow);
  auto cursor = codec_.Decode(token, "List", "q", kNow + absl::Minutes(1));
  ASSERT_TRUE(cursor.ok()) << cursor.status();
  EXPECT_EQ(*cursor, "participants/m");
}

TEST_F(PageTokenTest, TokenIsOpaque) {
  std::string token = codec_.Encode("List", "q", "participants/m", kNow);
  EXPECT_EQ(token.find("participants"), std::string::npos);
}

TEST_F(PageTokenTest, EveryFlippedByteIsRefused) {
  std::string token = codec_.Encode("List", "q", "participants/m", kNow);
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token, &raw));
  for (size_t i = 0; i < raw.size(); ++i) {
    std::string forged = raw;
    forged[i] ^= 0x01;
    auto cursor =
        codec_.Decode(absl::WebSafeBase64Escape(forged), "List", "q", kNow);
    EXPECT_EQ(cursor.status().code(), absl::StatusCode::kInvalidArgument)
        << "byte " << i;
  }
}

TEST_F(PageTokenTest, GarbageIsInvalidArgumentNamingPageToken) {
  for (const char* junk :
       {"", "!!!", "abc", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) {
    auto cursor = codec_.Decode(junk, "List", "q", kNow);
    ASSERT_EQ(cursor.status().code(), absl::StatusCode::kInvalidArgument);
    google::rpc::BadRequest bad;
    ASSERT_TRUE(GetBadRequest(cursor.status(), &bad));
    EXPECT_EQ(bad.field_violations(0).field(), "page_token");
  }
}

TEST_F(PageTokenTest, TokenFromAnotherQueryOrMethodIsRefused) {
  std::string token = codec_.Encode("List", "kind=EMPLOYEE", "x", kNow);
  EXPECT_FALSE(codec_.Decode(token, "List", "kind=PARTNER", kNow).ok());
  EXPECT_FALSE(codec_.Decode(token, "ListTeams", "kind=EMPLOYEE", kNow).ok());
}

TEST_F(PageTokenTest, ExpiredTokenIsRefused) {
  std::string token = codec_.Encode("List", "q", "x", kNow);
  EXPECT_FALSE(codec_.Decode(token, "List", "q", kNow + absl::Hours(25)).ok());
}

TEST_F(PageTokenTest, TokenFromAnotherSecretIsRefused) {
  PageTokenCodec other("other-key", absl::Hours(24));
  std::string token = other.Encode("List", "q", "x", kNow);
  EXPECT_FALSE(codec_.Decode(token, "List", "q", kNow).ok());
}

}  // namespace
}  // namespace salesmeet

namespace salesmeet {
namespace {

TEST(PageSizeTest, DefaultsCapsAndRefusesNegative) {
  EXPECT_EQ(*EffectivePageSize(0, 50, 1000), 50);
  EXPECT_EQ(*EffectivePageSize(7, 50, 1000), 7);
  EXPECT_EQ(*EffectivePageSize(5000, 50, 1000), 1000);
  EXPECT_EQ(EffectivePageSize(-1, 50, 1000).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace salesmeet
