#ifndef SALESMEET_TESTS_FUZZ_ANALYTICS_WORLD_H_
#define SALESMEET_TESTS_FUZZ_ANALYTICS_WORLD_H_

// The analytics service as main wires it, for the analytics targets: a
// projection over a store held in memory (so a fresh one per input costs
// next to nothing), people as the participant service would answer, and
// the gRPC handlers. Plus the feed and policy scheduling would send, and a
// run of every report.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/page_token.h"
#include "salesmeet/scheduling/v1/change.pb.h"
#include "salesmeet/scheduling/v1/policy.pb.h"
#include "services/analytics/api/analytics_service.h"
#include "services/analytics/people/people_directory.h"
#include "services/analytics/projection/projection.h"
#include "services/analytics/projection/projection_store.h"
#include "tests/fuzz/fuzz_support.h"

namespace salesmeet::fuzz {

namespace sv1 = ::salesmeet::scheduling::v1;

// A ProjectionStore in memory, keeping what the SQLite one keeps the same
// way: meetings serialized by name, the position moved only by a change
// that continues the feed.
class InMemoryProjectionStore : public analytics::ProjectionStore {
 public:
  absl::StatusOr<analytics::FeedPosition> Load(
      const std::function<absl::Status(const sv1::Meeting&)>& visit) override;
  absl::StatusOr<analytics::FeedPosition> Append(
      const std::vector<const sv1::MeetingChange*>& changes) override;
  absl::Status SavePolicy(const sv1::SchedulingPolicy& policy) override;
  absl::StatusOr<std::optional<sv1::SchedulingPolicy>> LoadPolicy() override;
  absl::Status Ping() override { return absl::OkStatus(); }
  absl::StatusOr<std::string> PageTokenSecret() override {
    return std::string(kPageTokenSecret);
  }

 private:
  std::map<std::string, std::string> meetings_;
  analytics::FeedPosition position_;
  std::optional<std::string> policy_;
};

class AnalyticsWorld {
 public:
  AnalyticsWorld();

  analytics::Projection& projection() { return *projection_; }
  analytics::AnalyticsServiceImpl& service() { return *service_; }
  InMemoryProjectionStore& store() { return store_; }

  // Asks every report, with defaults and with a scope over the seeded
  // meetings' weeks; every error must fit the trailers.
  void RunEveryReport();

 private:
  InMemoryProjectionStore store_;
  PageTokenCodec tokens_;
  std::unique_ptr<analytics::Projection> projection_;
  std::unique_ptr<analytics::PeopleDirectory> people_;
  std::unique_ptr<analytics::AnalyticsServiceImpl> service_;
};

// What scheduling's feed would send for a few meetings: a weekly series, a
// customer pitch won with a deal value, a meeting in dollars, and a
// cancelled one, as changes 1 to 5.
sv1::WatchMeetingChangesResponse SeedFeed();

// Scheduling's policy with a currency table (EUR reporting, USD rate).
sv1::SchedulingPolicy SeedPolicy();

}  // namespace salesmeet::fuzz

#endif  // SALESMEET_TESTS_FUZZ_ANALYTICS_WORLD_H_
