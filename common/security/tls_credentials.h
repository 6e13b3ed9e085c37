#ifndef SALESMEET_COMMON_SECURITY_TLS_CREDENTIALS_H_
#define SALESMEET_COMMON_SECURITY_TLS_CREDENTIALS_H_

// TLS and mutual TLS for every server and peer channel, from gRPC's own TLS
// credentials with a FileWatcherCertificateProvider: certificate files are
// re-read every --tls_refresh_interval, so a rotated Secret (cert-manager)
// takes effect on new connections without a restart. Without certificate
// flags everything stays plaintext, for local development.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace salesmeet {

struct ServerTlsFiles {
  std::string cert;       // PEM chain; empty: plaintext.
  std::string key;        // PEM private key.
  std::string client_ca;  // When set, clients must present a certificate
                          // that chains to it.
  absl::Duration refresh = absl::Seconds(10);
};

struct PeerTlsFiles {
  std::string ca;    // Trust anchors for peers; empty: plaintext.
  std::string cert;  // This service's client certificate, for mTLS.
  std::string key;
  absl::Duration refresh = absl::Seconds(10);
};

// From --tls_cert, --tls_key, --tls_client_ca and --tls_refresh_interval.
ServerTlsFiles ServerTlsFilesFromFlags();
// From --peer_tls_ca, --peer_tls_cert and --peer_tls_key (the last two
// default to --tls_cert and --tls_key: one certificate with both the
// serverAuth and clientAuth usages is the service's identity both ways).
PeerTlsFiles PeerTlsFilesFromFlags();

// Checks the files now (readable, PEM, the key matches the certificate) so
// a mistake stops start-up with a clear message instead of failing every
// handshake later. FAILED_PRECONDITION naming the flag.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const ServerTlsFiles& files);
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakePeerCredentials(
    const PeerTlsFiles& files);

// The peer credentials the flags ask for, checked once per process; peer
// channels use them.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>>
PeerCredentialsFromFlags();

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_SECURITY_TLS_CREDENTIALS_H_
