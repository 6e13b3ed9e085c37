"""What the monitoring files ask of the services: every PromQL expression in
deploy/monitoring/salesmeet-rules.yaml and salesmeet-dashboard.json, and the
metrics and labels those expressions select.

PromQL is read with a small tokenizer, not a full parser: enough for
expressions promtool has already accepted. It tells metric names apart from
functions, aggregations, keywords and the label lists of by/without/on/
ignoring/group_left/group_right, skips strings and range durations, and
returns each selector's metric name with the label names it matches on.
"""

import dataclasses
import json
import pathlib
import re

import yaml

REPO = pathlib.Path(__file__).resolve().parents[2]
MONITORING = REPO / "deploy" / "monitoring"
RULES = MONITORING / "salesmeet-rules.yaml"
DASHBOARD = MONITORING / "salesmeet-dashboard.json"
PROMETHEUS_CONFIG = MONITORING / "prometheus.yml"
RULE_TESTS = REPO / "tests" / "monitoring" / "salesmeet-rules_test.yaml"
COMPONENT = REPO / "deploy" / "k8s" / "components" / "alerts"

# The services, as the rules expect their scrape jobs to be named.
SERVICES = ("participant", "scheduling", "analytics")

# Series Prometheus makes itself for every target, not exported by anyone.
SYNTHESIZED = {"up"}
# Labels Prometheus attaches to every scraped series.
TARGET_LABELS = {"job", "instance"}

# What Grafana's variables stand for when a query is run outside Grafana.
GRAFANA_VARIABLES = {"job": ".+", "__rate_interval": "1m", "__interval": "1m"}

_TOKEN = re.compile(r"""
    (?P<string>"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|`[^`]*`)
  | (?P<range>\[[^\]]*\])
  | (?P<number>(?:0[xX][0-9a-fA-F]+|\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
               (?:ms|[smhdwy])?(?![\w:]))
  | (?P<ident>[A-Za-z_:][A-Za-z0-9_:]*)
  | (?P<punct>[{}(),])
  | (?P<space>\s+)
  | (?P<op>[^\sA-Za-z0-9_:{}(),"'`\[]+)
""", re.VERBOSE)

_LABEL_LISTS = {"by", "without", "on", "ignoring", "group_left", "group_right"}
_KEYWORDS = {"and", "or", "unless", "bool", "offset", "atan2", "inf", "nan"}
_AGGREGATIONS = {"sum", "min", "max", "avg", "group", "stddev", "stdvar", "count",
                 "count_values", "bottomk", "topk", "quantile"}


@dataclasses.dataclass(frozen=True)
class Selector:
    """One vector selector: a metric name and the labels it matches on."""
    name: str
    labels: frozenset


def tokens(expr):
    """(kind, text) pairs of expr, without whitespace."""
    out, pos = [], 0
    while pos < len(expr):
        match = _TOKEN.match(expr, pos)
        if match is None:
            raise ValueError(f"cannot read PromQL at {expr[pos:pos + 20]!r} in {expr!r}")
        pos = match.end()
        if match.lastgroup != "space":
            out.append((match.lastgroup, match.group()))
    return out


def _skip_group(toks, i):
    """Index after the parenthesised group starting at toks[i] == '('."""
    depth = 0
    while i < len(toks):
        if toks[i] == ("punct", "("):
            depth += 1
        elif toks[i] == ("punct", ")"):
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unbalanced parentheses")


def _matchers(toks, i):
    """(label names, __name__ value or None, index after '}') for the matchers
    starting at toks[i] == '{'."""
    labels, name, i = set(), None, i + 1
    while toks[i] != ("punct", "}"):
        kind, text = toks[i]
        if kind == "ident":
            value = toks[i + 2][1] if i + 2 < len(toks) else ""
            if text == "__name__":
                name = value[1:-1]
            else:
                labels.add(text)
            i += 3
        else:
            i += 1  # a comma
    return labels, name, i + 1


