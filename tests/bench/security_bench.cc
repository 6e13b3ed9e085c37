// What security costs a call: Health/Check and GetParticipant latency on
// one participant server each for plaintext, TLS, and mutual TLS with a
// bearer token checked against the default access policy. One client,
// sequential calls on one connection (the handshake is paid once), so the
// difference is the per-call cost: encryption, and the token's signature
// and the policy for the last.
//
//   security_bench [calls]
//
// Makes a development PKI with scripts/dev_pki.sh (openssl) in a temporary
// directory.

#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/security/tls_credentials.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "salesmeet/participant/v1/participant_service.grpc.pb.h"
#include "tests/bench/bench_org.h"
#include "tests/bench/latency.h"
#include "tests/bench/service_process.h"

namespace salesmeet::bench {
namespace {

namespace pv1 = salesmeet::participant::v1;
namespace fs = std::filesystem;

constexpr int kParticipants = 200;

struct Setup {
  std::string name;
  std::vector<std::string> server_flags;
  PeerTlsFiles client;  // Empty ca: plaintext.
  std::string token;    // Empty: none.
};

std::string ReadText(const fs::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return std::string(absl::StripAsciiWhitespace(text.str()));
}

std::chrono::system_clock::time_point Deadline() {
  return std::chrono::system_clock::now() + std::chrono::seconds(5);
}

void Authorize(grpc::ClientContext& context, const std::string& token) {
  context.set_deadline(Deadline());
  if (!token.empty()) {
    context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  }
}

bool Measure(const Setup& setup, const fs::path& dir, int calls) {
  std::vector<std::string> flags = setup.server_flags;
  flags.push_back(absl::StrCat(
      "--db=sqlite://", (dir / absl::StrCat(setup.name, ".db")).string()));
  flags.push_back("--access_log=false");
  auto server = ServiceProcess::Start(SALESMEET_PARTICIPANT_BINARY, flags);
  if (!server.ok()) {
    std::fprintf(stderr, "%s\n", server.status().ToString().c_str());
    return false;
  }
  auto credentials = MakePeerCredentials(setup.client);
  if (!credentials.ok()) {
    std::fprintf(stderr, "%s\n", credentials.status().ToString().c_str());
    return false;
  }
  grpc::ChannelArguments args;
  args.SetSslTargetNameOverride("localhost");
  auto channel =
      grpc::CreateCustomChannel(server->address(), *credentials, args);
  auto stub = pv1::ParticipantService::NewStub(channel);
  auto health = grpc::health::v1::Health::NewStub(channel);
  for (int i = 0; i < kParticipants; ++i) {
    grpc::ClientContext context;
    Authorize(context, setup.token);
    pv1::Participant created;
    grpc::Status status = stub->CreateParticipant(
        &context, RepRequest(i, absl::Hours(10)), &created);
    if (!status.ok()) {
      std::fprintf(stderr, "%s: seeding failed: %s\n", setup.name.c_str(),
                   status.error_message().c_str());
      return false;
    }
  }
  LatencySample get_sample, health_sample;
  // Interleaved so both see the same machine; the first 200 warm up.
  for (int i = -200; i < calls; ++i) {
    pv1::GetParticipantRequest get;
    get.set_name(absl::StrCat("participants/rep-", (i + 200) % kParticipants));
    pv1::Participant out;
    grpc::ClientContext get_context;
    Authorize(get_context, setup.token);
    absl::Time start = absl::Now();
    grpc::Status status = stub->GetParticipant(&get_context, get, &out);
    if (!status.ok()) {
      std::fprintf(stderr, "%s: GetParticipant: %s\n", setup.name.c_str(),
                   status.error_message().c_str());
      return false;
    }
    if (i >= 0) get_sample.Add(absl::Now() - start);

    grpc::health::v1::HealthCheckRequest check;
    grpc::health::v1::HealthCheckResponse reply;
    grpc::ClientContext health_context;
    Authorize(health_context, setup.token);
    start = absl::Now();
    if (!health->Check(&health_context, check, &reply).ok()) return false;
    if (i >= 0) health_sample.Add(absl::Now() - start);
  }
  health_sample.Print(absl::StrCat(setup.name, " Health/Check"));
  get_sample.Print(absl::StrCat(setup.name, " GetParticipant"));
  return true;
}

int Run(int calls) {
  const fs::path dir =
      fs::temp_directory_path() / absl::StrCat("security_bench_", getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path pki = dir / "pki";
  const std::string make_pki =
      absl::StrCat("bash ", SALESMEET_SOURCE_DIR, "/scripts/dev_pki.sh init ",
                   pki.string(), " >/dev/null 2>&1");
  if (std::system(make_pki.c_str()) != 0) {
    std::fprintf(stderr, "dev_pki.sh failed: %s\n", make_pki.c_str());
    return 1;
  }
  auto file = [&](const char* name) { return (pki / name).string(); };
  const std::vector<std::string> tls = {
      absl::StrCat("--tls_cert=", file("participant.crt")),
      absl::StrCat("--tls_key=", file("participant.key"))};
  std::vector<std::string> mtls = tls;
  mtls.push_back(absl::StrCat("--tls_client_ca=", file("ca.crt")));
  mtls.push_back(absl::StrCat("--access_policy=", SALESMEET_SOURCE_DIR,
                              "/deploy/security/access-policy.json"));
  mtls.push_back(absl::StrCat("--token_public_keys=", file("jwt-signing.pub")));
  mtls.push_back("--rate_limit_per_second=0");

  PeerTlsFiles server_only;
  server_only.ca = file("ca.crt");
  PeerTlsFiles mutual = server_only;
  mutual.cert = file("operator.crt");
  mutual.key = file("operator.key");

  std::printf(
      "security_bench: one participant server per setup, %d participants, "
      "%d calls of each kind, one client, sequential, one connection\n",
      kParticipants, calls);
  const std::vector<Setup> setups = {
      {"plaintext", {}, PeerTlsFiles{}, ""},
      {"tls", tls, server_only, ""},
      {"mtls+token", mtls, mutual, ReadText(pki / "tokens" / "admin.jwt")},
  };
  for (const Setup& setup : setups) {
    if (!Measure(setup, dir, calls)) return 1;
  }
  fs::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace salesmeet::bench

int main(int argc, char** argv) {
  return salesmeet::bench::Run(argc > 1 ? std::atoi(argv[1]) : 5000);
}
