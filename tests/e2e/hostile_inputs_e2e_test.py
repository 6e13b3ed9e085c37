"""The hostile-input battery: every RPC of every salesmeet service, found in
the protobuf descriptors (so a new RPC is attacked the day it is added),
gets malformed, oversized and hostile requests from a default python-grpcio
client, against the real participant, scheduling and analytics binaries and
a real redis-server.

For each method the battery takes a valid request built on a small seeded
organisation (hostile_baselines.py; for a method without one, the empty
request), and sends it again with one field at a time made hostile
(hostile_inputs.py), then raw payloads that do not decode. A last test
drives amounts to the int64 edge, where sums and products overflow. Every
answer is judged, and every problem is collected rather than stopping at
the first:

  * the service must not answer INTERNAL or UNKNOWN: a hostile value is the
    caller's mistake, not the server's (raw payloads that do not decode are
    reported apart, as gRPC itself may answer those);
  * a default client must be able to read every error: no RESOURCE_EXHAUSTED
    "metadata size exceeds limit" (python's default is 8 KiB), and the
    message plus the grpc-status-details-bin trailer stay under 6 KiB
    (DESIGN.md: "Errors stay small");
  * every INVALID_ARGUMENT names a field in a google.rpc.BadRequest, and
    every error the service raises carries an ErrorInfo in salesmeet.dev;
  * a value invalid by any reading (a NUL, 100k characters or elements, a
    Timestamp or Duration outside its type's range, unknown enum numbers,
    NaN ...) in a field the server reads must be refused, not stored;
  * an amount in a response is a valid, non-negative google.type.Money;
  * no answer may take longer than the call's deadline;
  * afterwards every process is alive and its health check says SERVING.

Each test fails with the list of its findings, grouped by kind, one line per
request: "Service/Method field=variant: got CODE, message len N, ...".

Run from tests/e2e:
  PYTHONPATH=<build>/py:. SALESMEET_BIN_DIR=<build>/services \\
      /usr/bin/python3 -m unittest -v hostile_inputs_e2e_test
"""

import collections
import dataclasses
import os
import time

import grpc
from salesmeet.analytics.v1 import analytics_service_pb2 as asv
from salesmeet.analytics.v1 import reports_pb2
from salesmeet.scheduling.v1 import scheduling_service_pb2 as ss
from salesmeet.scheduling.v1 import vocabulary_pb2 as vocab

import harness
import hostile_baselines
import hostile_inputs
from analytics_fixtures import AnalyticsTestCase
from hostile_baselines import BaselineBook, book, employee_request
from hostile_inputs import INT64_MAX
# The cache tests' throwaway redis-server, so scheduling runs with its cache.
from scheduling_cache_e2e_test import RedisServer
from scheduling_fixtures import DAY, HOUR, WEEK, interval, meeting, money, monday_utc

PROTO_ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          os.pardir, os.pardir, "proto")

# What a default client reads without trouble: DESIGN.md keeps an error's
# message and details under gRPC's default 8 KiB of metadata; 6 KiB leaves
# room for the other headers and the message's percent-encoding.
ERROR_BUDGET = 6 * 1024

# A unary call that takes longer than this is doing unbounded work for a
# hostile request. Generous for a loaded 2-core machine.
CALL_TIMEOUT = 10.0
# A watch that accepts its request answers at once (the feed is not empty);
# one that does not answer in this time is simply cut off.
STREAM_TIMEOUT = 2.0

# A request bigger than this whose error a default client cannot read is
# not sent again to measure the error: that would double the battery's
# longest calls (a 100k-path update_mask gets an error of megabytes).
MEASURE_UP_TO = 256 * 1024

# Services that keep data come first, so that the services reporting on it
# meet the hostile values the others accepted. Any other service follows.
WRITERS_FIRST = ["salesmeet.participant.v1.ParticipantService",
                 "salesmeet.scheduling.v1.SchedulingService",
                 "salesmeet.analytics.v1.AnalyticsService"]

OK = grpc.StatusCode.OK
INVALID = grpc.StatusCode.INVALID_ARGUMENT
SERVICE_ERROR_CODES_WITHOUT_DETAILS = harness.TRANSPORT_CODES | {
    grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN}

