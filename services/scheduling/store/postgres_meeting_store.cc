#include "services/scheduling/store/postgres_meeting_store.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/field_checks.h"
#include "common/status_macros.h"

namespace salesmeet::scheduling {
namespace {

// As in the SQLite store: unix microseconds, an open end as the largest
// value, so range conditions need no NULL cases.
constexpr int64_t kOpenEnd = std::numeric_limits<int64_t>::max();

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }

const std::vector<PgMigration>& Migrations() {
  static const auto* migrations = new std::vector<PgMigration>{
      {1, R"sql(
        -- Ids sort by bytes (COLLATE "C") whatever the database's locale,
        -- as on SQLite, so listings and page tokens agree on both.
        CREATE TABLE meetings (
          id          text COLLATE "C" PRIMARY KEY,
          start_time  bigint NOT NULL,
          first_start bigint NOT NULL,
          last_end    bigint NOT NULL,
          busy        smallint NOT NULL,
          organizer   text NOT NULL,
          state       integer NOT NULL,
          purpose     integer NOT NULL,
          format      integer NOT NULL,
          audience    integer NOT NULL,
          data        bytea NOT NULL
        );
        CREATE INDEX meetings_by_start ON meetings (start_time, id);
        CREATE TABLE meeting_attendees (
          participant text NOT NULL,
          meeting_id  text NOT NULL REFERENCES meetings (id),
          first_start bigint NOT NULL,
          last_end    bigint NOT NULL,
          busy        smallint NOT NULL,
          PRIMARY KEY (participant, meeting_id)
        );
        CREATE INDEX attendees_by_meeting ON meeting_attendees (meeting_id);
        CREATE INDEX attendees_busy
          ON meeting_attendees (participant, busy, first_start);
        CREATE TABLE create_requests (
          request_key text PRIMARY KEY,
          fingerprint bytea NOT NULL,
          response    bytea NOT NULL,
          create_time bigint NOT NULL
        );
        -- The feed's counter row: writers take the next sequence from it
        -- inside their transaction, and its row lock orders their commits.
        CREATE TABLE feed_head (
          id          integer PRIMARY KEY CHECK (id = 1),
          sequence    bigint NOT NULL,
          commit_time bigint NOT NULL
        );
        INSERT INTO feed_head VALUES (1, 0, 0);
        CREATE TABLE changes (
          sequence    bigint PRIMARY KEY,
          commit_time bigint NOT NULL,
          data        bytea NOT NULL
        );
        CREATE TABLE policy (
          id   integer PRIMARY KEY CHECK (id = 1),
          data bytea NOT NULL
        );
      )sql"},
  };
  return *migrations;
}

// Advisory lock keys live in one 64-bit space shared by the whole database,
// so each names the schema as well as the thing locked.
std::string LockName(absl::string_view schema, absl::string_view kind,
                     absl::string_view what) {
  return absl::StrCat(schema, ".", kind, ":", what);
}

class PostgresMeetingTransaction : public MeetingTransaction {
 public:
  PostgresMeetingTransaction(PgConnection& db, PgDatabase::Mode mode,
                             std::string schema)
      : db_(db),
        writing_(mode == PgDatabase::Mode::kWrite),
        schema_(std::move(schema)) {}

  absl::StatusOr<std::optional<v1::Meeting>> FindMeeting(
      absl::string_view id) override {
    // A writer holds the meeting's id until it commits, whether or not the
    // meeting exists yet: two replicas updating one meeting take turns (the
    // second sees the first's etag), and of two creating one id the second
    // finds it taken.
    if (writing_) {
      RETURN_IF_ERROR(LockUntilCommit(db_, LockName(schema_, "meeting", id)));
    }
    ASSIGN_OR_RETURN(PgResult rows,
                     db_.Exec("SELECT data FROM meetings WHERE id = $1",
                              PgParams().Add(id)));
    return PgOneProto<v1::Meeting>(rows);
  }

