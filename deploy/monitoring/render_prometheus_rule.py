#!/usr/bin/python3
"""Writes the alerts component's PrometheusRule from the plain rules file, so
the rules are maintained once:

    deploy/monitoring/salesmeet-rules.yaml
      -> deploy/k8s/components/alerts/prometheus-rule.yaml

The rules file's `groups:` and everything after it become the resource's
`spec:`, indented, comments included. Run it after editing the rules;
--check only reports whether the resource is up to date (exit 1 if not),
as tests/monitoring/monitoring_rules_test.py does.
"""

import argparse
import pathlib
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]
RULES = REPO / "deploy" / "monitoring" / "salesmeet-rules.yaml"
RESOURCE = REPO / "deploy" / "k8s" / "components" / "alerts" / "prometheus-rule.yaml"

HEADER = """\
# GENERATED from deploy/monitoring/salesmeet-rules.yaml by
# deploy/monitoring/render_prometheus_rule.py: edit that file and run the
# script, not this one (the monitoring.rules test fails while they differ).
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: salesmeet
  labels: {app.kubernetes.io/part-of: salesmeet}
spec:
"""


def render(rules_text):
    lines = rules_text.splitlines()
    try:
        start = lines.index("groups:")
    except ValueError:
        sys.exit(f"{RULES}: no top-level 'groups:' line")
    body = [("  " + line) if line else "" for line in lines[start:]]
    return HEADER + "\n".join(body) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if the resource is not up to date")
    args = parser.parse_args()
    wanted = render(RULES.read_text(encoding="utf-8"))
    current = RESOURCE.read_text(encoding="utf-8") if RESOURCE.exists() else ""
    if args.check:
        if current != wanted:
            sys.exit(f"{RESOURCE.relative_to(REPO)} is out of date; run "
                     f"deploy/monitoring/render_prometheus_rule.py")
        return
    if current != wanted:
        RESOURCE.write_text(wanted, encoding="utf-8")
        print(f"wrote {RESOURCE.relative_to(REPO)}")


if __name__ == "__main__":
    main()
