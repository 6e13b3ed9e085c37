#include "common/security/access_guard.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/errors.h"
#include "common/json_log.h"
#include "google/rpc/error_details.pb.h"

ABSL_FLAG(std::string, access_policy, "",
          "Access policy file (JSON, see deploy/security/access-policy.json); "
          "empty lets every caller call everything (development only)");
ABSL_FLAG(std::vector<std::string>, token_public_keys, {},
          "Comma-separated PEM files of the public keys bearer tokens are "
          "signed with (RS256 or ES256)");
ABSL_FLAG(std::string, token_issuer, "salesmeet-dev",
          "The \"iss\" every bearer token must carry");
ABSL_FLAG(std::string, token_audience, "salesmeet",
          "The \"aud\" every bearer token must carry");
ABSL_FLAG(absl::Duration, token_clock_skew, absl::Seconds(60),
          "Tolerance on a token's exp and nbf");
ABSL_FLAG(absl::Duration, access_reload_interval, absl::Seconds(5),
          "How often the policy and key files are checked for changes");
ABSL_FLAG(double, rate_limit_per_second, 100,
          "Calls per second each principal may make (after the burst); 0 "
          "turns rate limits off");
ABSL_FLAG(double, rate_limit_burst, 200,
          "Calls a principal may make at once before the rate applies");
ABSL_FLAG(int, max_watch_streams_per_principal, 16,
          "Open change-feed streams each principal may hold; 0: no cap");

namespace salesmeet {
namespace {

constexpr size_t kMaxBuckets = 10000;

absl::StatusOr<std::string> ReadWholeFile(absl::string_view what,
                                          const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read the ", what, " ", path));
  }
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

absl::StatusOr<std::string> ReadKeyFiles(const AccessSettings& settings) {
  std::string all;
  for (const std::string& path : settings.token_key_paths) {
    absl::StatusOr<std::string> text = ReadWholeFile("token key file", path);
    if (!text.ok()) return text.status();
    absl::StrAppend(&all, *text);
  }
  return all;
}

absl::Status Unauthenticated(absl::string_view reason,
                             absl::string_view message) {
  return WithErrorInfo(absl::UnauthenticatedError(message), reason);
}

void AddAll(std::vector<std::string>& out, const grpc::AuthContext& auth,
            const char* property, absl::string_view prefix) {
  for (const grpc::string_ref& value : auth.FindPropertyValues(property)) {
    std::string member =
        absl::StrCat(prefix, absl::string_view(value.data(), value.size()));
    if (std::find(out.begin(), out.end(), member) == out.end()) {
      out.push_back(std::move(member));
    }
  }
}

}  // namespace

AccessSettings AccessSettingsFromFlags() {
  AccessSettings settings;
  settings.policy_path = absl::GetFlag(FLAGS_access_policy);
  settings.token_key_paths = absl::GetFlag(FLAGS_token_public_keys);
  settings.token_issuer = absl::GetFlag(FLAGS_token_issuer);
  settings.token_audience = absl::GetFlag(FLAGS_token_audience);
  settings.token_clock_skew = absl::GetFlag(FLAGS_token_clock_skew);
  settings.reload_interval = absl::GetFlag(FLAGS_access_reload_interval);
  settings.calls_per_second = absl::GetFlag(FLAGS_rate_limit_per_second);
  settings.burst = absl::GetFlag(FLAGS_rate_limit_burst);
  settings.max_streams = absl::GetFlag(FLAGS_max_watch_streams_per_principal);
  return settings;
}

CallerIdentity CertificateIdentity(const grpc::AuthContext* auth) {
  CallerIdentity identity;
  if (auth == nullptr || !auth->IsPeerAuthenticated()) return identity;
  AddAll(identity.members, *auth, GRPC_PEER_SPIFFE_ID_PROPERTY_NAME, "");
  AddAll(identity.members, *auth, GRPC_PEER_URI_PROPERTY_NAME, "");
  AddAll(identity.members, *auth, GRPC_PEER_DNS_PROPERTY_NAME, "dns:");
  if (!identity.members.empty()) identity.principal = identity.members.front();
  return identity;
}

AccessGuard::AccessGuard(AccessSettings settings, Clock clock,
                         prometheus::Registry& metrics)
    : settings_(std::move(settings)),
      clock_(std::move(clock)),
      refusals_(prometheus::BuildCounter()
                    .Name("access_refusals_total")
                    .Help("Calls refused before their handler ran, by method "
                          "and reason (CREDENTIALS_MISSING, INVALID_TOKEN, "
                          "TOKEN_EXPIRED, METHOD_NOT_GRANTED, RATE_LIMITED, "
                          "STREAM_LIMIT, ...).")
                    .Register(metrics)),
      reloads_(prometheus::BuildCounter()
                   .Name("access_policy_reloads_total")
                   .Help("Policy and token key reloads, by result (ok, "
                         "invalid: the previous version stays).")
                   .Register(metrics)),
      open_streams_(prometheus::BuildGauge()
                        .Name("access_open_streams")
                        .Help("Server streams (change-feed watches) open, "
                              "all principals together.")
                        .Register(metrics)
                        .Add({})) {}

absl::StatusOr<std::unique_ptr<AccessGuard>> AccessGuard::Create(
    AccessSettings settings, Clock clock, prometheus::Registry& metrics) {
  std::unique_ptr<AccessGuard> guard(
      new AccessGuard(std::move(settings), std::move(clock), metrics));
  const AccessSettings& s = guard->settings_;
  absl::StatusOr<std::string> policy_text =
      ReadWholeFile("access policy", s.policy_path);
  if (!policy_text.ok()) return policy_text.status();
  absl::StatusOr<AccessPolicy> policy = AccessPolicy::Parse(*policy_text);
  if (!policy.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat(s.policy_path, ": ", policy.status().message()));
  }
  absl::StatusOr<std::string> keys_text = ReadKeyFiles(s);
  if (!keys_text.ok()) return keys_text.status();
  absl::StatusOr<std::vector<std::string>> keys =
      ReadPublicKeys(s.token_key_paths);
  if (!keys.ok()) return keys.status();
  {
    absl::MutexLock lock(&guard->mu_);
    guard->policy_ = std::make_shared<AccessPolicy>(*std::move(policy));
    guard->policy_text_ = *std::move(policy_text);
    guard->verifier_ = std::make_shared<JwtVerifier>(
        JwtSettings{*std::move(keys), s.token_issuer, s.token_audience,
                    s.token_clock_skew});
    guard->keys_text_ = *std::move(keys_text);
  }
  AccessGuard* raw = guard.get();
  guard->reloader_ = std::thread([raw] {
    while (!raw->stop_.WaitForNotificationWithTimeout(
        raw->settings_.reload_interval)) {
      raw->ReloadIfChanged();
    }
  });
  return guard;
}

