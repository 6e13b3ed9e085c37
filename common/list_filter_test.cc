#include "common/list_filter.h"

#include <gtest/gtest.h>

#include "common/errors.h"

namespace salesmeet {
namespace {

const std::set<std::string> kFields = {"kind", "role", "team",
                                       "customer.lifecycle"};

TEST(ListFilterTest, EmptyFilterHasNoTerms) {
  auto terms = ParseFilter("   ", kFields);
  ASSERT_TRUE(terms.ok());
  EXPECT_TRUE(terms->empty());
}

TEST(ListFilterTest, ParsesBareAndQuotedValuesJoinedByAnd) {
  auto terms = ParseFilter(
      R"(kind = EMPLOYEE AND team="teams/emea-sales" AND customer.lifecycle=PROSPECT)",
      kFields);
  ASSERT_TRUE(terms.ok()) << terms.status();
  ASSERT_EQ(terms->size(), 3u);
  EXPECT_EQ((*terms)[0].field, "kind");
  EXPECT_EQ((*terms)[0].value, "EMPLOYEE");
  EXPECT_EQ((*terms)[1].value, "teams/emea-sales");
  EXPECT_EQ((*terms)[2].field, "customer.lifecycle");
}

TEST(ListFilterTest, QuotedValueKeepsEscapedQuote) {
  auto terms = ParseFilter(R"(team = "a\"b")", kFields);
  ASSERT_TRUE(terms.ok());
  EXPECT_EQ((*terms)[0].value, "a\"b");
}

TEST(ListFilterTest, UnknownFieldIsInvalidArgumentNamingFilter) {
  auto terms = ParseFilter("salary = 3", kFields);
  ASSERT_EQ(terms.status().code(), absl::StatusCode::kInvalidArgument);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(GetBadRequest(terms.status(), &bad));
  EXPECT_EQ(bad.field_violations(0).field(), "filter");
}

TEST(ListFilterTest, RejectsOrMissingOperatorUnterminatedQuoteAndRepeats) {
  EXPECT_FALSE(ParseFilter("kind = EMPLOYEE OR kind = PARTNER", kFields).ok());
  EXPECT_FALSE(ParseFilter("kind EMPLOYEE", kFields).ok());
  EXPECT_FALSE(ParseFilter("team = \"teams/x", kFields).ok());
  EXPECT_FALSE(ParseFilter("kind = A AND kind = B", kFields).ok());
  EXPECT_FALSE(ParseFilter("kind =", kFields).ok());
  EXPECT_FALSE(ParseFilter("kind = A AND", kFields).ok());
}

TEST(ListFilterTest, CanonicalFormIgnoresOrderAndSpacing) {
  auto a = ParseFilter("kind = EMPLOYEE AND role = SALES_REP", kFields);
  auto b = ParseFilter("role=SALES_REP   AND kind=EMPLOYEE", kFields);
  auto c = ParseFilter("role=SALES_REP", kFields);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(CanonicalFilter(*a), CanonicalFilter(*b));
  EXPECT_NE(CanonicalFilter(*a), CanonicalFilter(*c));
}

}  // namespace
}  // namespace salesmeet
