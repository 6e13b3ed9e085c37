#include "common/postgres.h"

#include <endian.h>
#include <openssl/rand.h>
#include <poll.h>

#include <cstring>
#include <fstream>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/json_log.h"
#include "common/status_macros.h"

namespace salesmeet {
namespace {

constexpr absl::string_view kRetryPayload = "salesmeet.store/retry";

absl::Status Unavailable(absl::string_view message) {
  return WithErrorInfo(absl::UnavailableError(message),
                       reason::kStoreUnavailable);
}

std::string Trimmed(const char* text) {
  if (text == nullptr) return "";
  return std::string(absl::StripAsciiWhitespace(text));
}

// SQLSTATE classes: https://www.postgresql.org/docs/15/errcodes-appendix.html
absl::Status PgError(const PGresult* result, PGconn* conn,
                     absl::string_view what) {
  const char* state = result != nullptr
                          ? PQresultErrorField(result, PG_DIAG_SQLSTATE)
                          : nullptr;
  const std::string sqlstate = state != nullptr ? state : "";
  std::string detail =
      result != nullptr
          ? Trimmed(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY))
          : "";
  if (detail.empty()) detail = Trimmed(PQerrorMessage(conn));
  const std::string message = absl::StrCat(what, ": ", detail);
  if (sqlstate == "40001" || sqlstate == "40P01") {
    return RetryableConflict(absl::AbortedError(message));
  }
  if (sqlstate == "23505") return absl::AlreadyExistsError(message);
  if (sqlstate == "57014") {
    return Unavailable(absl::StrCat(
        what, ": the database took longer than the statement timeout"));
  }
  // Connection exceptions, shutdowns, too many connections, out of disk or
  // memory: the database, not the request, is at fault.
  if (sqlstate.empty() || absl::StartsWith(sqlstate, "08") ||
      absl::StartsWith(sqlstate, "57P") || absl::StartsWith(sqlstate, "53") ||
      sqlstate == "55P03" || PQstatus(conn) != CONNECTION_OK) {
    return Unavailable(message);
  }
  return absl::InternalError(message);
}

bool IsValidSchemaName(absl::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  if (!absl::ascii_islower(name[0]) && name[0] != '_') return false;
  for (char c : name) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '_') {
      return false;
    }
  }
  return true;
}

void IgnoreNotice(void*, const char*) {}

}  // namespace

bool IsPostgresUrl(absl::string_view url) {
  return absl::StartsWith(url, "postgresql://") ||
         absl::StartsWith(url, "postgres://");
}

std::string RedactedPostgresUrl(absl::string_view url) {
  std::string out(url);
  const size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    const size_t start = scheme + 3;
    const size_t at = out.find('@', start);
    const size_t slash = out.find('/', start);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) {
        out.replace(colon + 1, at - colon - 1, "***");
      }
    }
  }
  for (size_t p = out.find("password="); p != std::string::npos;
       p = out.find("password=", p + 1)) {
    const size_t end = out.find('&', p);
    out.replace(p + 9, (end == std::string::npos ? out.size() : end) - p - 9,
                "***");
  }
  return out;
}

