#include "common/etag.h"

#include <gtest/gtest.h>

namespace salesmeet {
namespace {

const absl::Time kT = absl::FromUnixSeconds(1'800'000'000);

TEST(EtagTest, ChangesOnEveryWrite) {
  std::string first = NextEtag("participants/a", "", kT);
  std::string second =
      NextEtag("participants/a", first, kT + absl::Nanoseconds(1));
  std::string third =
      NextEtag("participants/a", second, kT + absl::Nanoseconds(1));
  EXPECT_NE(first, second);
  EXPECT_NE(second, third);
}

TEST(EtagTest, IsDeterministicAndNamesMatter) {
  EXPECT_EQ(NextEtag("participants/a", "x", kT),
            NextEtag("participants/a", "x", kT));
  EXPECT_NE(NextEtag("participants/a", "x", kT),
            NextEtag("participants/b", "x", kT));
}

TEST(EtagTest, RecreatedResourceGetsAFreshEtag) {
  EXPECT_NE(NextEtag("teams/t", "", kT),
            NextEtag("teams/t", "", kT + absl::Seconds(1)));
}

TEST(EtagTest, CheckAcceptsEmptyOrEqualAndAbortsOnStale) {
  EXPECT_TRUE(CheckEtag("", "abc", "teams/t").ok());
  EXPECT_TRUE(CheckEtag("abc", "abc", "teams/t").ok());
  EXPECT_EQ(CheckEtag("old", "abc", "teams/t").code(),
            absl::StatusCode::kAborted);
}

}  // namespace
}  // namespace salesmeet
