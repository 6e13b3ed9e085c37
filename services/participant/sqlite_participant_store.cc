#include "services/participant/sqlite_participant_store.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/field_checks.h"

namespace salesmeet::participant {
namespace {

const std::vector<SqliteMigration>& Migrations() {
  static const auto* migrations = new std::vector<SqliteMigration>{
      {1, R"sql(
        CREATE TABLE participants (
          id            TEXT PRIMARY KEY,
          email         TEXT NOT NULL UNIQUE,  -- lower case
          kind          INTEGER NOT NULL,
          role          INTEGER NOT NULL,
          team          TEXT,
          lifecycle     INTEGER,
          account_owner TEXT,
          data          BLOB NOT NULL          -- v1.Participant
        );
        CREATE INDEX participants_by_team ON participants (team, id);
        CREATE INDEX participants_by_owner ON participants (account_owner, id);
        CREATE INDEX participants_by_role ON participants (role, id);
        CREATE TABLE teams (
          id      TEXT PRIMARY KEY,
          manager TEXT,
          data    BLOB NOT NULL                -- v1.Team
        );
        CREATE INDEX teams_by_manager ON teams (manager, id);
        CREATE TABLE create_requests (
          request_key TEXT PRIMARY KEY,
          fingerprint BLOB NOT NULL,
          resource    TEXT NOT NULL,
          create_time INTEGER NOT NULL         -- unix micros
        );
      )sql"},
  };
  return *migrations;
}

absl::Status DeleteById(SqliteConnection& db, absl::string_view sql,
                        absl::string_view id) {
  absl::StatusOr<SqliteStatement> stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, id);
  return stmt->Run();
}

class SqliteParticipantTransaction : public ParticipantTransaction {
 public:
  explicit SqliteParticipantTransaction(SqliteConnection& db) : db_(db) {}

  absl::StatusOr<std::optional<v1::Participant>> FindParticipant(
      absl::string_view id) override {
    return FindProto<v1::Participant>(
        db_, "SELECT data FROM participants WHERE id = ?", id);
  }

  absl::StatusOr<std::optional<std::string>> FindParticipantByEmail(
      absl::string_view email) override {
    absl::StatusOr<SqliteStatement> stmt =
        db_.Prepare("SELECT id FROM participants WHERE email = ?");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, absl::AsciiStrToLower(email));
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<std::string>();
    return std::optional<std::string>(stmt->ColumnText(0));
  }