std::string PgTextArray(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

absl::Status RetryableConflict(absl::Status status) {
  status.SetPayload(kRetryPayload, absl::Cord("1"));
  return status;
}

bool IsRetryableConflict(const absl::Status& status) {
  return status.GetPayload(kRetryPayload).has_value();
}

// --- PgParams ---------------------------------------------------------------

PgParams& PgParams::Add(int64_t value) {
  values_.push_back(absl::StrCat(value));
  nulls_.push_back(false);
  formats_.push_back(0);
  return *this;
}

PgParams& PgParams::Add(absl::string_view text) {
  values_.emplace_back(text);
  nulls_.push_back(false);
  formats_.push_back(0);
  return *this;
}

PgParams& PgParams::AddBytes(absl::string_view bytes) {
  values_.emplace_back(bytes);
  nulls_.push_back(false);
  formats_.push_back(1);
  return *this;
}

PgParams& PgParams::AddNull() {
  values_.emplace_back();
  nulls_.push_back(true);
  formats_.push_back(0);
  return *this;
}

std::vector<const char*> PgParams::Pointers() const {
  std::vector<const char*> out;
  for (size_t i = 0; i < values_.size(); ++i) {
    out.push_back(nulls_[i] ? nullptr : values_[i].c_str());
  }
  return out;
}

std::vector<int> PgParams::Lengths() const {
  std::vector<int> out;
  for (const std::string& v : values_)
    out.push_back(static_cast<int>(v.size()));
  return out;
}

// --- PgResult ---------------------------------------------------------------

PgResult::~PgResult() {
  if (result_ != nullptr) PQclear(result_);
}

int PgResult::rows() const { return PQntuples(result_); }

int64_t PgResult::affected() const {
  const char* n = PQcmdTuples(result_);
  return n == nullptr || *n == '\0' ? 0 : std::strtoll(n, nullptr, 10);
}

bool PgResult::IsNull(int row, int column) const {
  return PQgetisnull(result_, row, column) != 0;
}

int64_t PgResult::Int64(int row, int column) const {
  const char* v = PQgetvalue(result_, row, column);
  switch (PQgetlength(result_, row, column)) {
    case 8: {
      uint64_t x;
      std::memcpy(&x, v, 8);
      return static_cast<int64_t>(be64toh(x));
    }
    case 4: {
      uint32_t x;
      std::memcpy(&x, v, 4);
      return static_cast<int32_t>(be32toh(x));
    }
    case 2: {
      uint16_t x;
      std::memcpy(&x, v, 2);
      return static_cast<int16_t>(be16toh(x));
    }
    case 1:
      return static_cast<unsigned char>(v[0]);
    default:
      return 0;
  }
}

std::string PgResult::Bytes(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column),
                     PQgetlength(result_, row, column));
}

std::string PgResult::command() const {
  const char* tag = PQcmdStatus(result_);
  return tag == nullptr ? "" : tag;
}

// --- PgConnection -----------------------------------------------------------

absl::StatusOr<std::unique_ptr<PgConnection>> PgConnection::Open(
    const PgConnectOptions& options) {
  const std::string timeout = absl::StrCat(
      std::max<int64_t>(1, absl::ToInt64Seconds(options.connect_timeout)));
  // A dead peer is noticed within about 25 s even when nothing is sent.
  std::vector<const char*> keys = {
      "dbname",          "connect_timeout",     "application_name",
      "keepalives_idle", "keepalives_interval", "keepalives_count"};
  std::vector<const char*> values = {options.url.c_str(),
                                     timeout.c_str(),
                                     options.application_name.c_str(),
                                     "10",
                                     "5",
                                     "3"};
  if (!options.password.empty()) {
    keys.push_back("password");
    values.push_back(options.password.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(keys.data(), values.data(), 1);
  if (conn == nullptr) return Unavailable("cannot allocate a connection");
  auto connection = std::unique_ptr<PgConnection>(new PgConnection(conn));
  if (PQstatus(conn) != CONNECTION_OK) {
    return Unavailable(absl::StrCat("cannot connect to PostgreSQL at ",
                                    RedactedPostgresUrl(options.url), ": ",
                                    Trimmed(PQerrorMessage(conn))));
  }
  // Notices ("schema already exists") would otherwise go to stderr, outside
  // the JSON log.
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  std::string settings =
      absl::StrCat("SET statement_timeout = ",
                   std::max<int64_t>(
                       1, absl::ToInt64Milliseconds(options.statement_timeout)),
                   ";");
  if (!options.schema.empty()) {
    absl::StrAppend(&settings, "SET search_path TO \"", options.schema, "\";");
  }
  RETURN_IF_ERROR(connection->ExecScript(settings));
  return connection;
}

PgConnection::~PgConnection() { PQfinish(conn_); }

bool PgConnection::healthy() const {
  if (PQstatus(conn_) != CONNECTION_OK) return false;
  if (PQtransactionStatus(conn_) != PQTRANS_IDLE) return false;
  // An idle connection has nothing to read unless the server said goodbye
  // (a restart sends a FATAL and closes); reading it then flags the status.
  pollfd fd{PQsocket(conn_), POLLIN, 0};
  if (poll(&fd, 1, 0) > 0) {
    if (PQconsumeInput(conn_) == 0) return false;
  }
  return PQstatus(conn_) == CONNECTION_OK;
}

absl::StatusOr<PgResult> PgConnection::Exec(absl::string_view sql,
                                            const PgParams& params) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    const std::string name = absl::StrCat("s", prepared_.size());
    PGresult* raw =
        PQprepare(conn_, name.c_str(), std::string(sql).c_str(), 0, nullptr);
    PgResult prepared(raw);
    if (PQresultStatus(raw) != PGRES_COMMAND_OK) {
      return PgError(raw, conn_, "preparing a statement");
    }
    it = prepared_.emplace(std::string(sql), name).first;
  }
  const std::vector<const char*> values = params.Pointers();
  const std::vector<int> lengths = params.Lengths();
  PGresult* result =
      PQexecPrepared(conn_, it->second.c_str(), params.size(), values.data(),
                     lengths.data(), params.formats().data(), 1);
  PgResult owned(result);
  const ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    return PgError(result, conn_, "a database statement failed");
  }
  return owned;
}

