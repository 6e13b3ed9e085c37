#include "services/analytics/people/people_directory.h"

#include <gtest/gtest.h>

namespace salesmeet::analytics {
namespace {

// A participant service stand-in: counts calls, answers with one person
// named after the call, or fails while told to.
class FakeParticipantService {
 public:
  PeopleFetcher Fetcher() {
    return [this](const CallScope&) -> absl::StatusOr<ParticipantsByName> {
      ++calls;
      if (down) return absl::UnavailableError("participant service down");
      ParticipantsByName everyone;
      everyone["participants/ada"].set_display_name("Ada " +
                                                    std::to_string(calls));
      return everyone;
    };
  }
  int calls = 0;
  bool down = false;
};

class PeopleDirectoryTest : public ::testing::Test {
 protected:
  std::string NameNow() {
    auto everyone = directory_.Everyone(CallScope());
    EXPECT_TRUE(everyone.ok()) << everyone.status();
    return everyone.ok() ? (*everyone)->at("participants/ada").display_name()
                         : "";
  }

  FakeParticipantService service_;
  absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);
  PeopleDirectory directory_{service_.Fetcher(), absl::Seconds(30),
                             [this] { return now_; }};
};

TEST_F(PeopleDirectoryTest, ACopyIsReusedUntilItIsTtlOld) {
  EXPECT_EQ(NameNow(), "Ada 1");
  now_ += absl::Seconds(29);
  EXPECT_EQ(NameNow(), "Ada 1");
  EXPECT_EQ(service_.calls, 1);
  now_ += absl::Seconds(1);
  EXPECT_EQ(NameNow(), "Ada 2");
}

TEST_F(PeopleDirectoryTest, TheLastCopyIsServedWhileTheServiceIsDown) {
  EXPECT_EQ(NameNow(), "Ada 1");
  service_.down = true;
  now_ += absl::Hours(5);
  EXPECT_EQ(NameNow(), "Ada 1");
  service_.down = false;
  EXPECT_EQ(NameNow(), "Ada 3");
}

TEST_F(PeopleDirectoryTest, WithoutAnyCopyADownServiceIsUnavailable) {
  service_.down = true;
  auto everyone = directory_.Everyone(CallScope());
  EXPECT_EQ(everyone.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace salesmeet::analytics
