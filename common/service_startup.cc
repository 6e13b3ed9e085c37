#include "common/service_startup.h"

#include <algorithm>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/json_log.h"
#include "common/sqlite.h"

ABSL_FLAG(std::string, db_password_file, "",
          "PostgreSQL: a file whose first line is the password (otherwise "
          "libpq's PGPASSWORD or ~/.pgpass); never logged");
ABSL_FLAG(std::string, db_schema, "",
          "PostgreSQL: the schema holding this service's tables; empty uses "
          "the service's name, so all three can share one database");
ABSL_FLAG(absl::Duration, db_statement_timeout, absl::Seconds(5),
          "PostgreSQL: the longest one statement may run (lock waits "
          "included) before the call fails UNAVAILABLE");
ABSL_FLAG(bool, migrate_only, false,
          "Apply the database migrations and exit (a deployment's migration "
          "step; safe while other replicas start or serve)");

namespace salesmeet {

int StartupFailure(absl::string_view service, absl::string_view what,
                   const absl::Status& status) {
  LogJson(LogLevel::kError, what,
          {{"service", std::string(service)}, {"error", status.ToString()}});
  return 1;
}

absl::StatusOr<StoreChoice> ChooseStore(absl::string_view url,
                                        absl::string_view service,
                                        int pool_size) {
  StoreChoice choice;
  if (!IsPostgresUrl(url)) {
    absl::StatusOr<std::string> path = SqlitePathFromUrl(url);
    if (!path.ok()) return path.status();
    choice.sqlite_path = *std::move(path);
    return choice;
  }
  std::string schema = absl::GetFlag(FLAGS_db_schema);
  if (schema.empty()) schema = std::string(service);
  absl::StatusOr<PgConnectOptions> connect =
      PgConnectOptionsFromFlags(url, absl::GetFlag(FLAGS_db_password_file),
                                schema, absl::StrCat("salesmeet-", service));
  if (!connect.ok()) return connect.status();
  connect->statement_timeout = absl::GetFlag(FLAGS_db_statement_timeout);
  PgDatabase::Options options;
  options.connect = *std::move(connect);
  options.pool_size = std::max(1, pool_size);
  choice.postgres = std::move(options);
  return choice;
}

bool MigrateOnly() { return absl::GetFlag(FLAGS_migrate_only); }

absl::StatusOr<std::string> PageTokenKey(const std::string& configured,
                                         PageTokenSecretStore& stored) {
  if (!configured.empty()) return configured;
  return stored.PageTokenSecret();
}

}  // namespace salesmeet