absl::Status PgConnection::ExecScript(absl::string_view sql) {
  PGresult* raw = PQexec(conn_, std::string(sql).c_str());
  PgResult result(raw);
  const ExecStatusType status = PQresultStatus(raw);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    return PgError(raw, conn_, "a database statement failed");
  }
  return absl::OkStatus();
}

absl::Status LockUntilCommit(PgConnection& db, absl::string_view key,
                             PgLockMode mode) {
  return db
      .Exec(mode == PgLockMode::kShared
                ? "SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))"
                : "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            PgParams().Add(key))
      .status();
}

// --- PgDatabase -------------------------------------------------------------

absl::StatusOr<std::unique_ptr<PgDatabase>> PgDatabase::Open(
    const Options& options, const std::vector<PgMigration>& migrations) {
  if (!IsValidSchemaName(options.connect.schema)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--db_schema ", Quoted(options.connect.schema),
                     " must be 1-63 lowercase letters, digits or "
                     "underscores, starting with a letter"));
  }
  auto db = std::unique_ptr<PgDatabase>(new PgDatabase(options));
  ASSIGN_OR_RETURN(Lease lease, db->Acquire());
  RETURN_IF_ERROR(db->Migrate(*lease, migrations));
  return db;
}

absl::Status PgDatabase::Migrate(PgConnection& db,
                                 const std::vector<PgMigration>& migrations) {
  const std::string& schema = options_.connect.schema;
  // A migration may take long; waiting for another replica's too.
  RETURN_IF_ERROR(db.ExecScript("SET statement_timeout = '10min'"));
  // One migrator per schema at a time: replicas that start together wait
  // here, then find the work done.
  RETURN_IF_ERROR(
      db.Exec("SELECT pg_advisory_lock(hashtextextended($1, 0))",
              PgParams().Add(absl::StrCat("salesmeet.migrate.", schema)))
          .status());
  absl::Status status = [&]() -> absl::Status {
    // Created only when missing: a role that may use an existing schema
    // need not be allowed to create schemas.
    ASSIGN_OR_RETURN(PgResult found,
                     db.Exec("SELECT 1 FROM pg_namespace WHERE nspname = $1",
                             PgParams().Add(schema)));
    if (found.rows() == 0) {
      RETURN_IF_ERROR(db.ExecScript(
          absl::StrCat("CREATE SCHEMA IF NOT EXISTS \"", schema, "\"")));
    }
    RETURN_IF_ERROR(db.ExecScript(
        absl::StrCat("CREATE TABLE IF NOT EXISTS schema_migrations ("
                     "  version integer PRIMARY KEY,"
                     "  applied_at timestamptz NOT NULL DEFAULT now());"
                     "CREATE TABLE IF NOT EXISTS metadata ("
                     "  key text PRIMARY KEY, value bytea NOT NULL);")));
    ASSIGN_OR_RETURN(
        PgResult current,
        db.Exec("SELECT coalesce(max(version), 0) FROM schema_migrations"));
    int version = static_cast<int>(current.Int64(0, 0));
    const int known = migrations.empty() ? 0 : migrations.back().version;
    if (version > known) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the database schema \"", schema, "\" is at version ", version,
          ", newer than this binary knows (", known, "); run a newer release"));
    }
    for (const PgMigration& step : migrations) {
      if (step.version <= version) continue;
      RETURN_IF_ERROR(db.ExecScript("BEGIN"));
      absl::Status applied = db.ExecScript(step.sql);
      if (applied.ok()) {
        applied = db.Exec("INSERT INTO schema_migrations (version) VALUES ($1)",
                          PgParams().Add(int64_t{step.version}))
                      .status();
      }
      if (applied.ok()) applied = db.ExecScript("COMMIT");
      if (!applied.ok()) {
        (void)db.ExecScript("ROLLBACK");
        return absl::Status(applied.code(),
                            absl::StrCat("migration ", step.version, " of \"",
                                         schema, "\": ", applied.message()));
      }
      version = step.version;
      LogJson(LogLevel::kInfo, "applied a database migration",
              {{"schema", schema}, {"version", version}});
    }
    schema_version_ = version;
    return absl::OkStatus();
  }();
  (void)db.Exec("SELECT pg_advisory_unlock(hashtextextended($1, 0))",
                PgParams().Add(absl::StrCat("salesmeet.migrate.", schema)));
  RETURN_IF_ERROR(db.ExecScript(absl::StrCat(
      "SET statement_timeout = ",
      std::max<int64_t>(
          1, absl::ToInt64Milliseconds(options_.connect.statement_timeout)))));
  return status;
}

