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
  MeetingReader(MeetingStore& store, const PageTokenCodec& tokens, Clock clock)
      : store_(store), tokens_(tokens), clock_(std::move(clock)) {}

  absl::StatusOr<v1::Meeting> Get(const v1::GetMeetingRequest& request);
  absl::StatusOr<v1::ListMeetingsResponse> List(
      const v1::ListMeetingsRequest& request);
  absl::StatusOr<v1::ListOccurrencesResponse> ListOccurrences(
      const v1::ListOccurrencesRequest& request);

 private:
  MeetingStore& store_;
  const PageTokenCodec& tokens_;
  const Clock clock_;
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_BOOKING_MEETING_READER_H_
