"""What up_script_secure_e2e_test needs to talk to SALESMEET_SECURE=1
scripts/up.sh: mutual TLS channels with the dev PKI's files and a token,
tokens of its own (forged ones included), and the grpcurl commands up.sh
prints, found in its output, parsed, and run as printed through the real
grpcurl or replayed with python3-grpcio.
"""

import dataclasses
import os
import re
import shlex
import subprocess
import time

import grpc
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

import grpcurl_cli
import grpcurl_replay
import harness
from harness import RPC_TIMEOUT

# The replay finds request and response types in the default pool.
grpcurl_replay.import_generated_modules()

# The dev tokens' claims (scripts/dev_pki.sh) and the services' defaults.
ISSUER = "salesmeet-dev"
AUDIENCE = "salesmeet"
ROLES = ("admin", "scheduler", "viewer", "analyst")
# grpcurl's wait for a connection that never completes (plaintext to a TLS
# port); its default is 10 s.
CONNECT_TIMEOUT_S = "3"


def read(path):
    with open(path, "rb") as f:
        return f.read()


class Pki:
    """The files scripts/dev_pki.sh made in DATA_DIR/pki."""

    def __init__(self, directory):
        self.dir = directory
        self.ca = os.path.join(directory, "ca.crt")
        self.operator_cert = os.path.join(directory, "operator.crt")
        self.operator_key = os.path.join(directory, "operator.key")
        self.signing_key = os.path.join(directory, "jwt-signing.key")
        self.signing_pub = os.path.join(directory, "jwt-signing.pub")

    def token_path(self, role):
        return os.path.join(self.dir, "tokens", f"{role}.jwt")

    def token(self, role):
        return read(self.token_path(role)).decode().strip()

    def credentials(self, token=None, client_cert=True):
        """TLS trusting the dev CA, with the operator's certificate unless
        client_cert is False, and token as "authorization: Bearer" on every
        call when given."""
        credentials = grpc.ssl_channel_credentials(
            root_certificates=read(self.ca),
            private_key=read(self.operator_key) if client_cert else None,
            certificate_chain=read(self.operator_cert) if client_cert else None)
        if token is None:
            return credentials
        return grpc.composite_channel_credentials(
            credentials, grpc.access_token_call_credentials(token))

    def channel(self, address, token=None, client_cert=True):
        return grpc.secure_channel(address, self.credentials(token, client_cert))

    def grpcurl_options(self, token=None):
        """grpcurl's options for the same: CA, operator certificate, and the
        token on the call itself only (-rpc-header): grpcurl's reflection
        requests go with the operator's certificate alone, which the policy
        grants reflection, so that a refused token is refused by the method
        and not already by reflection."""
        options = ["-cacert", self.ca, "-cert", self.operator_cert,
                   "-key", self.operator_key]
        if token is not None:
            options += ["-rpc-header", f"authorization: Bearer {token}"]
        return options


def sign_token(private_pem, subject="dev-admin", groups=("salesmeet-admins",)):
    """An RS256 token with the dev tokens' claims, valid from a minute ago
    on the pinned clock (the services run on it) for an hour."""
    issued = int(harness.now()) - 60
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": subject,
              "groups": list(groups), "iat": issued, "nbf": issued,
              "exp": issued + 3600}
    return jwt.encode(claims, private_pem, algorithm="RS256")


