#include "services/scheduling/api/scheduling_service.h"

#include "common/errors.h"
#include "common/field_checks.h"
#include "common/grpc_status.h"
#include "services/scheduling/change_feed/change_feed.h"

namespace salesmeet::scheduling {

grpc::Status SchedulingServiceImpl::CreateMeeting(
    grpc::ServerContext* context, const v1::CreateMeetingRequest* request,
    v1::CreateMeetingResponse* response) {
  return Serve(context, *request, response,
               [&] { return booker_.Create(*request, ScopeOf(context)); });
}

grpc::Status SchedulingServiceImpl::GetMeeting(
    grpc::ServerContext* context, const v1::GetMeetingRequest* request,
    v1::Meeting* response) {
  return Serve(context, *request, response,
               [&] { return reader_.Get(*request); });
}

grpc::Status SchedulingServiceImpl::ListMeetings(
    grpc::ServerContext* context, const v1::ListMeetingsRequest* request,
    v1::ListMeetingsResponse* response) {
  return Serve(context, *request, response,
               [&] { return reader_.List(*request); });
}

grpc::Status SchedulingServiceImpl::UpdateMeeting(
    grpc::ServerContext* context, const v1::UpdateMeetingRequest* request,
    v1::UpdateMeetingResponse* response) {
  return Serve(context, *request, response,
               [&] { return booker_.Update(*request, ScopeOf(context)); });
}

grpc::Status SchedulingServiceImpl::CancelMeeting(
    grpc::ServerContext* context, const v1::CancelMeetingRequest* request,
    v1::Meeting* response) {
  return Serve(context, *request, response,
               [&] { return lifecycle_.Cancel(*request); });
}

grpc::Status SchedulingServiceImpl::CompleteMeeting(
    grpc::ServerContext* context, const v1::CompleteMeetingRequest* request,
    v1::Meeting* response) {
  return Serve(context, *request, response,
               [&] { return lifecycle_.Complete(*request); });
}

grpc::Status SchedulingServiceImpl::RespondToMeeting(
    grpc::ServerContext* context, const v1::RespondToMeetingRequest* request,
    v1::Meeting* response) {
  return Serve(context, *request, response,
               [&] { return lifecycle_.Respond(*request); });
}

grpc::Status SchedulingServiceImpl::ListOccurrences(
    grpc::ServerContext* context, const v1::ListOccurrencesRequest* request,
    v1::ListOccurrencesResponse* response) {
  return Serve(context, *request, response,
               [&] { return reader_.ListOccurrences(*request); });
}

grpc::Status SchedulingServiceImpl::MoveOccurrence(
    grpc::ServerContext* context, const v1::MoveOccurrenceRequest* request,
    v1::MoveOccurrenceResponse* response) {
  return Serve(context, *request, response, [&] {
    return booker_.MoveOccurrence(*request, ScopeOf(context));
  });
}

grpc::Status SchedulingServiceImpl::CancelOccurrence(
    grpc::ServerContext* context, const v1::CancelOccurrenceRequest* request,
    v1::Meeting* response) {
  return Serve(context, *request, response,
               [&] { return lifecycle_.CancelOccurrence(*request); });
}

grpc::Status SchedulingServiceImpl::RestoreOccurrence(
    grpc::ServerContext* context, const v1::RestoreOccurrenceRequest* request,
    v1::RestoreOccurrenceResponse* response) {
  return Serve(context, *request, response, [&] {
    return booker_.RestoreOccurrence(*request, ScopeOf(context));
  });
}

grpc::Status SchedulingServiceImpl::TruncateSeries(
    grpc::ServerContext* context, const v1::TruncateSeriesRequest* request,
    v1::Meeting* response) {
  return Serve(context, *request, response,
               [&] { return lifecycle_.TruncateSeries(*request); });
}

grpc::Status SchedulingServiceImpl::GetCalendar(
    grpc::ServerContext* context, const v1::GetCalendarRequest* request,
    v1::GetCalendarResponse* response) {
  return Serve(context, *request, response, [&] {
    return calendar_reader_.GetCalendar(*request, ScopeOf(context));
  });
}

grpc::Status SchedulingServiceImpl::ExportCalendar(
    grpc::ServerContext* context, const v1::ExportCalendarRequest* request,
    v1::ICalendar* response) {
  return Serve(context, *request, response, [&] {
    return exporter_.ExportCalendar(*request, ScopeOf(context));
  });
}

grpc::Status SchedulingServiceImpl::ExportMeeting(
    grpc::ServerContext* context, const v1::ExportMeetingRequest* request,
    v1::ICalendar* response) {
  return Serve(context, *request, response, [&] {
    return exporter_.ExportMeeting(*request, ScopeOf(context));
  });
}

grpc::Status SchedulingServiceImpl::QueryFreeBusy(
    grpc::ServerContext* context, const v1::QueryFreeBusyRequest* request,
    v1::QueryFreeBusyResponse* response) {
  return Serve(context, *request, response, [&] {
    return calendar_reader_.QueryFreeBusy(*request, ScopeOf(context));
  });
}

grpc::Status SchedulingServiceImpl::FindMeetingSlots(
    grpc::ServerContext* context, const v1::FindMeetingSlotsRequest* request,
    v1::FindMeetingSlotsResponse* response) {
  return Serve(context, *request, response,
               [&] { return slot_searcher_.Find(*request, ScopeOf(context)); });
}

grpc::Status SchedulingServiceImpl::GetSchedulingPolicy(
    grpc::ServerContext* context, const v1::GetSchedulingPolicyRequest* request,
    v1::SchedulingPolicy* response) {
  return Serve(context, *request, response,
               [&] { return policy_.Get(*request); });
}

grpc::Status SchedulingServiceImpl::UpdateSchedulingPolicy(
    grpc::ServerContext* context,
    const v1::UpdateSchedulingPolicyRequest* request,
    v1::SchedulingPolicy* response) {
  return Serve(context, *request, response,
               [&] { return policy_.Update(*request, ScopeOf(context)); });
}

grpc::Status SchedulingServiceImpl::WatchMeetingChanges(
    grpc::ServerContext* context, const v1::WatchMeetingChangesRequest* request,
    grpc::ServerWriter<v1::WatchMeetingChangesResponse>* writer) {
  // Streams open before the drain are ended by the drain hook.
  if (absl::Status admitted = Admit(context, *request); !admitted.ok()) {
    return ToGrpcStatus(admitted);
  }
  WatchOptions options;
  options.after_sequence = request->after_sequence();
  options.clock = context_.clock;
  if (request->has_heartbeat_interval()) {
    const absl::Duration heartbeat =
        ToAbslDuration(request->heartbeat_interval());
    if (heartbeat < absl::Seconds(1) || heartbeat > absl::Seconds(60)) {
      return ToGrpcStatus(
          InvalidFieldError("heartbeat_interval", "must be 1 to 60 seconds"));
    }
    options.heartbeat = heartbeat;
  }
  return ToGrpcStatus(StreamChanges(
      context_.store, context_.feed, options,
      [writer](const v1::WatchMeetingChangesResponse& batch) {
        return writer->Write(batch);
      },
      [context] { return context->IsCancelled(); }));
}

}  // namespace salesmeet::scheduling
