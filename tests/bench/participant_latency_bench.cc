// GetParticipant latency next to grpc.health.v1.Health/Check on the same
// server with the same client: the difference is what the participant
// service itself costs (validation, SQLite read, serialisation).
//
//   participant_latency_bench [participant binary] [calls] [participants]

#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "salesmeet/participant/v1/participant_service.grpc.pb.h"
#include "tests/bench/bench_org.h"
#include "tests/bench/latency.h"
#include "tests/bench/service_process.h"

namespace salesmeet::bench {
namespace {

namespace pv1 = salesmeet::participant::v1;

void Seed(pv1::ParticipantService::Stub& stub, int count) {
  for (int i = 0; i < count; ++i) {
    pv1::CreateParticipantRequest request = RepRequest(i, absl::Hours(10));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(5));
    pv1::Participant created;
    grpc::Status status = stub.CreateParticipant(&context, request, &created);
    if (!status.ok()) {
      std::fprintf(stderr, "seed failed: %s\n", status.error_message().c_str());
      std::exit(1);
    }
  }
}

int Run(const std::string& binary, int calls, int participants) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      absl::StrCat("participant_bench_", getpid());
  std::filesystem::remove_all(dir);
  auto server = ServiceProcess::Start(
      binary, {absl::StrCat("--db=sqlite://", (dir / "p.db").string())});
  if (!server.ok()) {
    std::fprintf(stderr, "%s\n", server.status().ToString().c_str());
    return 1;
  }
  auto channel = grpc::CreateChannel(server->address(),
                                     grpc::InsecureChannelCredentials());
  auto stub = pv1::ParticipantService::NewStub(channel);
  auto health = grpc::health::v1::Health::NewStub(channel);
  Seed(*stub, participants);

  LatencySample get_sample;
  LatencySample health_sample;
  auto deadline = [] {
    return std::chrono::system_clock::now() + std::chrono::seconds(5);
  };
  // Interleaved so both see the same machine conditions; the first 200 of
  // each warm up connections and caches and are not counted.
  for (int i = -200; i < calls; ++i) {
    pv1::GetParticipantRequest get;
    get.set_name(absl::StrCat("participants/rep-", (i + 200) % participants));
    pv1::Participant out;
    grpc::ClientContext get_context;
    get_context.set_deadline(deadline());
    absl::Time start = absl::Now();
    if (!stub->GetParticipant(&get_context, get, &out).ok()) return 1;
    if (i >= 0) get_sample.Add(absl::Now() - start);

    grpc::health::v1::HealthCheckRequest check;
    grpc::health::v1::HealthCheckResponse reply;
    grpc::ClientContext health_context;
    health_context.set_deadline(deadline());
    start = absl::Now();
    if (!health->Check(&health_context, check, &reply).ok()) return 1;
    if (i >= 0) health_sample.Add(absl::Now() - start);
  }
  std::printf(
      "participant_latency_bench: %d participants, %d calls each, "
      "one client, sequential\n",
      participants, calls);
  health_sample.Print("grpc.health.v1.Health/Check");
  get_sample.Print("ParticipantService/GetParticipant");
  std::printf("GetParticipant p50 / Health p50 = %.2fx\n",
              get_sample.Percentile(50) / health_sample.Percentile(50));

  // Throughput: 8 clients, each on its own channel, for two seconds.
  constexpr int kClients = 8;
  std::vector<std::thread> clients;
  std::vector<int> done(kClients, 0);
  const absl::Time stop = absl::Now() + absl::Seconds(2);
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      grpc::ChannelArguments args;
      args.SetInt("salesmeet.bench.client", c);  // Distinct connections.
      auto own = grpc::CreateCustomChannel(
          server->address(), grpc::InsecureChannelCredentials(), args);
      auto own_stub = pv1::ParticipantService::NewStub(own);
      for (int i = 0; absl::Now() < stop; ++i) {
        pv1::GetParticipantRequest get;
        get.set_name(
            absl::StrCat("participants/rep-", (i * 7 + c) % participants));
        pv1::Participant out;
        grpc::ClientContext context;
        context.set_deadline(deadline());
        if (own_stub->GetParticipant(&context, get, &out).ok()) ++done[c];
      }
    });
  }
  for (auto& t : clients) t.join();
  int total = 0;
  for (int d : done) total += d;
  std::printf("GetParticipant throughput, %d clients: %.0f calls/s\n", kClients,
              total / 2.0);
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace salesmeet::bench

int main(int argc, char** argv) {
  const std::string binary = argc > 1 ? argv[1] : SALESMEET_PARTICIPANT_BINARY;
  const int calls = argc > 2 ? std::atoi(argv[2]) : 5000;
  const int participants = argc > 3 ? std::atoi(argv[3]) : 500;
  return salesmeet::bench::Run(binary, calls, participants);
}
