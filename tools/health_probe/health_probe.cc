// salesmeet_health_probe: asks a server's grpc.health.v1 service once and
// exits 0 only if it answers SERVING, 1 otherwise. For container health
// checks, where neither grpcurl nor Python is installed:
//   salesmeet_health_probe --address=localhost:50051
// Against a server with TLS it takes the services' own flags (and their
// SALESMEET_* variables, so inside a service's container it needs none):
// --peer_tls_ca to verify the server, and --tls_cert/--tls_key (or
// --peer_tls_cert/--peer_tls_key) as its client certificate for mutual TLS.

#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/env_flags.h"
#include "common/security/tls_credentials.h"
#include "grpc/health/v1/health.grpc.pb.h"

ABSL_FLAG(std::string, address, "localhost:50051", "Server to ask, host:port");
ABSL_FLAG(std::string, service, "",
          "Service whose health to ask for; empty asks about the server");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(2),
          "Deadline of the call, connecting included");
ABSL_FLAG(std::string, tls_server_name, "",
          "Name to expect in the server's certificate when it differs from "
          "--address's host (e.g. the Service name when probing localhost)");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "exits 0 if a gRPC server's health service answers SERVING");
  salesmeet::ParseFlagsWithEnvironment(argc, argv);
  const std::string address = absl::GetFlag(FLAGS_address);

  auto credentials = salesmeet::PeerCredentialsFromFlags();
  if (!credentials.ok()) {
    std::fprintf(stderr, "%s\n",
                 std::string(credentials.status().message()).c_str());
    return 2;
  }
  grpc::ChannelArguments args;
  if (!absl::GetFlag(FLAGS_tls_server_name).empty()) {
    args.SetSslTargetNameOverride(absl::GetFlag(FLAGS_tls_server_name));
  }
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateCustomChannel(address, *credentials, args));
  grpc::ClientContext context;
  context.set_deadline(
      absl::ToChronoTime(absl::Now() + absl::GetFlag(FLAGS_timeout)));
  // A server still starting refuses connections; wait for it up to the
  // deadline rather than failing at once.
  context.set_wait_for_ready(true);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(absl::GetFlag(FLAGS_service));
  grpc::health::v1::HealthCheckResponse reply;
  const grpc::Status status = stub->Check(&context, request, &reply);
  if (!status.ok()) {
    std::fprintf(stderr, "%s: %s: %s\n", address.c_str(),
                 std::to_string(status.error_code()).c_str(),
                 status.error_message().c_str());
    return 1;
  }
  const std::string state =
      grpc::health::v1::HealthCheckResponse::ServingStatus_Name(reply.status());
  std::printf("%s: %s\n", address.c_str(), state.c_str());
  return reply.status() == grpc::health::v1::HealthCheckResponse::SERVING ? 0
                                                                          : 1;
}
