"""The real grpcurl, for tests that must see what an operator sees: its JSON
mapping (a FieldMask given as a string is refused, for one) and its use of
server reflection differ from python3-grpcio's.

grpcurl is not packaged in Debian 12. find_grpcurl() looks for it in this
order: $SALESMEET_GRPCURL, the PATH, then ../shared/tools/bin/grpcurl beside
the repository (the developers' and CI's copy). A test must still run
without it, saying so; SALESMEET_GRPCURL=off pretends it is not there.
"""

import json
import os
import pathlib
import queue
import re
import shutil
import signal
import subprocess
import threading

import grpc
from google.protobuf import json_format
from google.rpc import status_pb2

import harness

GRPCURL_ENV = "SALESMEET_GRPCURL"
SHARED_GRPCURL = (pathlib.Path(__file__).resolve().parents[3] / "shared" /
                  "tools" / "bin" / "grpcurl")

# grpcurl exits with 64 + the gRPC status code when the RPC fails, and with
# 1 when it fails itself (bad JSON, a service reflection cannot describe).
RPC_ERROR_EXIT_BASE = 64


def find_grpcurl():
    """The grpcurl to use, or None: $SALESMEET_GRPCURL ("off": None), PATH,
    then the shared tools folder."""
    configured = os.environ.get(GRPCURL_ENV)
    if configured == "off":
        return None
    if configured:
        if not os.access(configured, os.X_OK):
            raise AssertionError(f"${GRPCURL_ENV}={configured} is not an "
                                 "executable")
        return configured
    on_path = shutil.which("grpcurl")
    if on_path:
        return on_path
    if os.access(SHARED_GRPCURL, os.X_OK):
        return str(SHARED_GRPCURL)
    return None


def version(path):
    """What `grpcurl -version` prints (on stderr), e.g. "grpcurl v1.9.1"."""
    done = subprocess.run([path, "-version"], capture_output=True, text=True,
                          timeout=10)
    return (done.stderr or done.stdout).strip()


class GrpcurlFailed(AssertionError):
    """grpcurl itself failed (exit 1): bad JSON, an unknown symbol."""


class RpcFailed(Exception):
    """The call reached the server and failed; error is a harness.RichError
    rebuilt from what grpcurl printed."""

    def __init__(self, error):
        super().__init__(str(error))
        self.error = error


def _status_code(name):
    """grpcurl prints codes in Go's spelling ("InvalidArgument")."""
    upper = re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()
    return grpc.StatusCode[upper]


def _error_details(text):
    """The JSON objects grpcurl lists under "Details:", each line of which
    it prefixes with spaces and a tab."""
    details = []
    for chunk in re.split(r"^\s*\d+\)\t", text, flags=re.M)[1:]:
        lines = [re.sub(r"^\s*\t", "", line) for line in chunk.splitlines()]
        details.append(json.loads("\n".join(lines)))
    return details


def parse_rpc_error(stderr):
    """A harness.RichError from grpcurl's "ERROR: Code: ... Message: ...
    Details: ..." output."""
    code = re.search(r"^\s*Code: (\w+)$", stderr, flags=re.M)
    if code is None:
        raise GrpcurlFailed(f"grpcurl printed no status code:\n{stderr}")
    message = re.search(r"^\s*Message: (.*)$", stderr, flags=re.M)
    error = harness.RichError(code=_status_code(code.group(1)),
                              message=message.group(1) if message else "")
    error.status = status_pb2.Status(code=error.code.value[0],
                                     message=error.message)
    _, _, details = stderr.partition("Details:")
    for detail in _error_details(details):
        type_url = detail.pop("@type", "")
        for name, message_type in harness.DETAIL_TYPES.items():
            if type_url.endswith("/" + message_type.DESCRIPTOR.full_name):
                setattr(error, name,
                        json_format.ParseDict(detail, message_type()))
                break
        else:
            error.other_details.append(detail)
    return error


def run(argv, timeout):
    """Runs a grpcurl command line (argv[0] the binary) and returns what it
    printed. Raises RpcFailed for an RPC error, GrpcurlFailed otherwise."""
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=timeout)
    if done.returncode == 0:
        return done.stdout
    if done.returncode > RPC_ERROR_EXIT_BASE:
        raise RpcFailed(parse_rpc_error(done.stderr))
    raise GrpcurlFailed(f"grpcurl exited {done.returncode}:\n{done.stderr}")


def json_messages(text):
    """The JSON objects grpcurl printed one after another."""
    decoder, messages, at = json.JSONDecoder(), [], 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at == len(text):
            return messages
        message, at = decoder.raw_decode(text, at)
        messages.append(message)


def run_stream(argv, first_timeout, idle):
    """Runs a server-streaming call as an operator does: reads what grpcurl
    prints until it falls silent for `idle` seconds after the first message,
    then presses Ctrl-C (SIGINT). Returns the messages printed."""
    process = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    chunks = queue.Queue()

    def pump():
        for line in process.stdout:
            chunks.put(line)
        chunks.put(None)

    threading.Thread(target=pump, daemon=True).start()
    printed, ended = "", False
    while True:
        try:
            line = chunks.get(timeout=idle if printed.strip() else first_timeout)
        except queue.Empty:
            break
        if line is None:
            ended = True
            break
        printed += line
    if not ended:
        process.send_signal(signal.SIGINT)
    try:
        _, stderr = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        _, stderr = process.communicate()
    if ended and process.returncode > RPC_ERROR_EXIT_BASE:
        raise RpcFailed(parse_rpc_error(stderr))
    if ended and process.returncode != 0:
        raise GrpcurlFailed(f"grpcurl exited {process.returncode}:\n{stderr}")
    return json_messages(printed)
