#include "common/security/tls_credentials.h"

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_certificate_verifier.h>
#include <grpcpp/security/tls_credentials_options.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"

ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate chain the gRPC server presents; empty serves "
          "plaintext (development only)");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA bundle client certificates must chain to; when set, every "
          "client must present one (mutual TLS)");
ABSL_FLAG(absl::Duration, tls_refresh_interval, absl::Seconds(10),
          "How often certificate files are re-read, so rotated certificates "
          "apply without a restart");
ABSL_FLAG(std::string, peer_tls_ca, "",
          "PEM CA bundle to trust when calling peer services; empty calls "
          "them in plaintext");
ABSL_FLAG(std::string, peer_tls_cert, "",
          "Client certificate for calls to peers (mutual TLS); empty uses "
          "--tls_cert");
ABSL_FLAG(std::string, peer_tls_key, "",
          "Private key of --peer_tls_cert; empty uses --tls_key");

namespace salesmeet {
namespace {

using grpc::experimental::FileWatcherCertificateProvider;

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

absl::Status FileError(absl::string_view flag, absl::string_view path,
                       absl::string_view problem) {
  return absl::FailedPreconditionError(
      absl::StrCat("--", flag, "=", path, ": ", problem));
}

std::unique_ptr<BIO, BioFree> OpenFile(const std::string& path) {
  return std::unique_ptr<BIO, BioFree>(BIO_new_file(path.c_str(), "r"));
}

absl::StatusOr<std::unique_ptr<X509, X509Free>> ReadCertificate(
    absl::string_view flag, const std::string& path) {
  auto bio = OpenFile(path);
  if (bio == nullptr) return FileError(flag, path, "cannot read the file");
  std::unique_ptr<X509, X509Free> cert(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (cert == nullptr) {
    return FileError(flag, path, "no PEM certificate in the file");
  }
  return cert;
}

absl::Status CheckKeyPair(absl::string_view cert_flag,
                          const std::string& cert_path,
                          absl::string_view key_flag,
                          const std::string& key_path) {
  if (key_path.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("--", cert_flag, " is set but --", key_flag, " is not"));
  }
  auto cert = ReadCertificate(cert_flag, cert_path);
  if (!cert.ok()) return cert.status();
  auto bio = OpenFile(key_path);
  if (bio == nullptr) return FileError(key_flag, key_path, "cannot read");
  std::unique_ptr<EVP_PKEY, KeyFree> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (key == nullptr) {
    return FileError(key_flag, key_path, "no unencrypted PEM private key");
  }
  if (X509_check_private_key(cert->get(), key.get()) != 1) {
    return FileError(key_flag, key_path,
                     absl::StrCat("does not match --", cert_flag));
  }
  return absl::OkStatus();
}

unsigned int RefreshSeconds(absl::Duration refresh) {
  return static_cast<unsigned int>(
      std::max<int64_t>(1, absl::ToInt64Seconds(refresh)));
}

}  // namespace

ServerTlsFiles ServerTlsFilesFromFlags() {
  ServerTlsFiles files;
  files.cert = absl::GetFlag(FLAGS_tls_cert);
  files.key = absl::GetFlag(FLAGS_tls_key);
  files.client_ca = absl::GetFlag(FLAGS_tls_client_ca);
  files.refresh = absl::GetFlag(FLAGS_tls_refresh_interval);
  return files;
}

PeerTlsFiles PeerTlsFilesFromFlags() {
  PeerTlsFiles files;
  files.ca = absl::GetFlag(FLAGS_peer_tls_ca);
  files.cert = absl::GetFlag(FLAGS_peer_tls_cert);
  files.key = absl::GetFlag(FLAGS_peer_tls_key);
  if (files.cert.empty() && files.key.empty()) {
    files.cert = absl::GetFlag(FLAGS_tls_cert);
    files.key = absl::GetFlag(FLAGS_tls_key);
  }
  files.refresh = absl::GetFlag(FLAGS_tls_refresh_interval);
  return files;
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const ServerTlsFiles& files) {
  if (files.cert.empty()) {
    if (!files.key.empty() || !files.client_ca.empty()) {
      return absl::FailedPreconditionError(
          "--tls_key and --tls_client_ca need --tls_cert");
    }
    return grpc::InsecureServerCredentials();
  }
  if (absl::Status pair =
          CheckKeyPair("tls_cert", files.cert, "tls_key", files.key);
      !pair.ok()) {
    return pair;
  }
  if (!files.client_ca.empty()) {
    if (auto ca = ReadCertificate("tls_client_ca", files.client_ca); !ca.ok()) {
      return ca.status();
    }
  }
  auto provider = std::make_shared<FileWatcherCertificateProvider>(
      files.key, files.cert, files.client_ca, RefreshSeconds(files.refresh));
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_identity_key_cert_pairs();
  if (files.client_ca.empty()) {
    options.set_cert_request_type(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  } else {
    options.watch_root_certs();
    options.set_cert_request_type(
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  }
  return grpc::experimental::TlsServerCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakePeerCredentials(
    const PeerTlsFiles& files) {
  if (files.ca.empty()) return grpc::InsecureChannelCredentials();
  if (auto ca = ReadCertificate("peer_tls_ca", files.ca); !ca.ok()) {
    return ca.status();
  }
  std::shared_ptr<FileWatcherCertificateProvider> provider;
  if (files.cert.empty()) {
    provider = std::make_shared<FileWatcherCertificateProvider>(
        files.ca, RefreshSeconds(files.refresh));
  } else {
    if (absl::Status pair = CheckKeyPair("peer_tls_cert", files.cert,
                                         "peer_tls_key", files.key);
        !pair.ok()) {
      return pair;
    }
    provider = std::make_shared<FileWatcherCertificateProvider>(
        files.key, files.cert, files.ca, RefreshSeconds(files.refresh));
  }
  grpc::experimental::TlsChannelCredentialsOptions options;
  options.set_certificate_provider(provider);
  options.watch_root_certs();
  if (!files.cert.empty()) options.watch_identity_key_cert_pairs();
  options.set_verify_server_certs(true);
  options.set_certificate_verifier(
      std::make_shared<grpc::experimental::HostNameCertificateVerifier>());
  return grpc::experimental::TlsCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>>
PeerCredentialsFromFlags() {
  static const auto* credentials =
      new absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>>(
          MakePeerCredentials(PeerTlsFilesFromFlags()));
  return *credentials;
}

}  // namespace salesmeet
