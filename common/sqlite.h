#ifndef SALESMEET_COMMON_SQLITE_H_
#define SALESMEET_COMMON_SQLITE_H_

// A small RAII layer over SQLite for the services' embedded stores: a pool of
// connections in WAL mode, cached prepared statements, transactions that roll
// back unless committed, and versioned schema migrations at start-up.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace salesmeet {

// Turns a SQLite result code into a status. Busy, locked, I/O and disk-full
// errors are UNAVAILABLE (the caller may retry); the rest are INTERNAL.
absl::Status SqliteError(int code, sqlite3* db, absl::string_view what);

// A prepared statement borrowed from its connection's cache. It is reset and
// its bindings cleared when this handle goes away. Bind indexes start at 1,
// column indexes at 0, as in SQLite.
class SqliteStatement {
 public:
  SqliteStatement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&&) = delete;
  SqliteStatement(const SqliteStatement&) = delete;
  ~SqliteStatement();

  SqliteStatement& Bind(int index, int64_t value);
  SqliteStatement& Bind(int index, absl::string_view text);
  SqliteStatement& BindBlob(int index, absl::string_view bytes);
  SqliteStatement& BindNull(int index);

  // Advances to the next row: true when there is one, false when done.
  absl::StatusOr<bool> Step();
  // Runs a statement that returns no rows.
  absl::Status Run();

  int64_t ColumnInt64(int column) const;
  std::string ColumnText(int column) const;
  std::string ColumnBlob(int column) const;
  bool ColumnIsNull(int column) const;

 private:
  sqlite3_stmt* stmt_;
  sqlite3* db_;
  int bind_error_ = SQLITE_OK;
};

// One open connection. Not thread-safe: the pool hands it to one thread at a
// time.
class SqliteConnection {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteConnection>> Open(
      const std::string& path, absl::Duration busy_timeout);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // Prepares `sql` once per connection and reuses it afterwards.
  absl::StatusOr<SqliteStatement> Prepare(absl::string_view sql);
  // Runs one or more statements without parameters.
  absl::Status Exec(absl::string_view sql);
  // Rows changed by the last INSERT, UPDATE or DELETE.
  int64_t Changes() const;

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  absl::flat_hash_map<std::string, sqlite3_stmt*> statements_;
};

// A transaction on one connection. Writes use BEGIN IMMEDIATE, which takes
// the write lock up front, so two writers never deadlock upgrading a read
// lock. Destroying it without Commit() rolls everything back.
class SqliteTransaction {
 public:
  enum class Mode { kRead, kWrite };

  static absl::StatusOr<std::unique_ptr<SqliteTransaction>> Begin(
      SqliteConnection& connection, Mode mode);
  ~SqliteTransaction();
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;

  absl::Status Commit();
  SqliteConnection& connection() { return connection_; }

 private:
  explicit SqliteTransaction(SqliteConnection& connection)
      : connection_(connection) {}

  SqliteConnection& connection_;
  bool done_ = false;
};

// A step in the schema's history. Versions start at 1 and increase by one;
// each runs once, in its own transaction, and is recorded in user_version.
struct SqliteMigration {
  int version;
  const char* sql;
};

// The database file and its pool of connections.
class SqliteDatabase {
 public:
  struct Options {
    std::string path;
    int pool_size = 4;
    absl::Duration busy_timeout = absl::Seconds(5);
  };

  // Opens (creating the file and its directory if needed), switches to WAL
  // and applies pending migrations. FAILED_PRECONDITION when the file's
  // schema is newer than this binary knows.
  static absl::StatusOr<std::unique_ptr<SqliteDatabase>> Open(
      const Options& options, const std::vector<SqliteMigration>& migrations);

  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  // Exclusive use of one connection until the lease is destroyed.
  class Lease {
   public:
    Lease(SqliteDatabase* db, std::unique_ptr<SqliteConnection> connection)
        : db_(db), connection_(std::move(connection)) {}
    Lease(Lease&&) = default;
    ~Lease();
    SqliteConnection& operator*() { return *connection_; }
    SqliteConnection* operator->() { return connection_.get(); }

