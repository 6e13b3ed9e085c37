#include "services/analytics/api/analytics_service.h"

#include "common/grpc_status.h"
#include "services/analytics/reports/cadence_report.h"
#include "services/analytics/reports/cost_report.h"
#include "services/analytics/reports/load_report.h"
#include "services/analytics/reports/mix_report.h"
#include "services/analytics/reports/top_performers.h"

namespace salesmeet::analytics {

template <typename Report, typename Build>
absl::StatusOr<Report> AnalyticsServiceImpl::Compute(
    const grpc::ServerContext* context, bool needs_people, Build&& build) {
  std::shared_ptr<const ParticipantsByName> people;
  if (needs_people) {
    absl::StatusOr<std::shared_ptr<const ParticipantsByName>> everyone =
        people_.Everyone(ScopeOf(context));
    if (!everyone.ok()) return everyone.status();
    people = *std::move(everyone);
  }
  std::shared_ptr<const sv1::SchedulingPolicy> policy = projection_.policy();
  const absl::Time now = clock_();
  return projection_.Read(
      [&](const ReadModel& model,
          const av1::Freshness& freshness) -> absl::StatusOr<Report> {
        const ReportCurrency currency(model.amounts(), policy.get());
        ReportInputs inputs{model, currency};
        inputs.freshness = freshness;
        inputs.now = now;
        inputs.people = people.get();
        inputs.page_tokens = &page_tokens_;
        return build(inputs);
      });
}

template <typename Request, typename Report, typename Check, typename Build>
grpc::Status AnalyticsServiceImpl::ServeReport(grpc::ServerContext* context,
                                               const Request& request,
                                               Report* response,
                                               bool needs_people, Check check,
                                               Build build) {
  return Serve(context, request, response, [&]() -> absl::StatusOr<Report> {
    auto query = check(request, clock_());
    if (!query.ok()) return query.status();
    return Compute<Report>(
        context, needs_people,
        [&](const ReportInputs& inputs) { return build(*query, inputs); });
  });
}

grpc::Status AnalyticsServiceImpl::GetCostReport(
    grpc::ServerContext* context, const av1::GetCostReportRequest* request,
    av1::CostReport* response) {
  return ServeReport(context, *request, response, /*needs_people=*/false,
                     CheckCostRequest, BuildCostReport);
}

grpc::Status AnalyticsServiceImpl::GetMeetingLoadReport(
    grpc::ServerContext* context,
    const av1::GetMeetingLoadReportRequest* request,
    av1::MeetingLoadReport* response) {
  return ServeReport(context, *request, response, /*needs_people=*/true,
                     CheckLoadRequest, BuildLoadReport);
}

grpc::Status AnalyticsServiceImpl::GetMeetingMixReport(
    grpc::ServerContext* context,
    const av1::GetMeetingMixReportRequest* request,
    av1::MeetingMixReport* response) {
  return ServeReport(context, *request, response, /*needs_people=*/false,
                     CheckMixRequest, BuildMixReport);
}

grpc::Status AnalyticsServiceImpl::GetContactCadenceReport(
    grpc::ServerContext* context,
    const av1::GetContactCadenceReportRequest* request,
    av1::ContactCadenceReport* response) {
  return ServeReport(context, *request, response, /*needs_people=*/true,
                     CheckCadenceRequest, BuildCadenceReport);
}

grpc::Status AnalyticsServiceImpl::GetTopPerformers(
    grpc::ServerContext* context, const av1::GetTopPerformersRequest* request,
    av1::TopPerformersReport* response) {
  return ServeReport(context, *request, response, /*needs_people=*/false,
                     CheckTopPerformersRequest, BuildTopPerformers);
}

grpc::Status AnalyticsServiceImpl::GetFeedStatus(
    grpc::ServerContext* context, const av1::GetFeedStatusRequest* request,
    av1::FeedStatus* response) {
  return Serve(context, *request, response,
               [&]() -> absl::StatusOr<av1::FeedStatus> {
                 return projection_.FeedStatus();
               });
}

}  // namespace salesmeet::analytics
