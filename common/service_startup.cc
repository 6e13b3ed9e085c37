#include "common/service_startup.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/json_log.h"
#include "common/sqlite.h"

namespace salesmeet {

int StartupFailure(absl::string_view service, absl::string_view what,
                   const absl::Status& status) {
  LogJson(LogLevel::kError, what,
          {{"service", std::string(service)}, {"error", status.ToString()}});
  return 1;
}

absl::StatusOr<std::string> SqliteFileFromDbUrl(absl::string_view url,
                                                absl::string_view service) {
  if (absl::StartsWith(url, "postgres")) {
    return absl::UnimplementedError(absl::StrCat(
        "the PostgreSQL backend is not available in this build; use "
        "--db=sqlite:///path/to/",
        service, ".db"));
  }
  return SqlitePathFromUrl(url);
}

absl::StatusOr<std::string> PageTokenKey(const std::string& configured,
                                         PageTokenSecretStore& stored) {
  if (!configured.empty()) return configured;
  return stored.PageTokenSecret();
}

}  // namespace salesmeet
