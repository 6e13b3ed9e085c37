#include "common/errors.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/grpc_status.h"
#include "google/rpc/status.pb.h"

namespace salesmeet {
namespace {

TEST(FieldErrorsTest, NamesEveryBadFieldInBadRequest) {
  FieldErrors errors;
  errors.Add("participant.email", "is not an email address");
  errors.Add("participant.time_zone", "is not an IANA time zone");
  absl::Status status = errors.ToStatus();
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(GetBadRequest(status, &bad));
  ASSERT_EQ(bad.field_violations_size(), 2);
  EXPECT_EQ(bad.field_violations(0).field(), "participant.email");
  EXPECT_EQ(bad.field_violations(1).field(), "participant.time_zone");
  EXPECT_NE(status.message().find("participant.time_zone"), std::string::npos);
}

TEST(FieldErrorsTest, NoErrorsIsOk) {
  EXPECT_TRUE(FieldErrors().ToStatus().ok());
}

TEST(ErrorsTest, PreconditionFailureCarriesEveryViolationAndReason) {
  absl::Status status = FailedPreconditionError(
      "RESOURCE_IN_USE", "still referenced",
      {{"ACCOUNT_OWNER", "participants/ada", "owns 3 accounts"},
       {"TEAM_MANAGER", "participants/ada", "manages teams/emea"}});
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  google::rpc::PreconditionFailure failure;
  ASSERT_TRUE(GetPreconditionFailure(status, &failure));
  EXPECT_EQ(failure.violations_size(), 2);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(GetErrorInfo(status, &info));
  EXPECT_EQ(info.reason(), "RESOURCE_IN_USE");
  EXPECT_EQ(info.domain(), "salesmeet.dev");
}

TEST(GrpcStatusTest, DetailsTravelAsSerializedRpcStatus) {
  absl::Status status = InvalidFieldError("name", "is malformed");
  grpc::Status wire = ToGrpcStatus(status);
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(wire.error_details()));
  EXPECT_EQ(rpc.code(), 3);
  bool saw_bad_request = false;
  for (const auto& any : rpc.details()) {
    if (any.Is<google::rpc::BadRequest>()) saw_bad_request = true;
  }
  EXPECT_TRUE(saw_bad_request);
}

TEST(GrpcStatusTest, RoundTripKeepsDetails) {
  absl::Status original = EtagMismatchError("participants/ada");
  absl::Status back = FromGrpcStatus(ToGrpcStatus(original));
  EXPECT_EQ(back.code(), absl::StatusCode::kAborted);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(GetErrorInfo(back, &info));
  EXPECT_EQ(info.reason(), "ETAG_MISMATCH");
}

TEST(GrpcStatusTest, OkIsOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

// A valid UTF-8 check for the tests: every byte sequence decodes.
bool IsValidUtf8(const std::string& text) {
  return TruncateUtf8(text, text.size() + 3) == text;
}

TEST(QuotedTest, EchoesShortValuesWhole) {
  EXPECT_EQ(Quoted("Europe/Rom"), "\"Europe/Rom\"");
  EXPECT_EQ(Quoted(""), "\"\"");
}

TEST(QuotedTest, CutsLongValuesAndSaysHowMuchWasLeft) {
  const std::string zone(10'000, 'x');
  const std::string quoted = Quoted(zone);
  EXPECT_LT(quoted.size(), 80u);
  EXPECT_NE(quoted.find("(+9960 bytes)"), std::string::npos) << quoted;
}

TEST(QuotedTest, ShowsControlCharactersEscapedAndNeverBreaksUtf8) {
  EXPECT_EQ(Quoted(std::string("a\0b\n", 4)), "\"a\\x00b\\x0a\"");
  // 50 three-byte characters: the cut falls between characters.
  std::string euros;
  for (int i = 0; i < 50; ++i) euros += "\xE2\x82\xAC";
  EXPECT_TRUE(IsValidUtf8(Quoted(euros)));
  // Invalid UTF-8 is replaced, not copied.
  EXPECT_TRUE(IsValidUtf8(Quoted("\xFF\xC0\x80")));
}

TEST(TruncateUtf8Test, CutsAtCharacterBoundariesWithinTheBudget) {
  std::string euros;
  for (int i = 0; i < 100; ++i) euros += "\xE2\x82\xAC";
  for (size_t budget : {0, 1, 2, 3, 4, 5, 6, 7, 10, 299, 300}) {
    const std::string cut = TruncateUtf8(euros, budget);
    EXPECT_LE(cut.size(), budget);
    EXPECT_TRUE(IsValidUtf8(cut)) << budget;
  }
  EXPECT_EQ(TruncateUtf8(euros, 300), euros);
  EXPECT_EQ(TruncateUtf8("short", 5), "short");
}

TEST(FieldErrorsTest, ListsTheFirstViolationsAndCountsThemAll) {
  FieldErrors errors;
  for (int i = 0; i < 100'000; ++i) {
    errors.Add(absl::StrCat("update_mask.paths[", i, "]"),
               "is not a field that can be updated");
  }
  EXPECT_EQ(errors.count(), 100'000u);
  const absl::Status status = errors.ToStatus();
  google::rpc::BadRequest bad;
  ASSERT_TRUE(GetBadRequest(status, &bad));
  EXPECT_EQ(bad.field_violations_size(),
            static_cast<int>(kMaxListedViolations));
  EXPECT_EQ(bad.field_violations(0).field(), "update_mask.paths[0]");
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(GetErrorInfo(status, &info));
  EXPECT_EQ(info.metadata().at("violations"), "100000");
  EXPECT_LE(status.message().size(), kMaxMessageBytes);
  EXPECT_NE(status.message().find("and 99997 more problems"), std::string::npos)
      << status.message();
}

TEST(FieldErrorsTest, CutsHugeFieldPathsAndDescriptions) {
  FieldErrors errors;
  errors.Add(std::string(50'000, 'f'), std::string(50'000, 'd'));
  google::rpc::BadRequest bad;
  ASSERT_TRUE(GetBadRequest(errors.ToStatus(), &bad));
  EXPECT_LE(bad.field_violations(0).field().size(), kMaxFieldPathBytes);
  EXPECT_LE(bad.field_violations(0).description().size(), kMaxDescriptionBytes);
}

}  // namespace
}  // namespace salesmeet
