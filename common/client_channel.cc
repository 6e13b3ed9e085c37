#include "common/client_channel.h"

#include <grpcpp/security/credentials.h>
#include <grpcpp/security/tls_credentials_options.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/security/tls_credentials.h"

namespace salesmeet {

std::string RetryServiceConfig(int max_attempts) {
  // round_robin spreads calls over every address the name resolves to: with
  // a dns:/// target naming a headless Kubernetes Service, every replica.
  return absl::StrCat(
      R"({"loadBalancingConfig":[{"round_robin":{}}],)",
      R"("methodConfig":[{"name":[{}],"retryPolicy":{"maxAttempts":)",
      std::clamp(max_attempts, 2, 5),
      R"(,"initialBackoff":"0.05s","maxBackoff":"1s","backoffMultiplier":2,)",
      R"("retryableStatusCodes":["UNAVAILABLE"]}}]})");
}

std::shared_ptr<grpc::Channel> CreatePeerChannel(
    const std::string& target, const ChannelOptions& options) {
  grpc::ChannelArguments args;
  args.SetServiceConfigJSON(RetryServiceConfig(options.max_attempts));
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 1);
  // Reconnect quickly once a restarted peer is back, instead of after
  // gRPC's default back-off of up to two minutes.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  // Flags naming unusable certificate files stop the server at start-up
  // (ServerRunner::Run); until then such a channel fails closed, never
  // falling back to plaintext.
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      PeerCredentialsFromFlags();
  return grpc::CreateCustomChannel(
      target,
      credentials.ok()
          ? *credentials
          : grpc::experimental::TlsCredentials(
                grpc::experimental::TlsChannelCredentialsOptions()),
      args);
}

// Reads the incoming call behind a scope, which only common/'s gRPC runtime
// may see.
class DownstreamCall {
 public:
  static const grpc::ServerContext* Incoming(const CallScope& scope) {
    return scope.rpc_;
  }
};

std::unique_ptr<grpc::ClientContext> DownstreamContext(
    const CallScope& scope, absl::Duration default_timeout) {
  const grpc::ServerContext* incoming = DownstreamCall::Incoming(scope);
  std::unique_ptr<grpc::ClientContext> context =
      incoming != nullptr ? grpc::ClientContext::FromServerContext(*incoming)
                          : std::make_unique<grpc::ClientContext>();
  const absl::Time deadline =
      std::min(absl::Now() + default_timeout, scope.deadline());
  context->set_deadline(absl::ToChronoTime(deadline));
  return context;
}

bool OnBehalfOfCaller(const CallScope& scope, grpc::ClientContext& downstream) {
  const grpc::ServerContext* incoming = DownstreamCall::Incoming(scope);
  if (incoming == nullptr) return false;
  const auto& metadata = incoming->client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return false;
  downstream.AddMetadata("authorization",
                         std::string(it->second.data(), it->second.size()));
  return true;
}

}  // namespace salesmeet
