#include "services/analytics/projection/projection.h"

#include <algorithm>

#include "common/field_checks.h"
#include "common/grpc_status.h"
#include "common/json_log.h"

namespace salesmeet::analytics {

absl::StatusOr<std::unique_ptr<Projection>> Projection::Open(
    ProjectionStore& store, std::function<absl::Time()> clock) {
  std::unique_ptr<Projection> projection(
      new Projection(store, std::move(clock)));
  const absl::Time now = projection->clock_();
  int unreadable = 0;
  absl::StatusOr<FeedPosition> position;
  {
    absl::WriterMutexLock model_lock(&projection->model_mu_);
    position = store.Load([&](const sv1::Meeting& meeting) {
      if (!projection->model_.Apply(meeting, now).ok()) ++unreadable;
      return absl::OkStatus();
    });
  }
  if (!position.ok()) return position.status();
  if (unreadable > 0) {
    LogJson(LogLevel::kWarning, "stored meetings with unreadable timing",
            {{"count", unreadable}});
  }
  absl::StatusOr<std::optional<sv1::SchedulingPolicy>> policy =
      store.LoadPolicy();
  if (!policy.ok()) return policy.status();
  absl::MutexLock lock(&projection->mu_);
  projection->position_ = *position;
  projection->head_sequence_ = position->applied_sequence;
  if (policy->has_value()) {
    projection->policy_ =
        std::make_shared<const sv1::SchedulingPolicy>(**std::move(policy));
  }
  return projection;
}

absl::Status Projection::ApplyFeedMessage(
    const sv1::WatchMeetingChangesResponse& message) {
  const int64_t applied = applied_sequence();
  std::vector<const sv1::MeetingChange*> fresh;
  fresh.reserve(message.changes_size());
  for (const sv1::MeetingChange& change : message.changes()) {
    if (change.sequence() > applied) fresh.push_back(&change);
  }
  if (!fresh.empty()) {
    absl::StatusOr<FeedPosition> position = store_.Append(fresh);
    if (!position.ok()) return position.status();
    const absl::Time now = clock_();
    absl::WriterMutexLock model_lock(&model_mu_);
    for (const sv1::MeetingChange* change : fresh) {
      absl::Status applied_one = model_.Apply(change->meeting(), now);
      if (!applied_one.ok()) {
        // Stored all the same: the next binary may read it.
        LogJson(LogLevel::kWarning, "meeting with unreadable timing skipped",
                {{"meeting", change->meeting().name()},
                 {"sequence", change->sequence()},
                 {"error", std::string(applied_one.message())}});
      }
    }
    absl::MutexLock lock(&mu_);
    position_ = *position;
  }
  absl::MutexLock lock(&mu_);
  head_sequence_ = std::max(head_sequence_, message.head_sequence());
  if (position_.applied_sequence >= message.head_sequence()) {
    caught_up_at_ = ToAbslTime(message.send_time());
  } else {
    caught_up_at_.reset();
  }
  return absl::OkStatus();
}

void Projection::MarkConnected(absl::Time at) {
  absl::MutexLock lock(&mu_);
  connected_ = true;
  connect_time_ = at;
}

void Projection::MarkDisconnected(const absl::Status& why, absl::Time at,
                                  absl::Time next_retry) {
  absl::MutexLock lock(&mu_);
  connected_ = false;
  caught_up_at_.reset();
  last_error_ = why;
  last_error_time_ = at;
  next_retry_time_ = next_retry;
}

std::shared_ptr<const sv1::SchedulingPolicy> Projection::policy() const {
  absl::MutexLock lock(&mu_);
  return policy_;
}

absl::Status Projection::SetPolicy(const sv1::SchedulingPolicy& policy) {
  if (absl::Status saved = store_.SavePolicy(policy); !saved.ok()) {
    return saved;
  }
  absl::MutexLock lock(&mu_);
  policy_ = std::make_shared<const sv1::SchedulingPolicy>(policy);
  return absl::OkStatus();
}

int64_t Projection::applied_sequence() const {
  absl::MutexLock lock(&mu_);
  return position_.applied_sequence;
}

av1::Freshness Projection::Freshness() const {
  absl::MutexLock lock(&mu_);
  av1::Freshness freshness;
  freshness.set_as_of_sequence(position_.applied_sequence);
  if (connected_ && caught_up_at_.has_value()) {
    *freshness.mutable_as_of_time() = ToProtoTime(*caught_up_at_);
  } else if (position_.applied_sequence > 0) {
    *freshness.mutable_as_of_time() =
        ToProtoTime(position_.applied_commit_time);
  }
  freshness.set_feed_connected(connected_);
  freshness.set_pending_changes(
      std::max<int64_t>(0, head_sequence_ - position_.applied_sequence));
  return freshness;
}

av1::FeedStatus Projection::FeedStatus() const {
  const av1::Freshness freshness = Freshness();
  absl::MutexLock lock(&mu_);
  av1::FeedStatus status;
  status.set_applied_sequence(freshness.as_of_sequence());
  if (freshness.has_as_of_time()) {
    *status.mutable_as_of_time() = freshness.as_of_time();
  }
  status.set_head_sequence(
      std::max(head_sequence_, position_.applied_sequence));
  status.set_pending_changes(freshness.pending_changes());
  status.set_connected(connected_);
  if (connected_) {
    *status.mutable_connect_time() = ToProtoTime(connect_time_);
  } else if (next_retry_time_ != absl::Time()) {
    *status.mutable_next_retry_time() = ToProtoTime(next_retry_time_);
  }
  if (!last_error_.ok()) {
    *status.mutable_last_error() = ToRpcStatus(last_error_);
    *status.mutable_last_error_time() = ToProtoTime(last_error_time_);
  }
  return status;
}

}  // namespace salesmeet::analytics
