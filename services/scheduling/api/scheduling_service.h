#ifndef SALESMEET_SERVICES_SCHEDULING_API_SCHEDULING_SERVICE_H_
#define SALESMEET_SERVICES_SCHEDULING_API_SCHEDULING_SERVICE_H_

// The gRPC edge of the scheduling service: each handler makes one call into
// the booker, the lifecycle, the readers, the policy or the feed, and maps
// the result. Calendars, free/busy and slot finding read through the
// CalendarSource given at construction.

#include "salesmeet/scheduling/v1/scheduling_service.grpc.pb.h"
#include "services/scheduling/booking/meeting_booker.h"
#include "services/scheduling/booking/meeting_lifecycle.h"
#include "services/scheduling/booking/meeting_reader.h"
#include "services/scheduling/calendars/calendar_reader.h"
#include "services/scheduling/calendars/calendar_source.h"
#include "services/scheduling/calendars/slot_search.h"
#include "services/scheduling/ical/calendar_exporter.h"
#include "services/scheduling/policy/policy_admin.h"

namespace salesmeet::scheduling {

class SchedulingServiceImpl final : public v1::SchedulingService::Service {
 public:
  // `calendars` must outlive the service.
  SchedulingServiceImpl(SchedulingContext context, CalendarSource& calendars)
      : context_(context),
        booker_(context.store, context.people, context.Listeners(),
                context.clock),
        lifecycle_(context.store, context.Listeners(), context.clock),
        reader_(context.store, context.tokens, context.clock),
        calendar_reader_(context.CalendarPeople(), calendars),
        slot_searcher_(context.store, context.CalendarPeople(), calendars,
                       context.clock),
        policy_(context.store, context.people, context.clock),
        exporter_(context.store, context.people, context.clock) {}

  grpc::Status CreateMeeting(grpc::ServerContext* context,
                             const v1::CreateMeetingRequest* request,
                             v1::CreateMeetingResponse* response) override;
  grpc::Status GetMeeting(grpc::ServerContext* context,
                          const v1::GetMeetingRequest* request,
                          v1::Meeting* response) override;
  grpc::Status ListMeetings(grpc::ServerContext* context,
                            const v1::ListMeetingsRequest* request,
                            v1::ListMeetingsResponse* response) override;
  grpc::Status UpdateMeeting(grpc::ServerContext* context,
                             const v1::UpdateMeetingRequest* request,
                             v1::UpdateMeetingResponse* response) override;
  grpc::Status CancelMeeting(grpc::ServerContext* context,
                             const v1::CancelMeetingRequest* request,
                             v1::Meeting* response) override;
  grpc::Status CompleteMeeting(grpc::ServerContext* context,
                               const v1::CompleteMeetingRequest* request,
                               v1::Meeting* response) override;
  grpc::Status RespondToMeeting(grpc::ServerContext* context,
                                const v1::RespondToMeetingRequest* request,
                                v1::Meeting* response) override;
  grpc::Status ListOccurrences(grpc::ServerContext* context,
                               const v1::ListOccurrencesRequest* request,
                               v1::ListOccurrencesResponse* response) override;
  grpc::Status MoveOccurrence(grpc::ServerContext* context,
                              const v1::MoveOccurrenceRequest* request,
                              v1::MoveOccurrenceResponse* response) override;
  grpc::Status CancelOccurrence(grpc::ServerContext* context,
                                const v1::CancelOccurrenceRequest* request,
                                v1::Meeting* response) override;
  grpc::Status RestoreOccurrence(
      grpc::ServerContext* context, const v1::RestoreOccurrenceRequest* request,
      v1::RestoreOccurrenceResponse* response) override;
  grpc::Status TruncateSeries(grpc::ServerContext* context,
                              const v1::TruncateSeriesRequest* request,
                              v1::Meeting* response) override;
  grpc::Status GetCalendar(grpc::ServerContext* context,
                           const v1::GetCalendarRequest* request,
                           v1::GetCalendarResponse* response) override;
  grpc::Status ExportCalendar(grpc::ServerContext* context,
                              const v1::ExportCalendarRequest* request,
                              v1::ICalendar* response) override;
  grpc::Status ExportMeeting(grpc::ServerContext* context,
                             const v1::ExportMeetingRequest* request,
                             v1::ICalendar* response) override;
  grpc::Status QueryFreeBusy(grpc::ServerContext* context,
                             const v1::QueryFreeBusyRequest* request,
                             v1::QueryFreeBusyResponse* response) override;
  grpc::Status FindMeetingSlots(
      grpc::ServerContext* context, const v1::FindMeetingSlotsRequest* request,
      v1::FindMeetingSlotsResponse* response) override;
  grpc::Status GetSchedulingPolicy(
      grpc::ServerContext* context,
      const v1::GetSchedulingPolicyRequest* request,
      v1::SchedulingPolicy* response) override;
  grpc::Status UpdateSchedulingPolicy(
      grpc::ServerContext* context,
      const v1::UpdateSchedulingPolicyRequest* request,
      v1::SchedulingPolicy* response) override;
  grpc::Status WatchMeetingChanges(
      grpc::ServerContext* context,
      const v1::WatchMeetingChangesRequest* request,
      grpc::ServerWriter<v1::WatchMeetingChangesResponse>* writer) override;

 private:
  SchedulingContext context_;
  MeetingBooker booker_;
  MeetingLifecycle lifecycle_;
  MeetingReader reader_;
  CalendarReader calendar_reader_;
  SlotSearcher slot_searcher_;
  PolicyAdmin policy_;
  CalendarExporter exporter_;
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_API_SCHEDULING_SERVICE_H_
