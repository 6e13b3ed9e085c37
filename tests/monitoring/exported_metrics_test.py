"""The monitoring files against the real services (CTest:
monitoring.exported_metrics). It starts redis-server, participant,
scheduling (with the calendar cache) and analytics from the build tree on
free ports, makes the calls that create the lazily-made series (a booking,
a double booking refused SCHEDULING_CONFLICT, which creates
grpc_server_refusals_total, calendar reads twice, reports), and then:

  * every metric that a rule or a dashboard query names is on some
    service's /metrics (histograms as their _bucket, _sum and _count
    samples; recording rules' names are defined by the rules instead, and
    `up` is Prometheus' own), and every label a selector matches on is on
    that metric;
  * the refused double booking is counted under its method and reason,
    and every service's database probe reports healthy (store_healthy 1);
  * a real Prometheus (Debian's `prometheus`) scraping the services under
    the example configuration's job names and loading the rules produces a
    series for every recording rule, an answer for every dashboard query,
    a refused share of bookings above 0 (the rules' method and reason
    matchers match what the services export), and no alert about the
    healthy services.

Run from tests/monitoring:
  PYTHONPATH=<build>/py:../e2e:. SALESMEET_BIN_DIR=<build>/services \\
      /usr/bin/python3 -m unittest -v exported_metrics_test
"""

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
import urllib.parse
import urllib.request

import grpc
import yaml
from google.protobuf import duration_pb2
from salesmeet.analytics.v1 import analytics_service_pb2 as asv
from salesmeet.analytics.v1 import reports_pb2 as rp
from salesmeet.participant.v1 import participant_service_pb2 as ps
from salesmeet.scheduling.v1 import calendar_pb2
from salesmeet.scheduling.v1 import policy_pb2

import harness
import promql_references as refs
from analytics_fixtures import AnalyticsTestCase
from harness import RPC_TIMEOUT
from scheduling_cache_e2e_test import RedisServer
from scheduling_fixtures import DAY, HOUR, MINUTE, interval, meeting, monday_utc

PROMETHEUS = shutil.which("prometheus") or "/usr/bin/prometheus"
# Alerts whose state depends on how fast this machine is, not on whether the
# rules understand the services: left out of "no alert on a healthy suite".
SPEED_DEPENDENT_ALERTS = {"SalesmeetRpcLatencyHigh", "SalesmeetDatabaseSlow"}
# How long Prometheus may take to scrape twice and evaluate the rules.
SETTLE_TIMEOUT = 60.0
CREATE_MEETING = "/salesmeet.scheduling.v1.SchedulingService/CreateMeeting"

_SAMPLE_LINE = re.compile(r"^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)")
_LABEL_PAIR = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)="((?:\\.|[^"\\])*)"')


def samples(exposition, name):
    """[(labels, value)] of the samples of metric `name` in an exposition."""
    out = []
    for line in exposition.splitlines():
        match = _SAMPLE_LINE.match(line)
        if match and match.group(1) == name:
            out.append((dict(_LABEL_PAIR.findall(match.group(2) or "")),
                        float(match.group(3))))
    return out


