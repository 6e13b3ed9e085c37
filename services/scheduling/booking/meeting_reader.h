#ifndef SALESMEET_SERVICES_SCHEDULING_BOOKING_MEETING_READER_H_
#define SALESMEET_SERVICES_SCHEDULING_BOOKING_MEETING_READER_H_

// Reading meetings back: one by name, pages of a filtered list, and the
// occurrences of one meeting.

#include "absl/status/statusor.h"
#include "salesmeet/scheduling/v1/scheduling_service.pb.h"
#include "services/scheduling/scheduling_context.h"

namespace salesmeet::scheduling {

class MeetingReader {
 public:
  explicit MeetingReader(SchedulingContext context) : context_(context) {}

  absl::StatusOr<v1::Meeting> Get(const v1::GetMeetingRequest& request);
  absl::StatusOr<v1::ListMeetingsResponse> List(
      const v1::ListMeetingsRequest& request);
  absl::StatusOr<v1::ListOccurrencesResponse> ListOccurrences(
      const v1::ListOccurrencesRequest& request);

 private:
  SchedulingContext context_;
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_BOOKING_MEETING_READER_H_
