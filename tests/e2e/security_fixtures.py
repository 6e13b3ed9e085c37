"""Shared set-up of the security end-to-end tests: a development PKI made by
scripts/dev_pki.sh (openssl), the three services under mutual TLS with the
default access policy, and callers holding each kind of credential.

Tokens are minted for the pinned clock (harness.now()), which is also the
services' clock, so no outcome depends on the day the suite runs.
Certificates are checked by OpenSSL against the real clock; dev_pki.sh makes
them valid from the moment it runs.
"""

import base64
import hmac
import json
import os
import shutil
import subprocess
import tempfile

import grpc
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.protobuf import symbol_database

import harness
from harness import RPC_TIMEOUT
from salesmeet.analytics.v1 import analytics_service_pb2, analytics_service_pb2_grpc
from salesmeet.participant.v1 import participant_service_pb2, participant_service_pb2_grpc
from salesmeet.scheduling.v1 import scheduling_service_pb2, scheduling_service_pb2_grpc
from scheduling_cache_e2e_test import RedisServer

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))
DEV_PKI = os.path.join(REPO, "scripts", "dev_pki.sh")
DEFAULT_POLICY = os.path.join(REPO, "deploy", "security", "access-policy.json")

# Each service's gRPC API: its stub and the descriptor listing its methods.
APIS = {
    "participant": (participant_service_pb2_grpc.ParticipantServiceStub,
                    participant_service_pb2.DESCRIPTOR.services_by_name[
                        "ParticipantService"]),
    "scheduling": (scheduling_service_pb2_grpc.SchedulingServiceStub,
                   scheduling_service_pb2.DESCRIPTOR.services_by_name[
                       "SchedulingService"]),
    "analytics": (analytics_service_pb2_grpc.AnalyticsServiceStub,
                  analytics_service_pb2.DESCRIPTOR.services_by_name[
                      "AnalyticsService"]),
}

# Codes that mean "the caller was refused before the handler ran".
REFUSALS = {grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED}


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class DevPki:
    """A directory made by scripts/dev_pki.sh, with its tokens and helpers
    to mint good and bad ones."""

    def __init__(self, path):
        self.path = path
        self.run("init")

    def run(self, *args):
        """Runs a dev_pki.sh subcommand on the pinned clock (tokens are
        minted for it); returns the last line it printed."""
        done = subprocess.run(
            ["bash", DEV_PKI, args[0], self.path, *args[1:]],
            env=dict(os.environ, SALESMEET_TESTING_NOW=harness.now_rfc3339()),
            capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise AssertionError(f"dev_pki.sh {' '.join(args)} failed:\n"
                                 f"{done.stdout}\n{done.stderr}")
        lines = done.stdout.strip().splitlines()
        return lines[-1] if lines else ""

    def file(self, name):
        return os.path.join(self.path, name)

    def read(self, name):
        with open(self.file(name), "rb") as f:
            return f.read()

    def role_token(self, role):
        return self.read(f"tokens/{role}.jwt").decode().strip()

    def mint(self, subject, groups, *extra):
        """A token signed by this PKI's key, e.g. mint("x", "g", "--ttl", "60")."""
        return self.run("token", subject, groups, *extra)

    def claims(self, **overrides):
        moment = int(harness.now())
        claims = {"iss": "salesmeet-dev", "aud": "salesmeet", "sub": "mallory",
                  "groups": ["salesmeet-admins"], "iat": moment, "nbf": moment,
                  "exp": moment + 3600}
        claims.update(overrides)
        return claims

    def forged_token(self):
        """Admin claims signed by a key nobody configured."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return jwt.encode(self.claims(), key, algorithm="RS256")

    def alg_none_token(self):
        header = b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
        payload = b64url(json.dumps(self.claims()).encode())
        return f"{header}.{payload}."

    def hmac_with_public_key_token(self):
        """HS256 keyed with the verifier's own public key: the classic
        algorithm-confusion forgery."""
        header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        payload = b64url(json.dumps(self.claims()).encode())
        signing_input = f"{header}.{payload}".encode()
        mac = hmac.new(self.read("jwt-signing.pub"), signing_input, "sha256")
        return f"{header}.{payload}.{b64url(mac.digest())}"

    def expired_token(self):
        private = serialization.load_pem_private_key(
            self.read("jwt-signing.key"), password=None)
        moment = int(harness.now())
        return jwt.encode(self.claims(iat=moment - 7200, nbf=moment - 7200,
                                      exp=moment - 3600), private,
                          algorithm="RS256")

    def wrong_audience_token(self):
        return self.mint("dev-admin", "salesmeet-admins", "--audience",
                         "another-api")

    def credentials(self, client="operator", ca_pki=None, cert_file=None,
                    key_file=None):
        """Channel credentials trusting ca_pki's CA (default this one's) and
        presenting client's certificate (None: none)."""
        ca = (ca_pki or self).read("ca.crt")
        if client is None:
            return grpc.ssl_channel_credentials(root_certificates=ca)
        cert = cert_file or self.file(f"{client}.crt")
        key = key_file or self.file(f"{client}.key")
        with open(cert, "rb") as c, open(key, "rb") as k:
            return grpc.ssl_channel_credentials(
                root_certificates=ca, private_key=k.read(),
                certificate_chain=c.read())