# Kinds of finding, in the order the report lists them.
CRASHED = "process died or is not SERVING"
UNPARSABLE_LOG = "a log line that is not a JSON object"
INTERNAL = "INTERNAL or UNKNOWN from the service"
UNDECODABLE = "undecodable payload answered INTERNAL/UNKNOWN or without a message"
UNREADABLE = "error a default client cannot read"
OVERSIZED = f"error over {ERROR_BUDGET} bytes (message + grpc-status-details-bin)"
NO_FIELD = "INVALID_ARGUMENT without a BadRequest field"
NO_ERROR_INFO = f"error without an ErrorInfo in {harness.DOMAIN}"
INCONSISTENT = "status details disagree with the status"
ACCEPTED = "hostile value accepted (OK)"
MONEY = "money overflow: an amount wrapped or is not a valid Money"
SLOW = f"no answer within {CALL_TIMEOUT:.0f}s"
BASELINE = "the battery's own valid request was refused (fix the baseline)"
KINDS = [CRASHED, INTERNAL, UNDECODABLE, UNREADABLE, OVERSIZED, NO_FIELD,
         NO_ERROR_INFO, INCONSISTENT, ACCEPTED, MONEY, SLOW, BASELINE]


# -- calling a method with bytes ----------------------------------------------

@dataclasses.dataclass
class Outcome:
    """How a call ended. response: the (first) response message, serialized;
    details: the raw grpc-status-details-bin of an error."""
    code: grpc.StatusCode
    response: bytes = b""
    message: str = ""
    details: bytes = b""
    error: grpc.RpcError = None
    seconds: float = 0.0

    @property
    def size(self):
        return len(self.message.encode("utf-8", "replace")) + len(self.details)


def call(channel, method, payload):
    """Sends payload as the request of method, unparsed: without serializers
    gRPC passes bytes through, so undecodable payloads can be sent too. A
    client-streaming method gets it as its only request."""
    started = time.monotonic()
    request = iter([payload]) if method.client_streaming else payload
    try:
        if method.server_streaming:
            kind = (channel.stream_stream if method.client_streaming
                    else channel.unary_stream)
            outcome = _first_message(kind(method.path), request)
        else:
            kind = (channel.stream_unary if method.client_streaming
                    else channel.unary_unary)
            outcome = Outcome(OK, kind(method.path)(request, timeout=CALL_TIMEOUT))
    except grpc.RpcError as e:
        outcome = _failed(e)
    outcome.seconds = time.monotonic() - started
    return outcome


def _first_message(rpc, request):
    # A stream that sends a first message accepted the request; the rest of
    # the stream is of no interest here.
    stream = rpc(request, timeout=STREAM_TIMEOUT)
    try:
        return Outcome(OK, next(stream))
    except StopIteration:
        return Outcome(OK)
    finally:
        stream.cancel()


def _failed(error):
    details = b""
    for key, value in error.trailing_metadata() or ():
        if key == harness.STATUS_DETAILS_KEY:
            details = value
    return Outcome(error.code(), message=error.details() or "", details=details,
                   error=error)


# -- judging an answer --------------------------------------------------------

def describe(outcome):
    text = (f"{outcome.code.name}, message len {len(outcome.message)}, "
            f"details {len(outcome.details)} B")
    if outcome.message:
        text += f", message starts {outcome.message[:70]!r}"
    return text


def unreadable(outcome):
    """The client refused the server's error: it did not fit python's
    default metadata limit. Neither its code nor its size can be seen."""
    return (outcome.code == grpc.StatusCode.RESOURCE_EXHAUSTED and
            "metadata size exceeds limit" in outcome.message)


def judge(method, label, outcome, must_reject=False, raw=False, unlimited=None):
    """[(kind, line)] for every rule the answer breaks. unlimited: the same
    call's outcome over a channel without a metadata limit, when the default
    channel could not read the error, to say what the server really sent."""
    line = f"{method.short} {label}: got {describe(outcome)}"
    code = outcome.code
    if code == OK:
        findings = [(ACCEPTED, line)] if must_reject else []
        response = method.response_class.FromString(outcome.response)
        findings.extend((MONEY, f"{line}: {where} is {why}")
                        for where, why in money_problems(response))
        return findings
    findings = []
    if code in (grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN):
        findings.append((UNDECODABLE if raw else INTERNAL, line))
    elif raw and not outcome.message:
        findings.append((UNDECODABLE, line))
    if unreadable(outcome):
        if unlimited is not None:
            line += f"; without the limit the server sent {describe(unlimited)}"
        else:
            line += "; not measured (a request this big is not sent twice)"
        findings.append((UNREADABLE, line))
    if outcome.size > ERROR_BUDGET:
        findings.append((OVERSIZED, line))
    if code == grpc.StatusCode.DEADLINE_EXCEEDED and not method.server_streaming:
        findings.append((SLOW, f"{line}, after {outcome.seconds:.1f}s"))
    findings.extend(_judge_details(line, outcome, raw))
    return findings


