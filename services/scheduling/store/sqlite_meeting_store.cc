#include "services/scheduling/store/sqlite_meeting_store.h"

#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/field_checks.h"
#include "common/status_macros.h"

namespace salesmeet::scheduling {
namespace {

// Times are stored as unix microseconds; an open end as the largest value,
// so that range conditions need no NULL cases.
constexpr int64_t kOpenEnd = std::numeric_limits<int64_t>::max();

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }

const std::vector<SqliteMigration>& Migrations() {
  static const auto* migrations = new std::vector<SqliteMigration>{
      {1, R"sql(
        CREATE TABLE meetings (
          id          TEXT PRIMARY KEY,
          start_time  INTEGER NOT NULL,  -- Meeting.start_time, for ordering
          first_start INTEGER NOT NULL,  -- earliest occurrence start
          last_end    INTEGER NOT NULL,  -- latest occurrence end, or max
          busy        INTEGER NOT NULL,  -- 1 unless cancelled
          organizer   TEXT NOT NULL,
          state       INTEGER NOT NULL,
          purpose     INTEGER NOT NULL,
          format      INTEGER NOT NULL,
          audience    INTEGER NOT NULL,
          data        BLOB NOT NULL      -- v1.Meeting
        );
        CREATE INDEX meetings_by_start ON meetings (start_time, id);
        CREATE TABLE meeting_attendees (
          participant TEXT NOT NULL,
          meeting_id  TEXT NOT NULL REFERENCES meetings (id),
          first_start INTEGER NOT NULL,
          last_end    INTEGER NOT NULL,
          busy        INTEGER NOT NULL,
          PRIMARY KEY (participant, meeting_id)
        );
        CREATE INDEX attendees_by_meeting ON meeting_attendees (meeting_id);
        CREATE INDEX attendees_busy
          ON meeting_attendees (participant, busy, first_start);
        CREATE TABLE create_requests (
          request_key TEXT PRIMARY KEY,
          fingerprint BLOB NOT NULL,
          response    BLOB NOT NULL,       -- v1.CreateMeetingResponse
          create_time INTEGER NOT NULL
        );
        -- The change feed (outbox). AUTOINCREMENT inside serialised write
        -- transactions gives gap-free sequences in commit order: a rolled
        -- back write takes its sequence number with it.
        CREATE TABLE changes (
          sequence    INTEGER PRIMARY KEY AUTOINCREMENT,
          commit_time INTEGER NOT NULL,
          data        BLOB NOT NULL        -- v1.MeetingChange
        );
        CREATE TABLE policy (
          id   INTEGER PRIMARY KEY CHECK (id = 1),
          data BLOB NOT NULL               -- v1.SchedulingPolicy
        );
      )sql"},
  };
  return *migrations;
}

class SqliteMeetingTransaction : public MeetingTransaction {
 public:
  explicit SqliteMeetingTransaction(SqliteConnection& db) : db_(db) {}

  absl::StatusOr<std::optional<v1::Meeting>> FindMeeting(
      absl::string_view id) override {
    return FindProto<v1::Meeting>(db_, "SELECT data FROM meetings WHERE id = ?",
                                  id);
  }

