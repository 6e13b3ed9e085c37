#ifndef SALESMEET_TESTS_BENCH_BENCH_CHECKS_H_
#define SALESMEET_TESTS_BENCH_BENCH_CHECKS_H_

// A benchmark stops at the first failed step: a figure measured on a broken
// run would mislead.

#include <errno.h>
#include <grpcpp/support/status.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace salesmeet::bench {

// Prints "<program>: what" and exits 1.
[[noreturn]] inline void Fail(const std::string& what) {
  std::fprintf(stderr, "%s: %s\n", program_invocation_short_name, what.c_str());
  std::exit(1);
}

inline void Check(const std::string& what, const grpc::Status& status) {
  if (!status.ok()) {
    Fail(absl::StrCat(what, " failed: ", status.error_code(), " ",
                      status.error_message()));
  }
}

inline void Check(const std::string& what, const absl::Status& status) {
  if (!status.ok()) Fail(absl::StrCat(what, ": ", status.ToString()));
}

}  // namespace salesmeet::bench

#endif  // SALESMEET_TESTS_BENCH_BENCH_CHECKS_H_