def secure_channel(server, credentials):
    """A channel to a TLS server on 127.0.0.1 that expects the name
    "localhost" in its certificate (dev_pki.sh puts both in)."""
    return grpc.secure_channel(
        f"localhost:{server.grpc_port}", credentials,
        options=[("grpc.ssl_target_name_override", "localhost")])


def tls_flags(pki, service, policy=DEFAULT_POLICY, **extra):
    """What a service needs to serve mutual TLS with the policy."""
    return {"tls_cert": pki.file(f"{service}.crt"),
            "tls_key": pki.file(f"{service}.key"),
            "tls_client_ca": pki.file("ca.crt"),
            "peer_tls_ca": pki.file("ca.crt"),
            "tls_refresh_interval": "1s",
            "access_policy": policy,
            "access_reload_interval": "1s",
            "token_public_keys": pki.file("jwt-signing.pub"),
            "drain_grace": "0s", **extra}


def request_for(descriptor, method):
    """An empty request of the method's input type."""
    return symbol_database.Default().GetSymbol(
        descriptor.methods_by_name[method].input_type.full_name)()


def call(channel, service, method, token=None, timeout=RPC_TIMEOUT):
    """Calls service.method with an empty request; returns the status code
    (OK included). A stream counts as admitted when it delivers a message or
    runs until its deadline."""
    stub_class, descriptor = APIS[service]
    rpc = getattr(stub_class(channel), method)
    metadata = [("authorization", f"Bearer {token}")] if token else None
    request = request_for(descriptor, method)
    try:
        if descriptor.methods_by_name[method].server_streaming:
            stream = rpc(request, timeout=1.5, metadata=metadata)
            next(stream, None)
            stream.cancel()
        else:
            rpc(request, timeout=timeout, metadata=metadata)
    except grpc.RpcError as e:
        if e.code() == grpc.StatusCode.DEADLINE_EXCEEDED and \
                descriptor.methods_by_name[method].server_streaming:
            return grpc.StatusCode.OK
        return e.code()
    return grpc.StatusCode.OK


def call_error(channel, service, method, token=None, request=None):
    """Calls and returns the harness.RichError; fails if the call succeeds."""
    stub_class, descriptor = APIS[service]
    rpc = getattr(stub_class(channel), method)
    metadata = [("authorization", f"Bearer {token}")] if token else None
    try:
        rpc(request or request_for(descriptor, method), timeout=RPC_TIMEOUT,
            metadata=metadata)
    except grpc.RpcError as e:
        return harness.rich_error(e)
    raise AssertionError(f"{service}.{method} succeeded")


class SecureServicesTestCase(harness.ServiceTestCase):
    """A dev PKI and, for the class, Redis plus the three services under
    mutual TLS with the default policy, each calling its peers as itself."""

    @classmethod
    def setUpServices(cls):
        cls.tmp = tempfile.mkdtemp(prefix="salesmeet-security-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.pki = DevPki(os.path.join(cls.tmp, "pki"))
        cls.redis = RedisServer(harness.free_port()).start()
        cls.addClassCleanup(cls.redis.kill)
        cls.participant = cls.start_service("participant", tls_flags(
            cls.pki, "participant",
            db=harness.database_url(os.path.join(cls.tmp, "participant.db"))))
        cls.scheduling = cls.start_service("scheduling", tls_flags(
            cls.pki, "scheduling",
            db=harness.database_url(os.path.join(cls.tmp, "scheduling.db")),
            participant=f"localhost:{cls.participant.grpc_port}",
            redis=f"127.0.0.1:{cls.redis.port}", participant_timeout="2s"))
        cls.analytics = cls.start_service("analytics", tls_flags(
            cls.pki, "analytics",
            db=harness.database_url(os.path.join(cls.tmp, "analytics.db")),
            participant=f"localhost:{cls.participant.grpc_port}",
            scheduling=f"localhost:{cls.scheduling.grpc_port}",
            feed_heartbeat="1s", feed_max_backoff="1s",
            people_cache_ttl="0s"))
        cls.servers = {"participant": cls.participant,
                       "scheduling": cls.scheduling,
                       "analytics": cls.analytics}
        cls.operator = cls.pki.credentials("operator")

    @classmethod
    def channel_to(cls, service, credentials=None):
        channel = secure_channel(cls.servers[service],
                                 credentials or cls.operator)
        cls.addClassCleanup(channel.close)
        return channel

    @classmethod
    def stub(cls, service, credentials=None):
        return APIS[service][0](cls.channel_to(service, credentials))
