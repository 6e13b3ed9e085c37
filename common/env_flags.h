#ifndef SALESMEET_COMMON_ENV_FLAGS_H_
#define SALESMEET_COMMON_ENV_FLAGS_H_

// Abseil flags that can also be set from the environment, so a Kubernetes
// ConfigMap can configure a service without touching its command line.

#include <string>
#include <vector>

namespace salesmeet {

// The environment variable that sets flag `name`: SALESMEET_<NAME>, upper
// case (e.g. --metrics_port is SALESMEET_METRICS_PORT).
std::string EnvVarForFlag(const std::string& name);

// Applies SALESMEET_* variables to the matching flags, then parses the
// command line, which wins over the environment. A variable that does not
// parse for its flag is fatal with a message naming both. Returns the
// positional arguments, like absl::ParseCommandLine.
std::vector<char*> ParseFlagsWithEnvironment(int argc, char** argv);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_ENV_FLAGS_H_
