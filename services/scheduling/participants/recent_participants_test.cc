#include "services/scheduling/participants/recent_participants.h"

#include <gtest/gtest.h>

#include "services/scheduling/participants/in_memory_participant_lookup.h"

namespace salesmeet::scheduling {
namespace {

// Counts the calls that reach the directory behind the cache.
class CountingLookup : public InMemoryParticipantLookup {
 public:
  absl::StatusOr<ParticipantsByName> Lookup(
      const std::vector<std::string>& names,
      const CallScope& incoming) override {
    ++calls;
    asked += names.size();
    return InMemoryParticipantLookup::Lookup(names, incoming);
  }
  int calls = 0;
  size_t asked = 0;
};

participant::v1::Participant Person(const std::string& name,
                                    const std::string& zone) {
  participant::v1::Participant p;
  p.set_name(name);
  p.set_time_zone(zone);
  return p;
}

class RecentParticipantLookupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    source_.Put(Person("participants/ada", "Europe/Rome"));
    source_.Put(Person("participants/bo", "Asia/Tokyo"));
  }

  std::string ZoneOf(const std::string& name) {
    auto found = recent_.Lookup({name}, CallScope());
    EXPECT_TRUE(found.ok()) << found.status();
    return found.ok() ? found->at(name).time_zone() : "";
  }

  CountingLookup source_;
  absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);
  RecentParticipantLookup recent_{source_, absl::Seconds(5), absl::Minutes(5),
                                  [this] { return now_; }};
};

TEST_F(RecentParticipantLookupTest, ARecordIsReusedForTheTtlThenAskedAgain) {
  EXPECT_EQ(ZoneOf("participants/ada"), "Europe/Rome");
  source_.Put(Person("participants/ada", "Europe/Berlin"));
  now_ += absl::Seconds(4);
  EXPECT_EQ(ZoneOf("participants/ada"), "Europe/Rome");
  EXPECT_EQ(source_.calls, 1);
  now_ += absl::Seconds(1);
  EXPECT_EQ(ZoneOf("participants/ada"), "Europe/Berlin");
}

TEST_F(RecentParticipantLookupTest, OnlyTheNamesNotKeptAreAsked) {
  ASSERT_TRUE(recent_.Lookup({"participants/ada"}, CallScope()).ok());
  auto both =
      recent_.Lookup({"participants/ada", "participants/bo"}, CallScope());
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->size(), 2u);
  EXPECT_EQ(source_.asked, 2u);  // ada once, then bo alone.
}

TEST_F(RecentParticipantLookupTest, UnknownNamesAreNotFoundAndNotKept) {
  auto missing = recent_.Lookup({"participants/zed"}, CallScope());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  source_.Put(Person("participants/zed", "UTC"));
  EXPECT_EQ(ZoneOf("participants/zed"), "UTC");
}

TEST_F(RecentParticipantLookupTest, OlderRecordsAnswerWhileTheSourceIsDown) {
  EXPECT_EQ(ZoneOf("participants/ada"), "Europe/Rome");
  source_.SetUnavailable(true);
  now_ += absl::Minutes(4);
  EXPECT_EQ(ZoneOf("participants/ada"), "Europe/Rome");
  // Never seen, or too old: the outage shows.
  EXPECT_EQ(recent_.Lookup({"participants/bo"}, CallScope()).status().code(),
            absl::StatusCode::kUnavailable);
  now_ += absl::Minutes(2);
  EXPECT_EQ(recent_.Lookup({"participants/ada"}, CallScope()).status().code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace salesmeet::scheduling
