#include "services/analytics/projection/read_model.h"

#include <utility>

namespace salesmeet::analytics {

absl::Status ReadModel::Apply(const sv1::Meeting& meeting, absl::Time now) {
  auto slot = slots_.find(meeting.name());
  if (meeting.state() == sv1::CANCELLED) {
    if (slot == slots_.end()) return absl::OkStatus();
    // Fill the hole with the last meeting.
    const size_t hole = slot->second;
    slots_.erase(slot);
    if (hole != meetings_.size() - 1) {
      meetings_[hole] = std::move(meetings_.back());
      slots_[meetings_[hole].name()] = hole;
    }
    meetings_.pop_back();
    return absl::OkStatus();
  }
  absl::StatusOr<MeetingFacts> facts =
      MeetingFacts::FromMeeting(meeting, now, amounts_, names_);
  if (!facts.ok()) return facts.status();
  if (slot != slots_.end()) {
    meetings_[slot->second] = *std::move(facts);
  } else {
    slots_.emplace(meeting.name(), meetings_.size());
    meetings_.push_back(*std::move(facts));
  }
  return absl::OkStatus();
}

void ReadModel::ForEachMeeting(
    const std::function<void(const MeetingFacts&)>& visit) const {
  for (const MeetingFacts& facts : meetings_) visit(facts);
}

}  // namespace salesmeet::analytics
