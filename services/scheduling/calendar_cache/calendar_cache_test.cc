#include "services/scheduling/calendar_cache/calendar_cache.h"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <prometheus/registry.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "services/scheduling/calendar_cache/calendar_buckets.h"
#include "services/scheduling/calendar_cache/loopback_port.h"
#include "services/scheduling/scheduling_test_fixture.h"

namespace salesmeet::scheduling {
namespace {

// A redis-server of the test's own on a free port, without persistence.
class RedisServer {
 public:
  RedisServer() : port_(UnusedLoopbackPort()) {}
  ~RedisServer() { Kill(); }

  int port() const { return port_; }

  void Start() {
    const std::string port = std::to_string(port_);
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);  // Never outlive a crashed test.
      freopen("/dev/null", "w", stdout);
      execlp("redis-server", "redis-server", "--port", port.c_str(), "--bind",
             "127.0.0.1", "--save", "", "--appendonly", "no",
             "--enable-debug-command", "yes", static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 200; ++i) {
      if (Command("PING") == "PONG") return;
      absl::SleepFor(absl::Milliseconds(10));
    }
    FAIL() << "redis-server did not answer PING on port " << port_;
  }

  void Kill() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  // Runs one command on a fresh connection; the reply as text, "" on error.
  std::string Command(const std::string& format, const std::string& a = "",
                      const std::string& b = "") {
    redisContext* c = redisConnect("127.0.0.1", port_);
    std::string out;
    if (c != nullptr && c->err == 0) {
      auto* reply = static_cast<redisReply*>(
          redisCommand(c, format.c_str(), a.c_str(), b.c_str(), b.size()));
      if (reply != nullptr) {
        if (reply->type == REDIS_REPLY_STRING ||
            reply->type == REDIS_REPLY_STATUS) {
          out.assign(reply->str, reply->len);
        } else if (reply->type == REDIS_REPLY_INTEGER) {
          out = std::to_string(reply->integer);
        }
        freeReplyObject(reply);
      }
    }
    if (c != nullptr) redisFree(c);
    return out;
  }

  // Makes Redis unresponsive for `seconds` without waiting for it.
  void SleepInBackground(double seconds) {
    std::thread([port = port_, seconds] {
      redisContext* c = redisConnect("127.0.0.1", port);
      auto* reply =
          static_cast<redisReply*>(redisCommand(c, "DEBUG SLEEP %f", seconds));
      if (reply != nullptr) freeReplyObject(reply);
      redisFree(c);
    }).detach();
    absl::SleepFor(absl::Milliseconds(20));  // Let the sleep begin.
  }

 private:
  int port_;
  pid_t pid_ = -1;
};

// The store source, counting its calls and optionally slowed down.
class CountingSource : public CalendarSource {
 public:
  explicit CountingSource(CalendarSource& inner) : inner_(inner) {}
  absl::StatusOr<CalendarsByParticipant> Calendars(
      const std::vector<std::string>& participants, TimeSpan window) override {
    ++calls;
    absl::SleepFor(delay);
    return inner_.Calendars(participants, window);
  }
  std::atomic<int> calls{0};
  absl::Duration delay = absl::ZeroDuration();

 private:
  CalendarSource& inner_;
};

const absl::Duration kCommandTimeout = absl::Milliseconds(100);

// One scheduling process's cache: its own pool and metrics.
struct CacheProcess {
  CacheProcess(CalendarSource& inner, int port) {
    RedisOptions options;
    options.port = port;
    options.command_timeout = kCommandTimeout;
    options.breaker_cooldown = absl::Milliseconds(200);
    redis = std::make_unique<RedisConnectionPool>(options);
    cache = std::make_unique<CachedCalendarSource>(
        inner, *redis, CalendarCacheOptions{}, metrics);
  }
  prometheus::Registry metrics;
  std::unique_ptr<RedisConnectionPool> redis;
  std::unique_ptr<CachedCalendarSource> cache;
};

class CalendarCacheTest : public SchedulingTest {
 protected:
  void SetUp() override {
    SchedulingTest::SetUp();
    redis_.Start();
    from_store_ = std::make_unique<StoreCalendarSource>(*store_);
    counting_ = std::make_unique<CountingSource>(*from_store_);
    process_ = std::make_unique<CacheProcess>(*counting_, redis_.port());
    // The writers tell this process's cache, as main() wires them.
    context_->calendars_changed = process_->cache.get();
    booker_ = std::make_unique<MeetingBooker>(
        *store_, people_, context_->Listeners(), context_->clock);
    lifecycle_ = std::make_unique<MeetingLifecycle>(
        *store_, context_->Listeners(), context_->clock);
  }

  void TearDown() override {
    booker_.reset();
    lifecycle_.reset();
    process_.reset();
    counting_.reset();
    from_store_.reset();
    redis_.Kill();
    SchedulingTest::TearDown();
  }

  CachedCalendarSource& cache() { return *process_->cache; }

  // The week of 2 March 2026 and the next two, as a reader would ask.
  TimeSpan Window() const { return {Rome(3, 2, 0), Rome(3, 23, 0)}; }