  absl::Status PutMeeting(const v1::Meeting& meeting,
                          const MeetingIndex& index) override {
    const std::string id = IdFromName(meeting.name());
    const int64_t first = Micros(index.first_start);
    const int64_t last = index.last_end ? Micros(*index.last_end) : kOpenEnd;
    ASSIGN_OR_RETURN(SqliteStatement upsert, db_.Prepare(R"sql(
        INSERT INTO meetings (id, start_time, first_start, last_end, busy,
                              organizer, state, purpose, format, audience, data)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
        ON CONFLICT (id) DO UPDATE SET start_time = ?2, first_start = ?3,
          last_end = ?4, busy = ?5, organizer = ?6, state = ?7, purpose = ?8,
          format = ?9, audience = ?10, data = ?11)sql"));
    upsert.Bind(1, id)
        .Bind(2, Micros(ToAbslTime(meeting.start_time())))
        .Bind(3, first)
        .Bind(4, last)
        .Bind(5, int64_t{index.busy})
        .Bind(6, meeting.organizer())
        .Bind(7, int64_t{meeting.state()})
        .Bind(8, int64_t{meeting.purpose()})
        .Bind(9, int64_t{meeting.format()})
        .Bind(10, int64_t{meeting.audience()})
        .BindBlob(11, meeting.SerializeAsString());
    RETURN_IF_ERROR(upsert.Run());
    // The attendee index is rewritten whole: attendees come and go on update.
    {
      ASSIGN_OR_RETURN(
          SqliteStatement clear,
          db_.Prepare("DELETE FROM meeting_attendees WHERE meeting_id = ?"));
      clear.Bind(1, id);
      RETURN_IF_ERROR(clear.Run());
    }
    for (const v1::Attendee& attendee : meeting.attendees()) {
      ASSIGN_OR_RETURN(SqliteStatement insert, db_.Prepare(R"sql(
          INSERT INTO meeting_attendees
            (participant, meeting_id, first_start, last_end, busy)
          VALUES (?, ?, ?, ?, ?))sql"));
      insert.Bind(1, attendee.participant())
          .Bind(2, id)
          .Bind(3, first)
          .Bind(4, last)
          .Bind(5, int64_t{index.busy});
      RETURN_IF_ERROR(insert.Run());
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<v1::Meeting>> ListMeetings(
      const MeetingQuery& query) override {
    // A fixed set of optional conditions: each combination is one SQL text,
    // prepared once per connection.
    std::vector<std::string> where;
    if (query.participant) {
      where.push_back(
          "id IN (SELECT meeting_id FROM meeting_attendees "
          "WHERE participant = ?1)");
    }
    if (query.organizer) where.push_back("organizer = ?2");
    if (query.state) where.push_back("state = ?3");
    if (query.purpose) where.push_back("purpose = ?4");
    if (query.format) where.push_back("format = ?5");
    if (query.audience) where.push_back("audience = ?6");
    if (query.overlaps_from) where.push_back("last_end > ?7");
    if (query.overlaps_to) where.push_back("first_start < ?8");
    if (query.after) {
      where.push_back("(start_time > ?9 OR (start_time = ?9 AND id > ?10))");
    }
    const std::string sql = absl::StrCat(
        "SELECT data FROM meetings",
        where.empty() ? ""
                      : absl::StrCat(" WHERE ", absl::StrJoin(where, " AND ")),
        " ORDER BY start_time, id LIMIT ?11");
    ASSIGN_OR_RETURN(SqliteStatement stmt, db_.Prepare(sql));
    if (query.participant) stmt.Bind(1, *query.participant);
    if (query.organizer) stmt.Bind(2, *query.organizer);
    if (query.state) stmt.Bind(3, int64_t{*query.state});
    if (query.purpose) stmt.Bind(4, int64_t{*query.purpose});
    if (query.format) stmt.Bind(5, int64_t{*query.format});
    if (query.audience) stmt.Bind(6, int64_t{*query.audience});
    if (query.overlaps_from) stmt.Bind(7, Micros(*query.overlaps_from));
    if (query.overlaps_to) stmt.Bind(8, Micros(*query.overlaps_to));
    if (query.after) {
      stmt.Bind(9, Micros(query.after->first)).Bind(10, query.after->second);
    }
    stmt.Bind(11, int64_t{query.limit});
    return CollectProtos<v1::Meeting>(stmt);
  }

  // Writers are serialised by BEGIN IMMEDIATE already.
  absl::Status LockCalendars(std::vector<std::string>) override {
    return absl::OkStatus();
  }

  absl::StatusOr<std::map<std::string, std::vector<v1::Meeting>>>
  BusyMeetingsOf(const std::vector<std::string>& participants, absl::Time from,
                 absl::Time to) override {
    // In-process reads are cheap: one indexed query per person.
    std::map<std::string, std::vector<v1::Meeting>> busy;
    for (const std::string& participant : participants) {
      if (busy.count(participant) > 0) continue;
      ASSIGN_OR_RETURN(SqliteStatement stmt, db_.Prepare(R"sql(
          SELECT m.data FROM meeting_attendees a
          JOIN meetings m ON m.id = a.meeting_id
          WHERE a.participant = ? AND a.busy = 1 AND a.first_start < ?
            AND a.last_end > ?
          ORDER BY a.first_start)sql"));
      stmt.Bind(1, participant).Bind(2, Micros(to)).Bind(3, Micros(from));
      ASSIGN_OR_RETURN(busy[participant], CollectProtos<v1::Meeting>(stmt));
    }
    return busy;
  }

  absl::StatusOr<std::optional<StoredCreateRequest>> FindCreateRequest(
      absl::string_view request_key) override {
    ASSIGN_OR_RETURN(SqliteStatement stmt,
                     db_.Prepare("SELECT fingerprint, response FROM "
                                 "create_requests WHERE request_key = ?"));
    stmt.Bind(1, request_key);
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return std::optional<StoredCreateRequest>();
    return std::optional<StoredCreateRequest>(
        StoredCreateRequest{stmt.ColumnBlob(0), stmt.ColumnBlob(1)});
  }

  absl::Status PutCreateRequest(absl::string_view request_key,
                                const StoredCreateRequest& request,
                                absl::Time now) override {
    ASSIGN_OR_RETURN(SqliteStatement stmt, db_.Prepare(R"sql(
        INSERT INTO create_requests (request_key, fingerprint, response,
                                     create_time)
        VALUES (?, ?, ?, ?))sql"));
    stmt.Bind(1, request_key)
        .BindBlob(2, request.fingerprint)
        .BindBlob(3, request.response)
        .Bind(4, Micros(now));
    return stmt.Run();
  }

  absl::StatusOr<v1::MeetingChange> AppendChange(v1::MeetingChange change,
                                                 absl::Time now) override {
    // The row is inserted first to learn its sequence, then completed with
    // the sequence inside the stored event.
    ASSIGN_OR_RETURN(SqliteStatement insert,
                     db_.Prepare("INSERT INTO changes (commit_time, data) "
                                 "VALUES (?, x'')"));
    insert.Bind(1, Micros(now));
    RETURN_IF_ERROR(insert.Run());
    ASSIGN_OR_RETURN(SqliteStatement last,
                     db_.Prepare("SELECT last_insert_rowid()"));
    ASSIGN_OR_RETURN(bool row, last.Step());
    if (!row) return absl::InternalError("no sequence for the new change");
    change.set_sequence(last.ColumnInt64(0));
    *change.mutable_commit_time() = ToProtoTime(now);
    ASSIGN_OR_RETURN(
        SqliteStatement update,
        db_.Prepare("UPDATE changes SET data = ? WHERE sequence = ?"));
    update.BindBlob(1, change.SerializeAsString()).Bind(2, change.sequence());
    RETURN_IF_ERROR(update.Run());
    return change;
  }

  absl::StatusOr<std::optional<v1::SchedulingPolicy>> GetPolicy() override {
    return FindProto<v1::SchedulingPolicy>(
        db_, "SELECT data FROM policy WHERE id = ?", "1");
  }

  absl::Status PutPolicy(const v1::SchedulingPolicy& policy) override {
    ASSIGN_OR_RETURN(SqliteStatement stmt, db_.Prepare(R"sql(
        INSERT INTO policy (id, data) VALUES (1, ?1)
        ON CONFLICT (id) DO UPDATE SET data = ?1)sql"));
    stmt.BindBlob(1, policy.SerializeAsString());
    return stmt.Run();
  }

 private:
  SqliteConnection& db_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteMeetingStore>> SqliteMeetingStore::Open(
    const std::string& path, int pool_size) {
  ASSIGN_OR_RETURN(
      std::unique_ptr<SqliteDatabase> db,
      SqliteDatabase::Open({path, pool_size, absl::Seconds(5)}, Migrations()));
  return std::unique_ptr<SqliteMeetingStore>(
      new SqliteMeetingStore(std::move(db)));
}

absl::Status SqliteMeetingStore::Read(MeetingTransactionBody body) {
  return RunSqliteTransaction<SqliteMeetingTransaction>(
      *db_, SqliteTransaction::Mode::kRead, body);
}

absl::Status SqliteMeetingStore::Write(MeetingTransactionBody body) {
  return RunSqliteTransaction<SqliteMeetingTransaction>(
      *db_, SqliteTransaction::Mode::kWrite, body);
}

absl::StatusOr<std::vector<v1::MeetingChange>> SqliteMeetingStore::ReadChanges(
    int64_t after_sequence, int limit) {
  SqliteDatabase::Lease lease = db_->Acquire();
  ASSIGN_OR_RETURN(SqliteStatement stmt,
                   lease->Prepare("SELECT data FROM changes WHERE sequence > ? "
                                  "ORDER BY sequence LIMIT ?"));
  stmt.Bind(1, after_sequence).Bind(2, int64_t{limit});
  return CollectProtos<v1::MeetingChange>(stmt);
}

absl::StatusOr<int64_t> SqliteMeetingStore::HeadSequence() {
  SqliteDatabase::Lease lease = db_->Acquire();
  ASSIGN_OR_RETURN(
      SqliteStatement stmt,
      lease->Prepare("SELECT coalesce(max(sequence), 0) FROM changes"));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.ColumnInt64(0) : 0;
}

absl::Status SqliteMeetingStore::Ping() { return db_->Ping(); }

absl::StatusOr<std::string> SqliteMeetingStore::PageTokenSecret() {
  return db_->LoadOrCreateSecret("page_token_secret");
}

}  // namespace salesmeet::scheduling