  absl::Status PutMeeting(const v1::Meeting& meeting,
                          const MeetingIndex& index) override {
    const std::string id = IdFromName(meeting.name());
    const int64_t first = Micros(index.first_start);
    const int64_t last = index.last_end ? Micros(*index.last_end) : kOpenEnd;
    // The meeting, and its attendee index cleared, in one round trip: the
    // index is rewritten whole, as attendees come and go on update.
    RETURN_IF_ERROR(db_.Exec(R"sql(
        WITH upsert AS (
          INSERT INTO meetings (id, start_time, first_start, last_end, busy,
                                organizer, state, purpose, format, audience,
                                data)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
          ON CONFLICT (id) DO UPDATE SET start_time = $2, first_start = $3,
            last_end = $4, busy = $5, organizer = $6, state = $7,
            purpose = $8, format = $9, audience = $10, data = $11)
        DELETE FROM meeting_attendees WHERE meeting_id = $1)sql",
                             PgParams()
                                 .Add(id)
                                 .Add(Micros(ToAbslTime(meeting.start_time())))
                                 .Add(first)
                                 .Add(last)
                                 .Add(int64_t{index.busy})
                                 .Add(meeting.organizer())
                                 .Add(int64_t{meeting.state()})
                                 .Add(int64_t{meeting.purpose()})
                                 .Add(int64_t{meeting.format()})
                                 .Add(int64_t{meeting.audience()})
                                 .AddBytes(meeting.SerializeAsString()))
                        .status());
    if (meeting.attendees().empty()) return absl::OkStatus();
    std::vector<std::string> attendees;
    for (const v1::Attendee& attendee : meeting.attendees()) {
      attendees.push_back(attendee.participant());
    }
    return db_
        .Exec(R"sql(
          INSERT INTO meeting_attendees
            (participant, meeting_id, first_start, last_end, busy)
          SELECT p, $2, $3, $4, $5 FROM unnest($1::text[]) AS p)sql",
              PgParams()
                  .Add(PgTextArray(attendees))
                  .Add(id)
                  .Add(first)
                  .Add(last)
                  .Add(int64_t{index.busy}))
        .status();
  }

  absl::StatusOr<std::vector<v1::Meeting>> ListMeetings(
      const MeetingQuery& query) override {
    // Each combination of conditions is one SQL text, prepared once per
    // connection; parameters are numbered in the order they are added.
    std::vector<std::string> where;
    PgParams params;
    auto next = [&params] { return absl::StrCat("$", params.size()); };
    if (query.participant) {
      params.Add(*query.participant);
      where.push_back(
          absl::StrCat("id IN (SELECT meeting_id FROM meeting_attendees "
                       "WHERE participant = ",
                       next(), ")"));
    }
    if (query.organizer) {
      params.Add(*query.organizer);
      where.push_back(absl::StrCat("organizer = ", next()));
    }
    for (const auto& [value, column] :
         {std::pair{query.state, "state"}, std::pair{query.purpose, "purpose"},
          std::pair{query.format, "format"},
          std::pair{query.audience, "audience"}}) {
      if (!value) continue;
      params.Add(int64_t{*value});
      where.push_back(absl::StrCat(column, " = ", next()));
    }
    if (query.overlaps_from) {
      params.Add(Micros(*query.overlaps_from));
      where.push_back(absl::StrCat("last_end > ", next()));
    }
    if (query.overlaps_to) {
      params.Add(Micros(*query.overlaps_to));
      where.push_back(absl::StrCat("first_start < ", next()));
    }
    if (query.after) {
      params.Add(Micros(query.after->first));
      const std::string start = next();
      params.Add(query.after->second);
      where.push_back(absl::StrCat("(start_time > ", start,
                                   " OR (start_time = ", start, " AND id > ",
                                   next(), "))"));
    }
    params.Add(int64_t{query.limit});
    const std::string sql = absl::StrCat(
        "SELECT data FROM meetings",
        where.empty() ? ""
                      : absl::StrCat(" WHERE ", absl::StrJoin(where, " AND ")),
        " ORDER BY start_time, id LIMIT ", next());
    ASSIGN_OR_RETURN(PgResult rows, db_.Exec(sql, params));
    return PgProtos<v1::Meeting>(rows);
  }

  absl::Status LockCalendars(std::vector<std::string> participants) override {
    if (!writing_ || participants.empty()) return absl::OkStatus();
    for (std::string& participant : participants) {
      participant = LockName(schema_, "calendar", participant);
    }
    // All in one round trip, in one order (the keys sorted by bytes) for
    // every writer, so that two writers cannot deadlock.
    return db_
        .Exec(R"sql(
          SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0)))
          FROM (SELECT DISTINCT k COLLATE "C" AS k
                FROM unnest($1::text[]) AS k ORDER BY 1) AS sorted)sql",
              PgParams().Add(PgTextArray(participants)))
        .status();
  }

  absl::StatusOr<std::map<std::string, std::vector<v1::Meeting>>>
  BusyMeetingsOf(const std::vector<std::string>& participants, absl::Time from,
                 absl::Time to) override {
    std::map<std::string, std::vector<v1::Meeting>> busy;
    for (const std::string& participant : participants) busy[participant];
    if (participants.empty()) return busy;
    // Everyone at once: one round trip for a booking's attendees or a
    // free/busy query's hundred people.
    ASSIGN_OR_RETURN(PgResult rows, db_.Exec(R"sql(
        SELECT m.data, a.participant FROM meeting_attendees a
        JOIN meetings m ON m.id = a.meeting_id
        WHERE a.participant = ANY ($1::text[]) AND a.busy = 1
          AND a.first_start < $2 AND a.last_end > $3
        ORDER BY a.participant, a.first_start)sql",
                                             PgParams()
                                                 .Add(PgTextArray(participants))
                                                 .Add(Micros(to))
                                                 .Add(Micros(from))));
    ASSIGN_OR_RETURN(std::vector<v1::Meeting> meetings,
                     PgProtos<v1::Meeting>(rows));
    for (int i = 0; i < rows.rows(); ++i) {
      busy[rows.Bytes(i, 1)].push_back(std::move(meetings[i]));
    }
    return busy;
  }

  absl::StatusOr<std::optional<StoredCreateRequest>> FindCreateRequest(
      absl::string_view request_key) override {
    // Two replicas given the same request at once: the second waits here
    // for the first to commit, then replays its answer.
    if (writing_) {
      RETURN_IF_ERROR(
          LockUntilCommit(db_, LockName(schema_, "request", request_key)));
    }
    ASSIGN_OR_RETURN(PgResult rows,
                     db_.Exec("SELECT fingerprint, response FROM "
                              "create_requests WHERE request_key = $1",
                              PgParams().Add(request_key)));
    if (rows.rows() == 0) return std::optional<StoredCreateRequest>();
    return std::optional<StoredCreateRequest>(
        StoredCreateRequest{rows.Bytes(0, 0), rows.Bytes(0, 1)});
  }

  absl::Status PutCreateRequest(absl::string_view request_key,
                                const StoredCreateRequest& request,
                                absl::Time now) override {
    return db_
        .Exec(R"sql(
        INSERT INTO create_requests (request_key, fingerprint, response,
                                     create_time)
        VALUES ($1, $2, $3, $4))sql",
              PgParams()
                  .Add(request_key)
                  .AddBytes(request.fingerprint)
                  .AddBytes(request.response)
                  .Add(Micros(now)))
        .status();
  }

  absl::StatusOr<v1::MeetingChange> AppendChange(v1::MeetingChange change,
                                                 absl::Time now) override {
    // One statement, so the counter row (locked from here to the commit)
    // is held for as little as possible: take the next sequence, store the
    // change under it (the row's columns carry the sequence and commit
    // time), and NOTIFY the other replicas, delivered when this commits.
    // Commit times never go backwards along the feed, even when replicas'
    // clocks disagree a little.
    ASSIGN_OR_RETURN(PgResult head,
                     db_.Exec(R"sql(
        WITH head AS (
          UPDATE feed_head SET sequence = sequence + 1,
            commit_time = greatest(commit_time, $1)
          WHERE id = 1 RETURNING sequence, commit_time),
        stored AS (
          INSERT INTO changes (sequence, commit_time, data)
          SELECT sequence, commit_time, $2 FROM head)
        SELECT h.sequence, h.commit_time
        FROM head AS h, LATERAL (SELECT pg_notify($3, h.sequence::text)) AS n
        )sql",
                              PgParams()
                                  .Add(Micros(now))
                                  .AddBytes(change.SerializeAsString())
                                  .Add(absl::StrCat(schema_, "_changes"))));
    if (head.rows() != 1) return absl::InternalError("the feed head is gone");
    change.set_sequence(head.Int64(0, 0));
    *change.mutable_commit_time() =
        ToProtoTime(absl::FromUnixMicros(head.Int64(0, 1)));
    return change;
  }

  absl::StatusOr<std::optional<v1::SchedulingPolicy>> GetPolicy() override {
    // Writers judge under the policy they read: a shared lock keeps it from
    // changing until they commit (PutPolicy takes it exclusively).
    if (writing_) {
      RETURN_IF_ERROR(LockUntilCommit(db_, LockName(schema_, "policy", ""),
                                      PgLockMode::kShared));
    }
    ASSIGN_OR_RETURN(PgResult rows,
                     db_.Exec("SELECT data FROM policy WHERE id = 1"));
    return PgOneProto<v1::SchedulingPolicy>(rows);
  }

  absl::Status PutPolicy(const v1::SchedulingPolicy& policy) override {
    RETURN_IF_ERROR(LockUntilCommit(db_, LockName(schema_, "policy", "")));
    return db_
        .Exec(R"sql(
        INSERT INTO policy (id, data) VALUES (1, $1)
        ON CONFLICT (id) DO UPDATE SET data = $1)sql",
              PgParams().AddBytes(policy.SerializeAsString()))
        .status();
  }

 private:
  PgConnection& db_;
  const bool writing_;
  const std::string schema_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresMeetingStore>>
