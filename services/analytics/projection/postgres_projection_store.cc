#include "services/analytics/projection/postgres_projection_store.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/field_checks.h"
#include "common/status_macros.h"

namespace salesmeet::analytics {
namespace {

const std::vector<PgMigration>& Migrations() {
  static const auto* migrations = new std::vector<PgMigration>{
      {1, R"sql(
        CREATE TABLE meetings (
          name text PRIMARY KEY,
          data bytea NOT NULL
        );
        CREATE TABLE feed_position (
          id               integer PRIMARY KEY CHECK (id = 1),
          applied_sequence bigint NOT NULL,
          commit_time      bigint NOT NULL
        );
        INSERT INTO feed_position VALUES (1, 0, 0);
        CREATE TABLE policy (
          id   integer PRIMARY KEY CHECK (id = 1),
          data bytea NOT NULL
        );
      )sql"},
  };
  return *migrations;
}

absl::StatusOr<FeedPosition> ReadPosition(PgConnection& db, bool lock) {
  ASSIGN_OR_RETURN(
      PgResult rows,
      db.Exec(lock ? "SELECT applied_sequence, commit_time FROM feed_position "
                     "WHERE id = 1 FOR UPDATE"
                   : "SELECT applied_sequence, commit_time FROM feed_position "
                     "WHERE id = 1"));
  if (rows.rows() != 1) {
    return absl::DataLossError("the feed position row is missing");
  }
  FeedPosition position;
  position.applied_sequence = rows.Int64(0, 0);
  if (position.applied_sequence > 0) {
    position.applied_commit_time = absl::FromUnixMicros(rows.Int64(0, 1));
  }
  return position;
}

// At most this many rows per INSERT: a handful of statement shapes, each
// prepared once per connection.
constexpr size_t kRowsPerStatement = 64;

absl::Status UpsertMeetings(PgConnection& db,
                            const std::vector<const sv1::Meeting*>& meetings) {
  for (size_t from = 0; from < meetings.size(); from += kRowsPerStatement) {
    const size_t count = std::min(kRowsPerStatement, meetings.size() - from);
    std::string sql = "INSERT INTO meetings (name, data) VALUES ";
    PgParams params;
    for (size_t i = 0; i < count; ++i) {
      const sv1::Meeting& meeting = *meetings[from + i];
      params.Add(meeting.name()).AddBytes(meeting.SerializeAsString());
      absl::StrAppend(&sql, i > 0 ? ", " : "", "($", 2 * i + 1, ", $",
                      2 * i + 2, ")");
    }
    absl::StrAppend(&sql,
                    " ON CONFLICT (name) DO UPDATE SET data = EXCLUDED.data");
    RETURN_IF_ERROR(db.Exec(sql, params).status());
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresProjectionStore>>
PostgresProjectionStore::Open(const PgDatabase::Options& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<PgDatabase> db,
                   PgDatabase::Open(options, Migrations()));
  return std::unique_ptr<PostgresProjectionStore>(
      new PostgresProjectionStore(std::move(db)));
}

absl::StatusOr<FeedPosition> PostgresProjectionStore::Load(
    const std::function<absl::Status(const sv1::Meeting&)>& visit) {
  FeedPosition position;
  RETURN_IF_ERROR(db_->Transact(
      PgDatabase::Mode::kRead, [&](PgConnection& db) -> absl::Status {
        // Meetings and position from one snapshot.
        ASSIGN_OR_RETURN(position, ReadPosition(db, false));
        ASSIGN_OR_RETURN(PgResult rows, db.Exec("SELECT data FROM meetings"));
        ASSIGN_OR_RETURN(std::vector<sv1::Meeting> meetings,
                         PgProtos<sv1::Meeting>(rows));
        for (const sv1::Meeting& meeting : meetings) {
          RETURN_IF_ERROR(visit(meeting));
        }
        return absl::OkStatus();
      }));
  return position;
}

absl::StatusOr<FeedPosition> PostgresProjectionStore::Append(
    const std::vector<const sv1::MeetingChange*>& changes) {
  FeedPosition stored;
  RETURN_IF_ERROR(db_->Transact(
      PgDatabase::Mode::kWrite, [&](PgConnection& db) -> absl::Status {
        // The row lock makes replicas append one batch at a time.
        ASSIGN_OR_RETURN(stored, ReadPosition(db, true));
        FeedPosition position = stored;
        // Each meeting's latest state in this batch, written in a few
        // multi-row statements rather than a round trip per change.
        std::vector<const sv1::Meeting*> latest;
        absl::flat_hash_map<std::string, size_t> slot;
        for (const sv1::MeetingChange* change : changes) {
          if (change->sequence() <= stored.applied_sequence) continue;
          if (change->sequence() != position.applied_sequence + 1) {
            return absl::AbortedError(absl::StrCat(
                "change ", change->sequence(), " does not follow the applied ",
                position.applied_sequence, "; nothing was written"));
          }
          auto [it, added] =
              slot.try_emplace(change->meeting().name(), latest.size());
          if (added) {
            latest.push_back(&change->meeting());
          } else {
            latest[it->second] = &change->meeting();
          }
          position.applied_sequence = change->sequence();
          position.applied_commit_time = ToAbslTime(change->commit_time());
        }
        RETURN_IF_ERROR(UpsertMeetings(db, latest));
        if (position.applied_sequence == stored.applied_sequence) {
          return absl::OkStatus();
        }
        return db
            .Exec(
                "UPDATE feed_position SET applied_sequence = $1, "
                "commit_time = $2 WHERE id = 1",
                PgParams()
                    .Add(position.applied_sequence)
                    .Add(absl::ToUnixMicros(position.applied_commit_time)))
            .status();
      }));
  return PositionAfter(changes, stored);
}

absl::Status PostgresProjectionStore::SavePolicy(
    const sv1::SchedulingPolicy& policy) {
  return db_->Transact(PgDatabase::Mode::kWrite, [&](PgConnection& db) {
    return db
        .Exec(
            "INSERT INTO policy (id, data) VALUES (1, $1) "
            "ON CONFLICT (id) DO UPDATE SET data = $1",
            PgParams().AddBytes(policy.SerializeAsString()))
        .status();
  });
}

absl::StatusOr<std::optional<sv1::SchedulingPolicy>>
PostgresProjectionStore::LoadPolicy() {
  std::optional<sv1::SchedulingPolicy> policy;
  RETURN_IF_ERROR(db_->Transact(
      PgDatabase::Mode::kRead, [&](PgConnection& db) -> absl::Status {
        ASSIGN_OR_RETURN(PgResult rows,
                         db.Exec("SELECT data FROM policy WHERE id = 1"));
        ASSIGN_OR_RETURN(policy, PgOneProto<sv1::SchedulingPolicy>(rows));
        return absl::OkStatus();
      }));
  return policy;
}

absl::Status PostgresProjectionStore::Ping() { return db_->Ping(); }

absl::StatusOr<std::string> PostgresProjectionStore::PageTokenSecret() {
  return db_->LoadOrCreateSecret("page_token_secret");
}

}  // namespace salesmeet::analytics
