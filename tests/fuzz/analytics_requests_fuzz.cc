// Every request of the analytics service, through its gRPC handlers
// (services/analytics/api/analytics_service.h): the request limits, each
// report's request check (report_scope.h and the Check*Request functions:
// intervals, name filters, zones, page sizes and tokens, metrics) and, for
// a request that passes, the report itself over a projection of a few
// meetings. The input's first byte picks the method (Methods(), in order),
// the rest is the request. Every answer's error must fit the trailers.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "salesmeet/analytics/v1/analytics_service.pb.h"
#include "services/analytics/api/analytics_service.h"
#include "tests/fuzz/analytics_world.h"
#include "tests/fuzz/fuzz_support.h"

namespace salesmeet::fuzz {
namespace {

using analytics::AnalyticsServiceImpl;

// The methods in the order the first byte picks them; make_seeds.py
// numbers its seeds the same way.
const std::vector<UnaryMethod<AnalyticsServiceImpl>>& Methods() {
  using S = AnalyticsServiceImpl;
  static const auto* methods = new std::vector<UnaryMethod<S>>{
      Unary("GetCostReport", false, &S::GetCostReport),
      Unary("GetMeetingLoadReport", false, &S::GetMeetingLoadReport),
      Unary("GetMeetingMixReport", false, &S::GetMeetingMixReport),
      Unary("GetContactCadenceReport", false, &S::GetContactCadenceReport),
      Unary("GetTopPerformers", false, &S::GetTopPerformers),
      Unary("GetFeedStatus", false, &S::GetFeedStatus),
  };
  return *methods;
}

AnalyticsWorld& SeededWorld() {
  auto* world = new AnalyticsWorld();
  Check(world->projection().ApplyFeedMessage(SeedFeed()).ok(),
        "the seed feed applies");
  Check(world->projection().SetPolicy(SeedPolicy()).ok(),
        "the seed policy is kept");
  return *world;
}

}  // namespace
}  // namespace salesmeet::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace salesmeet::fuzz;
  static AnalyticsWorld& world = SeededWorld();
  auto picked = PickMethod(Methods(), data, size);
  if (!picked.has_value()) return 0;
  const auto& [method, bytes] = *picked;
  std::optional<grpc::Status> status = method->call(world.service(), bytes);
  if (!status.has_value()) return 0;
  Trace(method->name, *status);
  CheckErrorFitsTrailers(*status);
  return 0;
}
