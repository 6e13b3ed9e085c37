#ifndef SALESMEET_COMMON_POSTGRES_H_
#define SALESMEET_COMMON_POSTGRES_H_

// A thin RAII layer over libpq for the services' scale-out stores, shaped
// like the SQLite one: a pool of connections, statements prepared once per
// connection, transactions that roll back unless committed and rerun whole
// on serialization failures and deadlocks, and versioned migrations taken
// under an advisory lock so that replicas may start together.
//
// libpq rather than libpqxx: the stores need a dozen calls (prepare, execute,
// read a column), and libpqxx 6.4 would add exceptions to code that speaks
// absl::Status everywhere else.

#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace salesmeet {

// True for postgresql:// and postgres:// URLs.
bool IsPostgresUrl(absl::string_view url);
// The URL with any password replaced by "***", fit for logs and errors.
std::string RedactedPostgresUrl(absl::string_view url);

// A text[] literal for a parameter ("{\"a\",\"b\"}"), so that one statement
// can take a whole list (unnest($1::text[])).
std::string PgTextArray(const std::vector<std::string>& items);

// Marks a status as "run the whole transaction again": serialization
// failures, deadlocks, and a store's own optimistic checks.
absl::Status RetryableConflict(absl::Status status);
bool IsRetryableConflict(const absl::Status& status);

// Parameters of one statement, all sent as text except bytes (binary).
class PgParams {
 public:
  PgParams& Add(int64_t value);
  PgParams& Add(absl::string_view text);
  PgParams& Add(const char* text) { return Add(absl::string_view(text)); }
  PgParams& Add(const std::string& text) {
    return Add(absl::string_view(text));
  }
  PgParams& AddBytes(absl::string_view bytes);
  PgParams& AddNull();

  int size() const { return static_cast<int>(values_.size()); }
  std::vector<const char*> Pointers() const;
  std::vector<int> Lengths() const;
  const std::vector<int>& formats() const { return formats_; }

 private:
  std::vector<std::string> values_;
  std::vector<bool> nulls_;
  std::vector<int> formats_;
};

// The rows of one statement, read in binary: integers (of any width) with
// Int64, text and bytea with Bytes.
class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result) {}
  PgResult(PgResult&& other) noexcept : result_(other.result_) {
    other.result_ = nullptr;
  }
  PgResult& operator=(PgResult&&) = delete;
  PgResult(const PgResult&) = delete;
  ~PgResult();

  int rows() const;
  // Rows an INSERT, UPDATE or DELETE touched.
  int64_t affected() const;
  bool IsNull(int row, int column) const;
  int64_t Int64(int row, int column) const;
  std::string Bytes(int row, int column) const;
  // The command tag: "COMMIT", "ROLLBACK", "INSERT 0 1", ...
  std::string command() const;

 private:
  PGresult* result_;
};

struct PgConnectOptions {
  std::string url;       // libpq URI, without the password
  std::string password;  // from a file; empty leaves libpq's own sources
  std::string schema;    // every table lives here (search_path)
  std::string application_name;
  absl::Duration connect_timeout = absl::Seconds(5);
  absl::Duration statement_timeout = absl::Seconds(5);
};

// One open connection. Not thread-safe: the pool hands it to one thread at a
// time.
class PgConnection {
 public:
  static absl::StatusOr<std::unique_ptr<PgConnection>> Open(
      const PgConnectOptions& options);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs `sql` ($1, $2, ... for parameters), prepared once per connection.
  absl::StatusOr<PgResult> Exec(absl::string_view sql,
                                const PgParams& params = PgParams());
  // Runs one or more statements without parameters or prepared state.
  absl::Status ExecScript(absl::string_view sql);
  // False once the server went away; the pool then drops the connection.
  bool healthy() const;
  PGconn* raw() { return conn_; }

 private:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}

  PGconn* conn_;
  absl::flat_hash_map<std::string, std::string> prepared_;  // sql -> name
};

// Takes a transaction-scoped advisory lock on `key`, held until the
// transaction ends: exclusive, or shared with other shared holders. Keys are
// hashed to 64 bits; a collision only makes two unrelated writers take
// turns.
enum class PgLockMode { kExclusive, kShared };
absl::Status LockUntilCommit(PgConnection& db, absl::string_view key,
                             PgLockMode mode = PgLockMode::kExclusive);

