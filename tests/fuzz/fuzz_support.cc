#include "tests/fuzz/fuzz_support.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/stubs/logging.h"

namespace salesmeet::fuzz {
namespace {

// The scratch directory, removed at exit by its destructor.
class Scratch {
 public:
  Scratch() {
    std::error_code error;
    const std::filesystem::path shm("/dev/shm");
    const std::filesystem::path root =
        std::filesystem::is_directory(shm, error)
            ? shm
            : std::filesystem::temp_directory_path();
    path_ = (root / absl::StrCat("salesmeet_fuzz_", getpid())).string();
    std::filesystem::remove_all(path_, error);
    std::filesystem::create_directories(path_);
  }
  ~Scratch() {
    std::error_code error;
    std::filesystem::remove_all(path_, error);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void RemoveDatabase(const std::string& path) {
  std::error_code error;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path + suffix, error);
  }
}

// Protobuf logs every string field with invalid UTF-8 it refuses to
// parse, which the fuzzer makes by the thousand; the refusal itself is
// what the targets see.
const bool kProtobufQuiet = [] {
  google::protobuf::SetLogHandler(nullptr);
  return true;
}();

}  // namespace

void Check(bool condition, absl::string_view what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz check failed: %.*s\n",
               static_cast<int>(what.size()), what.data());
  std::abort();
}

absl::Time FuzzNow() {
  return absl::FromCivil(absl::CivilSecond(2026, 3, 2, 7, 0, 0),
                         absl::UTCTimeZone());
}

const std::string& ScratchDir() {
  static const Scratch scratch;
  return scratch.path();
}

DatabaseSnapshot::DatabaseSnapshot(absl::string_view name)
    : path_(absl::StrCat(ScratchDir(), "/", name, ".db")),
      saved_(absl::StrCat(ScratchDir(), "/", name, ".saved.db")) {
  RemoveDatabase(path_);
}

void DatabaseSnapshot::Save() {
  // A closed WAL database has folded its log into the main file.
  std::filesystem::copy_file(path_, saved_,
                             std::filesystem::copy_options::overwrite_existing);
}

void DatabaseSnapshot::Restore() {
  RemoveDatabase(path_);
  std::filesystem::copy_file(saved_, path_);
}

void Trace(absl::string_view method, const grpc::Status& status) {
  static const bool on = [] {
    const char* trace = std::getenv("SALESMEET_FUZZ_TRACE");
    return trace != nullptr && std::string(trace) == "1";
  }();
  if (!on) return;
  std::fprintf(stderr, "%.*s: %d %s\n", static_cast<int>(method.size()),
               method.data(), static_cast<int>(status.error_code()),
               status.error_message().c_str());
}

void CheckErrorFitsTrailers(const grpc::Status& status) {
  if (status.ok()) return;
  const size_t details = (status.error_details().size() + 2) / 3 * 4;
  const size_t message = 3 * status.error_message().size();
  Check(details + message <= 8 * 1024,
        absl::StrCat("error of ", details + message,
                     " bytes on the wire (limit 8192): code ",
                     status.error_code(), ", message \"",
                     status.error_message().substr(0, 200), "\""));
}

}  // namespace salesmeet::fuzz
