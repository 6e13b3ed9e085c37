// The libpq layer against a real PostgreSQL (the cluster CTest starts):
// error mapping, whole-body retries, migrations raced by several replicas,
// notifications, and what an unreachable server looks like.

#include "common/postgres.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/barrier.h"
#include "absl/synchronization/notification.h"
#include "common/postgres_test_support.h"
#include "common/status_macros.h"

namespace salesmeet {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::vector<PgMigration>& Schema() {
  static const auto* migrations = new std::vector<PgMigration>{
      {1, "CREATE TABLE items (id text PRIMARY KEY, n bigint NOT NULL)"},
      {2, "ALTER TABLE items ADD COLUMN note bytea"},
  };
  return *migrations;
}

class PostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A schema of its own per run, even on a cluster that outlives it.
    absl::StatusOr<PgDatabase::Options> options = TestPostgresOptions(
        "pgtest",
        absl::StrCat(
            ::testing::UnitTest::GetInstance()->current_test_info()->name(),
            getpid(), absl::ToUnixNanos(absl::Now())));
    ASSERT_TRUE(options.ok()) << options.status();
    options_ = *options;
  }

  std::unique_ptr<PgDatabase> Open() {
    absl::StatusOr<std::unique_ptr<PgDatabase>> db =
        PgDatabase::Open(options_, Schema());
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? *std::move(db) : nullptr;
  }

  PgDatabase::Options options_;
};

TEST(PostgresUrlTest, PasswordsNeverReachALog) {
  EXPECT_EQ(RedactedPostgresUrl("postgresql://ada:s3cret@db:5432/x"),
            "postgresql://ada:***@db:5432/x");
  EXPECT_EQ(RedactedPostgresUrl("postgres://db/x?user=a&password=s3cret&b=1"),
            "postgres://db/x?user=a&password=***&b=1");
  EXPECT_EQ(RedactedPostgresUrl("postgresql://ada@db/x"),
            "postgresql://ada@db/x");
  EXPECT_TRUE(IsPostgresUrl("postgres://db/x"));
  EXPECT_FALSE(IsPostgresUrl("sqlite:///tmp/x.db"));
}

TEST_F(PostgresTest, ReplicasStartingTogetherMigrateOnce) {
  std::vector<std::thread> replicas;
  std::vector<absl::Status> results(4);
  absl::Barrier* start = new absl::Barrier(4);
  for (int i = 0; i < 4; ++i) {
    replicas.emplace_back([&, i] {
      if (start->Block()) delete start;
      absl::StatusOr<std::unique_ptr<PgDatabase>> db =
          PgDatabase::Open(options_, Schema());
      results[i] = db.status();
      if (db.ok()) {
        EXPECT_EQ((*db)->schema_version(), 2);
      }
    });
  }
  for (std::thread& t : replicas) t.join();
  for (const absl::Status& s : results) EXPECT_TRUE(s.ok()) << s;
}

