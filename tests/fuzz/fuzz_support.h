#ifndef SALESMEET_TESTS_FUZZ_FUZZ_SUPPORT_H_
#define SALESMEET_TESTS_FUZZ_FUZZ_SUPPORT_H_

// What the fuzz targets share: the fixed "now" their seeds are written
// against, scratch files for the stores they drive, calling a gRPC handler
// with a request parsed from the fuzzer's bytes, and the checks every
// answer must pass. A failed check aborts, which libFuzzer reports as a
// crash and saves the input.

#include <google/protobuf/text_format.h>
#include <grpcpp/grpcpp.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace salesmeet::fuzz {

// Aborts with `what` on stderr when `condition` is false.
void Check(bool condition, absl::string_view what);

// Monday 2 March 2026, 07:00 UTC (08:00 in Rome): the time every target
// runs at, so the seeds' meetings stay in the future and their page tokens
// unexpired.
absl::Time FuzzNow();

// The key the targets' page tokens are sealed with; tests/fuzz/make_seeds.py
// seals the seeds' tokens with it too.
inline constexpr char kPageTokenSecret[] = "fuzz-page-token-secret";

// A message written in the protobuf text format, for the records a target
// seeds its world with.
template <typename Message>
Message FromText(const std::string& text) {
  Message message;
  Check(google::protobuf::TextFormat::ParseFromString(text, &message), text);
  return message;
}

// A directory for this process's SQLite files (in /dev/shm when there is
// one), removed when the process exits.
const std::string& ScratchDir();

// A store's database file that can be put back as it was: a target seeds
// its store, saves it, and restores it after any input that wrote, so each
// input starts from the same records and a crash reproduces on its own.
// The store must be closed around Save() and Restore().
class DatabaseSnapshot {
 public:
  explicit DatabaseSnapshot(absl::string_view name);
  const std::string& path() const { return path_; }
  void Save();
  void Restore();

 private:
  std::string path_;
  std::string saved_;
};

// Every error a service returns fits in the 8 KiB of metadata a default
// gRPC client accepts (DESIGN.md §9): the message travels percent-encoded
// (up to 3 bytes per byte), the details base64-encoded (4 bytes per 3).
void CheckErrorFitsTrailers(const grpc::Status& status);

// With SALESMEET_FUZZ_TRACE=1 in the environment, prints which method an
// input called and what it answered: for checking that seeds reach past
// validation, or reading what a crashing input did.
void Trace(absl::string_view method, const grpc::Status& status);

// One unary method of a service, called with a request parsed from bytes.
template <typename Service>
struct UnaryMethod {
  const char* name;
  // True for methods that change the store when they succeed.
  bool writes;
  // nullopt when the bytes are not a request of this type (the transport
  // would refuse them before any handler ran).
  std::function<std::optional<grpc::Status>(Service&, absl::string_view)> call;
};

template <typename Service, typename Request, typename Response>
UnaryMethod<Service> Unary(const char* name, bool writes,
                           grpc::Status (Service::*method)(grpc::ServerContext*,
                                                           const Request*,
                                                           Response*)) {
  return {name, writes,
          [method](Service& service,
                   absl::string_view bytes) -> std::optional<grpc::Status> {
            Request request;
            if (!request.ParseFromArray(bytes.data(),
                                        static_cast<int>(bytes.size()))) {
              return std::nullopt;
            }
            grpc::ServerContext context;
            Response response;
            return (service.*method)(&context, &request, &response);
          }};
}

// The request type named by the input's first byte (modulo the number of
// methods) and the request itself in the remaining bytes. nullopt for an
// empty input.
template <typename Service>
std::optional<std::pair<const UnaryMethod<Service>*, absl::string_view>>
PickMethod(const std::vector<UnaryMethod<Service>>& methods,
           const uint8_t* data, size_t size) {
  if (size == 0 || methods.empty()) return std::nullopt;
  const UnaryMethod<Service>& method = methods[data[0] % methods.size()];
  return std::make_pair(
      &method,
      absl::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
}

}  // namespace salesmeet::fuzz

#endif  // SALESMEET_TESTS_FUZZ_FUZZ_SUPPORT_H_
