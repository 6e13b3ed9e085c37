#ifndef SALESMEET_COMMON_SERVICE_STARTUP_H_
#define SALESMEET_COMMON_SERVICE_STARTUP_H_

// Start-up steps every service's main() takes: reading --db and the database
// flags, choosing the page-token key, and reporting a failure to start.

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/page_token.h"
#include "common/postgres.h"

namespace salesmeet {

// Logs why `service` could not start and returns the exit code (1).
int StartupFailure(absl::string_view service, absl::string_view what,
                   const absl::Status& status);

// The backend a --db URL picks: a SQLite file, or PostgreSQL with the
// shared --db_* flags (password file, schema, statement timeout) applied.
struct StoreChoice {
  std::string sqlite_path;
  std::optional<PgDatabase::Options> postgres;
};
absl::StatusOr<StoreChoice> ChooseStore(absl::string_view url,
                                        absl::string_view service,
                                        int pool_size);

// Opens the store a --db URL picks: `SqliteBackend::Open(path, pool_size)`
// or `PostgresBackend::Open(options)`, both implementing `Store`.
template <typename Store, typename SqliteBackend, typename PostgresBackend>
absl::StatusOr<std::unique_ptr<Store>> OpenChosenStore(
    absl::string_view url, absl::string_view service, int pool_size) {
  absl::StatusOr<StoreChoice> choice = ChooseStore(url, service, pool_size);
  if (!choice.ok()) return choice.status();
  if (choice->postgres.has_value()) {
    auto store = PostgresBackend::Open(*choice->postgres);
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(*std::move(store));
  }
  auto store = SqliteBackend::Open(choice->sqlite_path, pool_size);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(*std::move(store));
}

// --migrate_only: the service exits once its schema is up to date (a
// deployment's migration step).
bool MigrateOnly();

// The page-token key: `configured` when set, otherwise the one the
// database keeps for every process that uses it.
absl::StatusOr<std::string> PageTokenKey(const std::string& configured,
                                         PageTokenSecretStore& stored);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_SERVICE_STARTUP_H_