PostgresMeetingStore::Open(const PgDatabase::Options& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<PgDatabase> db,
                   PgDatabase::Open(options, Migrations()));
  return std::unique_ptr<PostgresMeetingStore>(
      new PostgresMeetingStore(std::move(db)));
}

PostgresMeetingStore::~PostgresMeetingStore() { listener_.reset(); }

absl::Status PostgresMeetingStore::Read(MeetingTransactionBody body) {
  return db_->Transact(PgDatabase::Mode::kRead, [&](PgConnection& db) {
    PostgresMeetingTransaction tx(db, PgDatabase::Mode::kRead,
                                  db_->options().connect.schema);
    return body(tx);
  });
}

absl::Status PostgresMeetingStore::Write(MeetingTransactionBody body) {
  return db_->Transact(PgDatabase::Mode::kWrite, [&](PgConnection& db) {
    PostgresMeetingTransaction tx(db, PgDatabase::Mode::kWrite,
                                  db_->options().connect.schema);
    return body(tx);
  });
}

absl::StatusOr<std::vector<v1::MeetingChange>>
PostgresMeetingStore::ReadChanges(int64_t after_sequence, int limit) {
  ASSIGN_OR_RETURN(PgDatabase::Lease lease, db_->Acquire());
  ASSIGN_OR_RETURN(
      PgResult rows,
      lease->Exec("SELECT data, sequence, commit_time FROM "
                  "changes WHERE sequence > $1 "
                  "ORDER BY sequence LIMIT $2",
                  PgParams().Add(after_sequence).Add(int64_t{limit})));
  ASSIGN_OR_RETURN(std::vector<v1::MeetingChange> changes,
                   PgProtos<v1::MeetingChange>(rows));
  for (int i = 0; i < rows.rows(); ++i) {
    changes[i].set_sequence(rows.Int64(i, 1));
    *changes[i].mutable_commit_time() =
        ToProtoTime(absl::FromUnixMicros(rows.Int64(i, 2)));
  }
  return changes;
}