// A step in a schema's history; versions start at 1 and increase by one.
struct PgMigration {
  int version;
  const char* sql;
};

// The database and a pool of connections to it, opened on demand: when the
// server is down, Acquire fails with UNAVAILABLE and a later call reconnects.
class PgDatabase {
 public:
  struct Options {
    PgConnectOptions connect;
    int pool_size = 8;
    // How often a transaction body runs before a serialization failure or
    // deadlock is given up as ABORTED.
    int max_attempts = 12;
  };

  // Connects, creates the schema if needed and applies pending migrations
  // under an advisory lock. FAILED_PRECONDITION when the schema is newer
  // than this binary knows.
  static absl::StatusOr<std::unique_ptr<PgDatabase>> Open(
      const Options& options, const std::vector<PgMigration>& migrations);

  PgDatabase(const PgDatabase&) = delete;
  PgDatabase& operator=(const PgDatabase&) = delete;

  class Lease {
   public:
    Lease(PgDatabase* db, std::unique_ptr<PgConnection> connection)
        : db_(db), connection_(std::move(connection)) {}
    Lease(Lease&&) = default;
    ~Lease();
    PgConnection& operator*() { return *connection_; }
    PgConnection* operator->() { return connection_.get(); }

   private:
    PgDatabase* db_;
    std::unique_ptr<PgConnection> connection_;
  };

  // A connection of the pool, waiting while all are lent out.
  absl::StatusOr<Lease> Acquire();

  enum class Mode { kRead, kWrite };
  // Runs `body` in a transaction: reads in one REPEATABLE READ READ ONLY
  // snapshot, writes under READ COMMITTED (stores take the row and advisory
  // locks their guarantees need). Commits when `body` returns OK; reruns it
  // whole after a serialization failure or deadlock.
  absl::Status Transact(Mode mode,
                        const std::function<absl::Status(PgConnection&)>& body);

  absl::Status Ping();
  int schema_version() const { return schema_version_; }
  const Options& options() const { return options_; }

  // A random 32-byte secret kept in the schema's metadata table, created by
  // whichever replica asks first.
  absl::StatusOr<std::string> LoadOrCreateSecret(absl::string_view key);

 private:
  explicit PgDatabase(Options options) : options_(std::move(options)) {}
  void Release(std::unique_ptr<PgConnection> connection);
  absl::Status Migrate(PgConnection& db,
                       const std::vector<PgMigration>& migrations);

  const Options options_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<PgConnection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  int schema_version_ = 0;
};

// A dedicated connection that LISTENs on a channel and hands each payload
// to `on_notify`, reconnecting after any failure. `on_connect` runs after
// every (re)connection, once LISTEN is in place, so the owner can catch up
// on what was missed while disconnected.
class PgListener {
 public:
  PgListener(PgConnectOptions options, std::string channel,
             std::function<void(absl::string_view)> on_notify,
             std::function<void()> on_connect);
  ~PgListener();
  PgListener(const PgListener&) = delete;
  PgListener& operator=(const PgListener&) = delete;

 private:
  void Run();

  const PgConnectOptions options_;
  const std::string channel_;
  const std::function<void(absl::string_view)> on_notify_;
  const std::function<void()> on_connect_;
  absl::Notification stop_;
  std::thread thread_;
};

// Stores keep each record as a serialized proto in a bytea column; these
// read column 0 of every row back. A value that does not parse is DATA_LOSS.
template <typename Message>
absl::StatusOr<std::vector<Message>> PgProtos(const PgResult& rows) {
  std::vector<Message> out;
  out.reserve(rows.rows());
  for (int i = 0; i < rows.rows(); ++i) {
    Message message;
    if (!message.ParseFromString(rows.Bytes(i, 0))) {
      return absl::DataLossError("a stored record does not parse");
    }
    out.push_back(std::move(message));
  }
  return out;
}

template <typename Message>
absl::StatusOr<std::optional<Message>> PgOneProto(const PgResult& rows) {
  absl::StatusOr<std::vector<Message>> all = PgProtos<Message>(rows);
  if (!all.ok()) return all.status();
  if (all->empty()) return std::optional<Message>();
  return std::optional<Message>(std::move(all->front()));
}

// Options from a --db URL and an optional password file.
absl::StatusOr<PgConnectOptions> PgConnectOptionsFromFlags(
    absl::string_view url, absl::string_view password_file,
    absl::string_view schema, absl::string_view application_name);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_POSTGRES_H_
