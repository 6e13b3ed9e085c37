#ifndef SALESMEET_SERVICES_ANALYTICS_PROJECTION_POSTGRES_PROJECTION_STORE_H_
#define SALESMEET_SERVICES_ANALYTICS_PROJECTION_POSTGRES_PROJECTION_STORE_H_

#include <memory>
#include <string>

#include "common/postgres.h"
#include "services/analytics/projection/projection_store.h"

namespace salesmeet::analytics {

// One projection shared by every analytics replica. Each replica follows
// the feed and keeps its own read model in memory; whichever stores a
// change first wins (the position row is locked while a batch is written,
// and what is already stored is skipped), so every change is written once
// and a replica that dies loses nothing: the others carry on, and a new one
// loads the shared state and follows from there.
class PostgresProjectionStore : public ProjectionStore {
 public:
  static absl::StatusOr<std::unique_ptr<PostgresProjectionStore>> Open(
      const PgDatabase::Options& options);

  absl::StatusOr<FeedPosition> Load(
      const std::function<absl::Status(const sv1::Meeting&)>& visit) override;
  absl::StatusOr<FeedPosition> Append(
      const std::vector<const sv1::MeetingChange*>& changes) override;
  absl::Status SavePolicy(const sv1::SchedulingPolicy& policy) override;
  absl::StatusOr<std::optional<sv1::SchedulingPolicy>> LoadPolicy() override;
  absl::Status Ping() override;
  absl::StatusOr<std::string> PageTokenSecret() override;

 private:
  explicit PostgresProjectionStore(std::unique_ptr<PgDatabase> db)
      : db_(std::move(db)) {}

  std::unique_ptr<PgDatabase> db_;
};

}  // namespace salesmeet::analytics

#endif  // SALESMEET_SERVICES_ANALYTICS_PROJECTION_POSTGRES_PROJECTION_STORE_H_
