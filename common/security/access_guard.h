#ifndef SALESMEET_COMMON_SECURITY_ACCESS_GUARD_H_
#define SALESMEET_COMMON_SECURITY_ACCESS_GUARD_H_

// Decides every call before its handler runs: who is calling (a client
// certificate's identity, or a bearer token's subject and groups), whether
// the access policy grants them the method, and whether they are within
// their rate limit and their cap on open streams. The policy file and the
// token keys are re-read when they change.

#include <grpcpp/grpcpp.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/security/access_policy.h"
#include "common/security/jwt_verifier.h"

namespace salesmeet {

struct AccessSettings {
  std::string policy_path;  // Empty: access control off.
  std::vector<std::string> token_key_paths;
  std::string token_issuer;
  std::string token_audience;
  absl::Duration token_clock_skew = absl::Seconds(60);
  absl::Duration reload_interval = absl::Seconds(5);
  double calls_per_second = 100;  // Per principal; 0 turns limits off.
  double burst = 200;
  int max_streams = 16;  // Open server streams per principal; 0: no cap.
};

// From --access_policy, --token_public_keys, --token_issuer,
// --token_audience, --token_clock_skew, --access_reload_interval,
// --rate_limit_per_second, --rate_limit_burst and
// --max_watch_streams_per_principal.
AccessSettings AccessSettingsFromFlags();

// What the guard decided for one call.
struct CallAccess {
  absl::Status status;    // OK: the handler may run.
  std::string principal;  // "user:dev-admin", "spiffe://salesmeet/analytics";
                          // "" when the caller proved nothing.
  bool pii = false;       // May see personal data.
  bool holds_stream = false;  // Release with EndStream when the call ends.
};

// The caller's proven identities, for tests and the guard.
struct CallerIdentity {
  std::string principal;
  std::vector<std::string> members;
};
// From a client certificate: its URI SANs (e.g. spiffe://salesmeet/x) and
// "dns:" + each DNS SAN. Empty when the peer presented none.
CallerIdentity CertificateIdentity(const grpc::AuthContext* auth);

class AccessGuard {
 public:
  // Loads the policy and keys now: a missing or invalid file stops start-up.
  static absl::StatusOr<std::unique_ptr<AccessGuard>> Create(
      AccessSettings settings, Clock clock, prometheus::Registry& metrics);
  ~AccessGuard();
  AccessGuard(const AccessGuard&) = delete;
  AccessGuard& operator=(const AccessGuard&) = delete;

  // `method` is gRPC's "/pkg.Service/Method"; `authorization` the value of
  // the authorization header, empty when absent; `stream`: a server stream
  // that counts against the per-principal cap.
  CallAccess Admit(absl::string_view method, const grpc::AuthContext* auth,
                   absl::string_view authorization, bool stream);
  void EndStream(const std::string& principal);

  // Re-reads the policy and key files if they changed; the reload thread
  // calls it every reload_interval. A file that no longer parses keeps the
  // previous version (and says so in the log and a metric).
  void ReloadIfChanged();

 private:
  AccessGuard(AccessSettings settings, Clock clock,
              prometheus::Registry& metrics);
  absl::StatusOr<CallerIdentity> Authenticate(const grpc::AuthContext* auth,
                                              absl::string_view authorization);
  absl::Status TakeToken(const std::string& principal);
  absl::Status OpenStream(const std::string& principal);
  CallAccess Refuse(absl::string_view method, CallAccess access,
                    absl::Status status);

  struct Bucket {
    double tokens;
    absl::Time updated;
  };

  const AccessSettings settings_;
  const Clock clock_;
  absl::Mutex mu_;
  std::shared_ptr<const AccessPolicy> policy_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<const JwtVerifier> verifier_ ABSL_GUARDED_BY(mu_);
  std::string policy_text_ ABSL_GUARDED_BY(mu_);
  std::string keys_text_ ABSL_GUARDED_BY(mu_);
  absl::Mutex limits_mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(limits_mu_);
  absl::flat_hash_map<std::string, int> streams_ ABSL_GUARDED_BY(limits_mu_);

  prometheus::Family<prometheus::Counter>& refusals_;
  prometheus::Family<prometheus::Counter>& reloads_;
  prometheus::Gauge& open_streams_;

  absl::Notification stop_;
  std::thread reloader_;
};

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_SECURITY_ACCESS_GUARD_H_