def new_rsa_key_pem():
    """A fresh RSA 2048 private key (PKCS#8 PEM) that no service trusts."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM,
                             serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def expect_rpc_error(test, code, call):
    """Runs call(), asserts it fails with code, and returns the error with
    its google.rpc details decoded."""
    try:
        response = call()
    except grpc.RpcError as error:
        rich = harness.rich_error(error)
    else:
        test.fail(f"expected {code.name}, but the call succeeded: {response}")
    test.assertEqual(rich.code, code, str(rich))
    return rich


# -- the commands up.sh prints ------------------------------------------------

def printed_commands(text):
    """Each grpcurl command in up.sh's output, as printed (its lines joined
    by newlines): from a line that starts with "grpcurl" to one that neither
    ends in a backslash nor leaves a '...' open."""
    commands, current = [], None
    for line in text.splitlines():
        if current is None:
            if not line.lstrip().startswith("grpcurl "):
                continue
            current = []
        current.append(line)
        joined = "\n".join(current)
        if not line.endswith("\\") and joined.count("'") % 2 == 0:
            commands.append(joined)
            current = None
    if current is not None:
        raise AssertionError(f"unfinished command at the end:\n{current}")
    return commands


@dataclasses.dataclass
class Command:
    """A printed grpcurl command, parsed."""

    text: str
    options: dict
    token_path: str
    address: str
    verb: str        # list, describe or invoke
    target: str = ""  # describe: the symbol; invoke: pkg.Service/Method
    data: str = "{}"

    @property
    def streams(self):
        return (self.verb == "invoke" and
                grpcurl_replay.method_descriptor(self.target).server_streaming)


def parse_command(text):
    """Parses one printed command. Its options must be -cacert, -cert, -key,
    -H "authorization: Bearer $(cat FILE)" and -d, nothing else."""
    argv = shlex.split(text.replace("\\\n", " "))
    if argv[0] != "grpcurl":
        raise AssertionError(f"not a grpcurl command: {text}")
    args, options = argv[1:], {}
    while args and args[0].startswith("-"):
        option = args.pop(0)
        if option not in ("-cacert", "-cert", "-key", "-H", "-d") or not args:
            raise AssertionError(f"unexpected option {option!r} in: {text}")
        options[option] = args.pop(0)
    header = re.fullmatch(r"authorization: Bearer \$\(cat (.+)\)",
                          options.get("-H", ""))
    if header is None:
        raise AssertionError(f"no -H 'authorization: Bearer $(cat FILE)' "
                             f"in: {text}")
    token_path = shlex.split(header.group(1))[0]
    address, rest = args[0], args[1:]
    command = Command(text, options, token_path, address, "invoke")
    if rest == ["list"]:
        command.verb = "list"
    elif len(rest) == 2 and rest[0] == "describe":
        command.verb, command.target = "describe", rest[1]
    elif len(rest) == 1:
        command.target = rest[0]
        command.data = options.get("-d", "{}")
    else:
        raise AssertionError(f"a form of grpcurl this test does not know: "
                             f"{text}")
    return command


def replay(command):
    """Does what the command does with python3-grpcio, with the files and
    the token it names: the service names, or the response as proto3 JSON
    (a stream's first message). Raises grpcurl_cli.RpcFailed."""
    options = command.options
    credentials = grpc.ssl_channel_credentials(
        root_certificates=read(options["-cacert"]),
        private_key=read(options["-key"]),
        certificate_chain=read(options["-cert"]))
    token = read(command.token_path).decode().strip()
    credentials = grpc.composite_channel_credentials(
        credentials, grpc.access_token_call_credentials(token))
    with grpc.secure_channel(command.address, credentials) as channel:
        if command.verb == "list":
            return harness.list_services(channel)
        if command.verb == "describe":
            return grpcurl_replay.describe(channel, command.target)
        return grpcurl_replay.invoke(channel, command.target, command.data)


class GrpcurlShell:
    """Runs printed commands as a reader pastes them into bash, with the real
    grpcurl first on the PATH."""

    def __init__(self, grpcurl, bin_dir):
        self.grpcurl = grpcurl
        link = os.path.join(bin_dir, "grpcurl")
        if not os.path.exists(link):
            os.symlink(grpcurl, link)
        self.path = f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}"

    def run(self, command):
        """The JSON messages (or, for list, the lines) the command printed.
        Raises grpcurl_cli.RpcFailed or GrpcurlFailed."""
        # env and exec: the shell becomes grpcurl, so that run_stream's
        # Ctrl-C reaches it.
        argv = ["env", f"PATH={self.path}", "bash", "-c",
                "exec " + command.text.lstrip()]
        if command.streams:
            return grpcurl_cli.run_stream(argv, RPC_TIMEOUT,
                                          grpcurl_replay.STREAM_IDLE)
        printed = grpcurl_cli.run(argv, RPC_TIMEOUT)
        if command.verb == "invoke":
            return grpcurl_cli.json_messages(printed)
        return printed.split()

    def call(self, address, target, data, token=None, pki=None):
        """grpcurl with the operator's certificate and token (as an argv, no
        shell); raises grpcurl_cli.RpcFailed."""
        argv = ([self.grpcurl] + pki.grpcurl_options(token) +
                ["-d", data, address, target])
        return grpcurl_cli.json_messages(grpcurl_cli.run(argv, RPC_TIMEOUT))

    def list(self, address, pki, token=None):
        argv = [self.grpcurl] + pki.grpcurl_options(token) + [address, "list"]
        return grpcurl_cli.run(argv, RPC_TIMEOUT).split()

    def plaintext_refused(self, address):
        """Whether `grpcurl -plaintext ADDRESS list` fails without listing."""
        done = subprocess.run(
            [self.grpcurl, "-plaintext", "-connect-timeout", CONNECT_TIMEOUT_S,
             address, "list"], stdin=subprocess.DEVNULL, capture_output=True,
            text=True, timeout=30)
        return done.returncode != 0 and "grpc.health.v1.Health" not in done.stdout


def plaintext_health_code(address, timeout=5.0):
    """The gRPC status a plaintext health check gets (UNAVAILABLE when the
    TLS port refuses it)."""
    with grpc.insecure_channel(address) as channel:
        try:
            harness.health_status(channel, timeout=timeout)
        except grpc.RpcError as error:
            return error.code()
    return grpc.StatusCode.OK


def expected_role(command):
    """The token role up.sh should print for a command: scheduler for
    booking, admin for participant writes, analyst for reports, viewer for
    the rest."""
    target = command.target
    if "AnalyticsService/" in target:
        return "analyst"
    if target.endswith("SchedulingService/CreateMeeting"):
        return "scheduler"
    if re.search(r"ParticipantService/(Create|Update|Delete)", target):
        return "admin"
    return "viewer"


def audit_lines(log_path):
    """The audit records in a service's log."""
    with open(log_path, encoding="utf-8", errors="replace") as f:
        records, _ = harness.parse_log_lines(f.read())
    return [r for r in records if r.get("msg") == "audit"]


def wait_for_audit(log_path, predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while True:
        found = [r for r in audit_lines(log_path) if predicate(r)]
        if found or time.monotonic() >= deadline:
            return found
        time.sleep(0.1)