PgDatabase::Lease::~Lease() {
  if (connection_ != nullptr) db_->Release(std::move(connection_));
}

absl::StatusOr<PgDatabase::Lease> PgDatabase::Acquire() {
  while (true) {
    std::unique_ptr<PgConnection> idle;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](PgDatabase* db) ABSL_EXCLUSIVE_LOCKS_REQUIRED(db->mu_) {
            return !db->idle_.empty() || db->open_ < db->options_.pool_size;
          },
          this));
      if (idle_.empty()) {
        ++open_;
      } else {
        idle = std::move(idle_.back());
        idle_.pop_back();
      }
    }
    if (idle != nullptr) {
      if (idle->healthy()) return Lease(this, std::move(idle));
      absl::MutexLock lock(&mu_);
      --open_;  // Dropped: the server closed it (a restart, a failover).
      continue;
    }
    absl::StatusOr<std::unique_ptr<PgConnection>> fresh =
        PgConnection::Open(options_.connect);
    if (!fresh.ok()) {
      absl::MutexLock lock(&mu_);
      --open_;
      return fresh.status();
    }
    return Lease(this, *std::move(fresh));
  }
}

void PgDatabase::Release(std::unique_ptr<PgConnection> connection) {
  absl::MutexLock lock(&mu_);
  if (connection->healthy()) {
    idle_.push_back(std::move(connection));
  } else {
    --open_;
  }
}

absl::Status PgDatabase::Transact(
    Mode mode, const std::function<absl::Status(PgConnection&)>& body) {
  absl::BitGen random;
  absl::Status status;
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    ASSIGN_OR_RETURN(Lease lease, Acquire());
    status = lease->ExecScript(mode == Mode::kRead
                                   ? "BEGIN ISOLATION LEVEL REPEATABLE READ "
                                     "READ ONLY"
                                   : "BEGIN");
    if (!status.ok()) {
      // Nothing was done yet: a connection that died while idle is worth
      // one more try on a fresh one.
      if (attempt < options_.max_attempts && !lease->healthy()) continue;
      return status;
    }
    status = body(*lease);
    if (status.ok()) {
      absl::StatusOr<PgResult> commit = lease->Exec("COMMIT");
      status = commit.status();
      // COMMIT of a transaction that had failed answers ROLLBACK.
      if (status.ok() && !absl::StartsWith(commit->command(), "COMMIT")) {
        status = absl::InternalError("the database rolled back the commit");
      }
      if (status.ok()) return status;
    } else {
      (void)lease->ExecScript("ROLLBACK");
    }
    if (!IsRetryableConflict(status)) return status;
    // Jittered back-off, so that the transactions that collided do not
    // collide again at once.
    absl::SleepFor(absl::Microseconds(absl::Uniform<int64_t>(
        random, 0, 1000 * std::min<int64_t>(int64_t{1} << attempt, 64))));
  }
  return absl::Status(status.code(),
                      absl::StrCat(status.message(), " (after ",
                                   options_.max_attempts, " attempts)"));
}

