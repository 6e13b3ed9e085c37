#include "common/env_flags.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "absl/flags/flag.h"

ABSL_FLAG(int, env_test_port, 7, "test flag");
ABSL_FLAG(std::string, env_test_name, "default", "test flag");

namespace salesmeet {
namespace {

TEST(EnvFlagsTest, VariableNameIsPrefixedUpperCase) {
  EXPECT_EQ(EnvVarForFlag("metrics_port"), "SALESMEET_METRICS_PORT");
}

TEST(EnvFlagsTest, EnvironmentSetsFlagAndCommandLineWins) {
  setenv("SALESMEET_ENV_TEST_PORT", "8080", 1);
  setenv("SALESMEET_ENV_TEST_NAME", "from-env", 1);
  char arg0[] = "prog";
  char arg1[] = "--env_test_name=from-flag";
  char* argv[] = {arg0, arg1};
  ParseFlagsWithEnvironment(2, argv);
  EXPECT_EQ(absl::GetFlag(FLAGS_env_test_port), 8080);
  EXPECT_EQ(absl::GetFlag(FLAGS_env_test_name), "from-flag");
}

}  // namespace
}  // namespace salesmeet
