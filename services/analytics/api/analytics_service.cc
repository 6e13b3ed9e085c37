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
        absl::StatusOr<ReportCurrency> currency =
            ReportCurrency::Resolve(model.amounts(), policy.get());
        if (!currency.ok()) return currency.status();
        ReportInputs inputs{model, *currency};
        inputs.freshness = freshness;
        inputs.now = now;
        inputs.people = people.get();
        inputs.page_tokens = &page_tokens_;
        return build(inputs);
      });
}

grpc::Status AnalyticsServiceImpl::GetCostReport(
    grpc::ServerContext* context, const av1::GetCostReportRequest* request,
    av1::CostReport* response) {
  absl::StatusOr<CostQuery> query = CheckCostRequest(*request, clock_());
  if (!query.ok()) return ToGrpcStatus(query.status());
  return Respond(Compute<av1::CostReport>(context, false,
                                          [&](const ReportInputs& inputs) {
                                            return BuildCostReport(*query,
                                                                   inputs);
                                          }),
                 response);
}

grpc::Status AnalyticsServiceImpl::GetMeetingLoadReport(
    grpc::ServerContext* context,
    const av1::GetMeetingLoadReportRequest* request,
    av1::MeetingLoadReport* response) {
  absl::StatusOr<LoadQuery> query = CheckLoadRequest(*request, clock_());
  if (!query.ok()) return ToGrpcStatus(query.status());
  return Respond(
      Compute<av1::MeetingLoadReport>(context, true,
                                      [&](const ReportInputs& inputs) {
                                        return BuildLoadReport(*query, inputs);
                                      }),
      response);
}

grpc::Status AnalyticsServiceImpl::GetMeetingMixReport(
    grpc::ServerContext* context,
    const av1::GetMeetingMixReportRequest* request,
    av1::MeetingMixReport* response) {
  absl::StatusOr<MixQuery> query = CheckMixRequest(*request, clock_());
  if (!query.ok()) return ToGrpcStatus(query.status());
  return Respond(
      Compute<av1::MeetingMixReport>(context, false,
                                     [&](const ReportInputs& inputs) {
                                       return BuildMixReport(*query, inputs);
                                     }),
      response);
}

grpc::Status AnalyticsServiceImpl::GetContactCadenceReport(
    grpc::ServerContext* context,
    const av1::GetContactCadenceReportRequest* request,
    av1::ContactCadenceReport* response) {
  absl::StatusOr<CadenceQuery> query = CheckCadenceRequest(*request, clock_());
  if (!query.ok()) return ToGrpcStatus(query.status());
  return Respond(Compute<av1::ContactCadenceReport>(
                     context, true,
                     [&](const ReportInputs& inputs) {
                       return BuildCadenceReport(*query, inputs);
                     }),
                 response);
}

grpc::Status AnalyticsServiceImpl::GetTopPerformers(
    grpc::ServerContext* context, const av1::GetTopPerformersRequest* request,
    av1::TopPerformersReport* response) {
  absl::StatusOr<TopPerformersQuery> query =
      CheckTopPerformersRequest(*request, clock_());
  if (!query.ok()) return ToGrpcStatus(query.status());
  return Respond(Compute<av1::TopPerformersReport>(
                     context, false,
                     [&](const ReportInputs& inputs) {
                       return BuildTopPerformers(*query, inputs);
                     }),
                 response);
}

grpc::Status AnalyticsServiceImpl::GetFeedStatus(
    grpc::ServerContext*, const av1::GetFeedStatusRequest*,
    av1::FeedStatus* response) {
  *response = projection_.FeedStatus();
  return grpc::Status::OK;
}

}  // namespace salesmeet::analytics