absl::Status PgDatabase::Ping() {
  ASSIGN_OR_RETURN(Lease lease, Acquire());
  return lease->Exec("SELECT 1").status();
}

absl::StatusOr<std::string> PgDatabase::LoadOrCreateSecret(
    absl::string_view key) {
  std::string fresh(32, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(fresh.data()),
                 static_cast<int>(fresh.size())) != 1) {
    return absl::InternalError("no randomness for a new secret");
  }
  std::string secret;
  RETURN_IF_ERROR(Transact(Mode::kWrite, [&](PgConnection& db) -> absl::Status {
    RETURN_IF_ERROR(db.Exec("INSERT INTO metadata (key, value) VALUES ($1, $2) "
                            "ON CONFLICT (key) DO NOTHING",
                            PgParams().Add(key).AddBytes(fresh))
                        .status());
    ASSIGN_OR_RETURN(PgResult row, db.Exec("SELECT value FROM metadata WHERE "
                                           "key = $1",
                                           PgParams().Add(key)));
    if (row.rows() != 1) return absl::InternalError("the secret vanished");
    secret = row.Bytes(0, 0);
    return absl::OkStatus();
  }));
  return secret;
}

// --- PgListener -------------------------------------------------------------

PgListener::PgListener(PgConnectOptions options, std::string channel,
                       std::function<void(absl::string_view)> on_notify,
                       std::function<void()> on_connect)
    : options_(std::move(options)),
      channel_(std::move(channel)),
      on_notify_(std::move(on_notify)),
      on_connect_(std::move(on_connect)),
      thread_([this] { Run(); }) {}

PgListener::~PgListener() {
  stop_.Notify();
  thread_.join();
}

void PgListener::Run() {
  absl::Duration backoff = absl::Milliseconds(100);
  while (!stop_.HasBeenNotified()) {
    absl::StatusOr<std::unique_ptr<PgConnection>> conn =
        PgConnection::Open(options_);
    absl::Status status = conn.status();
    if (status.ok()) {
      status = (*conn)->ExecScript(absl::StrCat("LISTEN \"", channel_, "\""));
    }
    if (!status.ok()) {
      LogJson(
          LogLevel::kWarning,
          "cannot listen for database notifications; retrying",
          {{"channel", channel_}, {"error", std::string(status.message())}});
      stop_.WaitForNotificationWithTimeout(backoff);
      backoff = std::min(backoff * 2, absl::Seconds(5));
      continue;
    }
    backoff = absl::Milliseconds(100);
    on_connect_();
    PGconn* raw = (*conn)->raw();
    while (!stop_.HasBeenNotified()) {
      // A short poll so that shutdown never waits long.
      pollfd fd{PQsocket(raw), POLLIN, 0};
      if (poll(&fd, 1, 200) < 0 && errno != EINTR) break;
      if (PQconsumeInput(raw) == 0) break;
      while (PGnotify* note = PQnotifies(raw)) {
        on_notify_(note->extra != nullptr ? note->extra : "");
        PQfreemem(note);
      }
      if (PQstatus(raw) != CONNECTION_OK) break;
    }
    if (!stop_.HasBeenNotified()) {
      LogJson(LogLevel::kWarning,
              "lost the database notification connection; reconnecting",
              {{"channel", channel_}});
    }
  }
}

absl::StatusOr<PgConnectOptions> PgConnectOptionsFromFlags(
    absl::string_view url, absl::string_view password_file,
    absl::string_view schema, absl::string_view application_name) {
  if (!IsPostgresUrl(url)) {
    return absl::InvalidArgumentError(
        "--db must start with postgresql:// or postgres://");
  }
  PgConnectOptions options;
  options.url = std::string(url);
  options.schema = std::string(schema);
  options.application_name = std::string(application_name);
  if (!password_file.empty()) {
    std::ifstream in{std::string(password_file)};
    if (!in) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot read --db_password_file ", Quoted(password_file)));
    }
    std::getline(in, options.password);
    while (!options.password.empty() && (options.password.back() == '\r' ||
                                         options.password.back() == '\n')) {
      options.password.pop_back();
    }
  }
  return options;
}

}  // namespace salesmeet
