#include "common/errors.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace salesmeet
