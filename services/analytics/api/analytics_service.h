#ifndef SALESMEET_SERVICES_ANALYTICS_API_ANALYTICS_SERVICE_H_
#define SALESMEET_SERVICES_ANALYTICS_API_ANALYTICS_SERVICE_H_

// The gRPC edge of the analytics service: each handler checks its request,
// gathers the report's inputs (the read model under its read lock, the
// report currency, people when the report needs them) and makes one call
// into the report's builder.

#include <functional>

#include "common/page_token.h"
#include "salesmeet/analytics/v1/analytics_service.grpc.pb.h"
#include "services/analytics/people/people_directory.h"
#include "services/analytics/projection/projection.h"

namespace salesmeet::analytics {

class AnalyticsServiceImpl final : public av1::AnalyticsService::Service {
 public:
  AnalyticsServiceImpl(Projection& projection, PeopleDirectory& people,
                       const PageTokenCodec& page_tokens,
                       std::function<absl::Time()> clock)
      : projection_(projection),
        people_(people),
        page_tokens_(page_tokens),
        clock_(std::move(clock)) {}

  grpc::Status GetCostReport(grpc::ServerContext* context,
                             const av1::GetCostReportRequest* request,
                             av1::CostReport* response) override;
  grpc::Status GetMeetingLoadReport(
      grpc::ServerContext* context,
      const av1::GetMeetingLoadReportRequest* request,
      av1::MeetingLoadReport* response) override;
  grpc::Status GetMeetingMixReport(
      grpc::ServerContext* context,
      const av1::GetMeetingMixReportRequest* request,
      av1::MeetingMixReport* response) override;
  grpc::Status GetContactCadenceReport(
      grpc::ServerContext* context,
      const av1::GetContactCadenceReportRequest* request,
      av1::ContactCadenceReport* response) override;
  grpc::Status GetTopPerformers(grpc::ServerContext* context,
                                const av1::GetTopPerformersRequest* request,
                                av1::TopPerformersReport* response) override;
  grpc::Status GetFeedStatus(grpc::ServerContext* context,
                             const av1::GetFeedStatusRequest* request,
                             av1::FeedStatus* response) override;

 private:
  // Runs `build(inputs)` over the read model held still. `needs_people`
  // fetches the participant records first (outside the lock).
  template <typename Report, typename Build>
  absl::StatusOr<Report> Compute(const grpc::ServerContext* context,
                                 bool needs_people, Build&& build);

  // Serves one report: the limits every request meets, then the report's
  // own checks (`check(request, now)` returns its query), then
  // `build(query, inputs)` through Compute.
  template <typename Request, typename Report, typename Check, typename Build>
  grpc::Status ServeReport(grpc::ServerContext* context, const Request& request,
                           Report* response, bool needs_people, Check check,
                           Build build);

  Projection& projection_;
  PeopleDirectory& people_;
  const PageTokenCodec& page_tokens_;
  const std::function<absl::Time()> clock_;
};

}  // namespace salesmeet::analytics

#endif  // SALESMEET_SERVICES_ANALYTICS_API_ANALYTICS_SERVICE_H_
