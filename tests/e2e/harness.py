"""Runs salesmeet service binaries for end-to-end tests and talks to them.

Every service binary shares one runtime (common/server_runner.cc), so one
harness fits them all:

  * ServiceProcess starts a binary on free ports (--port=0, --metrics_port=0),
    learns the ports from its JSON "serving" log line, captures stderr to a
    file, and stops it with a signal, returning the exit code.
  * ServiceTestCase is a unittest.TestCase that starts servers for a class or
    a single test and prints the tail of their logs when a test fails.
  * health_status, list_services and rich_error cover the standard health
    and reflection services and the google.rpc error details every service
    sends.

Environment: PYTHONPATH must hold the generated Python stubs (build/py) and
this directory; SALESMEET_BIN_DIR is the build's services/ directory, so a
service's binary is $SALESMEET_BIN_DIR/<service>/<service>.
SALESMEET_TEST_STORE=postgresql runs the tests' databases on PostgreSQL
instead of SQLite (see database_url).
"""

import atexit
import dataclasses
import datetime
import fcntl
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

import grpc
from google.protobuf import descriptor_pb2
from google.rpc import error_details_pb2
from google.rpc import status_pb2
from grpc_std import health_pb2
from grpc_std import health_pb2_grpc
from grpc_std import reflection_pb2
from grpc_std import reflection_pb2_grpc

BIN_DIR_ENV = "SALESMEET_BIN_DIR"

# Deadline for one RPC in tests. Generous for a loaded 2-core CI machine, but
# finite: a hung server fails the test instead of hanging it.
RPC_TIMEOUT = 10.0

# How long a binary may take from exec to its "serving" line.
READY_TIMEOUT = 20.0

STATUS_DETAILS_KEY = "grpc-status-details-bin"

# The ErrorInfo domain of every error a salesmeet service raises itself.
DOMAIN = "salesmeet.dev"
# Raised by gRPC itself rather than by a service, so without its details.
TRANSPORT_CODES = {grpc.StatusCode.RESOURCE_EXHAUSTED, grpc.StatusCode.UNAVAILABLE,
                   grpc.StatusCode.CANCELLED, grpc.StatusCode.DEADLINE_EXCEEDED}

# "Now" is pinned, so that no outcome depends on the day the suite runs:
# every service a test starts gets --testing_now, read off now() as it
# starts, and tests ask now() instead of the wall clock. Both then run on
# with real time from the same instant. SALESMEET_TESTING_NOW (RFC 3339)
# moves it; by default it is a Thursday morning in June 2027.
TESTING_NOW_ENV = "SALESMEET_TESTING_NOW"
PINNED_START = os.environ.get(TESTING_NOW_ENV) or "2027-06-10T08:20:00Z"
_PINNED_SECONDS = datetime.datetime.fromisoformat(
    PINNED_START.replace("Z", "+00:00")).timestamp()
_MONOTONIC_AT_PIN = time.monotonic()


def now():
    """Unix seconds on the pinned clock: PINNED_START plus the real time
    since this module was loaded."""
    return _PINNED_SECONDS + (time.monotonic() - _MONOTONIC_AT_PIN)


def now_rfc3339():
    """now() as --testing_now takes it."""
    moment = datetime.datetime.fromtimestamp(now(), datetime.timezone.utc)
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")

# One directory for every server log of this test run, kept until the
# interpreter exits so a failing test can still print a stopped server's log.
# SALESMEET_E2E_KEEP_LOGS=1 keeps it afterwards, for a closer look.
_LOG_ROOT = tempfile.mkdtemp(prefix="salesmeet-e2e-logs-")
if os.environ.get("SALESMEET_E2E_KEEP_LOGS") != "1":
    atexit.register(shutil.rmtree, _LOG_ROOT, ignore_errors=True)
_log_counter = 0
_log_counter_lock = threading.Lock()


class ServiceStartError(RuntimeError):
    """The binary exited or stayed silent instead of reporting "serving"."""