absl::StatusOr<int64_t> PostgresMeetingStore::HeadSequence() {
  ASSIGN_OR_RETURN(PgDatabase::Lease lease, db_->Acquire());
  ASSIGN_OR_RETURN(PgResult rows,
                   lease->Exec("SELECT sequence FROM feed_head WHERE id = 1"));
  return rows.rows() == 1 ? rows.Int64(0, 0) : 0;
}

void PostgresMeetingStore::FollowOtherWriters(
    std::function<void(int64_t)> on_head) {
  listener_ = std::make_unique<PgListener>(
      db_->options().connect,
      absl::StrCat(db_->options().connect.schema, "_changes"),
      [on_head](absl::string_view payload) {
        int64_t sequence = 0;
        if (absl::SimpleAtoi(payload, &sequence)) on_head(sequence);
      },
      // Whatever was committed while the listener was away.
      [this, on_head] {
        absl::StatusOr<int64_t> head = HeadSequence();
        if (head.ok()) on_head(*head);
      });
}

absl::Status PostgresMeetingStore::Ping() { return db_->Ping(); }

absl::StatusOr<std::string> PostgresMeetingStore::PageTokenSecret() {
  return db_->LoadOrCreateSecret("page_token_secret");
}

}  // namespace salesmeet::scheduling
