#include "services/analytics/feed/feed_follower.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "common/client_channel.h"
#include "common/field_checks.h"
#include "common/grpc_status.h"
#include "common/json_log.h"
#include "common/metrics.h"

namespace salesmeet::analytics {
namespace {

// A delay between half and all of `ceiling`, so replicas that lost the same
// peer do not reconnect in lockstep.
absl::Duration Jittered(absl::Duration ceiling) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::uniform_real_distribution<double> half_to_one(0.5, 1.0);
  return ceiling * half_to_one(random);
}

}  // namespace

FeedFollower::FeedFollower(Projection& projection, FeedFollowerOptions options,
                           prometheus::Registry& metrics)
    : projection_(projection),
      options_(std::move(options)),
      stub_(scheduling::v1::SchedulingService::NewStub(CreatePeerChannel(
          options_.scheduling_target, {options_.call_timeout, 4}))),
      connected_gauge_(NewGauge(metrics, "analytics_feed_connected",
                                "1 while connected to scheduling's change "
                                "feed")),
      applied_gauge_(NewGauge(metrics, "analytics_feed_applied_sequence",
                              "Sequence of the last change applied")),
      pending_gauge_(NewGauge(metrics, "analytics_feed_pending_changes",
                              "Changes committed in scheduling and not yet "
                              "applied, as last heard")),
      lag_gauge_(NewGauge(metrics, "analytics_feed_lag_seconds",
                          "How old the reports are: now minus the time up to "
                          "which every change is applied")),
      applied_changes_(NewCounter(metrics,
                                  "analytics_feed_changes_applied_total",
                                  "Changes applied to the projection")),
      reconnects_(NewCounter(metrics, "analytics_feed_reconnects_total",
                             "Times the feed stream ended and was "
                             "reopened")) {}

FeedFollower::~FeedFollower() { Stop(); }

void FeedFollower::Start() {
  follower_ = std::thread([this] { FollowLoop(); });
  watcher_ = std::thread([this] { WatchLoop(); });
}

void FeedFollower::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    if (stream_ != nullptr) stream_->TryCancel();
  }
  if (follower_.joinable()) follower_.join();
  if (watcher_.joinable()) watcher_.join();
}

bool FeedFollower::Wait(absl::Duration delay) {
  absl::MutexLock lock(&mu_);
  auto stopping = [this]()
                      ABSL_SHARED_LOCKS_REQUIRED(mu_) { return stopping_; };
  mu_.AwaitWithTimeout(absl::Condition(&stopping), delay);
  return !stopping_;
}

void FeedFollower::FollowLoop() {
  absl::Duration backoff = options_.min_backoff;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    const int64_t before = projection_.applied_sequence();
    absl::Status ended = FollowOnce();
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    // A stream that made progress earns a fresh, short back-off.
    if (projection_.applied_sequence() > before) {
      backoff = options_.min_backoff;
    }
    const absl::Duration delay = Jittered(backoff);
    const absl::Time now = options_.clock();
    projection_.MarkDisconnected(ended, now, now + delay);
    UpdateGauges();
    reconnects_.Increment();
    LogJson(LogLevel::kWarning, "change feed disconnected",
            {{"error", std::string(ended.message())},
             {"code", absl::StatusCodeToString(ended.code())},
             {"retry_in_ms", absl::ToInt64Milliseconds(delay)}});
    if (!Wait(delay)) return;
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

absl::Status FeedFollower::FollowOnce() {
  grpc::ClientContext context;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return absl::CancelledError("stopping");
    stream_ = &context;
    last_message_ = absl::Now();
  }
  scheduling::v1::WatchMeetingChangesRequest request;
  request.set_after_sequence(projection_.applied_sequence());
  *request.mutable_heartbeat_interval() =
      ToProtoDuration(options_.heartbeat_interval);
  std::unique_ptr<
      grpc::ClientReader<scheduling::v1::WatchMeetingChangesResponse>>
      reader = stub_->WatchMeetingChanges(&context, request);

  absl::Status ended;
  scheduling::v1::WatchMeetingChangesResponse message;
  bool first = true;
  while (reader->Read(&message)) {
    {
      absl::MutexLock lock(&mu_);
      last_message_ = absl::Now();
    }
    if (first) {
      first = false;
      projection_.MarkConnected(options_.clock());
      absl::MutexLock lock(&mu_);
      policy_due_ = true;
    }
    const int64_t before = projection_.applied_sequence();
    ended = projection_.ApplyFeedMessage(message);
    if (!ended.ok()) {
      context.TryCancel();
      break;
    }
    applied_changes_.Increment(
        static_cast<double>(projection_.applied_sequence() - before));
    UpdateGauges();
  }
  grpc::Status finished = reader->Finish();
  {
    absl::MutexLock lock(&mu_);
    stream_ = nullptr;
  }
  if (!ended.ok()) return ended;
  if (finished.ok()) return absl::UnavailableError("scheduling ended the feed");
  absl::Status status = FromGrpcStatus(finished);
  if (status.code() == absl::StatusCode::kOutOfRange) {
    // Scheduling's feed is behind ours: it is another or a restored
    // database. Keep the projection and say so loudly.
    LogJson(LogLevel::kError,
            "scheduling's change feed is behind this projection; is "
            "--scheduling pointed at the right database?",
            {{"applied_sequence", projection_.applied_sequence()}});
  }
  return status;
}

void FeedFollower::WatchLoop() {
  absl::Time last_policy_read = absl::InfinitePast();
  while (Wait(std::min(options_.heartbeat_interval, absl::Seconds(1)))) {
    bool read_policy = false;
    {
      absl::MutexLock lock(&mu_);
      const absl::Time now = absl::Now();
      if (stream_ != nullptr &&
          now - last_message_ > 3 * options_.heartbeat_interval) {
        LogJson(LogLevel::kWarning, "change feed silent; reconnecting");
        stream_->TryCancel();
      }
      // Only while connected: a down scheduling would make every try wait
      // out its deadline.
      read_policy =
          stream_ != nullptr &&
          (policy_due_ || now - last_policy_read > options_.policy_refresh);
      if (read_policy) policy_due_ = false;
    }
    if (read_policy) {
      last_policy_read = absl::Now();
      RefreshPolicy();
    }
    UpdateGauges();
  }
}

void FeedFollower::RefreshPolicy() {
  std::unique_ptr<grpc::ClientContext> context =
      DownstreamContext(CallScope(), options_.call_timeout);
  scheduling::v1::GetSchedulingPolicyRequest request;
  scheduling::v1::SchedulingPolicy policy;
  grpc::Status status =
      stub_->GetSchedulingPolicy(context.get(), request, &policy);
  if (!status.ok()) {
    // Reports keep the last policy read; the next connection tries again.
    absl::MutexLock lock(&mu_);
    policy_due_ = true;
    return;
  }
  if (absl::Status saved = projection_.SetPolicy(policy); !saved.ok()) {
    LogJson(LogLevel::kWarning, "cannot store scheduling's policy",
            {{"error", std::string(saved.message())}});
  }
}

void FeedFollower::UpdateGauges() {
  const av1::FeedStatus status = projection_.FeedStatus();
  connected_gauge_.Set(status.connected() ? 1 : 0);
  applied_gauge_.Set(static_cast<double>(status.applied_sequence()));
  pending_gauge_.Set(static_cast<double>(status.pending_changes()));
  if (status.has_as_of_time()) {
    lag_gauge_.Set(absl::ToDoubleSeconds(options_.clock() -
                                         ToAbslTime(status.as_of_time())));
  }
}

}  // namespace salesmeet::analytics
