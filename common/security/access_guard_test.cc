#include "common/security/access_guard.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "common/errors.h"
#include "common/security/test_tokens.h"

namespace salesmeet {
namespace {

using ::salesmeet::testing::NewKeyPair;
using ::salesmeet::testing::SignToken;
using ::salesmeet::testing::TokenSpec;

const absl::Time kNow = absl::FromUnixSeconds(1812345678);
constexpr char kGet[] = "/salesmeet.scheduling.v1.SchedulingService/GetMeeting";
constexpr char kCreate[] =
    "/salesmeet.scheduling.v1.SchedulingService/CreateMeeting";
constexpr char kWatch[] =
    "/salesmeet.scheduling.v1.SchedulingService/WatchMeetingChanges";

constexpr char kPolicy[] = R"({
  "roles": [
    {"name": "viewer", "methods": ["salesmeet.scheduling.v1.SchedulingService/GetMeeting",
                                   "salesmeet.scheduling.v1.SchedulingService/WatchMeetingChanges"]}
  ],
  "bindings": [{"role": "viewer", "members": ["group:salesmeet-viewers"]}]
})";

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::trunc) << text;
}

std::string ReasonOf(const absl::Status& status) {
  google::rpc::ErrorInfo info;
  GetErrorInfo(status, &info);
  return info.reason();
}

class AccessGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        ::testing::TempDir() + "/access_guard_test_" + std::to_string(getpid());
    mkdir(dir_.c_str(), 0700);
    keys_ = NewKeyPair("RSA");
    WriteFile(dir_ + "/key.pub", keys_.public_pem);
    settings_.policy_path = dir_ + "/policy.json";
    settings_.token_key_paths = {dir_ + "/key.pub"};
    settings_.token_issuer = "salesmeet-test";
    settings_.token_audience = "salesmeet";
    settings_.reload_interval = absl::Hours(1);  // Reloaded by hand here.
  }

  std::unique_ptr<AccessGuard> Guard(const std::string& policy = kPolicy) {
    WriteFile(settings_.policy_path, policy);
    auto guard = AccessGuard::Create(
        settings_, [] { return kNow; }, registry_);
    EXPECT_TRUE(guard.ok()) << guard.status();
    return guard.ok() ? *std::move(guard) : nullptr;
  }
  std::string Bearer() const {
    TokenSpec spec;
    spec.key = keys_.private_pem;
    spec.now = kNow;
    return "Bearer " + SignToken(spec);
  }

  std::string dir_;
  testing::KeyPair keys_;
  AccessSettings settings_;
  prometheus::Registry registry_;
};

TEST_F(AccessGuardTest, NoCredentialsIsUnauthenticated) {
  auto guard = Guard();
  CallAccess access = guard->Admit(kGet, nullptr, "", false);
  EXPECT_EQ(access.status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(ReasonOf(access.status), "CREDENTIALS_MISSING");
  access = guard->Admit(kGet, nullptr, "Basic abc", false);
  EXPECT_EQ(ReasonOf(access.status), "INVALID_TOKEN");
}

TEST_F(AccessGuardTest, GrantedMethodPassesOthersArePermissionDenied) {
  auto guard = Guard();
  CallAccess get = guard->Admit(kGet, nullptr, Bearer(), false);
  EXPECT_TRUE(get.status.ok()) << get.status;
  EXPECT_EQ(get.principal, "user:dev-viewer");
  EXPECT_FALSE(get.pii);
  CallAccess create = guard->Admit(kCreate, nullptr, Bearer(), false);
  EXPECT_EQ(create.status.code(), absl::StatusCode::kPermissionDenied);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(GetErrorInfo(create.status, &info));
  EXPECT_EQ(info.reason(), "METHOD_NOT_GRANTED");
  EXPECT_EQ(info.metadata().at("principal"), "user:dev-viewer");
  EXPECT_EQ(info.metadata().at("method"), kCreate);
}

TEST_F(AccessGuardTest, ReloadAppliesANewPolicyAndKeepsTheOldOnAMistake) {
  auto guard = Guard("{}");
  EXPECT_EQ(guard->Admit(kGet, nullptr, Bearer(), false).status.code(),
            absl::StatusCode::kPermissionDenied);
  WriteFile(settings_.policy_path, kPolicy);
  guard->ReloadIfChanged();
  EXPECT_TRUE(guard->Admit(kGet, nullptr, Bearer(), false).status.ok());
  WriteFile(settings_.policy_path, "{ not json");
  guard->ReloadIfChanged();
  EXPECT_TRUE(guard->Admit(kGet, nullptr, Bearer(), false).status.ok());
}

TEST_F(AccessGuardTest, RateLimitRefusesPastTheBurstWithRetryInfo) {
  settings_.calls_per_second = 0.001;
  settings_.burst = 3;
  auto guard = Guard();
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(guard->Admit(kGet, nullptr, Bearer(), false).status.ok());
  }
  absl::Status refused = guard->Admit(kGet, nullptr, Bearer(), false).status;
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ReasonOf(refused), "RATE_LIMITED");
  google::rpc::RetryInfo retry;
  ASSERT_TRUE(GetRetryInfo(refused, &retry));
  EXPECT_GT(retry.retry_delay().seconds(), 0);
}

TEST_F(AccessGuardTest, StreamCapCountsOpenStreamsPerPrincipal) {
  settings_.max_streams = 2;
  auto guard = Guard();
  CallAccess first = guard->Admit(kWatch, nullptr, Bearer(), true);
  CallAccess second = guard->Admit(kWatch, nullptr, Bearer(), true);
  ASSERT_TRUE(first.status.ok() && second.status.ok());
  CallAccess third = guard->Admit(kWatch, nullptr, Bearer(), true);
  EXPECT_EQ(ReasonOf(third.status), "STREAM_LIMIT");
  EXPECT_FALSE(third.holds_stream);
  guard->EndStream(first.principal);
  EXPECT_TRUE(guard->Admit(kWatch, nullptr, Bearer(), true).status.ok());
}

TEST_F(AccessGuardTest, StartUpFailsOnAMissingOrInvalidPolicy) {
  WriteFile(settings_.policy_path, R"({"roles":[{"name":"X"}]})");
  auto bad = AccessGuard::Create(
      settings_, [] { return kNow; }, registry_);
  EXPECT_FALSE(bad.ok());
  settings_.policy_path = dir_ + "/missing.json";
  EXPECT_FALSE(AccessGuard::Create(
                   settings_, [] { return kNow; }, registry_)
                   .ok());
}

}  // namespace
}  // namespace salesmeet