AccessGuard::~AccessGuard() {
  stop_.Notify();
  if (reloader_.joinable()) reloader_.join();
}

void AccessGuard::ReloadIfChanged() {
  absl::StatusOr<std::string> policy_text =
      ReadWholeFile("access policy", settings_.policy_path);
  absl::StatusOr<std::string> keys_text = ReadKeyFiles(settings_);
  std::string old_policy, old_keys;
  {
    absl::MutexLock lock(&mu_);
    old_policy = policy_text_;
    old_keys = keys_text_;
  }
  if (policy_text.ok() && *policy_text != old_policy) {
    absl::StatusOr<AccessPolicy> policy = AccessPolicy::Parse(*policy_text);
    if (policy.ok()) {
      LogJson(LogLevel::kInfo, "access policy reloaded",
              {{"path", settings_.policy_path},
               {"roles", static_cast<int64_t>(policy->role_count())}});
      reloads_.Add({{"result", "ok"}}).Increment();
      absl::MutexLock lock(&mu_);
      policy_ = std::make_shared<AccessPolicy>(*std::move(policy));
      policy_text_ = *std::move(policy_text);
    } else {
      LogJson(LogLevel::kError,
              "access policy not reloaded; the previous one stays",
              {{"path", settings_.policy_path},
               {"error", std::string(policy.status().message())}});
      reloads_.Add({{"result", "invalid"}}).Increment();
      absl::MutexLock lock(&mu_);
      policy_text_ = *std::move(policy_text);  // Say so once per change.
    }
  }
  if (keys_text.ok() && *keys_text != old_keys) {
    absl::StatusOr<std::vector<std::string>> keys =
        ReadPublicKeys(settings_.token_key_paths);
    absl::MutexLock lock(&mu_);
    keys_text_ = *std::move(keys_text);
    if (keys.ok()) {
      verifier_ = std::make_shared<JwtVerifier>(
          JwtSettings{*std::move(keys), settings_.token_issuer,
                      settings_.token_audience, settings_.token_clock_skew});
      reloads_.Add({{"result", "ok"}}).Increment();
      LogJson(LogLevel::kInfo, "token keys reloaded", {});
    } else {
      reloads_.Add({{"result", "invalid"}}).Increment();
      LogJson(LogLevel::kError, "token keys not reloaded; the previous stay",
              {{"error", std::string(keys.status().message())}});
    }
  }
}

absl::StatusOr<CallerIdentity> AccessGuard::Authenticate(
    const grpc::AuthContext* auth, absl::string_view authorization) {
  if (!authorization.empty()) {
    absl::string_view token = authorization;
    if (!absl::ConsumePrefix(&token, "Bearer ") &&
        !absl::ConsumePrefix(&token, "bearer ")) {
      return Unauthenticated("INVALID_TOKEN",
                             "the authorization header must be "
                             "\"Bearer <token>\"");
    }
    std::shared_ptr<const JwtVerifier> verifier;
    {
      absl::MutexLock lock(&mu_);
      verifier = verifier_;
    }
    absl::StatusOr<TokenClaims> claims =
        verifier->Verify(absl::StripAsciiWhitespace(token), clock_());
    if (!claims.ok()) return claims.status();
    CallerIdentity identity;
    identity.principal = absl::StrCat("user:", claims->subject);
    identity.members.push_back(identity.principal);
    for (const std::string& group : claims->groups) {
      identity.members.push_back(absl::StrCat("group:", group));
    }
    return identity;
  }
  CallerIdentity identity = CertificateIdentity(auth);
  if (identity.members.empty()) {
    return Unauthenticated("CREDENTIALS_MISSING",
                           "no credentials: present a client certificate or "
                           "an \"authorization: Bearer <token>\" header");
  }
  return identity;
}