class PrometheusServer:
    """A throwaway Prometheus on 127.0.0.1:port, scraping every second and
    evaluating the rules every second."""

    def __init__(self, targets, workdir):
        self.port = harness.free_port()
        self.workdir = workdir
        self.log_path = os.path.join(harness._LOG_ROOT, f"prometheus-{self.port}.log")
        with open(refs.PROMETHEUS_CONFIG, encoding="utf-8") as f:
            config = yaml.safe_load(f)
        config["global"] = {"scrape_interval": "1s", "evaluation_interval": "1s"}
        config["rule_files"] = [str(refs.RULES)]
        for job in config["scrape_configs"]:
            if job["job_name"] not in targets:
                raise AssertionError(
                    f"{refs.PROMETHEUS_CONFIG.name} scrapes job {job['job_name']!r}; "
                    f"the rules expect jobs named {', '.join(targets)}")
            job["static_configs"] = [{"targets": [targets[job["job_name"]]]}]
        self.config_path = os.path.join(workdir, "prometheus.yml")
        with open(self.config_path, "w", encoding="utf-8") as f:
            yaml.safe_dump(config, f)
        self.process = None

    def start(self):
        if not os.access(PROMETHEUS, os.X_OK):
            raise AssertionError("prometheus is missing: install Debian's "
                                 "`prometheus` package (scripts/lib.sh lists it)")
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                harness._PDEATHSIG_PREFIX + [
                    PROMETHEUS, f"--config.file={self.config_path}",
                    f"--storage.tsdb.path={os.path.join(self.workdir, 'data')}",
                    f"--web.listen-address=127.0.0.1:{self.port}",
                    "--log.level=warn"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                close_fds=True)
        harness.wait_for(self._ready, 30, interval=0.1, what="prometheus to be ready")
        return self

    def _ready(self):
        if self.process.poll() is not None:
            raise AssertionError(f"prometheus exited:\n{self.log_tail()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/-/ready",
                                        timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def api(self, path, **params):
        url = f"http://127.0.0.1:{self.port}/api/v1/{path}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        with urllib.request.urlopen(url, timeout=10) as response:
            body = json.load(response)
        if body.get("status") != "success":
            raise AssertionError(f"{path} {params}: {body}")
        return body["data"]

    def query(self, expr):
        """The instant vector expr evaluates to now (a list of series)."""
        return self.api("query", query=expr)["result"]

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_tail(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", errors="replace")[-3000:]


class ExportedMetricsTest(AnalyticsTestCase):
    """Redis and the three services for the class, called twice: once so
    that every series exists before Prometheus first scrapes it, once more
    so that its rates have something to show."""

    @classmethod
    def setUpServices(cls):
        cls.redis = RedisServer(harness.free_port()).start()
        cls.addClassCleanup(cls.redis.kill)
        cls.scheduling_flags = {"redis": f"127.0.0.1:{cls.redis.port}"}
        super().setUpServices()
        cls.servers = {"participant": cls.participant_server,
                       "scheduling": cls.server, "analytics": cls.analytics_server}
        cls.exercise(round_number=0)
        cls.caught_up()
        cls.exported = {service: refs.exported_series(server.fetch_metrics())
                        for service, server in cls.servers.items()}

        cls.workdir = tempfile.TemporaryDirectory(prefix="salesmeet-prometheus-")
        cls.addClassCleanup(cls.workdir.cleanup)
        cls.prometheus = PrometheusServer(
            {service: f"127.0.0.1:{server.metrics_port}"
             for service, server in cls.servers.items()}, cls.workdir.name)
        cls.addClassCleanup(cls.prometheus.stop)
        cls.prometheus.start()
        harness.wait_for(cls.all_scraped, SETTLE_TIMEOUT, interval=0.2,
                         what="prometheus to scrape every service")
        cls.exercise(round_number=1)
        cls.caught_up()

    @classmethod
    def all_scraped(cls):
        up = {s["metric"]["job"]: s["value"][1]
              for s in cls.prometheus.query("up")}
        return all(up.get(service) == "1" for service in refs.SERVICES)

    @classmethod
    def exercise(cls, round_number):
        """Calls to every service, including a double booking, refused
        SCHEDULING_CONFLICT, and calendar reads that miss, then hit, the
        cache."""
        ada, bob = cls.hire(), cls.hire()
        cls.people.GetParticipant(ps.GetParticipantRequest(name=ada),
                                  timeout=RPC_TIMEOUT)
        start = monday_utc(2) + round_number * DAY + 10 * HOUR
        cls.create(meeting(ada, bob, start=start))
        try:
            cls.create(meeting(ada, bob, start=start + 30 * MINUTE))
        except grpc.RpcError as e:
            if e.code() != grpc.StatusCode.FAILED_PRECONDITION:
                raise
            reason = harness.rich_error(e).error_info
            if reason is None or reason.reason != "SCHEDULING_CONFLICT":
                raise AssertionError(f"the double booking was refused with "
                                     f"{harness.rich_error(e)}") from e
        else:
            raise AssertionError("a double booking was not refused")
        window = interval(start - DAY, start + 6 * DAY)
        for _ in range(2):
            cls.stub.GetCalendar(calendar_pb2.GetCalendarRequest(
                participant=ada, interval=window), timeout=RPC_TIMEOUT)
        cls.stub.QueryFreeBusy(calendar_pb2.QueryFreeBusyRequest(
            participants=[ada, bob], interval=window), timeout=RPC_TIMEOUT)
        cls.stub.FindMeetingSlots(calendar_pb2.FindMeetingSlotsRequest(
            required_attendees=[ada, bob], duration=duration_pb2.Duration(seconds=HOUR),
            window=interval(start, start + DAY),
            granularity=duration_pb2.Duration(seconds=30 * MINUTE)),
            timeout=RPC_TIMEOUT)
        cls.stub.GetSchedulingPolicy(policy_pb2.GetSchedulingPolicyRequest(),
                                     timeout=RPC_TIMEOUT)
        cls.analytics.GetFeedStatus(asv.GetFeedStatusRequest(), timeout=RPC_TIMEOUT)
        cls.analytics.GetCostReport(asv.GetCostReportRequest(group_by=rp.AUDIENCE),
                                    timeout=RPC_TIMEOUT)

    # -- the services' /metrics ------------------------------------------------

    def exporters(self, name):
        return [s for s, series in self.exported.items() if name in series]

    def test_every_metric_the_rules_and_dashboard_name_is_exported(self):
        recorded = refs.recorded_names()
        missing = []
        for where, expr in refs.all_expressions():
            for name in refs.metric_names(expr) - recorded - refs.SYNTHESIZED:
                if not self.exporters(name):
                    missing.append(f"{where}: {name}")
        self.assertEqual(missing, [], "named by the rules or the dashboard, "
                         "exported by no service")

    def test_every_label_they_match_on_is_on_the_metric(self):
        problems = []
        for where, expr in refs.all_expressions():
            for selector in refs.selectors(expr):
                services = self.exporters(selector.name)
                if not services:
                    continue  # recorded, synthesized, or reported above
                known = set().union(*(self.exported[s][selector.name]
                                      for s in services)) | refs.TARGET_LABELS
                unknown = selector.labels - known
                if unknown:
                    problems.append(f"{where}: {selector.name} has no label "
                                    f"{sorted(unknown)} (it has {sorted(known)})")
        self.assertEqual(problems, [])

    def test_every_recorded_name_they_use_is_a_recording_rule(self):
        recorded = refs.recorded_names()
        exported = set().union(*self.exported.values())
        for where, expr in refs.all_expressions():
            for name in refs.metric_names(expr):
                if ":" in name:
                    self.assertIn(name, recorded, f"{where} uses {name}")
                if name in recorded:
                    self.assertNotIn(name, exported, f"{name} is also exported")

    def test_the_refused_double_booking_is_counted_by_method_and_reason(self):
        refusals = samples(self.servers["scheduling"].fetch_metrics(),
                           "grpc_server_refusals_total")
        counted = [value for labels, value in refusals
                   if labels == {"method": CREATE_MEETING,
                                 "reason": "SCHEDULING_CONFLICT"}]
        self.assertEqual(len(counted), 1, refusals)
        self.assertGreaterEqual(counted[0], 1)

    def test_every_database_probe_reports_healthy(self):
        for service, server in self.servers.items():
            with self.subTest(service=service):
                self.assertEqual(samples(server.fetch_metrics(), "store_healthy"),
                                 [({}, 1.0)])

    # -- a real Prometheus -------------------------------------------------------

    def without_series(self, queries):
        """Polls, for up to SETTLE_TIMEOUT, until every (where, expr) has at
        least one series; returns the `where` of those that never did."""
        empty = list(queries)
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while empty and time.monotonic() < deadline:
            empty = [(where, expr) for where, expr in empty
                     if not self.prometheus.query(expr)]
            if empty:
                time.sleep(0.5)
        return [where for where, _ in empty]

    def recording_rules(self):
        return [(name, name) for name in sorted(refs.recorded_names())]

    def test_every_recording_rule_has_series_on_the_live_services(self):
        self.assertEqual(self.without_series(self.recording_rules()), [],
                         f"no series after {SETTLE_TIMEOUT:.0f}s")

    def test_every_dashboard_query_answers_on_the_live_services(self):
        self.assertEqual(self.without_series(refs.dashboard_queries()), [],
                         f"no series after {SETTLE_TIMEOUT:.0f}s")

    def test_the_refused_bookings_reach_the_rules(self):
        # A zero would be answered by the rules' "or ... * 0" fallback too:
        # above zero, the refusal matched their method and reason matchers.
        self.assertEqual(self.without_series([
            ("refused share", 'job:salesmeet_booking_refusal_ratio:rate30m{job="scheduling"} > 0'),
            ("refused", 'job:salesmeet_booking_refusals:rate5m{job="scheduling"} > 0'),
            ("by reason", 'job_reason:salesmeet_booking_refusals:rate5m'
                          '{job="scheduling", reason="SCHEDULING_CONFLICT"} > 0'),
        ]), [], f"no series after {SETTLE_TIMEOUT:.0f}s")

    def test_the_rules_load_and_evaluate_without_errors(self):
        groups = self.prometheus.api("rules")["groups"]
        self.assertEqual(sorted(g["name"] for g in groups),
                         sorted(g["name"] for g in refs.load_rules()["groups"]))
        for group in groups:
            for rule in group["rules"]:
                self.assertEqual(rule.get("health"), "ok",
                                 f"{rule['name']}: {rule.get('lastError')}")

    def test_no_alert_is_pending_on_the_healthy_services(self):
        # Long enough for every rule to have seen both rounds of calls (a
        # rule that never does fails the test above).
        self.without_series(self.recording_rules())
        alerts = [a for a in self.prometheus.api("alerts")["alerts"]
                  if a["labels"]["alertname"] not in SPEED_DEPENDENT_ALERTS]
        self.assertEqual(alerts, [])


if __name__ == "__main__":
    unittest.main()
