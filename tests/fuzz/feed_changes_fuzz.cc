// What analytics does with what scheduling sends it
// (services/analytics/projection/, as services/analytics/feed/ drives it):
// the input's first byte picks what the rest is:
//   even: a WatchMeetingChangesResponse, applied to a fresh projection as
//         the feed follower applies each message it receives: changes
//         stored, decoded into meeting facts, occurrences expanded;
//   odd:  a SchedulingPolicy (its currency table), kept as the follower's
//         policy refresh keeps it, over a projection of the seed feed.
// Then every report runs over the result (errors must fit the trailers),
// and a projection reopened from the store, as after a restart, must
// report the same feed position.

#include <cstddef>
#include <cstdint>

#include "salesmeet/scheduling/v1/change.pb.h"
#include "salesmeet/scheduling/v1/policy.pb.h"
#include "services/analytics/projection/projection.h"
#include "tests/fuzz/analytics_world.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace salesmeet;
  using namespace salesmeet::fuzz;
  if (size == 0) return 0;
  const void* bytes = data + 1;
  const int length = static_cast<int>(size - 1);
  AnalyticsWorld world;
  if (data[0] % 2 == 0) {
    sv1::WatchMeetingChangesResponse message;
    if (!message.ParseFromArray(bytes, length)) return 0;
    Check(world.projection().SetPolicy(SeedPolicy()).ok(), "policy kept");
    absl::Status applied = world.projection().ApplyFeedMessage(message);
    if (!applied.ok()) {
      Check(applied.code() == absl::StatusCode::kAborted,
            "a message the projection cannot take is ABORTED (a gap)");
    }
  } else {
    sv1::SchedulingPolicy policy;
    if (!policy.ParseFromArray(bytes, length)) return 0;
    Check(world.projection().ApplyFeedMessage(SeedFeed()).ok(),
          "the seed feed applies");
    Check(world.projection().SetPolicy(policy).ok(), "the policy is kept");
  }
  world.RunEveryReport();

  auto reopened = analytics::Projection::Open(world.store(), FuzzNow);
  Check(reopened.ok(), "a projection reopens from what was stored");
  Check(
      (*reopened)->applied_sequence() == world.projection().applied_sequence(),
      "a reopened projection resumes where the feed was applied");
  return 0;
}
