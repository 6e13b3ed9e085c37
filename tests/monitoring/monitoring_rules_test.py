"""The monitoring files checked offline (CTest: monitoring.rules):

  * promtool (Debian's `prometheus` package) accepts the rules and the
    example Prometheus configuration, and the unit tests in
    salesmeet-rules_test.yaml pass;
  * every alert has a unit test where it fires and one where it stays quiet,
    a `for:`, a severity, a summary and a description, and a runbook line in
    the README;
  * no ratio divides by a denominator that may be zero;
  * the alerts component's PrometheusRule is the rules file, regenerated;
    its PodMonitor names the scrape jobs after the services;
  * the dashboard is well formed, its queries are valid PromQL (promtool
    checks them as rules) and it has the panels operators need.

Run from tests/monitoring:  /usr/bin/python3 -m unittest -v monitoring_rules_test
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import yaml

import promql_references as refs

PROMTOOL = shutil.which("promtool") or "/usr/bin/promtool"
SEVERITIES = {"critical", "warning"}
README = refs.REPO / "README.md"


def promtool(*args):
    if not os.access(PROMTOOL, os.X_OK):
        raise AssertionError(
            "promtool is missing: install Debian's `prometheus` package "
            "(scripts/lib.sh lists it; scripts/test.sh installs it)")
    return subprocess.run([PROMTOOL, *args], capture_output=True, text=True,
                          timeout=120)


def strip_strings(expr):
    return re.sub(r'"(?:\\.|[^"\\])*"|`[^`]*`|\[[^\]]*\]', '""', expr)


def denominators(expr):
    """The text right of each top-level or nested '/' operator, up to the
    end of the operand (a parenthesised group or a single name)."""
    text, out = strip_strings(expr), []
    for match in re.finditer(r"/", text):
        rest = text[match.end():].lstrip()
        if not rest.startswith("("):
            out.append(rest.split()[0] if rest else "")
            continue
        depth = 0
        for i, ch in enumerate(rest):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0:
                out.append(rest[:i + 1])
                break
    return out


class PromtoolTest(unittest.TestCase):

    def assert_promtool(self, *args):
        result = promtool(*args)
        self.assertEqual(result.returncode, 0,
                         f"promtool {' '.join(args)}:\n{result.stdout}{result.stderr}")
        return result

    def test_promtool_accepts_the_rules(self):
        self.assert_promtool("check", "rules", str(refs.RULES))

    def test_promtool_accepts_the_example_prometheus_configuration(self):
        self.assert_promtool("check", "config", str(refs.PROMETHEUS_CONFIG))

    def test_the_rules_unit_tests_pass(self):
        # promtool resolves rule_files from the test file's directory.
        self.assert_promtool("test", "rules", str(refs.RULE_TESTS))

    def test_every_dashboard_query_is_valid_promql(self):
        rules = [{"record": f"dashboard:query_{i}", "expr": expr}
                 for i, (_, expr) in enumerate(refs.dashboard_queries())]
        with tempfile.NamedTemporaryFile("w", suffix=".yaml") as f:
            yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}, f)
            f.flush()
            self.assert_promtool("check", "rules", f.name)


class AlertsTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.alerts = refs.alerts()
        with open(refs.RULE_TESTS, encoding="utf-8") as f:
            cls.unit_tests = yaml.safe_load(f)

    def test_there_are_alerts_for_everything_that_pages(self):
        watched = {name for _, expr in refs.rule_expressions()
                   for name in refs.metric_names(expr)}
        for metric in ("grpc_server_handled_total", "grpc_server_handling_seconds_bucket",
                       "analytics_feed_lag_seconds", "analytics_feed_connected",
                       "calendar_cache_breaker_open", "store_transaction_seconds_count",
                       "store_healthy", "grpc_server_refusals_total", "up"):
            self.assertIn(metric, watched)
        self.assertGreaterEqual(len(self.alerts), 10)

    def test_every_alert_has_for_severity_summary_and_description(self):
        for alert in self.alerts:
            with self.subTest(alert=alert["alert"]):
                self.assertRegex(alert.get("for", ""), r"^\d+[mh]$",
                                 "a `for:` of minutes or hours, so a blip pages nobody")
                self.assertIn(alert.get("labels", {}).get("severity"), SEVERITIES)
                annotations = alert.get("annotations", {})
                self.assertTrue(annotations.get("summary"), "no summary")
                self.assertTrue(annotations.get("description"), "no description")
                self.assertTrue(alert["alert"].startswith("Salesmeet"))

    def test_alert_names_are_unique(self):
        names = [a["alert"] for a in self.alerts]
        self.assertEqual(len(names), len(set(names)))

    def test_every_alert_has_a_firing_and_a_quiet_unit_test(self):
        firing, quiet = set(), set()
        for group in self.unit_tests["tests"]:
            for case in group.get("alert_rule_test", []):
                (firing if case.get("exp_alerts") else quiet).add(case["alertname"])
        names = {a["alert"] for a in self.alerts}
        self.assertEqual(names - firing, set(), "alerts never tested firing")
        self.assertEqual(names - quiet, set(), "alerts never tested quiet")
        self.assertEqual((firing | quiet) - names, set(), "tests of unknown alerts")

    def test_no_ratio_divides_by_a_denominator_that_may_be_zero(self):
        for where, expr in refs.rule_expressions():
            for denominator in denominators(expr):
                with self.subTest(rule=where, denominator=denominator):
                    self.assertRegex(denominator, r">\s*0\s*\)$",
                                     "filter the denominator with > 0")

    def test_the_readme_has_a_runbook_line_for_every_alert(self):
        text = README.read_text(encoding="utf-8")
        match = re.search(r"^### Alerts and dashboards$(.*?)^#{1,3} ", text,
                          re.MULTILINE | re.DOTALL)
        self.assertIsNotNone(match, "README.md has no '### Alerts and dashboards'")
        section = match.group(1)
        for alert in self.alerts:
            self.assertIsNotNone(
                re.search(rf"^\| `{alert['alert']}` \|", section, re.MULTILINE),
                f"no row for {alert['alert']} in the README's alert table")


class KubernetesComponentTest(unittest.TestCase):

    def load(self, name):
        with open(refs.COMPONENT / name, encoding="utf-8") as f:
            return yaml.safe_load(f)

    def test_the_prometheus_rule_is_generated_from_the_rules_file(self):
        script = refs.MONITORING / "render_prometheus_rule.py"
        result = subprocess.run([sys.executable, str(script), "--check"],
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        rule = self.load("prometheus-rule.yaml")
        self.assertEqual(rule["kind"], "PrometheusRule")
        self.assertEqual(rule["spec"], refs.load_rules())

    def test_the_component_lists_its_resources(self):
        component = self.load("kustomization.yaml")
        self.assertEqual(component["kind"], "Component")
        self.assertEqual(sorted(component["resources"]),
                         ["pod-monitor.yaml", "prometheus-rule.yaml"])

    def test_the_pod_monitor_names_each_job_after_its_service(self):
        monitor = self.load("pod-monitor.yaml")
        self.assertEqual(monitor["spec"]["jobLabel"], "app.kubernetes.io/name")
        (expression,) = monitor["spec"]["selector"]["matchExpressions"]
        self.assertEqual(expression["key"], "app.kubernetes.io/name")
        self.assertEqual(sorted(expression["values"]), sorted(refs.SERVICES))
        self.assertEqual([e["port"] for e in monitor["spec"]["podMetricsEndpoints"]],
                         ["metrics"])

    def test_the_example_configuration_names_each_job_after_its_service(self):
        with open(refs.PROMETHEUS_CONFIG, encoding="utf-8") as f:
            config = yaml.safe_load(f)
        self.assertEqual(sorted(j["job_name"] for j in config["scrape_configs"]),
                         sorted(refs.SERVICES))
        self.assertEqual(config["rule_files"], [refs.RULES.name])


class DashboardTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.dashboard = refs.load_dashboard()
        cls.panels = refs.dashboard_panels(cls.dashboard)

    def test_panels_have_unique_ids_and_fit_the_grid(self):
        ids = [p["id"] for p in self.dashboard["panels"]]
        self.assertEqual(len(ids), len(set(ids)))
        for panel in self.dashboard["panels"]:
            grid = panel["gridPos"]
            self.assertLessEqual(grid["x"] + grid["w"], 24, panel["title"])

    def test_every_panel_queries_the_chosen_prometheus(self):
        variables = {v["name"] for v in self.dashboard["templating"]["list"]}
        self.assertIn("datasource", variables)
        for panel in self.panels:
            with self.subTest(panel=panel["title"]):
                self.assertEqual(panel["datasource"]["uid"], "${datasource}")
                self.assertTrue(panel["targets"])
                for target in panel["targets"]:
                    self.assertTrue(target["expr"].strip())
                    self.assertEqual(target["datasource"]["uid"], "${datasource}")

    def test_it_shows_what_the_alerts_watch(self):
        shown = {name for _, expr in refs.dashboard_queries()
                 for name in refs.metric_names(expr)}
        for name in ("job_method:salesmeet_rpc_requests:rate5m",
                     "job_method:salesmeet_rpc_error_ratio:rate5m",
                     "job_method:salesmeet_rpc_latency_seconds:p99_5m",
                     "analytics_feed_lag_seconds", "analytics_feed_connected",
                     "calendar_cache_breaker_open",
                     "job_instance:store_transaction_error_ratio:rate5m",
                     "job_instance_kind:store_transaction_seconds:p99_5m",
                     "job:salesmeet_booking_refusals:rate5m",
                     "job_reason:salesmeet_booking_refusals:rate5m",
                     "job:salesmeet_booking_refusal_ratio:rate30m",
                     "store_healthy", "up"):
            self.assertIn(name, shown)


class PromqlReferencesTest(unittest.TestCase):
    """The tokenizer the exported-metrics test relies on."""

    def test_finds_metrics_but_not_functions_keywords_or_label_lists(self):
        expr = ('sum by (job, method) (rate(a_total{method=~"/x\\\\..+", code="OK"}[5m]))'
                ' / on (job) group_left (method) (b:rec:rate5m > 0)'
                ' and ignoring (le) histogram_quantile(0.99, c_bucket) > bool 1e3'
                ' or absent(up{job="p"}) unless topk(3, d) offset 5m'
                ' or count without (x) ({__name__="e"})')
        found = refs.selectors(expr)
        self.assertEqual([s.name for s in found],
                         ["a_total", "b:rec:rate5m", "c_bucket", "up", "d", "e"])
        self.assertEqual(found[0].labels, {"method", "code"})
        self.assertEqual(found[3].labels, {"job"})

    def test_grafana_variables_are_replaced(self):
        self.assertEqual(refs.grafana_to_promql('x{job=~"$job"}[$__rate_interval]'),
                         'x{job=~".+"}[1m]')

    def test_exposition_histograms_appear_as_their_samples(self):
        series = refs.exported_series(
            '# TYPE h histogram\n'
            'h_bucket{method="/a.B/C",code="OK",le="0.1"} 1\n'
            'h_sum{method="/a.B/C",code="OK"} 0.05\n'
            'h_count{method="/a.B/C",code="OK"} 1\n'
            'g 0\n')
        self.assertEqual(set(series), {"h_bucket", "h_sum", "h_count", "g"})
        self.assertEqual(series["h_bucket"], {"method", "code", "le"})


if __name__ == "__main__":
    unittest.main()
