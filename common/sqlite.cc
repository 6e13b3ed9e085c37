#include "common/sqlite.h"

#include <openssl/rand.h>
#include <sys/stat.h>

#include <filesystem>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"

namespace salesmeet {

absl::Status SqliteError(int code, sqlite3* db, absl::string_view what) {
  const std::string detail =
      db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  const std::string message = absl::StrCat(what, ": ", detail);
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PROTOCOL:
      return WithErrorInfo(absl::UnavailableError(message),
                           reason::kStoreUnavailable);
    default:
      return absl::InternalError(message);
  }
}

// --- SqliteStatement -------------------------------------------------------

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : stmt_(other.stmt_), db_(other.db_), bind_error_(other.bind_error_) {
  other.stmt_ = nullptr;
}

SqliteStatement::~SqliteStatement() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

SqliteStatement& SqliteStatement::Bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) bind_error_ = rc;
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index, absl::string_view text) {
  int rc = sqlite3_bind_text(stmt_, index, text.data(),
                             static_cast<int>(text.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) bind_error_ = rc;
  return *this;
}

SqliteStatement& SqliteStatement::BindBlob(int index, absl::string_view bytes) {
  int rc = sqlite3_bind_blob(stmt_, index, bytes.data(),
                             static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) bind_error_ = rc;
  return *this;
}

SqliteStatement& SqliteStatement::BindNull(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) bind_error_ = rc;
  return *this;
}

absl::StatusOr<bool> SqliteStatement::Step() {
  if (bind_error_ != SQLITE_OK) {
    return SqliteError(bind_error_, db_, "binding a parameter");
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(rc, db_, sqlite3_sql(stmt_));
}

absl::Status SqliteStatement::Run() {
  absl::StatusOr<bool> row = Step();
  if (!row.ok()) return row.status();
  return absl::OkStatus();
}

int64_t SqliteStatement::ColumnInt64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string SqliteStatement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(text),
                     sqlite3_column_bytes(stmt_, column));
}

std::string SqliteStatement::ColumnBlob(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  if (data == nullptr) return "";
  return std::string(static_cast<const char*>(data),
                     sqlite3_column_bytes(stmt_, column));
}

bool SqliteStatement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

// --- SqliteConnection ------------------------------------------------------

absl::StatusOr<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(
    const std::string& path, absl::Duration busy_timeout) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
      nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status = SqliteError(rc, db, absl::StrCat("opening ", path));
    sqlite3_close_v2(db);
    return status;
  }
  std::unique_ptr<SqliteConnection> connection(new SqliteConnection(db));
  sqlite3_busy_timeout(
      db, static_cast<int>(absl::ToInt64Milliseconds(busy_timeout)));
  // FULL sync: a commit we acknowledged survives a power loss, not only a
  // process crash.
  absl::Status status = connection->Exec(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
      "PRAGMA foreign_keys=ON;");
  if (!status.ok()) return status;
  return connection;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

absl::StatusOr<SqliteStatement> SqliteConnection::Prepare(
    absl::string_view sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return SqliteStatement(it->second, db_);
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(rc, db_, "preparing statement");
  statements_.emplace(std::string(sql), stmt);
  return SqliteStatement(stmt, db_);
}

absl::Status SqliteConnection::Exec(absl::string_view sql) {
  const std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteError(rc, db_, "executing SQL");
  return absl::OkStatus();
}

int64_t SqliteConnection::Changes() const { return sqlite3_changes64(db_); }

// --- SqliteTransaction -----------------------------------------------------

