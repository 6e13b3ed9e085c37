#ifndef SALESMEET_COMMON_POSTGRES_TEST_SUPPORT_H_
#define SALESMEET_COMMON_POSTGRES_TEST_SUPPORT_H_

// Where the PostgreSQL store tests find their database: CTest starts a
// throwaway cluster (tests/postgres_fixture.sh) and passes the file holding
// its URL in SALESMEET_TEST_POSTGRES_URL_FILE (or the URL itself in
// SALESMEET_TEST_POSTGRES_URL, to use another cluster). Each store under test
// gets a schema of its own (named after its temporary directory), so tests
// never see each other's rows. Tests only.

#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/postgres.h"

namespace salesmeet {

// The same `directory` (a test's temporary directory) gives the same
// schema, so a test can reopen its store.
inline absl::StatusOr<PgDatabase::Options> TestPostgresOptions(
    absl::string_view prefix, const std::string& directory) {
  std::string url;
  if (const char* given = std::getenv("SALESMEET_TEST_POSTGRES_URL")) {
    url = given;
  } else if (const char* file =
                 std::getenv("SALESMEET_TEST_POSTGRES_URL_FILE")) {
    std::ifstream in(file);
    std::getline(in, url);
  }
  if (url.empty()) {
    return absl::FailedPreconditionError(
        "neither SALESMEET_TEST_POSTGRES_URL nor a readable "
        "SALESMEET_TEST_POSTGRES_URL_FILE: run these tests through ctest, "
        "which starts PostgreSQL for them");
  }
  PgDatabase::Options options;
  options.connect.url = url;
  options.connect.schema =
      absl::StrCat(prefix, "_", std::hash<std::string>()(directory));
  options.connect.application_name = "salesmeet-test";
  options.pool_size = 4;
  return options;
}

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_POSTGRES_TEST_SUPPORT_H_
