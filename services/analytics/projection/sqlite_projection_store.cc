#include "services/analytics/projection/sqlite_projection_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/field_checks.h"

namespace salesmeet::analytics {
namespace {

const std::vector<SqliteMigration>& Migrations() {
  static const auto* migrations = new std::vector<SqliteMigration>{
      {1, R"sql(
        -- Each meeting's state after the last change applied to it.
        CREATE TABLE meetings (
          name TEXT PRIMARY KEY,
          data BLOB NOT NULL            -- scheduling.v1.Meeting
        );
        -- One row: how far the feed is applied. Written in the same
        -- transaction as the meetings it covers.
        CREATE TABLE feed_position (
          id               INTEGER PRIMARY KEY CHECK (id = 1),
          applied_sequence INTEGER NOT NULL,
          commit_time      INTEGER NOT NULL  -- unix micros, 0 before any
        );
        INSERT INTO feed_position VALUES (1, 0, 0);
        CREATE TABLE policy (
          id   INTEGER PRIMARY KEY CHECK (id = 1),
          data BLOB NOT NULL            -- scheduling.v1.SchedulingPolicy
        );
      )sql"},
  };
  return *migrations;
}

absl::StatusOr<FeedPosition> ReadPosition(SqliteConnection& db) {
  absl::StatusOr<SqliteStatement> stmt = db.Prepare(
      "SELECT applied_sequence, commit_time FROM feed_position WHERE id = 1");
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::DataLossError("the feed position row is missing");
  FeedPosition position;
  position.applied_sequence = stmt->ColumnInt64(0);
  if (position.applied_sequence > 0) {
    position.applied_commit_time = absl::FromUnixMicros(stmt->ColumnInt64(1));
  }
  return position;
}

// Operations inside one transaction, for RunSqliteTransaction.
class Transaction {
 public:
  explicit Transaction(SqliteConnection& db) : db_(db) {}
  SqliteConnection& db() { return db_; }

 private:
  SqliteConnection& db_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteProjectionStore>>
SqliteProjectionStore::Open(const std::string& path, int pool_size) {
  absl::StatusOr<std::unique_ptr<SqliteDatabase>> db =
      SqliteDatabase::Open({path, pool_size, absl::Seconds(5)}, Migrations());
  if (!db.ok()) return db.status();
  return std::unique_ptr<SqliteProjectionStore>(
      new SqliteProjectionStore(*std::move(db)));
}

absl::StatusOr<FeedPosition> SqliteProjectionStore::Load(
    const std::function<absl::Status(const sv1::Meeting&)>& visit) {
  FeedPosition position;
  absl::Status status = RunSqliteTransaction<Transaction>(
      *db_, SqliteTransaction::Mode::kRead, [&](Transaction& tx) {
        absl::StatusOr<SqliteStatement> stmt =
            tx.db().Prepare("SELECT data FROM meetings");
        if (!stmt.ok()) return stmt.status();
        while (true) {
          absl::StatusOr<bool> row = stmt->Step();
          if (!row.ok()) return row.status();
          if (!*row) break;
          absl::StatusOr<sv1::Meeting> meeting =
              ProtoFromColumn<sv1::Meeting>(*stmt, 0);
          if (!meeting.ok()) return meeting.status();
          if (absl::Status s = visit(*meeting); !s.ok()) return s;
        }
        absl::StatusOr<FeedPosition> read = ReadPosition(tx.db());
        if (!read.ok()) return read.status();
        position = *read;
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return position;
}

absl::StatusOr<FeedPosition> SqliteProjectionStore::Append(
    const std::vector<const sv1::MeetingChange*>& changes) {
  FeedPosition position;
  absl::Status status = RunSqliteTransaction<Transaction>(
      *db_, SqliteTransaction::Mode::kWrite, [&](Transaction& tx) {
        absl::StatusOr<FeedPosition> read = ReadPosition(tx.db());
        if (!read.ok()) return read.status();
        position = *read;
        const int64_t stored = position.applied_sequence;
        for (const sv1::MeetingChange* change : changes) {
          if (change->sequence() <= stored) continue;
          if (change->sequence() != position.applied_sequence + 1) {
            return absl::AbortedError(absl::StrCat(
                "change ", change->sequence(), " does not follow the applied ",
                position.applied_sequence, "; nothing was written"));
          }
          absl::StatusOr<SqliteStatement> put = tx.db().Prepare(
              "INSERT INTO meetings (name, data) VALUES (?1, ?2) "
              "ON CONFLICT (name) DO UPDATE SET data = excluded.data");
          if (!put.ok()) return put.status();
          put->Bind(1, change->meeting().name())
              .BindBlob(2, change->meeting().SerializeAsString());
          if (absl::Status s = put->Run(); !s.ok()) return s;
          position.applied_sequence = change->sequence();
          position.applied_commit_time = ToAbslTime(change->commit_time());
        }
        if (position.applied_sequence == stored) return absl::OkStatus();
        absl::StatusOr<SqliteStatement> move = tx.db().Prepare(
            "UPDATE feed_position SET applied_sequence = ?1, "
            "commit_time = ?2 WHERE id = 1");
        if (!move.ok()) return move.status();
        move->Bind(1, position.applied_sequence)
            .Bind(2, absl::ToUnixMicros(position.applied_commit_time));
        return move->Run();
      });
  if (!status.ok()) return status;
  return PositionAfter(changes, position);
}

absl::Status SqliteProjectionStore::SavePolicy(
    const sv1::SchedulingPolicy& policy) {
  return RunSqliteTransaction<Transaction>(
      *db_, SqliteTransaction::Mode::kWrite, [&](Transaction& tx) {
        absl::StatusOr<SqliteStatement> put = tx.db().Prepare(
            "INSERT INTO policy (id, data) VALUES (1, ?1) "
            "ON CONFLICT (id) DO UPDATE SET data = excluded.data");
        if (!put.ok()) return put.status();
        put->BindBlob(1, policy.SerializeAsString());
        return put->Run();
      });
}

absl::StatusOr<std::optional<sv1::SchedulingPolicy>>
SqliteProjectionStore::LoadPolicy() {
  std::optional<sv1::SchedulingPolicy> policy;
  absl::Status status = RunSqliteTransaction<Transaction>(
      *db_, SqliteTransaction::Mode::kRead, [&](Transaction& tx) {
        absl::StatusOr<std::optional<sv1::SchedulingPolicy>> found =
            FindProto<sv1::SchedulingPolicy>(
                tx.db(), "SELECT data FROM policy WHERE id = ?1", "1");
        if (!found.ok()) return found.status();
        policy = *std::move(found);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return policy;
}

}  // namespace salesmeet::analytics