TEST_F(PostgresTest, ASchemaNewerThanTheBinaryIsRefused) {
  ASSERT_NE(Open(), nullptr);
  std::vector<PgMigration> older = {Schema().front()};
  absl::StatusOr<std::unique_ptr<PgDatabase>> db =
      PgDatabase::Open(options_, older);
  EXPECT_EQ(db.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(db.status().message(), HasSubstr("newer than this binary"));
}

TEST_F(PostgresTest, AUniqueViolationIsAlreadyExistsAndRollsBack) {
  std::unique_ptr<PgDatabase> db = Open();
  ASSERT_NE(db, nullptr);
  auto insert = [&](absl::string_view id) {
    return db->Transact(PgDatabase::Mode::kWrite, [&](PgConnection& c) {
      RETURN_IF_ERROR(c.Exec("INSERT INTO items (id, n) VALUES ('other', 1) "
                             "ON CONFLICT DO NOTHING")
                          .status());
      return c
          .Exec("INSERT INTO items (id, n) VALUES ($1, 1)", PgParams().Add(id))
          .status();
    });
  };
  ASSERT_TRUE(insert("a").ok());
  EXPECT_EQ(insert("a").code(), absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(db->Ping().ok());
}

TEST_F(PostgresTest, ADeadlockReRunsTheWholeBody) {
  std::unique_ptr<PgDatabase> db = Open();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Transact(PgDatabase::Mode::kWrite, [](PgConnection& c) {
                  return c.ExecScript(
                      "INSERT INTO items VALUES ('x', 0), ('y', 0)");
                }).ok());
  // Two writers take the same two rows in opposite orders; PostgreSQL
  // aborts one with 40P01, and the layer runs its body again.
  std::atomic<int> bodies{0};
  absl::Barrier* both_hold_one = new absl::Barrier(2);
  auto writer = [&](const char* first, const char* second) {
    return db->Transact(PgDatabase::Mode::kWrite, [&](PgConnection& c) {
      const int run = bodies++;
      RETURN_IF_ERROR(c.Exec("UPDATE items SET n = n + 1 WHERE id = $1",
                             PgParams().Add(first))
                          .status());
      // Only the first run of each waits for the other to hold its row.
      if (run < 2 && both_hold_one->Block()) delete both_hold_one;
      return c
          .Exec("UPDATE items SET n = n + 1 WHERE id = $1",
                PgParams().Add(second))
          .status();
    });
  };
  absl::Status a, b;
  std::thread ta([&] { a = writer("x", "y"); });
  std::thread tb([&] { b = writer("y", "x"); });
  ta.join();
  tb.join();
  EXPECT_TRUE(a.ok()) << a;
  EXPECT_TRUE(b.ok()) << b;
  EXPECT_GE(bodies.load(), 3);
  int64_t total = 0;
  ASSERT_TRUE(db->Transact(PgDatabase::Mode::kRead, [&](PgConnection& c) {
                  ASSIGN_OR_RETURN(PgResult r,
                                   c.Exec("SELECT sum(n)::bigint FROM items"));
                  total = r.Int64(0, 0);
                  return absl::OkStatus();
                }).ok());
  EXPECT_EQ(total, 4);  // Each writer's two updates, once.
}

TEST_F(PostgresTest, AStatementOverItsTimeoutIsUnavailable) {
  options_.connect.statement_timeout = absl::Milliseconds(100);
  std::unique_ptr<PgDatabase> db = Open();
  ASSERT_NE(db, nullptr);
  absl::Status slow = db->Transact(
      PgDatabase::Mode::kRead,
      [](PgConnection& c) { return c.Exec("SELECT pg_sleep(2)").status(); });
  EXPECT_EQ(slow.code(), absl::StatusCode::kUnavailable) << slow;
  EXPECT_THAT(slow.message(), HasSubstr("statement timeout"));
  EXPECT_TRUE(db->Ping().ok());
}

TEST_F(PostgresTest, AnUnreachableServerIsUnavailableWithoutThePassword) {
  options_.connect.url = "postgresql://ada:s3cret@127.0.0.1:1/nowhere";
  options_.connect.connect_timeout = absl::Seconds(1);
  absl::StatusOr<std::unique_ptr<PgDatabase>> db =
      PgDatabase::Open(options_, Schema());
  EXPECT_EQ(db.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(db.status().message(), Not(HasSubstr("s3cret")));
  EXPECT_THAT(db.status().message(), HasSubstr("ada:***@"));
}

TEST_F(PostgresTest, AListenerHearsEveryCommittedNotification) {
  std::unique_ptr<PgDatabase> db = Open();
  ASSERT_NE(db, nullptr);
  absl::Mutex mu;
  std::vector<std::string> heard;
  absl::Notification connected;
  PgListener listener(
      options_.connect, "pgtest_news",
      [&](absl::string_view payload) {
        absl::MutexLock lock(&mu);
        heard.emplace_back(payload);
      },
      [&] {
        if (!connected.HasBeenNotified()) connected.Notify();
      });
  ASSERT_TRUE(connected.WaitForNotificationWithTimeout(absl::Seconds(10)));
  for (const char* payload : {"1", "2"}) {
    ASSERT_TRUE(db->Transact(PgDatabase::Mode::kWrite, [&](PgConnection& c) {
                    return c
                        .Exec("SELECT pg_notify('pgtest_news', $1)",
                              PgParams().Add(payload))
                        .status();
                  }).ok());
  }
  // A rolled-back transaction's notification is never delivered.
  (void)db->Transact(PgDatabase::Mode::kWrite, [](PgConnection& c) {
    RETURN_IF_ERROR(c.Exec("SELECT pg_notify('pgtest_news', 'no')").status());
    return absl::AbortedError("changed my mind");
  });
  ASSERT_TRUE(
      db->Transact(PgDatabase::Mode::kWrite, [](PgConnection& c) {
          return c.Exec("SELECT pg_notify('pgtest_news', '3')").status();
        }).ok());
  absl::MutexLock lock(&mu);
  mu.AwaitWithTimeout(
      absl::Condition(
          +[](std::vector<std::string>* h) { return h->size() >= 3; }, &heard),
      absl::Seconds(10));
  EXPECT_EQ(heard, (std::vector<std::string>{"1", "2", "3"}));
}

}  // namespace
}  // namespace salesmeet
