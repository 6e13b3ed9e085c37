#include "common/security/access_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/errors.h"

namespace salesmeet {
namespace {

constexpr char kPolicy[] = R"({
  "roles": [
    {"name": "viewer", "methods": ["salesmeet.scheduling.v1.SchedulingService/GetMeeting"]},
    {"name": "scheduler", "methods": ["salesmeet.scheduling.v1.SchedulingService/*"]},
    {"name": "admin", "methods": ["*"], "permissions": ["pii"]}
  ],
  "bindings": [
    {"role": "viewer", "members": ["group:viewers"]},
    {"role": "scheduler", "members": ["user:sam", "spiffe://salesmeet/gateway"]},
    {"role": "admin", "members": ["group:admins", "dns:ops.example"]}
  ]
})";

constexpr char kGet[] = "/salesmeet.scheduling.v1.SchedulingService/GetMeeting";
constexpr char kCreate[] =
    "/salesmeet.scheduling.v1.SchedulingService/CreateMeeting";
constexpr char kDelete[] =
    "/salesmeet.participant.v1.ParticipantService/DeleteParticipant";

TEST(AccessPolicyTest, GrantsWhatBindingsSayAndNothingElse) {
  absl::StatusOr<AccessPolicy> policy = AccessPolicy::Parse(kPolicy);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_TRUE(policy->Allows({"group:viewers"}, kGet));
  EXPECT_FALSE(policy->Allows({"group:viewers"}, kCreate));
  EXPECT_TRUE(policy->Allows({"user:sam"}, kCreate));
  EXPECT_FALSE(policy->Allows({"user:sam"}, kDelete));
  EXPECT_TRUE(policy->Allows({"spiffe://salesmeet/gateway"}, kCreate));
  EXPECT_TRUE(policy->Allows({"dns:ops.example"}, kDelete));
  EXPECT_TRUE(policy->Allows({"user:x", "group:admins"}, kDelete));
  EXPECT_FALSE(policy->Allows({}, kGet));
  EXPECT_FALSE(policy->Allows({"user:viewers"}, kGet));  // Not the group.
  EXPECT_FALSE(policy->Allows({"spiffe://salesmeet/gateway/x"}, kCreate));
}

TEST(AccessPolicyTest, ServiceWildcardDoesNotReachOtherServices) {
  absl::StatusOr<AccessPolicy> policy = AccessPolicy::Parse(kPolicy);
  ASSERT_TRUE(policy.ok());
  EXPECT_FALSE(policy->Allows(
      {"user:sam"}, "/salesmeet.scheduling.v1.SchedulingServiceX/GetMeeting"));
  EXPECT_FALSE(
      policy->Allows({"user:sam"}, "/salesmeet.scheduling.v1.Scheduling/Get"));
}

TEST(AccessPolicyTest, PiiOnlyForRolesThatGrantIt) {
  absl::StatusOr<AccessPolicy> policy = AccessPolicy::Parse(kPolicy);
  ASSERT_TRUE(policy.ok());
  EXPECT_TRUE(policy->HasPermission({"group:admins"}, kPiiPermission));
  EXPECT_FALSE(policy->HasPermission({"user:sam"}, kPiiPermission));
}

TEST(AccessPolicyTest, EmptyPolicyDeniesEverything) {
  absl::StatusOr<AccessPolicy> policy = AccessPolicy::Parse("{}");
  ASSERT_TRUE(policy.ok());
  EXPECT_FALSE(policy->Allows({"group:admins"}, kGet));
}

TEST(AccessPolicyTest, MistakesNameTheirField) {
  struct Case {
    const char* json;
    const char* field;
  };
  for (
      const Case& c : std::vector<Case>{
          {R"({"roles":[{"name":"Bad Name"}]})", "roles[0].name"},
          {R"({"roles":[{"name":"a"},{"name":"a"}]})", "roles[1].name"},
          {R"({"roles":[{"name":"a","methods":["/x.Y/Z"]}]})",
           "roles[0].methods[0]"},
          {R"({"roles":[{"name":"a","methods":["NoDot/*"]}]})",
           "roles[0].methods[0]"},
          {R"({"roles":[{"name":"a","permissions":["root"]}]})",
           "roles[0].permissions[0]"},
          {R"({"bindings":[{"role":"ghost","members":["user:x"]}]})",
           "bindings[0].role"},
          {R"({"roles":[{"name":"a"}],"bindings":[{"role":"a","members":["x"]}]})",
           "bindings[0].members[0]"},
          {R"({"roles":[{"name":"a"}],"bindings":[{"role":"a","members":["user:"]}]})",
           "bindings[0].members[0]"},
      }) {
    absl::StatusOr<AccessPolicy> policy = AccessPolicy::Parse(c.json);
    ASSERT_FALSE(policy.ok()) << c.json;
    google::rpc::BadRequest bad;
    ASSERT_TRUE(GetBadRequest(policy.status(), &bad)) << c.json;
    EXPECT_EQ(bad.field_violations(0).field(), c.field) << c.json;
  }
}

TEST(AccessPolicyTest, UnknownKeysAndBrokenJsonAreRefused) {
  EXPECT_FALSE(AccessPolicy::Parse(R"({"rolez":[]})").ok());
  EXPECT_FALSE(AccessPolicy::Parse("{").ok());
  EXPECT_FALSE(AccessPolicy::Parse("").ok());
}

}  // namespace
}  // namespace salesmeet
