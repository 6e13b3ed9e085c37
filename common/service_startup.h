#ifndef SALESMEET_COMMON_SERVICE_STARTUP_H_
#define SALESMEET_COMMON_SERVICE_STARTUP_H_

// Start-up steps every service's main() takes: reading --db, choosing the
// page-token key, and reporting a failure to start.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/page_token.h"

namespace salesmeet {

// Logs why `service` could not start and returns the exit code (1).
int StartupFailure(absl::string_view service, absl::string_view what,
                   const absl::Status& status);

// The SQLite file a --db URL names. PostgreSQL URLs are refused with a
// message that says so, until that backend exists.
absl::StatusOr<std::string> SqliteFileFromDbUrl(absl::string_view url,
                                                absl::string_view service);

// The page-token key: `configured` when set, otherwise the one the
// database keeps for every process that uses it.
absl::StatusOr<std::string> PageTokenKey(const std::string& configured,
                                         PageTokenSecretStore& stored);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_SERVICE_STARTUP_H_