def binary_path(service):
    """$SALESMEET_BIN_DIR/<service>/<service>, checked to be executable."""
    bin_dir = os.environ.get(BIN_DIR_ENV)
    if not bin_dir:
        raise RuntimeError(
            f"{BIN_DIR_ENV} is not set; point it at the build's services/ "
            "directory (ctest sets it)")
    path = os.path.join(bin_dir, service, service)
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"{path} is not an executable; build it first")
    return path


def sqlite_url(path):
    """The --db value for an SQLite file: sqlite:///absolute/path.db."""
    return "sqlite://" + os.path.abspath(path)


# The store the tests' databases use, from SALESMEET_TEST_STORE: "sqlite"
# (the default) or "postgresql", which runs one PostgreSQL cluster for this
# test process (postgres.PostgresCluster, started on first use, stopped at
# exit) and gives each database a database of its own there.
TEST_STORE_ENV = "SALESMEET_TEST_STORE"
TEST_STORE = os.environ.get(TEST_STORE_ENV) or "sqlite"
if TEST_STORE not in ("sqlite", "postgresql"):
    raise RuntimeError(f"{TEST_STORE_ENV} is {TEST_STORE!r}; "
                       "it takes sqlite or postgresql")
_test_cluster = None
_test_databases = {}
_test_store_lock = threading.Lock()


def shared_cluster():
    """The PostgreSQL cluster this test process shares, started on first
    use and stopped when the process exits."""
    global _test_cluster
    import postgres  # Imports this module; only needed here.
    with _test_store_lock:
        if _test_cluster is None:
            # Its server dies with the thread that starts it (as the
            # services do); this one is meant to live as long as the process.
            cluster = postgres.PostgresCluster(
                die_with_thread=threading.current_thread() is threading.main_thread())
            atexit.register(cluster.close)
            _test_cluster = cluster.start()
        return _test_cluster


def database_url(path):
    """The --db value of a test's database that would live at path.

    By default that is the SQLite file sqlite_url(path). With
    SALESMEET_TEST_STORE=postgresql it is a PostgreSQL database in
    shared_cluster() that stands for path, created on first use: the same
    path gives the same database (a restarted server finds its data), a new
    path (a new temporary directory) a new, empty one."""
    if TEST_STORE == "sqlite":
        return sqlite_url(path)
    path = os.path.abspath(path)
    cluster = shared_cluster()
    with _test_store_lock:
        if path not in _test_databases:
            stem = "".join(c if c.isalnum() else "_" for c in
                           os.path.splitext(os.path.basename(path))[0].lower())
            _test_databases[path] = cluster.create_database(
                f"t{len(_test_databases) + 1}_{stem[:40]}")
        return _test_databases[path]


# Lock files of the ports this process chose, held until it exits so that
# no other test process chooses them meanwhile.
_reserved_ports = []


def _ephemeral_range():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low, high = map(int, f.read().split())
            return low, high
    except (OSError, ValueError):
        return 32768, 60999