def selectors(expr):
    """Every vector selector in a PromQL expression, in order."""
    toks, found, i = tokens(expr), [], 0

    def next_is(j, text):
        return j < len(toks) and toks[j][1] == text

    while i < len(toks):
        kind, text = toks[i]
        low = text.lower()
        if kind == "ident":
            if low in _LABEL_LISTS:
                i = _skip_group(toks, i + 1) if next_is(i + 1, "(") else i + 1
                continue
            if low in _KEYWORDS:
                i += 1
                continue
            if low in _AGGREGATIONS and (next_is(i + 1, "(") or next_is(i + 1, "by")
                                         or next_is(i + 1, "without")):
                i += 1
                continue
            if next_is(i + 1, "("):  # a function
                i += 1
                continue
            labels = set()
            i += 1
            if next_is(i, "{"):
                labels, _, i = _matchers(toks, i)
            found.append(Selector(text, frozenset(labels)))
            continue
        if (kind, text) == ("punct", "{"):
            labels, name, i = _matchers(toks, i)
            if name is None:
                raise ValueError(f"a selector without a metric name in {expr!r}")
            found.append(Selector(name, frozenset(labels)))
            continue
        i += 1
    return found


def metric_names(expr):
    return {s.name for s in selectors(expr)}


def grafana_to_promql(expr):
    """A dashboard query with Grafana's variables replaced by what they
    stand for when every value is selected."""
    def value(match):
        name = match.group(1) or match.group(2)
        if name not in GRAFANA_VARIABLES:
            raise ValueError(f"unknown Grafana variable ${name} in {expr!r}")
        return GRAFANA_VARIABLES[name]
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", value, expr)


# -- the files -------------------------------------------------------------------

def load_rules():
    with open(RULES, encoding="utf-8") as f:
        return yaml.safe_load(f)


def rules(doc=None):
    """Every rule of the rules file, with its group's name under "group"."""
    doc = doc or load_rules()
    return [dict(rule, group=group["name"]) for group in doc["groups"]
            for rule in group["rules"]]


def alerts(doc=None):
    return [r for r in rules(doc) if "alert" in r]


def recorded_names(doc=None):
    return {r["record"] for r in rules(doc) if "record" in r}


def rule_expressions(doc=None):
    """(where, expr) for every rule."""
    return [(f"{r['group']}/{r.get('record') or r.get('alert')}", r["expr"])
            for r in rules(doc)]


def load_dashboard():
    with open(DASHBOARD, encoding="utf-8") as f:
        return json.load(f)


def dashboard_panels(dashboard=None):
    dashboard = dashboard or load_dashboard()
    out = []
    for panel in dashboard["panels"]:
        if panel["type"] == "row":
            out.extend(panel.get("panels", []))
        else:
            out.append(panel)
    return out


def dashboard_queries(dashboard=None):
    """(where, PromQL) for every panel query and every query variable, with
    Grafana's variables replaced; label_values(METRIC, LABEL) gives METRIC."""
    dashboard = dashboard or load_dashboard()
    out = []
    for panel in dashboard_panels(dashboard):
        for target in panel.get("targets", []):
            out.append((f"panel {panel['title']!r} {target['refId']}",
                        grafana_to_promql(target["expr"])))
    for variable in dashboard.get("templating", {}).get("list", []):
        if variable["type"] != "query":
            continue
        query = variable["query"]
        query = query["query"] if isinstance(query, dict) else query
        match = re.fullmatch(r"label_values\((?:(.+),\s*)?(\w+)\)", query.strip())
        if match is None or match.group(1) is None:
            raise ValueError(f"variable ${variable['name']}: expected "
                             f"label_values(METRIC, LABEL), got {query!r}")
        out.append((f"variable ${variable['name']}", grafana_to_promql(match.group(1))))
    return out


def all_expressions():
    return rule_expressions() + dashboard_queries()


# -- what the services export ------------------------------------------------------

_SAMPLE = re.compile(r"^([A-Za-z_:][A-Za-z0-9_:]*)(\{.*\})?\s+\S+")
_LABEL = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)="(?:\\.|[^"\\])*"')


def exported_series(exposition):
    """{sample name: set of label names} from a Prometheus text exposition.
    Histograms appear as their _bucket, _sum and _count samples."""
    out = {}
    for line in exposition.splitlines():
        if not line or line.startswith("#"):
            continue
        match = _SAMPLE.match(line)
        if match is None:
            continue
        labels = set(_LABEL.findall(match.group(2) or ""))
        out.setdefault(match.group(1), set()).update(labels)
    return out