def _judge_details(line, outcome, raw):
    if outcome.code in SERVICE_ERROR_CODES_WITHOUT_DETAILS:
        return []
    try:
        error = harness.rich_error(outcome.error)
    except Exception as e:  # A trailer that is no google.rpc.Status, too.
        return [(INCONSISTENT, f"{line}: {e}")]
    if raw:
        # Bytes that do not decode have no field to name.
        return []
    findings = []
    if outcome.code == INVALID and not any(error.fields):
        findings.append((NO_FIELD, line))
    if error.error_info is None or error.error_info.domain != harness.DOMAIN:
        findings.append((NO_ERROR_INFO, line))
    return findings


def money_problems(message, path=""):
    """[(path, why)] for every google.type.Money in message (recursively)
    that is not a valid, non-negative amount: what an overflowing sum or
    product looks like. No cost or deal value of ours is negative."""
    problems = []
    for field, value in message.ListFields():
        if field.message_type is None or field.message_type.GetOptions().map_entry:
            continue
        repeated = field.label == field.LABEL_REPEATED
        for i, item in enumerate(value if repeated else [value]):
            where = path + field.name + (f"[{i}]" if repeated else "")
            if field.message_type.full_name == "google.type.Money":
                why = _money_problem(item)
                if why:
                    problems.append((where, why))
            else:
                problems.extend(money_problems(item, where + "."))
    return problems


def _money_problem(m):
    if not -10**9 < m.nanos < 10**9:
        return f"nanos {m.nanos} out of range"
    if m.units < 0 or m.nanos < 0:
        return f"negative: units {m.units} nanos {m.nanos}"
    return None


class Findings:
    """Problems collected over a test, reported together at its end."""

    def __init__(self):
        self.by_kind = collections.defaultdict(list)
        self.calls = 0

    def add(self, findings):
        for kind, line in findings:
            self.by_kind[kind].append(line)

    def __bool__(self):
        return any(self.by_kind.values())

    def report(self):
        total = sum(len(lines) for lines in self.by_kind.values())
        out = [f"{total} findings over {self.calls} calls"]
        for kind in KINDS:
            lines = self.by_kind.get(kind)
            if lines:
                out.append(f"\n== {kind}: {len(lines)}")
                out.extend(f"  {line}" for line in lines)
        return "\n".join(out)


# -- the battery --------------------------------------------------------------

# Metadata limits far above any sane error, to measure what the server sent
# when a default client could not read it.
UNLIMITED_METADATA = [("grpc.max_metadata_size", 256 * 1024 * 1024),
                      ("grpc.absolute_max_metadata_size", 256 * 1024 * 1024)]


@dataclasses.dataclass
class Target:
    """Where a battery sends its calls, and what it found there."""
    channel: grpc.Channel            # a default channel, as any client has
    unlimited_channel: grpc.Channel  # for measuring unreadable errors only
    findings: Findings


