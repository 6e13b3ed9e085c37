#ifndef SALESMEET_SERVICES_PARTICIPANT_SQLITE_PARTICIPANT_STORE_H_
#define SALESMEET_SERVICES_PARTICIPANT_SQLITE_PARTICIPANT_STORE_H_

#include <memory>
#include <string>

#include "common/sqlite.h"
#include "services/participant/participant_store.h"

namespace salesmeet::participant {

// The embedded default: one SQLite file. Each resource is stored whole as a
// serialized proto, next to the columns that lists filter and sort on.
class SqliteParticipantStore : public ParticipantStore {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteParticipantStore>> Open(
      const std::string& path, int pool_size = 4);

  absl::Status Read(TransactionBody body) override;
  absl::Status Write(TransactionBody body) override;
  absl::Status Ping() override;
  absl::StatusOr<std::string> PageTokenSecret() override;

 private:
  explicit SqliteParticipantStore(std::unique_ptr<SqliteDatabase> db)
      : db_(std::move(db)) {}

  std::unique_ptr<SqliteDatabase> db_;
};

}  // namespace salesmeet::participant

#endif  // SALESMEET_SERVICES_PARTICIPANT_SQLITE_PARTICIPANT_STORE_H_