def free_port(host="127.0.0.1"):
    """A TCP port that was free a moment ago, for a peer's address that must
    be known before it starts. Prefer --port=0 where the binary allows it.

    The port is outside the kernel's ephemeral range, so no listener on port
    0 and no outgoing connection can take it before its user binds it (the
    race a port from bind(0) loses when tests run in parallel), and it is
    reserved by a lock file against other test processes."""
    low, high = _ephemeral_range()
    ranges = [(r0, r1) for r0, r1 in ((10000, low - 1), (high + 1, 65535))
              if r1 - r0 >= 1000]
    lock_dir = os.path.join(tempfile.gettempdir(), "salesmeet-test-ports")
    os.makedirs(lock_dir, exist_ok=True)
    for _ in range(500):
        port = random.randint(*random.choice(ranges)) if ranges else 0
        if port == 0:
            break
        lock = open(os.path.join(lock_dir, f"{port}.lock"), "w")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                s.bind((host, port))
        except OSError:
            lock.close()
            continue
        _reserved_ports.append(lock)
        return port
    # No room outside the ephemeral range: the kernel's choice, racy.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout, interval=0.02, what="condition"):
    """Polls predicate() until it returns something truthy, and returns it."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.1f}s waiting for {what}")
        time.sleep(interval)


def parse_log_lines(text):
    """Splits a JSON-lines log into (records, lines that are not JSON objects)."""
    records, garbage = [], []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            garbage.append(line)
            continue
        if isinstance(record, dict):
            records.append(record)
        else:
            garbage.append(line)
    return records, garbage


# A server must not outlive a test run that is killed (a CTest timeout, a
# Ctrl-C): util-linux's setpriv makes the kernel kill it when the thread that
# started it dies. It execs the binary, so the pid is the server's own. Start
# servers from a thread that lives as long as they should, e.g. the main one.
_SETPRIV = shutil.which("setpriv")
_PDEATHSIG_PREFIX = [_SETPRIV, "--pdeathsig", "KILL", "--"] if _SETPRIV else []


def _child_environment(extra):
    # The operator's own SALESMEET_* settings (a database, a port) must not
    # leak into a test server; only what the test asks for is passed.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SALESMEET_") or k == BIN_DIR_ENV}
    env.update(extra or {})
    return env


class ServiceProcess:
    """One run of a service binary.

    flags is a dict of extra command-line flags ({"db": url} becomes
    --db=url); env adds environment variables (e.g. SALESMEET_<FLAG>). The
    harness always passes --port=0, --metrics_port=0 and --bind_host unless
    flags override them, and --testing_now=now() as the binary starts unless
    flags set it (an empty value runs it on the real clock). flags and
    extra_env keep what was asked for, so that another run of the same
    server is ServiceProcess(p.service, p.flags, p.extra_env).
    """

    def __init__(self, service, flags=None, env=None, binary=None,
                 bind_host="127.0.0.1"):
        self.service = service
        self.binary = binary or binary_path(service)
        self.bind_host = bind_host
        self.flags = dict(flags or {})
        self.extra_env = dict(env or {})
        merged = {"port": 0, "metrics_port": 0, "bind_host": bind_host}
        merged.update(flags or {})
        self.args = [self.binary] + [f"--{k}={_flag_value(v)}"
                                     for k, v in merged.items()]
        self.pins_clock = "testing_now" not in merged
        self.env = _child_environment(env)
        global _log_counter
        with _log_counter_lock:
            _log_counter += 1
            n = _log_counter
        self.log_path = os.path.join(_LOG_ROOT, f"{n:03d}-{service}.stderr.log")
        self.stdout_path = os.path.join(_LOG_ROOT, f"{n:03d}-{service}.stdout.log")
        self.process = None
        self.grpc_port = None
        self.metrics_port = None
        self.ready_record = None
        self._channels = []

    # -- lifecycle ---------------------------------------------------------

    def start(self, ready_timeout=READY_TIMEOUT):
        """Starts the binary and waits for its "serving" line. Returns self."""
        return self.spawn().wait_ready(ready_timeout)

    def spawn(self):
        """Starts the binary without waiting for it (wait_ready() does), so
        that several can start at once. Returns self."""
        with open(self.log_path, "wb") as err, open(self.stdout_path, "wb") as out:
            clock = [f"--testing_now={now_rfc3339()}"] if self.pins_clock else []
            self.process = subprocess.Popen(
                _PDEATHSIG_PREFIX + self.args + clock, stdin=subprocess.DEVNULL,
                stdout=out, stderr=err, env=self.env, close_fds=True)
        return self

    def wait_ready(self, ready_timeout=READY_TIMEOUT):
        """Waits for the "serving" line of a spawned binary; kills it and
        raises ServiceStartError when it does not come. Returns self."""
        try:
            self.ready_record = self._wait_until_ready(ready_timeout)
        except BaseException:
            self.close()
            raise
        self.grpc_port = int(self.ready_record["grpc_port"])
        port = self.ready_record.get("metrics_port")
        self.metrics_port = int(port) if port is not None and int(port) > 0 else None
        return self

    def _wait_until_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            for record in self.log_records():
                if record.get("msg") == "serving" and "grpc_port" in record:
                    return record
            rc = self.process.poll()
            if rc is not None:
                raise ServiceStartError(
                    f"{self.service} exited with code {rc} before serving\n"
                    f"command: {' '.join(self.args)}\n{self.log_tail()}")
            if time.monotonic() >= deadline:
                raise ServiceStartError(
                    f"{self.service} did not report serving within "
                    f"{timeout:.0f}s\ncommand: {' '.join(self.args)}\n"
                    f"{self.log_tail()}")
            time.sleep(0.02)

    @property
    def pid(self):
        return self.process.pid

    @property
    def address(self):
        """host:port of the gRPC listener."""
        return f"{self.bind_host}:{self.grpc_port}"

    def running(self):
        return self.process is not None and self.process.poll() is None

    def send_signal(self, sig):
        self.process.send_signal(sig)

    def wait(self, timeout):
        """Waits for the process to exit and returns its exit code
        (negative: killed by that signal). Raises subprocess.TimeoutExpired."""
        return self.process.wait(timeout)

    def stop(self, sig=signal.SIGTERM, timeout=30.0):
        """Sends sig, waits for the exit and returns the exit code. If the
        process outlives timeout it is killed and AssertionError is raised."""
        self._close_channels()
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(
                f"{self.service} (pid {self.pid}) did not exit within "
                f"{timeout:.1f}s of signal {sig}; killed it\n{self.log_tail()}")

    def close(self):
        """Kills the process if it still runs. Safe to call more than once."""
        self._close_channels()
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def __enter__(self):
        return self.start() if self.process is None else self

    def __exit__(self, *exc):
        self.close()

    # -- gRPC --------------------------------------------------------------

    def channel(self, options=None, ready_timeout=RPC_TIMEOUT):
        """A new insecure channel to the server, connected before it is
        returned; closed when the process is stopped or closed."""
        channel = grpc.insecure_channel(self.address, options=options or [])
        try:
            grpc.channel_ready_future(channel).result(timeout=ready_timeout)
        except grpc.FutureTimeoutError:
            channel.close()
            raise AssertionError(
                f"cannot connect to {self.service} at {self.address}\n"
                f"{self.log_tail()}")
        self._channels.append(channel)
        return channel

    def _close_channels(self):
        for channel in self._channels:
            channel.close()
        self._channels = []

    # -- logs and metrics ----------------------------------------------------

    def log_text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", errors="replace")

    def log_records(self):
        """Every stderr line that is a JSON object, parsed, in order."""
        return parse_log_lines(self.log_text())[0]

    def log_tail(self, lines=40):
        text = self.log_text().splitlines()[-lines:]
        return (f"---- last {len(text)} lines of {self.service} stderr "
                f"({self.log_path}) ----\n" + "\n".join(text) +
                f"\n---- end of {self.service} stderr ----")

    def wait_for_log(self, predicate, timeout=5.0, what="a log line"):
        """Waits for a parsed log record that satisfies predicate; returns it."""
        def find():
            for record in self.log_records():
                if predicate(record):
                    return record
            return None
        return wait_for(find, timeout, what=f"{what} in {self.service}'s log")

    def fetch_metrics(self, timeout=5.0):
        """The Prometheus text exposition from the metrics port."""
        if self.metrics_port is None:
            raise AssertionError(f"{self.service} serves no metrics port")
        url = f"http://{self.bind_host}:{self.metrics_port}/metrics"
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8")


def _flag_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# -- standard services ------------------------------------------------------

def health_status(channel, service="", timeout=RPC_TIMEOUT):
    """grpc.health.v1.Health/Check: the status name, e.g. "SERVING"."""
    stub = health_pb2_grpc.HealthStub(channel)
    response = stub.Check(health_pb2.HealthCheckRequest(service=service),
                          timeout=timeout)
    return health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)


def list_services(channel, timeout=RPC_TIMEOUT):
    """The fully qualified service names that server reflection lists."""
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    request = reflection_pb2.ServerReflectionRequest(list_services="")
    responses = stub.ServerReflectionInfo(iter([request]), timeout=timeout)
    names = []
    for response in responses:
        if response.HasField("error_response"):
            raise AssertionError(
                f"reflection error: {response.error_response.error_message}")
        names.extend(s.name for s in response.list_services_response.service)
    return names


def file_descriptors_containing(channel, symbol, timeout=RPC_TIMEOUT):
    """What `grpcurl describe` fetches: the FileDescriptorProtos (the file
    and its dependencies) that define a fully qualified symbol."""
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    request = reflection_pb2.ServerReflectionRequest(file_containing_symbol=symbol)
    files = []
    for response in stub.ServerReflectionInfo(iter([request]), timeout=timeout):
        if response.HasField("error_response"):
            raise AssertionError(
                f"reflection error for {symbol}: "
                f"{response.error_response.error_message}")
        files.extend(
            descriptor_pb2.FileDescriptorProto.FromString(raw) for raw in
            response.file_descriptor_response.file_descriptor_proto)
    return files


# -- pagination (AIP-158) ------------------------------------------------------

def list_pages(rpc, request, max_pages=100, timeout=RPC_TIMEOUT):
    """Calls a List RPC page after page, following next_page_token from
    request's own page_token, and returns the responses.

    A token that repeats or paging that never ends is a server bug, and fails
    here instead of looping forever.
    """
    request = type(request).FromString(request.SerializeToString())
    responses, seen_tokens = [], set()
    for _ in range(max_pages):
        response = rpc(request, timeout=timeout)
        responses.append(response)
        token = response.next_page_token
        if not token:
            return responses
        if token in seen_tokens or token == request.page_token:
            raise AssertionError(
                f"paging does not advance: page {len(responses)} returned a "
                f"next_page_token that was already used ({token!r})")
        seen_tokens.add(token)
        request.page_token = token
    raise AssertionError(f"still more pages after {max_pages} pages")


# -- retries -----------------------------------------------------------------

def call_with_retry(rpc, request, retry_codes=(grpc.StatusCode.UNAVAILABLE,),
                    attempts=8, backoff=0.05, timeout=RPC_TIMEOUT):
    """Calls rpc(request), repeating it while it fails with one of
    retry_codes, as a careful client does (with the same request, so a
    request_id makes the repeat safe). Backs off exponentially from backoff
    seconds. Returns (response, calls made); raises the last error when it
    is of another code or attempts run out."""
    for attempt in range(1, attempts + 1):
        try:
            return rpc(request, timeout=timeout), attempt
        except grpc.RpcError as e:
            if e.code() not in retry_codes or attempt == attempts:
                raise
            time.sleep(backoff * (2 ** (attempt - 1)))
    raise AssertionError("unreachable")


# -- rich error details -----------------------------------------------------

DETAIL_TYPES = {
    "bad_request": error_details_pb2.BadRequest,
    "precondition_failure": error_details_pb2.PreconditionFailure,
    "error_info": error_details_pb2.ErrorInfo,
    "resource_info": error_details_pb2.ResourceInfo,
}


@dataclasses.dataclass
class RichError:
    """A failed RPC's status with its google.rpc details unpacked. A detail
    the server did not send is None."""

    code: grpc.StatusCode
    message: str
    status: status_pb2.Status = None
    bad_request: error_details_pb2.BadRequest = None
    precondition_failure: error_details_pb2.PreconditionFailure = None
    error_info: error_details_pb2.ErrorInfo = None
    resource_info: error_details_pb2.ResourceInfo = None
    other_details: list = dataclasses.field(default_factory=list)

    @property
    def fields(self):
        """The field names BadRequest calls invalid, in order."""
        if self.bad_request is None:
            return []
        return [v.field for v in self.bad_request.field_violations]

    def description(self, field):
        """What BadRequest says about field (the first such violation)."""
        for v in self.bad_request.field_violations if self.bad_request else []:
            if v.field == field:
                return v.description
        raise KeyError(f"no violation for {field!r}; got {self.fields}")

    @property
    def violations(self):
        """PreconditionFailure violations as (type, subject) pairs."""
        if self.precondition_failure is None:
            return []
        return [(v.type, v.subject) for v in self.precondition_failure.violations]

    def __str__(self):
        details = [f"{name}={{{_one_line(getattr(self, name))}}}"
                   for name in DETAIL_TYPES if getattr(self, name) is not None]
        return f"{self.code.name}: {self.message} [{' '.join(details)}]"


def _one_line(message):
    return str(message).replace("\n", " ").strip()


def rich_error(error):
    """Decodes a grpc.RpcError's grpc-status-details-bin trailer.

    Raises AssertionError when the trailer's google.rpc.Status disagrees with
    the call's own status code, as the gRPC error model forbids that.
    """
    result = RichError(code=error.code(), message=error.details() or "")
    for key, value in error.trailing_metadata() or ():
        if key != STATUS_DETAILS_KEY:
            continue
        status = status_pb2.Status.FromString(value)
        if status.code != error.code().value[0]:
            raise AssertionError(
                f"status details say code {status.code} but the call failed "
                f"with {error.code().name}")
        result.status = status
        for any_detail in status.details:
            for name, message_type in DETAIL_TYPES.items():
                if any_detail.Is(message_type.DESCRIPTOR):
                    detail = message_type()
                    any_detail.Unpack(detail)
                    setattr(result, name, detail)
                    break
            else:
                result.other_details.append(any_detail)
    return result


# -- test case base -----------------------------------------------------------

class ServiceTestCase(unittest.TestCase):
    """Starts servers for a class or a test, and shows their logs on failure.

    Start class-wide servers with cls.start_service() in setUpClass, and
    per-test ones with self.start_test_service(); both are killed afterwards
    if still running. When a test fails, or setUpClass raises, the tail of
    every such server's stderr is printed.
    """

    @classmethod
    def _class_servers(cls):
        if "_servers" not in cls.__dict__:
            cls._servers = []
        return cls._servers

    @classmethod
    def start_service(cls, service, flags=None, env=None, **kwargs):
        server = ServiceProcess(service, flags=flags, env=env, **kwargs)
        cls._class_servers().append(server)
        cls.addClassCleanup(server.close)
        return server.start()

    def start_test_service(self, service, flags=None, env=None, **kwargs):
        server = ServiceProcess(service, flags=flags, env=env, **kwargs)
        self.__dict__.setdefault("_test_servers", []).append(server)
        self.addCleanup(server.close)
        return server.start()

    @classmethod
    def start_replicas(cls, service, count, flags=None, env=None, **kwargs):
        """Starts count servers of service with the same flags (so the same
        --db: replicas), all at once, for the class. Each gets gRPC and
        metrics ports of its own from free_port(), kept in its flags, so a
        replica started again with start_service(r.service, r.flags) is back
        at its address. Returns them in order."""
        servers = []
        for _ in range(count):
            merged = {**(flags or {}), "port": free_port(),
                      "metrics_port": free_port()}
            server = ServiceProcess(service, flags=merged, env=env, **kwargs)
            cls._class_servers().append(server)
            cls.addClassCleanup(server.close)
            servers.append(server)
        for server in servers:
            server.spawn()
        for server in servers:
            server.wait_ready()
        return servers

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            cls.setUpServices()
        except BaseException:
            cls._print_logs(cls._class_servers(), f"{cls.__name__} setup failed")
            raise

    @classmethod
    def setUpServices(cls):
        """Override to start the class's servers and seed them."""

    def run(self, result=None):
        result = result if result is not None else self.defaultTestResult()
        problems = len(result.failures) + len(result.errors)
        outcome = super().run(result)
        if len(result.failures) + len(result.errors) > problems:
            servers = type(self)._class_servers() + self.__dict__.get(
                "_test_servers", [])
            self._print_logs(servers, self.id())
        return outcome

    @staticmethod
    def _print_logs(servers, why):
        for server in servers:
            if server.process is None or not os.path.exists(server.log_path):
                continue
            sys.stderr.write(f"\n[{why}] {server.log_tail()}\n")
        sys.stderr.flush()

    def expect_rpc_error(self, code, rpc, request, timeout=RPC_TIMEOUT):
        """Calls rpc(request), asserts it fails with code, and returns the
        error with its google.rpc details decoded."""
        try:
            response = rpc(request, timeout=timeout)
        except grpc.RpcError as e:
            error = rich_error(e)
        else:
            self.fail(f"expected {code.name}, but the call succeeded: "
                      f"{_one_line(response)}")
        self.assertEqual(error.code, code, str(error))
        if code not in TRANSPORT_CODES:
            # Every error the service itself raises carries an ErrorInfo in
            # the salesmeet.dev domain.
            self.assertIsNotNone(error.error_info, f"no ErrorInfo in {error}")
            self.assertEqual(error.error_info.domain, DOMAIN, str(error))
        return error