  absl::StatusOr<std::vector<v1::Participant>> ListParticipants(
      const ParticipantQuery& query) override {
    // The set of conditions is small and fixed, so the SQL text takes one of
    // a few shapes and each is prepared once per connection.
    std::vector<std::string> where = {"id > ?1"};
    if (query.kind) where.push_back("kind = ?2");
    if (query.role) where.push_back("role = ?3");
    if (query.lifecycle) where.push_back("lifecycle = ?4");
    if (query.team) where.push_back("team = ?5");
    if (query.account_owner) where.push_back("account_owner = ?6");
    const std::string sql =
        absl::StrCat("SELECT data FROM participants WHERE ",
                     absl::StrJoin(where, " AND "), " ORDER BY id LIMIT ?7");
    absl::StatusOr<SqliteStatement> stmt = db_.Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, query.after_id);
    if (query.kind) stmt->Bind(2, int64_t{*query.kind});
    if (query.role) stmt->Bind(3, int64_t{*query.role});
    if (query.lifecycle) stmt->Bind(4, int64_t{*query.lifecycle});
    if (query.team) stmt->Bind(5, *query.team);
    if (query.account_owner) stmt->Bind(6, *query.account_owner);
    stmt->Bind(7, int64_t{query.limit});
    return CollectProtos<v1::Participant>(*stmt);
  }

  absl::Status PutParticipant(const v1::Participant& p) override {
    absl::StatusOr<SqliteStatement> stmt = db_.Prepare(
        // An upsert on id only: OR REPLACE would silently delete another
        // participant that holds the same email.
        "INSERT INTO participants (id, email, kind, role, team, lifecycle, "
        "account_owner, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET email = excluded.email, "
        "kind = excluded.kind, role = excluded.role, team = excluded.team, "
        "lifecycle = excluded.lifecycle, "
        "account_owner = excluded.account_owner, data = excluded.data");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, IdFromName(p.name()))
        .Bind(2, absl::AsciiStrToLower(p.email()))
        .Bind(3, int64_t{p.kind()})
        .Bind(4, int64_t{p.role()});
    if (p.team().empty()) {
      stmt->BindNull(5);
    } else {
      stmt->Bind(5, p.team());
    }
    if (p.has_customer()) {
      stmt->Bind(6, int64_t{p.customer().lifecycle()});
      if (p.customer().account_owner().empty()) {
        stmt->BindNull(7);
      } else {
        stmt->Bind(7, p.customer().account_owner());
      }
    } else {
      stmt->BindNull(6).BindNull(7);
    }
    stmt->BindBlob(8, p.SerializeAsString());
    return stmt->Run();
  }

  absl::Status DeleteParticipant(absl::string_view id) override {
    return DeleteById(db_, "DELETE FROM participants WHERE id = ?", id);
  }

  absl::StatusOr<std::optional<v1::Team>> FindTeam(
      absl::string_view id) override {
    return FindProto<v1::Team>(db_, "SELECT data FROM teams WHERE id = ?", id);
  }

  absl::StatusOr<std::vector<v1::Team>> ListTeams(
      const TeamQuery& query) override {
    absl::StatusOr<SqliteStatement> stmt = db_.Prepare(
        query.manager ? "SELECT data FROM teams WHERE id > ?1 AND manager = ?2 "
                        "ORDER BY id LIMIT ?3"
                      : "SELECT data FROM teams WHERE id > ?1 "
                        "ORDER BY id LIMIT ?3");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, query.after_id);
    if (query.manager) stmt->Bind(2, *query.manager);
    stmt->Bind(3, int64_t{query.limit});
    return CollectProtos<v1::Team>(*stmt);
  }

  absl::Status PutTeam(const v1::Team& team) override {
    absl::StatusOr<SqliteStatement> stmt = db_.Prepare(
        "INSERT INTO teams (id, manager, data) VALUES (?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET manager = excluded.manager, "
        "data = excluded.data");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, IdFromName(team.name()));
    if (team.manager().empty()) {
      stmt->BindNull(2);
    } else {
      stmt->Bind(2, team.manager());
    }
    stmt->BindBlob(3, team.SerializeAsString());
    return stmt->Run();
  }

  absl::Status DeleteTeam(absl::string_view id) override {
    return DeleteById(db_, "DELETE FROM teams WHERE id = ?", id);
  }

  absl::StatusOr<std::optional<CreateRequestRecord>> FindCreateRequest(
      absl::string_view request_key) override {
    absl::StatusOr<SqliteStatement> stmt = db_.Prepare(
        "SELECT fingerprint, resource, create_time FROM create_requests "
        "WHERE request_key = ?");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, request_key);
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<CreateRequestRecord>();
    return std::optional<CreateRequestRecord>(CreateRequestRecord{
        std::string(request_key), stmt->ColumnBlob(0), stmt->ColumnText(1),
        absl::FromUnixMicros(stmt->ColumnInt64(2))});
  }

  absl::Status PutCreateRequest(const CreateRequestRecord& record) override {
    absl::StatusOr<SqliteStatement> stmt = db_.Prepare(
        "INSERT INTO create_requests (request_key, fingerprint, resource, "
        "create_time) VALUES (?, ?, ?, ?)");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, record.request_key)
        .BindBlob(2, record.fingerprint)
        .Bind(3, record.resource_name)
        .Bind(4, absl::ToUnixMicros(record.create_time));
    return stmt->Run();
  }

 private:
  SqliteConnection& db_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteParticipantStore>>
SqliteParticipantStore::Open(const std::string& path, int pool_size) {
  absl::StatusOr<std::unique_ptr<SqliteDatabase>> db =
      SqliteDatabase::Open({path, pool_size, absl::Seconds(5)}, Migrations());
  if (!db.ok()) return db.status();
  return std::unique_ptr<SqliteParticipantStore>(
      new SqliteParticipantStore(*std::move(db)));
}

absl::Status SqliteParticipantStore::Read(TransactionBody body) {
  return RunSqliteTransaction<SqliteParticipantTransaction>(
      *db_, SqliteTransaction::Mode::kRead, body);
}

absl::Status SqliteParticipantStore::Write(TransactionBody body) {
  return RunSqliteTransaction<SqliteParticipantTransaction>(
      *db_, SqliteTransaction::Mode::kWrite, body);
}

absl::Status SqliteParticipantStore::Ping() { return db_->Ping(); }

absl::StatusOr<std::string> SqliteParticipantStore::PageTokenSecret() {
  return db_->LoadOrCreateSecret("page_token_secret");
}

}  // namespace salesmeet::participant
