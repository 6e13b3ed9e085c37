#ifndef SALESMEET_SERVICES_SCHEDULING_STORE_POSTGRES_MEETING_STORE_H_
#define SALESMEET_SERVICES_SCHEDULING_STORE_POSTGRES_MEETING_STORE_H_

#include <memory>
#include <string>

#include "common/postgres.h"
#include "services/scheduling/store/meeting_store.h"

namespace salesmeet::scheduling {

// The scale-out backend, shared by every scheduling replica. What SQLite's
// single writer gave for free is enforced by the database:
// - no double booking: a writer locks the calendars it is about to check
//   (transaction-scoped advisory locks, taken in sorted order) and the
//   meeting id it writes before reading them;
// - a gap-free feed in commit order: sequences come from a counter row
//   updated inside the write transaction, whose row lock is held until the
//   commit, so sequence n+1 can only commit after n, and a rollback takes
//   its number back;
// - watchers on other replicas: every commit NOTIFYs the head.
class PostgresMeetingStore : public MeetingStore {
 public:
  static absl::StatusOr<std::unique_ptr<PostgresMeetingStore>> Open(
      const PgDatabase::Options& options);
  ~PostgresMeetingStore() override;

  absl::Status Read(MeetingTransactionBody body) override;
  absl::Status Write(MeetingTransactionBody body) override;
  absl::StatusOr<std::vector<v1::MeetingChange>> ReadChanges(
      int64_t after_sequence, int limit) override;
  absl::StatusOr<int64_t> HeadSequence() override;
  void FollowOtherWriters(std::function<void(int64_t)> on_head) override;
  absl::Status Ping() override;
  absl::StatusOr<std::string> PageTokenSecret() override;

 private:
  explicit PostgresMeetingStore(std::unique_ptr<PgDatabase> db)
      : db_(std::move(db)) {}

  std::unique_ptr<PgDatabase> db_;
  std::unique_ptr<PgListener> listener_;
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_STORE_POSTGRES_MEETING_STORE_H_
