#ifndef SALESMEET_SERVICES_PARTICIPANT_POSTGRES_PARTICIPANT_STORE_H_
#define SALESMEET_SERVICES_PARTICIPANT_POSTGRES_PARTICIPANT_STORE_H_

#include <memory>
#include <string>

#include "common/postgres.h"
#include "services/participant/participant_store.h"

namespace salesmeet::participant {

// The scale-out backend, shared by every participant replica. Directory
// writes are few and their rules span records (a team's manager must be a
// member, an email belongs to one person), so writers take turns on one
// transaction-scoped advisory lock, exactly as SQLite's single writer did;
// readers never wait for it. Unique emails and idempotency keys are also
// constraints of the database, whatever a writer does.
class PostgresParticipantStore : public ParticipantStore {
 public:
  static absl::StatusOr<std::unique_ptr<PostgresParticipantStore>> Open(
      const PgDatabase::Options& options);

  absl::Status Read(TransactionBody body) override;
  absl::Status Write(TransactionBody body) override;
  absl::Status Ping() override;
  absl::StatusOr<std::string> PageTokenSecret() override;

 private:
  explicit PostgresParticipantStore(std::unique_ptr<PgDatabase> db)
      : db_(std::move(db)) {}

  std::unique_ptr<PgDatabase> db_;
};

}  // namespace salesmeet::participant

#endif  // SALESMEET_SERVICES_PARTICIPANT_POSTGRES_PARTICIPANT_STORE_H_
