#include "common/security/call_access.h"

#include <atomic>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace salesmeet {
namespace {

std::atomic<bool> g_enforcing{false};

struct Filed {
  absl::Mutex mu;
  absl::flat_hash_map<const grpc::ServerContextBase*, FiledAccess> calls
      ABSL_GUARDED_BY(mu);
};

Filed& Registry() {
  static Filed* filed = new Filed;
  return *filed;
}

}  // namespace

void EnforceCallAccess() { g_enforcing = true; }

void FileCallAccess(const grpc::ServerContextBase* context,
                    FiledAccess access) {
  Filed& filed = Registry();
  absl::MutexLock lock(&filed.mu);
  filed.calls[context] = std::move(access);
}

void ForgetCallAccess(const grpc::ServerContextBase* context) {
  Filed& filed = Registry();
  absl::MutexLock lock(&filed.mu);
  filed.calls.erase(context);
}

absl::Status AdmitCall(const grpc::ServerContextBase* context) {
  if (!g_enforcing) return absl::OkStatus();
  Filed& filed = Registry();
  absl::MutexLock lock(&filed.mu);
  auto it = filed.calls.find(context);
  if (it == filed.calls.end()) {
    return absl::PermissionDeniedError("no access decision for this call");
  }
  return it->second.status;
}

bool CallerMaySeePii(const grpc::ServerContextBase* context) {
  if (!g_enforcing) return true;
  Filed& filed = Registry();
  absl::MutexLock lock(&filed.mu);
  auto it = filed.calls.find(context);
  return it != filed.calls.end() && it->second.status.ok() && it->second.pii;
}

std::string CallerPrincipal(const grpc::ServerContextBase* context) {
  Filed& filed = Registry();
  absl::MutexLock lock(&filed.mu);
  auto it = filed.calls.find(context);
  return it == filed.calls.end() ? "" : it->second.principal;
}

}  // namespace salesmeet
