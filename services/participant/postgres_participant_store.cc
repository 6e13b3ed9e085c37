#include "services/participant/postgres_participant_store.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/field_checks.h"
#include "common/status_macros.h"

namespace salesmeet::participant {
namespace {

const std::vector<PgMigration>& Migrations() {
  static const auto* migrations = new std::vector<PgMigration>{
      {1, R"sql(
        -- Ids sort by bytes (COLLATE "C") whatever the database's locale,
        -- as on SQLite, so listings and page tokens agree on both.
        CREATE TABLE participants (
          id            text COLLATE "C" PRIMARY KEY,
          email         text NOT NULL UNIQUE,  -- lower case
          kind          integer NOT NULL,
          role          integer NOT NULL,
          team          text,
          lifecycle     integer,
          account_owner text,
          data          bytea NOT NULL
        );
        CREATE INDEX participants_by_team ON participants (team, id);
        CREATE INDEX participants_by_owner ON participants (account_owner, id);
        CREATE INDEX participants_by_role ON participants (role, id);
        CREATE TABLE teams (
          id      text COLLATE "C" PRIMARY KEY,
          manager text,
          data    bytea NOT NULL
        );
        CREATE INDEX teams_by_manager ON teams (manager, id);
        CREATE TABLE create_requests (
          request_key text PRIMARY KEY,
          fingerprint bytea NOT NULL,
          resource    text NOT NULL,
          create_time bigint NOT NULL
        );
      )sql"},
  };
  return *migrations;
}

// Text that may be absent: NULL in the column, so filters never match it.
void AddOptional(PgParams& params, const std::string& text) {
  if (text.empty()) {
    params.AddNull();
  } else {
    params.Add(text);
  }
}

class PostgresParticipantTransaction : public ParticipantTransaction {
 public:
  explicit PostgresParticipantTransaction(PgConnection& db) : db_(db) {}

  absl::StatusOr<std::optional<v1::Participant>> FindParticipant(
      absl::string_view id) override {
    ASSIGN_OR_RETURN(PgResult rows,
                     db_.Exec("SELECT data FROM participants WHERE id = $1",
                              PgParams().Add(id)));
    return PgOneProto<v1::Participant>(rows);
  }

  absl::StatusOr<std::optional<std::string>> FindParticipantByEmail(
      absl::string_view email) override {
    ASSIGN_OR_RETURN(PgResult rows,
                     db_.Exec("SELECT id FROM participants WHERE email = $1",
                              PgParams().Add(absl::AsciiStrToLower(email))));
    if (rows.rows() == 0) return std::optional<std::string>();
    return std::optional<std::string>(rows.Bytes(0, 0));
  }

  absl::StatusOr<std::vector<v1::Participant>> ListParticipants(
      const ParticipantQuery& query) override {
    PgParams params;
    params.Add(query.after_id);
    std::vector<std::string> where = {"id > $1"};
    auto filter = [&](const char* column) {
      where.push_back(absl::StrCat(column, " = $", params.size()));
    };
    for (const auto& [value, column] :
         {std::pair{query.kind, "kind"}, std::pair{query.role, "role"},
          std::pair{query.lifecycle, "lifecycle"}}) {
      if (!value) continue;
      params.Add(int64_t{*value});
      filter(column);
    }
    if (query.team) {
      params.Add(*query.team);
      filter("team");
    }
    if (query.account_owner) {
      params.Add(*query.account_owner);
      filter("account_owner");
    }
    params.Add(int64_t{query.limit});
    const std::string sql = absl::StrCat("SELECT data FROM participants WHERE ",
                                         absl::StrJoin(where, " AND "),
                                         " ORDER BY id LIMIT $", params.size());
    ASSIGN_OR_RETURN(PgResult rows, db_.Exec(sql, params));
    return PgProtos<v1::Participant>(rows);
  }

  absl::Status PutParticipant(const v1::Participant& p) override {
    PgParams params;
    params.Add(IdFromName(p.name()))
        .Add(absl::AsciiStrToLower(p.email()))
        .Add(int64_t{p.kind()})
        .Add(int64_t{p.role()});
    AddOptional(params, p.team());
    if (p.has_customer()) {
      params.Add(int64_t{p.customer().lifecycle()});
      AddOptional(params, p.customer().account_owner());
    } else {
      params.AddNull().AddNull();
    }
    params.AddBytes(p.SerializeAsString());
    // An upsert on id only: another participant holding the same email is
    // a unique violation (ALREADY_EXISTS), never silently replaced.
    return db_
        .Exec(
            "INSERT INTO participants (id, email, kind, role, team, "
            "lifecycle, account_owner, data) VALUES ($1, $2, $3, $4, $5, "
            "$6, $7, $8) ON CONFLICT (id) DO UPDATE SET email = $2, "
            "kind = $3, role = $4, team = $5, lifecycle = $6, "
            "account_owner = $7, data = $8",
            params)
        .status();
  }

