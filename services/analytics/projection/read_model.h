#ifndef SALESMEET_SERVICES_ANALYTICS_PROJECTION_READ_MODEL_H_
#define SALESMEET_SERVICES_ANALYTICS_PROJECTION_READ_MODEL_H_

// The meetings as the change feed last described them, held in memory for
// the reports. The projection rebuilds it from its database at start-up and
// applies each change after committing it; reports only read it.

#include <functional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "salesmeet/scheduling/v1/meeting.pb.h"
#include "services/analytics/projection/meeting_facts.h"

namespace salesmeet::analytics {

class ReadModel {
 public:
  ReadModel() = default;
  ReadModel(const ReadModel&) = delete;
  ReadModel& operator=(const ReadModel&) = delete;

  // Replaces what is known of the meeting with `meeting`, its whole state
  // after a change, as of `now` (which bounds how far an endless series is
  // expanded ahead). A cancelled meeting is forgotten: it counts nowhere.
  // INVALID_ARGUMENT when its timing cannot be read; nothing changes then.
  absl::Status Apply(const sv1::Meeting& meeting, absl::Time now);

  // Calls `visit` once per meeting, in no particular order.
  void ForEachMeeting(
      const std::function<void(const MeetingFacts&)>& visit) const;

  const AmountTable& amounts() const { return amounts_; }
  // Participant and team names of the facts' indexes.
  const NameTable& names() const { return names_; }

 private:
  // In one array, so that walking every meeting reads memory in order.
  std::vector<MeetingFacts> meetings_;
  absl::flat_hash_map<std::string, size_t> slots_;  // Name -> index.
  AmountTable amounts_;
  NameTable names_;
};

}  // namespace salesmeet::analytics

#endif  // SALESMEET_SERVICES_ANALYTICS_PROJECTION_READ_MODEL_H_
