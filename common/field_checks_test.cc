#include "common/field_checks.h"

#include <gtest/gtest.h>

#include <set>

namespace salesmeet {
namespace {

std::string FirstField(const FieldErrors& errors) {
  google::rpc::BadRequest bad;
  if (!GetBadRequest(errors.ToStatus(), &bad) ||
      bad.field_violations().empty()) {
    return "";
  }
  return bad.field_violations(0).field();
}

TEST(ResourceIdTest, FollowsAip122) {
  EXPECT_TRUE(IsValidResourceId("ada"));
  EXPECT_TRUE(IsValidResourceId("emea-sales-2"));
  EXPECT_FALSE(IsValidResourceId(""));
  EXPECT_FALSE(IsValidResourceId("2fast"));
  EXPECT_FALSE(IsValidResourceId("Ada"));
  EXPECT_FALSE(IsValidResourceId("ends-"));
  EXPECT_FALSE(IsValidResourceId("has_underscore"));
  EXPECT_FALSE(IsValidResourceId(std::string(64, 'a')));
  EXPECT_TRUE(IsValidResourceId(std::string(63, 'a')));
}

TEST(ResourceIdTest, GeneratedIdsAreValidAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = GenerateResourceId('p');
    EXPECT_TRUE(IsValidResourceId(id)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Utf8LengthTest, CountsCharactersNotBytes) {
  EXPECT_EQ(Utf8Length(""), 0u);
  EXPECT_EQ(Utf8Length("Chlo\xc3\xa9"), 5u);              // Chloé
  EXPECT_EQ(Utf8Length("\xe6\x9d\xb1\xe4\xba\xac"), 2u);  // 東京
  EXPECT_EQ(Utf8Length("\xf0\x9f\x93\x88"), 1u);          // an emoji
}

TEST(ResourceNameTest, ParsesAndNamesTheFieldOnError) {
  FieldErrors errors;
  EXPECT_EQ(
      ParseResourceName("participants/ada", "participants", "name", errors),
      "ada");
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(ParseResourceName("teams/ada", "participants", "names[2]", errors),
            "");
  EXPECT_EQ(FirstField(errors), "names[2]");
}

TEST(RequestIdTest, AcceptsUuidRejectsSpaces) {
  FieldErrors ok;
  CheckRequestId("7f1c2d3e-0000-4000-8000-123456789abc", "request_id", ok);
  EXPECT_TRUE(ok.empty());
  FieldErrors bad;
  CheckRequestId("has space", "request_id", bad);
  EXPECT_EQ(FirstField(bad), "request_id");
}

TEST(TimeZoneTest, LoadsRealZonesIncludingDstObservingOnes) {
  auto rome = LoadIanaTimeZone("Europe/Rome");
  ASSERT_TRUE(rome.ok());
  // Rome observes DST: UTC+1 in January, UTC+2 in July.
  const absl::Time jan =
      absl::FromCivil(absl::CivilSecond(2026, 1, 15, 12, 0, 0), *rome);
  const absl::Time jul =
      absl::FromCivil(absl::CivilSecond(2026, 7, 15, 12, 0, 0), *rome);
  EXPECT_EQ(rome->At(jan).offset, 3600);
  EXPECT_EQ(rome->At(jul).offset, 7200);
  EXPECT_TRUE(LoadIanaTimeZone("America/New_York").ok());
  EXPECT_TRUE(LoadIanaTimeZone("UTC").ok());
}

TEST(TimeZoneTest, RefusesBogusZonesPathsAndLocaltime) {
  for (const char* bogus :
       {"Mars/Olympus_Mons", "Europe/Rom", "", "localtime", "/etc/passwd",
        "../../etc/localtime", "Europe Rome"}) {
    EXPECT_FALSE(LoadIanaTimeZone(bogus).ok()) << bogus;
  }
}

TEST(MoneyTest, CurrencyMustBeIso) {
  google::type::Money money;
  money.set_currency_code("EUR");
  money.set_units(85);
  FieldErrors ok;
  CheckMoney(money, false, "hourly_cost", ok);
  EXPECT_TRUE(ok.empty());
  money.set_currency_code("EURO");
  FieldErrors bad;
  CheckMoney(money, false, "hourly_cost", bad);
  EXPECT_EQ(FirstField(bad), "hourly_cost.currency_code");
  money.set_currency_code("eur");
  FieldErrors lower;
  CheckMoney(money, false, "hourly_cost", lower);
  EXPECT_FALSE(lower.empty());
}

TEST(MoneyTest, NegativeRefusedUnlessAllowed) {
  google::type::Money money;
  money.set_currency_code("USD");
  money.set_units(0);
  money.set_nanos(-1);
  FieldErrors bad;
  CheckMoney(money, false, "hourly_cost", bad);
  EXPECT_EQ(FirstField(bad), "hourly_cost");
  FieldErrors ok;
  CheckMoney(money, true, "deal_value", ok);
  EXPECT_TRUE(ok.empty());
}

TEST(MoneyTest, MismatchedSignsAreMalformed) {
  google::type::Money money;
  money.set_currency_code("USD");
  money.set_units(5);
  money.set_nanos(-5);
  FieldErrors bad;
  CheckMoney(money, true, "x", bad);
  EXPECT_EQ(FirstField(bad), "x.nanos");
}

TEST(DurationTest, MustBePositiveAndBounded) {
  google::protobuf::Duration d;
  FieldErrors zero;
  CheckPositiveDuration(d, absl::Hours(1), "budget", zero);
  EXPECT_EQ(FirstField(zero), "budget");
  d.set_seconds(7200);
  FieldErrors big;
  CheckPositiveDuration(d, absl::Hours(1), "budget", big);
  EXPECT_FALSE(big.empty());
  d.set_seconds(60);
  FieldErrors ok;
  CheckPositiveDuration(d, absl::Hours(1), "budget", ok);
  EXPECT_TRUE(ok.empty());
}

TEST(TimeConversionTest, RoundTripsNanos) {
  const absl::Time t = absl::FromUnixNanos(1'800'000'000'123'456'789);
  EXPECT_EQ(ToAbslTime(ToProtoTime(t)), t);
  const absl::Time before_epoch = absl::FromUnixNanos(-1'500'000'000);
  EXPECT_EQ(ToAbslTime(ToProtoTime(before_epoch)), before_epoch);
  EXPECT_GE(ToProtoTime(before_epoch).nanos(), 0);
}

}  // namespace
}  // namespace salesmeet
