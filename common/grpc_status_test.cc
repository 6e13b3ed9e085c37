#include "common/grpc_status.h"

#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace salesmeet {
namespace {

// What a default client accepts in all: 8 KiB of metadata. The trailer
// carries the details base64-encoded and the message percent-encoded.
constexpr size_t kDefaultClientMetadataLimit = 8 * 1024;

size_t TrailerBytes(const grpc::Status& status) {
  size_t message = 0;
  for (const char c : status.error_message()) {
    const unsigned char u = static_cast<unsigned char>(c);
    message += (u < 0x20 || u >= 0x7F || u == '%') ? 3 : 1;
  }
  return message + (status.error_details().size() + 2) / 3 * 4;
}

absl::Status HugePreconditionFailure() {
  std::vector<PreconditionViolation> violations;
  for (int i = 0; i < 20'000; ++i) {
    violations.push_back({"ATTENDEE_BUSY", absl::StrCat("participants/p", i),
                          std::string(300, 'x')});
  }
  return FailedPreconditionError("ATTENDEES_BUSY", std::string(100'000, 'm'),
                                 violations);
}

TEST(ToGrpcStatusTest, KeepsCodeReasonAndAFewViolationsWithinTheLimit) {
  const grpc::Status status = ToGrpcStatus(HugePreconditionFailure());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_LT(TrailerBytes(status), kDefaultClientMetadataLimit / 2);
  google::rpc::Status rpc_status;
  ASSERT_TRUE(rpc_status.ParseFromString(status.error_details()));
  const absl::Status back = FromGrpcStatus(status);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(GetErrorInfo(back, &info));
  EXPECT_EQ(info.reason(), "ATTENDEES_BUSY");
  google::rpc::PreconditionFailure failure;
  ASSERT_TRUE(GetPreconditionFailure(back, &failure));
  EXPECT_GE(failure.violations_size(), 1);
  EXPECT_EQ(failure.violations(0).subject(), "participants/p0");
}

TEST(ToGrpcStatusTest, NonAsciiMessagesStayWithinTheLimitToo) {
  std::string euros;
  for (int i = 0; i < 20'000; ++i) euros += "\xE2\x82\xAC";
  const grpc::Status status = ToGrpcStatus(InvalidFieldError(euros, euros));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_LT(TrailerBytes(status), kDefaultClientMetadataLimit * 3 / 4);
}

TEST(ToGrpcStatusTest, SmallErrorsPassUnchanged) {
  const absl::Status error =
      InvalidFieldError("participant.email", "is not an email address");
  const absl::Status back = FromGrpcStatus(ToGrpcStatus(error));
  EXPECT_EQ(back.message(), error.message());
  google::rpc::BadRequest bad;
  ASSERT_TRUE(GetBadRequest(back, &bad));
  EXPECT_EQ(bad.field_violations(0).field(), "participant.email");
}

}  // namespace
}  // namespace salesmeet
