#ifndef SALESMEET_COMMON_POSTGRES_TEST_SUPPORT_H_
#define SALESMEET_COMMON_POSTGRES_TEST_SUPPORT_H_

// Where the PostgreSQL store tests find their database: CTest starts a
// throwaway cluster (tests/postgres_fixture.sh) and passes its URL in
// SALESMEET_TEST_POSTGRES_URL. Each store under test gets a schema of its
// own, so tests never see each other's rows. Tests only.

#include <cstdlib>
#include <string>

#include "absl/random/random.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/postgres.h"

namespace salesmeet {

inline absl::StatusOr<PgDatabase::Options> TestPostgresOptions(
    absl::string_view prefix) {
  const char* url = std::getenv("SALESMEET_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') {
    return absl::FailedPreconditionError(
        "SALESMEET_TEST_POSTGRES_URL is not set: run these tests through "
        "ctest, which starts PostgreSQL for them");
  }
  static absl::BitGen random;
  PgDatabase::Options options;
  options.connect.url = url;
  options.connect.schema =
      absl::StrCat(prefix, "_", absl::Uniform<uint64_t>(random));
  options.connect.application_name = "salesmeet-test";
  options.pool_size = 4;
  return options;
}

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_POSTGRES_TEST_SUPPORT_H_