absl::Status AccessGuard::TakeToken(const std::string& principal) {
  if (settings_.calls_per_second <= 0) return absl::OkStatus();
  const absl::Time now = absl::Now();  // Real time: a timer, not a date.
  absl::MutexLock lock(&limits_mu_);
  if (buckets_.size() > kMaxBuckets) {
    // Idle principals' buckets are full again; forgetting them loses nothing.
    absl::erase_if(buckets_, [&](const auto& entry) {
      return entry.second.tokens +
                 absl::ToDoubleSeconds(now - entry.second.updated) *
                     settings_.calls_per_second >=
             settings_.burst;
    });
  }
  auto [it, inserted] =
      buckets_.try_emplace(principal, Bucket{settings_.burst, now});
  Bucket& bucket = it->second;
  bucket.tokens =
      std::min(settings_.burst,
               bucket.tokens + absl::ToDoubleSeconds(now - bucket.updated) *
                                   settings_.calls_per_second);
  bucket.updated = now;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return absl::OkStatus();
  }
  const absl::Duration wait =
      absl::Seconds((1 - bucket.tokens) / settings_.calls_per_second);
  google::rpc::RetryInfo retry;
  retry.mutable_retry_delay()->set_seconds(absl::ToInt64Seconds(wait));
  retry.mutable_retry_delay()->set_nanos(
      static_cast<int32_t>(absl::ToInt64Nanoseconds(
          wait - absl::Seconds(absl::ToInt64Seconds(wait)))));
  return WithDetail(WithErrorInfo(absl::ResourceExhaustedError(absl::StrCat(
                                      "rate limit: ", Quoted(principal),
                                      " may make ", settings_.calls_per_second,
                                      " calls per second; retry later")),
                                  "RATE_LIMITED", {{"principal", principal}}),
                    retry);
}

absl::Status AccessGuard::OpenStream(const std::string& principal) {
  absl::MutexLock lock(&limits_mu_);
  int& open = streams_[principal];
  if (settings_.max_streams > 0 && open >= settings_.max_streams) {
    if (open == 0) streams_.erase(principal);
    google::rpc::RetryInfo retry;
    retry.mutable_retry_delay()->set_seconds(5);
    return WithDetail(
        WithErrorInfo(absl::ResourceExhaustedError(absl::StrCat(
                          Quoted(principal), " already holds ", open,
                          " open streams, the most allowed")),
                      "STREAM_LIMIT",
                      {{"principal", principal},
                       {"limit", absl::StrCat(settings_.max_streams)}}),
        retry);
  }
  ++open;
  open_streams_.Increment();
  return absl::OkStatus();
}

void AccessGuard::EndStream(const std::string& principal) {
  absl::MutexLock lock(&limits_mu_);
  auto it = streams_.find(principal);
  if (it == streams_.end()) return;
  open_streams_.Decrement();
  if (--it->second <= 0) streams_.erase(it);
}

CallAccess AccessGuard::Refuse(absl::string_view method, CallAccess access,
                               absl::Status status) {
  google::rpc::ErrorInfo info;
  GetErrorInfo(status, &info);
  refusals_.Add({{"method", std::string(method)}, {"reason", info.reason()}})
      .Increment();
  access.status = std::move(status);
  return access;
}

CallAccess AccessGuard::Admit(absl::string_view method,
                              const grpc::AuthContext* auth,
                              absl::string_view authorization, bool stream) {
  CallAccess access;
  absl::StatusOr<CallerIdentity> caller = Authenticate(auth, authorization);
  if (!caller.ok()) return Refuse(method, access, caller.status());
  access.principal = caller->principal;
  std::shared_ptr<const AccessPolicy> policy;
  {
    absl::MutexLock lock(&mu_);
    policy = policy_;
  }
  if (!policy->Allows(caller->members, method)) {
    return Refuse(
        method, access,
        WithErrorInfo(absl::PermissionDeniedError(absl::StrCat(
                          Quoted(access.principal), " may not call ", method)),
                      "METHOD_NOT_GRANTED",
                      {{"principal", access.principal},
                       {"method", std::string(method)}}));
  }
  access.pii = policy->HasPermission(caller->members, kPiiPermission);
  if (absl::Status rate = TakeToken(access.principal); !rate.ok()) {
    return Refuse(method, access, rate);
  }
  if (stream) {
    if (absl::Status open = OpenStream(access.principal); !open.ok()) {
      return Refuse(method, access, open);
    }
    access.holds_stream = true;
  }
  return access;
}

}  // namespace salesmeet
