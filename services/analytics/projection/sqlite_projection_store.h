#ifndef SALESMEET_SERVICES_ANALYTICS_PROJECTION_SQLITE_PROJECTION_STORE_H_
#define SALESMEET_SERVICES_ANALYTICS_PROJECTION_SQLITE_PROJECTION_STORE_H_

// The projection's store in an embedded SQLite file, the default.

#include <memory>
#include <string>

#include "common/sqlite.h"
#include "services/analytics/projection/projection_store.h"

namespace salesmeet::analytics {

class SqliteProjectionStore : public ProjectionStore {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteProjectionStore>> Open(
      const std::string& path, int pool_size);

  absl::StatusOr<FeedPosition> Load(
      const std::function<absl::Status(const sv1::Meeting&)>& visit) override;
  absl::StatusOr<FeedPosition> Append(
      const std::vector<const sv1::MeetingChange*>& changes) override;
  absl::Status SavePolicy(const sv1::SchedulingPolicy& policy) override;
  absl::StatusOr<std::optional<sv1::SchedulingPolicy>> LoadPolicy() override;
  absl::Status Ping() override { return db_->Ping(); }

  // The page token key kept in the database (see LoadOrCreateSecret).
  absl::StatusOr<std::string> PageTokenSecret() override {
    return db_->LoadOrCreateSecret("page_token_key");
  }

 private:
  explicit SqliteProjectionStore(std::unique_ptr<SqliteDatabase> db)
      : db_(std::move(db)) {}

  std::unique_ptr<SqliteDatabase> db_;
};

}  // namespace salesmeet::analytics

#endif  // SALESMEET_SERVICES_ANALYTICS_PROJECTION_SQLITE_PROJECTION_STORE_H_