absl::StatusOr<std::unique_ptr<SqliteTransaction>> SqliteTransaction::Begin(
    SqliteConnection& connection, Mode mode) {
  absl::Status status = connection.Exec(
      mode == Mode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  if (!status.ok()) return status;
  return std::unique_ptr<SqliteTransaction>(new SqliteTransaction(connection));
}

SqliteTransaction::~SqliteTransaction() {
  if (!done_) connection_.Exec("ROLLBACK").IgnoreError();
}

absl::Status SqliteTransaction::Commit() {
  absl::Status status = connection_.Exec("COMMIT");
  // A failed COMMIT leaves the transaction open; the destructor rolls back.
  if (status.ok()) done_ = true;
  return status;
}

// --- SqliteDatabase --------------------------------------------------------

namespace {

absl::StatusOr<int> ReadUserVersion(SqliteConnection& connection) {
  absl::StatusOr<SqliteStatement> stmt =
      connection.Prepare("PRAGMA user_version");
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  return *row ? static_cast<int>(stmt->ColumnInt64(0)) : 0;
}

absl::Status Migrate(SqliteConnection& connection,
                     const std::vector<SqliteMigration>& migrations,
                     int* version_out) {
  // One write transaction for the whole check-and-apply, so two processes
  // starting together never apply a step twice.
  auto tx =
      SqliteTransaction::Begin(connection, SqliteTransaction::Mode::kWrite);
  if (!tx.ok()) return tx.status();
  // Infrastructure, not part of any service's schema history.
  absl::Status meta = connection.Exec(
      "CREATE TABLE IF NOT EXISTS salesmeet_meta ("
      " key TEXT PRIMARY KEY, value BLOB NOT NULL)");
  if (!meta.ok()) return meta;
  absl::StatusOr<int> current = ReadUserVersion(connection);
  if (!current.ok()) return current.status();
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  if (*current > latest) {
    return absl::FailedPreconditionError(
        absl::StrCat("database schema version ", *current,
                     " is newer than this binary understands (", latest,
                     "); run a newer release"));
  }
  int expected = 1;
  for (const SqliteMigration& m : migrations) {
    if (m.version != expected++) {
      return absl::InternalError("schema migrations are not numbered 1..N");
    }
    if (m.version <= *current) continue;
    absl::Status status = connection.Exec(m.sql);
    if (!status.ok()) {
      return absl::Status(status.code(),
                          absl::StrCat("schema migration ", m.version,
                                       " failed: ", status.message()));
    }
    status = connection.Exec(absl::StrCat("PRAGMA user_version = ", m.version));
    if (!status.ok()) return status;
  }
  *version_out = latest;
  return (*tx)->Commit();
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(
    const Options& options, const std::vector<SqliteMigration>& migrations) {
  if (options.path.empty()) {
    return absl::InvalidArgumentError("database path is empty");
  }
  std::filesystem::path parent =
      std::filesystem::path(options.path).parent_path();
  if (!parent.empty()) {
    std::error_code ignored;
    std::filesystem::create_directories(parent, ignored);
  }
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase());
  db->path_ = options.path;
  for (int i = 0; i < std::max(1, options.pool_size); ++i) {
    absl::StatusOr<std::unique_ptr<SqliteConnection>> connection =
        SqliteConnection::Open(options.path, options.busy_timeout);
    if (!connection.ok()) return connection.status();
    if (i == 0) {
      absl::Status status =
          Migrate(**connection, migrations, &db->schema_version_);
      if (!status.ok()) return status;
    }
    absl::MutexLock lock(&db->mu_);
    db->idle_.push_back(std::move(*connection));
  }
  struct stat info;
  if (stat(options.path.c_str(), &info) != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot stat ", options.path, " after opening it"));
  }
  db->device_ = info.st_dev;
  db->inode_ = info.st_ino;
  return db;
}

SqliteDatabase::Lease SqliteDatabase::Acquire() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](std::vector<std::unique_ptr<SqliteConnection>>* idle) {
        return !idle->empty();
      },
      &idle_));
  std::unique_ptr<SqliteConnection> connection = std::move(idle_.back());
  idle_.pop_back();
  return Lease(this, std::move(connection));
}

void SqliteDatabase::Release(std::unique_ptr<SqliteConnection> connection) {
  absl::MutexLock lock(&mu_);
  idle_.push_back(std::move(connection));
}

SqliteDatabase::Lease::~Lease() {
  if (connection_ != nullptr) db_->Release(std::move(connection_));
}

absl::Status SqliteDatabase::CheckFileIdentity() const {
  struct stat info;
  if (stat(path_.c_str(), &info) != 0 || info.st_dev != device_ ||
      info.st_ino != inode_) {
    return WithErrorInfo(
        absl::UnavailableError(absl::StrCat(
            "the database file ", path_,
            " was removed or replaced while in use; restart the service")),
        reason::kStoreUnavailable);
  }
  return absl::OkStatus();
}

absl::Status SqliteDatabase::Ping() {
  absl::Status identity = CheckFileIdentity();
  if (!identity.ok()) return identity;
  Lease lease = Acquire();
  absl::StatusOr<SqliteStatement> stmt =
      lease->Prepare("SELECT count(*) FROM sqlite_master");
  if (!stmt.ok()) return stmt.status();
  return stmt->Run();
}

absl::StatusOr<std::string> SqliteDatabase::LoadOrCreateSecret(
    absl::string_view key) {
  unsigned char fresh[32];
  if (RAND_bytes(fresh, sizeof(fresh)) != 1) {
    return absl::InternalError("no randomness available for a secret");
  }
  Lease lease = Acquire();
  auto tx = SqliteTransaction::Begin(*lease, SqliteTransaction::Mode::kWrite);
  if (!tx.ok()) return tx.status();
  absl::StatusOr<SqliteStatement> insert = lease->Prepare(
      "INSERT OR IGNORE INTO salesmeet_meta (key, value) VALUES (?, ?)");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, key).BindBlob(
      2, absl::string_view(reinterpret_cast<char*>(fresh), sizeof(fresh)));
  absl::Status status = insert->Run();
  if (!status.ok()) return status;
  std::string secret;
  {
    // Scoped so the statement is reset before COMMIT.
    absl::StatusOr<SqliteStatement> select =
        lease->Prepare("SELECT value FROM salesmeet_meta WHERE key = ?");
    if (!select.ok()) return select.status();
    select->Bind(1, key);
    absl::StatusOr<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::InternalError("secret vanished after insert");
    secret = select->ColumnBlob(0);
  }
  status = (*tx)->Commit();
  if (!status.ok()) return status;
  return secret;
}

absl::StatusOr<std::string> SqlitePathFromUrl(absl::string_view url) {
  constexpr absl::string_view kScheme = "sqlite://";
  if (!absl::StartsWith(url, kScheme) || url.size() == kScheme.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--db must look like sqlite:///path/to/file.db, got \"", url, "\""));
  }
  return std::string(url.substr(kScheme.size()));
}

}  // namespace salesmeet
