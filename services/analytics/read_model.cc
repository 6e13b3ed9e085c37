#include "services/analytics/read_model.h"

namespace salesmeet::analytics {

absl::Status ReadModel::Apply(const sv1::Meeting& meeting, absl::Time now) {
  if (meeting.state() == sv1::CANCELLED) {
    meetings_.erase(meeting.name());
    return absl::OkStatus();
  }
  absl::StatusOr<MeetingFacts> facts =
      MeetingFacts::FromMeeting(meeting, now, amounts_);
  if (!facts.ok()) return facts.status();
  meetings_.insert_or_assign(meeting.name(), *std::move(facts));
  return absl::OkStatus();
}

void ReadModel::ForEachMeeting(
    const std::function<void(const MeetingFacts&)>& visit) const {
  for (const auto& [name, facts] : meetings_) visit(facts);
}

const MeetingFacts* ReadModel::Find(const std::string& name) const {
  auto it = meetings_.find(name);
  return it == meetings_.end() ? nullptr : &it->second;
}

}  // namespace salesmeet::analytics