  // The calendar as text, to compare answers field by field.
  static std::string Text(CalendarSource& source, const std::string& who,
                          TimeSpan window) {
    absl::StatusOr<CalendarsByParticipant> got =
        source.Calendars({"participants/" + who}, window);
    EXPECT_TRUE(got.ok()) << got.status();
    if (!got.ok()) return "error";
    v1::GetCalendarResponse shown;
    shown.ParseFromString(EncodeBucket((*got)["participants/" + who]));
    return shown.DebugString();
  }

  std::string Cached(const std::string& who) {
    return Text(cache(), who, Window());
  }
  std::string Uncached(const std::string& who) {
    return Text(*from_store_, who, Window());
  }

  int Entries(const std::string& who) {
    absl::StatusOr<CalendarsByParticipant> got =
        cache().Calendars({"participants/" + who}, Window());
    EXPECT_TRUE(got.ok()) << got.status();
    return got.ok() ? static_cast<int>((*got)["participants/" + who].size())
                    : -1;
  }

  RedisServer redis_;
  std::unique_ptr<StoreCalendarSource> from_store_;
  std::unique_ptr<CountingSource> counting_;
  std::unique_ptr<CacheProcess> process_;
};

TEST_F(CalendarCacheTest, CachedAnswersEqualUncachedOnes) {
  MustCreate(Meeting(Rome(3, 3, 10)));
  v1::Meeting series = Recurring(
      Meeting(Rome(3, 2, 9), absl::Minutes(30), {"bob", "ada", "dev"}),
      "FREQ=DAILY;COUNT=15");
  AddAttendee(series, "eve", /*optional=*/true);
  MustCreate(series);
  for (const std::string who : {"ada", "bob", "eve", "cleo"}) {
    const std::string cold = Cached(who);
    EXPECT_EQ(cold, Uncached(who)) << who;
    EXPECT_EQ(Cached(who), cold) << who;
  }
  // Partial weeks too: a window starting and ending mid-week and mid-meeting.
  const TimeSpan odd = {Rome(3, 4, 9, 15), Rome(3, 12, 9, 10)};
  EXPECT_EQ(Text(cache(), "ada", odd), Text(*from_store_, "ada", odd));
  EXPECT_GT(cache().counts().hits, 0);
}

TEST_F(CalendarCacheTest, AWarmReadIsServedFromRedis) {
  MustCreate(Meeting(Rome(3, 3, 10)));
  Cached("ada");
  const int loads = counting_->calls;
  const double hits = cache().counts().hits;
  Cached("ada");
  EXPECT_EQ(counting_->calls, loads);
  EXPECT_EQ(cache().counts().hits, hits + WeeksOverlapping(Window()).size());
}

TEST_F(CalendarCacheTest, TheNextReadReflectsCreateUpdateMoveAndCancel) {
  EXPECT_EQ(Entries("ada"), 0);
  v1::Meeting created =
      MustCreate(Recurring(Meeting(Rome(3, 3, 10)), "FREQ=WEEKLY;COUNT=3"));
  EXPECT_EQ(Cached("ada"), Uncached("ada"));
  EXPECT_EQ(Entries("ada"), 3);

  v1::UpdateMeetingRequest update;
  *update.mutable_meeting() = created;
  update.mutable_meeting()->set_title("Roadmap review");
  update.mutable_update_mask()->add_paths("title");
  ASSERT_TRUE(booker_->Update(update, CallScope()).ok());
  EXPECT_NE(Cached("ada").find("Roadmap review"), std::string::npos);

  v1::MoveOccurrenceRequest move;
  move.set_name(created.name());
  *move.mutable_original_start_time() = ToProtoTime(Rome(3, 10, 10));
  *move.mutable_start_time() = ToProtoTime(Rome(3, 11, 14));
  *move.mutable_end_time() = ToProtoTime(Rome(3, 11, 15));
  ASSERT_TRUE(booker_->MoveOccurrence(move, CallScope()).ok());
  EXPECT_EQ(Cached("ada"), Uncached("ada"));

  v1::CancelOccurrenceRequest cancel_one;
  cancel_one.set_name(created.name());
  *cancel_one.mutable_original_start_time() = ToProtoTime(Rome(3, 17, 10));
  ASSERT_TRUE(lifecycle_->CancelOccurrence(cancel_one).ok());
  EXPECT_EQ(Entries("ada"), 2);

  v1::CancelMeetingRequest cancel;
  cancel.set_name(created.name());
  ASSERT_TRUE(lifecycle_->Cancel(cancel).ok());
  EXPECT_EQ(Entries("ada"), 0);
}

TEST_F(CalendarCacheTest, ARemovedAttendeesCachedCalendarDropsTheMeeting) {
  v1::Meeting created = MustCreate(Meeting(Rome(3, 3, 10)));
  ASSERT_EQ(Entries("bob"), 1);  // Cached with the meeting in it.
  v1::UpdateMeetingRequest update;
  *update.mutable_meeting() = created;
  update.mutable_meeting()->clear_attendees();
  update.mutable_meeting()->add_attendees()->set_participant(
      "participants/ada");
  update.mutable_meeting()->add_attendees()->set_participant(
      "participants/dev");
  update.mutable_update_mask()->add_paths("attendees");
  ASSERT_TRUE(booker_->Update(update, CallScope()).ok());
  EXPECT_EQ(Entries("bob"), 0);
  EXPECT_EQ(Entries("dev"), 1);
}

TEST_F(CalendarCacheTest, AWriteThroughAnotherProcessIsSeenHere) {
  CacheProcess other(*from_store_, redis_.port());
  MeetingBooker other_booker(*store_, people_, {*feed_, other.cache.get()},
                             context_->clock);
  ASSERT_EQ(Entries("ada"), 0);  // Cached empty here.
  v1::CreateMeetingRequest request;
  *request.mutable_meeting() = Meeting(Rome(3, 3, 10));
  ASSERT_TRUE(other_booker.Create(request, CallScope()).ok());
  EXPECT_EQ(Entries("ada"), 1);
}

TEST_F(CalendarCacheTest, AKilledRedisFallsBackToTheDatabase) {
  MustCreate(Meeting(Rome(3, 3, 10)));
  Cached("ada");
  redis_.Kill();
  for (int i = 0; i < 8; ++i) EXPECT_EQ(Cached("ada"), Uncached("ada"));
  // Writes still succeed and are still read back.
  MustCreate(Meeting(Rome(3, 4, 10)));
  EXPECT_EQ(Entries("ada"), 2);
  EXPECT_GT(cache().counts().errors, 0);
}

TEST_F(CalendarCacheTest, ARestartedRedisIsUsedAgain) {
  MustCreate(Meeting(Rome(3, 3, 10)));
  redis_.Kill();
  for (int i = 0; i < 8; ++i) Cached("ada");  // Enough to open the breaker.
  redis_.Start();
  absl::SleepFor(absl::Milliseconds(250));  // The breaker's cool-down.
  Cached("ada");
  const double hits = cache().counts().hits;
  EXPECT_EQ(Cached("ada"), Uncached("ada"));
  EXPECT_GT(cache().counts().hits, hits);
}

TEST_F(CalendarCacheTest, ASlowRedisDelaysAReadByAtMostTheCommandTimeout) {
  MustCreate(Meeting(Rome(3, 3, 10)));
  Cached("ada");
  const std::string expected = Uncached("ada");
  redis_.SleepInBackground(0.5);
  const absl::Time start = absl::Now();
  EXPECT_EQ(Cached("ada"), expected);
  // The command timeout plus a generous allowance for the database read.
  EXPECT_LT(absl::Now() - start, kCommandTimeout + absl::Milliseconds(150));
  absl::SleepFor(absl::Milliseconds(500));
}

TEST_F(CalendarCacheTest, AnInvalidationLostToASlowRedisNeverServesOldData) {
  MustCreate(Meeting(Rome(3, 3, 10)));
  ASSERT_EQ(Entries("ada"), 1);
  // The version INCR after this commit times out; the old bucket survives.
  redis_.SleepInBackground(0.4);
  MustCreate(Meeting(Rome(3, 4, 10)));
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(Entries("ada"), 2);
  // Bumped at least once (a bump that timed out may still have landed).
  EXPECT_GE(std::stoi(redis_.Command("GET salesmeet:cal:gen")), 1);
}

TEST_F(CalendarCacheTest, APoisonedCacheCannotDoubleBook) {
  MustCreate(Meeting(Rome(3, 3, 10)));
  ASSERT_EQ(Entries("ada"), 1);
  // Whatever the bucket holds, a conflict check reads the database.
  const std::string version =
      redis_.Command("GET %s", VersionKey("participants/ada"));
  const std::string key = BucketKey(0, "participants/ada",
                                    version.empty() ? 0 : std::stoll(version),
                                    BucketWeekStart(Rome(3, 3, 10)));
  const std::string empty = EncodeBucket({});
  ASSERT_EQ(redis_.Command("SET %s %b", key, empty), "OK");
  ASSERT_EQ(Entries("ada"), 0);  // The poison is served to readers...
  absl::Status refused = Create(Meeting(Rome(3, 3, 10, 30))).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition)  // ...only.
      << refused;
}

TEST_F(CalendarCacheTest, ConcurrentMissesOnOneBucketLoadItOnce) {
  MustCreate(Meeting(Rome(3, 3, 10)));
  counting_->delay = absl::Milliseconds(200);
  std::vector<std::thread> readers;
  for (int i = 0; i < 20; ++i) {
    readers.emplace_back([this] {
      absl::StatusOr<CalendarsByParticipant> got = cache().Calendars(
          {"participants/ada"}, {Rome(3, 2, 0), Rome(3, 9, 0)});
      EXPECT_TRUE(got.ok() && (*got)["participants/ada"].size() == 1);
    });
  }
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(counting_->calls, 1);
}

}  // namespace
}  // namespace salesmeet::scheduling
