#include "common/env_flags.h"

#include <cstdio>
#include <cstdlib>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace salesmeet {

std::string EnvVarForFlag(const std::string& name) {
  return absl::StrCat("SALESMEET_", absl::AsciiStrToUpper(name));
}

std::vector<char*> ParseFlagsWithEnvironment(int argc, char** argv) {
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    const std::string var = EnvVarForFlag(std::string(name));
    const char* value = std::getenv(var.c_str());
    if (value == nullptr) continue;
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      std::fprintf(stderr, "%s: invalid value for --%s: %s\n", var.c_str(),
                   std::string(name).c_str(), error.c_str());
      std::exit(2);
    }
  }
  return absl::ParseCommandLine(argc, argv);
}

}  // namespace salesmeet
