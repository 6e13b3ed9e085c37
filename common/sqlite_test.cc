#include "common/sqlite.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"

namespace salesmeet {
namespace {

const std::vector<SqliteMigration> kMigrations = {
    {1, "CREATE TABLE item (id TEXT PRIMARY KEY, n INTEGER NOT NULL);"},
    {2, "ALTER TABLE item ADD COLUMN note TEXT;"},
};

class SqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat(
               "sqlite_test_", getpid(), "_",
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    path_ = (dir_ / "nested" / "test.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<SqliteDatabase> OpenDb(
      const std::vector<SqliteMigration>& migrations = kMigrations) {
    auto db = SqliteDatabase::Open({path_, 2, absl::Seconds(5)}, migrations);
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? *std::move(db) : nullptr;
  }

  int64_t Count(SqliteDatabase& db) {
    auto lease = db.Acquire();
    auto stmt = lease->Prepare("SELECT count(*) FROM item");
    EXPECT_TRUE(stmt.ok());
    EXPECT_TRUE(*stmt->Step());
    return stmt->ColumnInt64(0);
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(SqliteTest, OpenCreatesDirectoryAndAppliesAllMigrations) {
  auto db = OpenDb();
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->schema_version(), 2);
  auto lease = db->Acquire();
  EXPECT_TRUE(
      lease->Exec("INSERT INTO item (id, n, note) VALUES ('a', 1, 'x')").ok());
}

TEST_F(SqliteTest, ReopeningAppliesOnlyNewMigrationsAndKeepsData) {
  {
    auto db = OpenDb({kMigrations[0]});
    ASSERT_NE(db, nullptr);
    auto lease = db->Acquire();
    ASSERT_TRUE(lease->Exec("INSERT INTO item (id, n) VALUES ('a', 1)").ok());
  }
  auto db = OpenDb();
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->schema_version(), 2);
  EXPECT_EQ(Count(*db), 1);
}

TEST_F(SqliteTest, NewerSchemaThanBinaryIsRefused) {
  ASSERT_NE(OpenDb(), nullptr);
  auto db =
      SqliteDatabase::Open({path_, 1, absl::Seconds(1)}, {kMigrations[0]});
  EXPECT_EQ(db.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(SqliteTest, FailedMigrationLeavesSchemaUntouched) {
  auto bad = SqliteDatabase::Open(
      {path_, 1, absl::Seconds(1)},
      {kMigrations[0], {2, "CREATE TABLE broken (; nonsense"}});
  EXPECT_FALSE(bad.ok());
  auto db = OpenDb({kMigrations[0]});
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->schema_version(), 1);
}

TEST_F(SqliteTest, TransactionRollsBackUnlessCommitted) {
  auto db = OpenDb();
  {
    auto lease = db->Acquire();
    auto tx = SqliteTransaction::Begin(*lease, SqliteTransaction::Mode::kWrite);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(lease->Exec("INSERT INTO item (id, n) VALUES ('a', 1)").ok());
  }
  EXPECT_EQ(Count(*db), 0);
  {
    auto lease = db->Acquire();
    auto tx = SqliteTransaction::Begin(*lease, SqliteTransaction::Mode::kWrite);
    ASSERT_TRUE(lease->Exec("INSERT INTO item (id, n) VALUES ('a', 1)").ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  EXPECT_EQ(Count(*db), 1);
}

TEST_F(SqliteTest, BoundParametersRoundTripAndStatementsAreReusable) {
  auto db = OpenDb();
  auto lease = db->Acquire();
  for (int i = 0; i < 3; ++i) {
    auto insert =
        lease->Prepare("INSERT INTO item (id, n, note) VALUES (?, ?, ?)");
    ASSERT_TRUE(insert.ok());
    insert->Bind(1, absl::StrCat("id", i)).Bind(2, int64_t{i * 10});
    if (i == 1) {
      insert->BindNull(3);
    } else {
      insert->BindBlob(3, std::string("a\0b", 3));
    }
    ASSERT_TRUE(insert->Run().ok());
  }
  auto select = lease->Prepare("SELECT n, note FROM item WHERE id = ?");
  select->Bind(1, "id1");
  ASSERT_TRUE(*select->Step());
  EXPECT_EQ(select->ColumnInt64(0), 10);
  EXPECT_TRUE(select->ColumnIsNull(1));
}

TEST_F(SqliteTest, ConcurrentWritersAllCommit) {
  auto db = OpenDb();
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        auto lease = db->Acquire();
        auto tx =
            SqliteTransaction::Begin(*lease, SqliteTransaction::Mode::kWrite);
        if (!tx.ok()) {
          ++failures;
          continue;
        }
        auto insert = lease->Prepare("INSERT INTO item (id, n) VALUES (?, ?)");
        insert->Bind(1, absl::StrCat(t, "-", i)).Bind(2, int64_t{i});
        if (!insert->Run().ok() || !(*tx)->Commit().ok()) ++failures;
      }
    });
  }
  for (auto& w : writers) w.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Count(*db), 100);
}

TEST_F(SqliteTest, ConstraintViolationIsAnErrorNotACrash) {
  auto db = OpenDb();
  auto lease = db->Acquire();
  ASSERT_TRUE(lease->Exec("INSERT INTO item (id, n) VALUES ('a', 1)").ok());
  EXPECT_FALSE(lease->Exec("INSERT INTO item (id, n) VALUES ('a', 2)").ok());
}

TEST(SqlitePathTest, ParsesUrls) {
  EXPECT_EQ(*SqlitePathFromUrl("sqlite:///var/lib/x.db"), "/var/lib/x.db");
  EXPECT_EQ(*SqlitePathFromUrl("sqlite://data/x.db"), "data/x.db");
  EXPECT_FALSE(SqlitePathFromUrl("postgres://x").ok());
  EXPECT_FALSE(SqlitePathFromUrl("sqlite://").ok());
}

}  // namespace
}  // namespace salesmeet

namespace salesmeet {
namespace {

TEST_F(SqliteTest, RemovedDatabaseFileFailsPingAndIdentity) {
  auto db = OpenDb();
  ASSERT_TRUE(db->Ping().ok());
  std::filesystem::remove(path_);
  EXPECT_EQ(db->Ping().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(db->CheckFileIdentity().code(), absl::StatusCode::kUnavailable);
}

TEST_F(SqliteTest, SecretIsCreatedOnceAndSurvivesReopen) {
  std::string first;
  {
    auto db = OpenDb();
    auto secret = db->LoadOrCreateSecret("page_tokens");
    ASSERT_TRUE(secret.ok()) << secret.status();
    EXPECT_EQ(secret->size(), 32u);
    first = *secret;
    EXPECT_EQ(*db->LoadOrCreateSecret("page_tokens"), first);
    EXPECT_NE(*db->LoadOrCreateSecret("other"), first);
  }
  auto db = OpenDb();
  EXPECT_EQ(*db->LoadOrCreateSecret("page_tokens"), first);
}

}  // namespace
}  // namespace salesmeet
