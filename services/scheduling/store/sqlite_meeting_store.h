#ifndef SALESMEET_SERVICES_SCHEDULING_STORE_SQLITE_MEETING_STORE_H_
#define SALESMEET_SERVICES_SCHEDULING_STORE_SQLITE_MEETING_STORE_H_

#include <memory>
#include <string>

#include "common/sqlite.h"
#include "services/scheduling/store/meeting_store.h"

namespace salesmeet::scheduling {

// The embedded default: one SQLite file holding meetings (each stored whole
// as a proto, with the columns lists and conflict checks search on), an
// attendee index, the change feed and the policy.
class SqliteMeetingStore : public MeetingStore {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteMeetingStore>> Open(
      const std::string& path, int pool_size = 4);

  absl::Status Read(MeetingTransactionBody body) override;
  absl::Status Write(MeetingTransactionBody body) override;
  absl::StatusOr<std::vector<v1::MeetingChange>> ReadChanges(
      int64_t after_sequence, int limit) override;
  absl::StatusOr<int64_t> HeadSequence() override;
  absl::Status Ping() override;
  absl::StatusOr<std::string> PageTokenSecret() override;

 private:
  explicit SqliteMeetingStore(std::unique_ptr<SqliteDatabase> db)
      : db_(std::move(db)) {}

  std::unique_ptr<SqliteDatabase> db_;
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_STORE_SQLITE_MEETING_STORE_H_