  absl::Status DeleteParticipant(absl::string_view id) override {
    return db_
        .Exec("DELETE FROM participants WHERE id = $1", PgParams().Add(id))
        .status();
  }

  absl::StatusOr<std::optional<v1::Team>> FindTeam(
      absl::string_view id) override {
    ASSIGN_OR_RETURN(
        PgResult rows,
        db_.Exec("SELECT data FROM teams WHERE id = $1", PgParams().Add(id)));
    return PgOneProto<v1::Team>(rows);
  }

  absl::StatusOr<std::vector<v1::Team>> ListTeams(
      const TeamQuery& query) override {
    PgParams params;
    params.Add(query.after_id);
    if (query.manager) params.Add(*query.manager);
    params.Add(int64_t{query.limit});
    ASSIGN_OR_RETURN(
        PgResult rows,
        db_.Exec(query.manager ? "SELECT data FROM teams WHERE id > $1 AND "
                                 "manager = $2 ORDER BY id LIMIT $3"
                               : "SELECT data FROM teams WHERE id > $1 "
                                 "ORDER BY id LIMIT $2",
                 params));
    return PgProtos<v1::Team>(rows);
  }

  absl::Status PutTeam(const v1::Team& team) override {
    PgParams params;
    params.Add(IdFromName(team.name()));
    AddOptional(params, team.manager());
    params.AddBytes(team.SerializeAsString());
    return db_
        .Exec(
            "INSERT INTO teams (id, manager, data) VALUES ($1, $2, $3) "
            "ON CONFLICT (id) DO UPDATE SET manager = $2, data = $3",
            params)
        .status();
  }

  absl::Status DeleteTeam(absl::string_view id) override {
    return db_.Exec("DELETE FROM teams WHERE id = $1", PgParams().Add(id))
        .status();
  }

  absl::StatusOr<std::optional<CreateRequestRecord>> FindCreateRequest(
      absl::string_view request_key) override {
    ASSIGN_OR_RETURN(PgResult rows,
                     db_.Exec("SELECT fingerprint, resource, create_time FROM "
                              "create_requests WHERE request_key = $1",
                              PgParams().Add(request_key)));
    if (rows.rows() == 0) return std::optional<CreateRequestRecord>();
    return std::optional<CreateRequestRecord>(CreateRequestRecord{
        std::string(request_key), rows.Bytes(0, 0), rows.Bytes(0, 1),
        absl::FromUnixMicros(rows.Int64(0, 2))});
  }

  absl::Status PutCreateRequest(const CreateRequestRecord& record) override {
    return db_
        .Exec(
            "INSERT INTO create_requests (request_key, fingerprint, "
            "resource, create_time) VALUES ($1, $2, $3, $4)",
            PgParams()
                .Add(record.request_key)
                .AddBytes(record.fingerprint)
                .Add(record.resource_name)
                .Add(absl::ToUnixMicros(record.create_time)))
        .status();
  }

 private:
  PgConnection& db_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresParticipantStore>>
PostgresParticipantStore::Open(const PgDatabase::Options& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<PgDatabase> db,
                   PgDatabase::Open(options, Migrations()));
  return std::unique_ptr<PostgresParticipantStore>(
      new PostgresParticipantStore(std::move(db)));
}

absl::Status PostgresParticipantStore::Read(TransactionBody body) {
  return db_->Transact(PgDatabase::Mode::kRead, [&](PgConnection& db) {
    PostgresParticipantTransaction tx(db);
    return body(tx);
  });
}

absl::Status PostgresParticipantStore::Write(TransactionBody body) {
  const std::string lock =
      absl::StrCat(db_->options().connect.schema, ".directory-writer");
  return db_->Transact(PgDatabase::Mode::kWrite, [&](PgConnection& db) {
    RETURN_IF_ERROR(LockUntilCommit(db, lock));
    PostgresParticipantTransaction tx(db);
    return body(tx);
  });
}

absl::Status PostgresParticipantStore::Ping() { return db_->Ping(); }

absl::StatusOr<std::string> PostgresParticipantStore::PageTokenSecret() {
  return db_->LoadOrCreateSecret("page_token_secret");
}

}  // namespace salesmeet::participant