   private:
    SqliteDatabase* db_;
    std::unique_ptr<SqliteConnection> connection_;
  };

  // Waits for a free connection.
  Lease Acquire();

  // A cheap query that fails when the file can no longer be read, or when
  // it was removed or replaced since it was opened.
  absl::Status Ping();

  // UNAVAILABLE when the file at the path is no longer the one that was
  // opened (deleted, or swapped by a restore): writes would go to a file
  // nobody will ever open again, so stores refuse them.
  absl::Status CheckFileIdentity() const;

  int schema_version() const { return schema_version_; }

  // A random 32-byte secret kept in the database's own metadata table and
  // created on first use, so every process on this database shares it (page
  // token keys, for example).
  absl::StatusOr<std::string> LoadOrCreateSecret(absl::string_view key);

 private:
  SqliteDatabase() = default;
  void Release(std::unique_ptr<SqliteConnection> connection);

  absl::Mutex mu_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_ ABSL_GUARDED_BY(mu_);
  int schema_version_ = 0;
  std::string path_;
  uint64_t device_ = 0;
  uint64_t inode_ = 0;
};

// Stores keep each record as a serialized proto in a blob column; these read
// them back. A blob that does not parse is DATA_LOSS.
template <typename Message>
absl::StatusOr<Message> ProtoFromColumn(const SqliteStatement& stmt,
                                        int column) {
  Message message;
  if (!message.ParseFromString(stmt.ColumnBlob(column))) {
    return absl::DataLossError("a stored record does not parse");
  }
  return message;
}

// Every row's proto, from a statement whose column 0 is the blob.
template <typename Message>
absl::StatusOr<std::vector<Message>> CollectProtos(SqliteStatement& stmt) {
  std::vector<Message> out;
  while (true) {
    absl::StatusOr<bool> row = stmt.Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    absl::StatusOr<Message> message = ProtoFromColumn<Message>(stmt, 0);
    if (!message.ok()) return message.status();
    out.push_back(*std::move(message));
  }
}

// The proto in column 0 of the one row `sql` returns for `key`, if any.
template <typename Message>
absl::StatusOr<std::optional<Message>> FindProto(SqliteConnection& db,
                                                 absl::string_view sql,
                                                 absl::string_view key) {
  absl::StatusOr<SqliteStatement> stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, key);
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<Message>();
  absl::StatusOr<Message> message = ProtoFromColumn<Message>(*stmt, 0);
  if (!message.ok()) return message.status();
  return std::optional<Message>(*std::move(message));
}

// Runs `body` with a `Operations` (a store's transaction interface over one
// connection) inside a transaction: commits when it returns OK, otherwise
// rolls everything back. Write transactions first check that the file is
// still the one that was opened.
template <typename Operations, typename Body>
absl::Status RunSqliteTransaction(SqliteDatabase& db,
                                  SqliteTransaction::Mode mode, Body&& body) {
  if (mode == SqliteTransaction::Mode::kWrite) {
    absl::Status identity = db.CheckFileIdentity();
    if (!identity.ok()) return identity;
  }
  SqliteDatabase::Lease lease = db.Acquire();
  absl::StatusOr<std::unique_ptr<SqliteTransaction>> tx =
      SqliteTransaction::Begin(*lease, mode);
  if (!tx.ok()) return tx.status();
  Operations operations(*lease);
  absl::Status status = body(operations);
  if (!status.ok()) return status;
  return (*tx)->Commit();
}

// "sqlite:///abs/path.db" -> "/abs/path.db"; "sqlite://rel.db" -> "rel.db".
// INVALID_ARGUMENT for other schemes.
absl::StatusOr<std::string> SqlitePathFromUrl(absl::string_view url);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_SQLITE_H_
