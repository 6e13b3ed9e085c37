// salesmeet_health_probe: asks a server's grpc.health.v1 service once and
// exits 0 only if it answers SERVING, 1 otherwise. For container health
// checks, where neither grpcurl nor Python is installed:
//   salesmeet_health_probe --address=localhost:50051

#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"

ABSL_FLAG(std::string, address, "localhost:50051", "Server to ask, host:port");
ABSL_FLAG(std::string, service, "",
          "Service whose health to ask for; empty asks about the server");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(2),
          "Deadline of the call, connecting included");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "exits 0 if a gRPC server's health service answers SERVING");
  absl::ParseCommandLine(argc, argv);
  const std::string address = absl::GetFlag(FLAGS_address);

  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
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