class HostileInputsTest(AnalyticsTestCase):
    """Redis, participant, scheduling and analytics, one small organisation,
    and the battery for every salesmeet service."""

    @classmethod
    def setUpServices(cls):
        cls.redis = RedisServer(harness.free_port()).start()
        cls.addClassCleanup(cls.redis.kill)
        cls.scheduling_flags = {"redis": f"127.0.0.1:{cls.redis.port}",
                                "redis_connect_timeout": "200ms"}
        super().setUpServices()
        cls.output_only = hostile_inputs.output_only_fields(PROTO_ROOT)
        cls.methods = hostile_inputs.services()
        cls.baselines = BaselineBook(cls, hostile_baselines.all_baselines())
        # The policy every UpdateSchedulingPolicy probe starts from.
        hostile_baselines.restore_policy(cls)

    @classmethod
    def seed(cls):
        hostile_baselines.seed(cls)

    # -- servers --------------------------------------------------------------

    def servers(self):
        return {"participant": self.participant_server, "scheduling": self.server,
                "analytics": self.analytics_server}

    def server_of(self, service):
        """The server whose reflection lists service."""
        for server in self.servers().values():
            if service in harness.list_services(server.channel()):
                return server
        self.fail(f"no server started by this test serves {service}; start "
                  "its binary in setUpServices so the battery covers it")

    def target(self, service):
        server = self.server_of(service)
        return Target(server.channel(), server.channel(UNLIMITED_METADATA),
                      Findings())

    def dead_servers(self):
        return [f"{name} (exit code {server.process.poll()})"
                for name, server in self.servers().items() if not server.running()]

    def check_health(self, findings):
        """Every process alive and SERVING after the battery."""
        for name, server in self.servers().items():
            if not server.running():
                findings.add([(CRASHED, f"{name} is not running (exit code "
                               f"{server.process.poll()})")])
                continue
            try:
                status = harness.health_status(server.channel())
            except grpc.RpcError as e:
                status = f"{e.code().name}: {e.details()}"
            if status != "SERVING":
                findings.add([(CRASHED, f"{name} health check: {status}")])
        self.check_logs(findings)

    def check_logs(self, findings):
        """Hostile input (invalid UTF-8 above all) makes libprotobuf log;
        its lines must come through the JSON logger like every other, or
        log collectors that parse one object per line break."""
        for name, server in self.servers().items():
            _, garbage = harness.parse_log_lines(server.log_text())
            for line in garbage[:3]:
                findings.add([(UNPARSABLE_LOG, f"{name} logged a line that is "
                               f"not JSON: {line[:120]!r}")])

    # -- running probes -------------------------------------------------------

    def field_battery(self, service):
        """For every method of service and each of its baselines: the
        baseline, the empty request and every single-field mutation."""
        target = self.target(service)
        for method in self.methods[service]:
            for baseline in self.baselines.for_method(method):
                if not self.field_probes(target, method, baseline):
                    return target.findings  # A server died: no use going on.
        self.check_health(target.findings)
        return target.findings

    def raw_battery(self, service):
        """For every method of service: payloads that do not decode."""
        target = self.target(service)
        for method in self.methods[service]:
            baseline = self.baselines.for_method(method)[0]
            payload = self.baselines.request(baseline).SerializeToString()
            for probe in hostile_inputs.raw_probes(method.request_class, payload,
                                                   method.path):
                if not self.probe(target, method, baseline, probe.label,
                                  probe.payload, raw=True):
                    return target.findings
        self.check_health(target.findings)
        return target.findings

    def field_probes(self, target, method, baseline):
        template = self.baselines.request(baseline)
        tag = f"[{baseline.label}] " if baseline.label else ""
        if not self.probe(target, method, baseline, tag + "(baseline)",
                          template.SerializeToString(), valid=baseline.valid):
            return False
        for mutation in hostile_inputs.field_mutations(
                template, self.output_only, method.path):
            # Applied to the current baseline: the template's resource may
            # have been used up by an earlier mutation that succeeded.
            payload = hostile_inputs.mutated(self.baselines.request(baseline),
                                             mutation)
            if payload is None:
                continue
            if not self.probe(target, method, baseline, tag + mutation.label,
                              payload, must_reject=mutation.must_reject):
                return False
        return True

    def probe(self, target, method, baseline, label, payload, must_reject=False,
              raw=False, valid=False):
        """One call, judged into target.findings. False when a server died."""
        outcome = call(target.channel, method, payload)
        target.findings.calls += 1
        if outcome.code == OK:
            self.baselines.succeeded(baseline)
        if valid and outcome.code != OK:
            target.findings.add([(BASELINE, f"{method.short} {label}: got "
                                  f"{outcome.code.name}: {outcome.message[:300]}")])
        unlimited = None
        if unreadable(outcome) and len(payload) <= MEASURE_UP_TO:
            unlimited = call(target.unlimited_channel, method, payload)
        target.findings.add(judge(method, label, outcome, must_reject, raw,
                                  unlimited))
        if outcome.code != OK and self.dead_servers():
            target.findings.add([(CRASHED, f"{method.short} {label}: "
                                  f"{', '.join(self.dead_servers())} died")])
            return False
        return True

    def assert_no_findings(self, findings):
        if findings:
            self.fail(findings.report())

    # -- tests ----------------------------------------------------------------

    def services_in_order(self):
        """Every salesmeet service, those that keep data before those that
        report on it, so the readers meet what the writers accepted."""
        rank = {name: i for i, name in enumerate(WRITERS_FIRST)}
        return sorted(self.methods, key=lambda s: (rank.get(s, len(rank)), s))

    def test_hostile_fields(self):
        for service in self.services_in_order():
            with self.subTest(service=service):
                self.assert_no_findings(self.field_battery(service))

    def test_undecodable_payloads(self):
        for service in self.services_in_order():
            with self.subTest(service=service):
                self.assert_no_findings(self.raw_battery(service))

    def test_money_at_the_int64_edge(self):
        """Amounts the API accepts must not overflow where they are
        multiplied or added up: a meeting with an employee whose hourly cost
        is 2^63-1 units, two deals of 2^63-1 units won by one rep. Neither
        total fits in a google.type.Money, so each must be refused, when the
        amount comes in or when the total is asked for, rather than answered
        wrapped or clamped."""
        findings = Findings()
        self.meeting_cost_beyond_int64(findings)
        self.won_value_beyond_int64(findings)
        self.check_health(findings)
        self.assert_no_findings(findings)

    def meeting_cost_beyond_int64(self, findings):
        request = employee_request(self)
        request.participant.hourly_cost.units = INT64_MAX
        whale = self.edge_call(findings, "CreateParticipant",
                               "participant.hourly_cost=int64 max",
                               self.people.CreateParticipant, request)
        if whale is None:
            return
        start = self.monday + 3 * DAY + 13 * HOUR
        preview = self.edge_call(
            findings, "CreateMeeting",
            "validate_only, an hour of that employee and a rep",
            self.stub.CreateMeeting, ss.CreateMeetingRequest(
                meeting=meeting(self.rep, whale.name, start=start),
                validate_only=True, allow_conflicts=True))
        if preview is not None:
            self.beyond_int64(findings, "CreateMeeting",
                              "verdict.cost_per_occurrence",
                              preview.verdict.cost_per_occurrence,
                              f"{INT64_MAX} + 90 EUR")

    def won_value_beyond_int64(self, findings):
        dealer = self.hire(team=self.team, stem="dealer")
        last_week = monday_utc(-1)
        for day in (1, 2):
            name = book(self, last_week + day * DAY + 9 * HOUR, organizer=dealer)
            if self.edge_call(
                    findings, "CompleteMeeting",
                    f"deal_value=int64 max (deal {day} of 2)",
                    self.stub.CompleteMeeting, ss.CompleteMeetingRequest(
                        name=name, outcome=vocab.WON,
                        deal_value=money(INT64_MAX))) is None:
                return
        self.caught_up()
        report = self.edge_call(
            findings, "GetTopPerformers", "the dealer over the two deals",
            self.analytics.GetTopPerformers, asv.GetTopPerformersRequest(
                scope=asv.ReportScope(
                    interval=interval(last_week, last_week + WEEK),
                    participant=dealer),
                metric=reports_pb2.WON_DEAL_VALUE, min_meetings=1))
        if report is not None and report.entries:
            self.beyond_int64(findings, "GetTopPerformers",
                              "entries[0].won_deal_value",
                              report.entries[0].won_deal_value,
                              f"2 x {INT64_MAX} EUR")

    def edge_call(self, findings, method_name, label, rpc, request):
        """Calls rpc; an error is judged like any hostile call's, and so is
        a response (it must hold only valid, non-negative amounts). Returns
        the response, or None when the call failed."""
        method = self.method_named(method_name)
        findings.calls += 1
        try:
            response = rpc(request, timeout=CALL_TIMEOUT)
        except grpc.RpcError as e:
            findings.add(judge(method, label, _failed(e)))
            return None
        findings.add(judge(method, label,
                           Outcome(OK, response.SerializeToString())))
        return response

    def beyond_int64(self, findings, method_name, path, amount, true_amount):
        """An answer for a total too big for a Money is clamped or wrapped;
        one that wrapped to a negative amount is reported already."""
        if _money_problem(amount) is None:
            findings.add([(MONEY, f"{self.method_named(method_name).short} "
                           f"{path}: answered OK with units {amount.units} "
                           f"nanos {amount.nanos}, but the true amount, "
                           f"{true_amount}, does not fit in a Money")])

    def method_named(self, name):
        return next(m for methods in self.methods.values() for m in methods
                    if m.name == name)


if __name__ == "__main__":
    import unittest
    unittest.main()
