#!/usr/bin/python3
"""Consistency checks of the deployment files that no schema catches
(scripts/deploy_check.sh runs them):

  - every probe's port is a port its container declares;
  - every salesmeet/<name> image (with or without a registry in front),
    of a container or an init container in the rendered manifests and in
    each compose file, is a target of the Dockerfile (and compose builds
    it from that target);
  - with --helpfull, every SALESMEET_<FLAG> variable, in a container's env,
    in a ConfigMap it reads or in a compose file, and every --flag in a
    container's args, is a flag of the binary in that image (services read
    unknown variables silently, so a typo would go unnoticed).

With --json, also writes every rendered object as one JSON list, for the
schema validation in validate_k8s.js.

    check_manifests.py --dockerfile deploy/docker/Dockerfile \\
        --compose deploy/compose.yaml --compose deploy/compose.postgresql.yaml \\
        [--helpfull participant=FILE ...] [--json OUT.json] RENDERED.yaml...
"""

import argparse
import json
import re
import sys

import yaml

PROBES = ("startupProbe", "readinessProbe", "livenessProbe")
ENV_PREFIX = "SALESMEET_"


def dockerfile_targets(path):
    """The stages meant to be images: those no other stage builds on or
    copies from (so not "build" or "runtime")."""
    with open(path) as f:
        text = f.read()
    stages = set(re.findall(r"^FROM\s+\S+\s+AS\s+(\S+)", text,
                            re.MULTILINE | re.IGNORECASE))
    used = set(re.findall(r"^FROM\s+(\S+)", text, re.MULTILINE | re.IGNORECASE))
    used |= set(re.findall(r"--from=(\S+)", text))
    return stages - used


def image_target(image):
    """'salesmeet/participant:dev' -> 'participant', also behind a registry
    ('registry.example.internal/salesmeet/participant:dev'); None for
    others."""
    match = re.fullmatch(r"(?:[\w.-]+(?::\d+)?/)*salesmeet/([a-z0-9-]+)(:[\w.-]+)?",
                         image)
    return match.group(1) if match else None


def helpfull_flags(path):
    with open(path) as f:
        return set(re.findall(r"^\s+--(\w+) ", f.read(), re.MULTILINE))


class Checker:
    def __init__(self, targets, flags):
        self.targets, self.flags, self.errors = targets, flags, []
        self.env_checked = 0

    def fail(self, where, message):
        self.errors.append(f"{where}: {message}")

    def check_image(self, where, image, built_from=None):
        target = image_target(image)
        if target is None:
            self.fail(where, f"image {image} is not a salesmeet/<target> image")
        elif target not in self.targets:
            self.fail(where, f"image {image}: no Dockerfile target {target!r} "
                             f"(targets: {', '.join(sorted(self.targets))})")
        elif built_from is not None and built_from != target:
            self.fail(where, f"image {image} is built from target {built_from!r}")
        return target

    def check_env(self, where, target, names):
        if self.flags is None or target is None:
            return
        known = self.flags.get(target)
        for name in names:
            if not name.startswith(ENV_PREFIX):
                continue
            if known is None:
                self.fail(where, f"{name} set, but no --helpfull output of "
                                 f"{target} was given to check it against")
                continue
            self.env_checked += 1
            flag = name[len(ENV_PREFIX):].lower()
            if flag not in known:
                self.fail(where, f"{name}: {target} has no flag --{flag}")

    def check_args(self, where, target, args):
        """A container's --flag arguments, for a binary we have the flags
        of (redis's own arguments are not checked)."""
        known = (self.flags or {}).get(target)
        if known is None:
            return
        for arg in args:
            flag = re.match(r"--(\w+)", arg)
            if flag and flag.group(1) not in known:
                self.fail(where, f"argument {arg}: {target} has no flag "
                                 f"--{flag.group(1)}")

    def check_k8s(self, objects):
        config_maps = {o["metadata"]["name"]: o.get("data", {})
                       for o in objects if o["kind"] == "ConfigMap"}
        for obj in objects:
            if obj["kind"] not in ("Deployment", "StatefulSet", "DaemonSet"):
                continue
            pod = obj["spec"]["template"]["spec"]
            for c in pod.get("initContainers", []) + pod["containers"]:
                where = f"{obj['kind']}/{obj['metadata']['name']}/{c['name']}"
                target = self.check_image(where, c["image"])
                ports = {p["containerPort"] for p in c.get("ports", [])}
                ports |= {p["name"] for p in c.get("ports", []) if "name" in p}
                for probe in PROBES:
                    spec = c.get(probe)
                    if spec is None:
                        continue
                    handler = spec.get("grpc") or spec.get("tcpSocket") \
                        or spec.get("httpGet") or {}
                    if "port" in handler and handler["port"] not in ports:
                        self.fail(where, f"{probe} port {handler['port']} is "
                                         f"not a container port ({sorted(map(str, ports))})")
                names = [e["name"] for e in c.get("env", [])]
                for source in c.get("envFrom", []):
                    ref = source.get("configMapRef", {}).get("name")
                    if ref is not None:
                        if ref not in config_maps:
                            self.fail(where, f"envFrom ConfigMap {ref} is not rendered")
                        names += list(config_maps.get(ref, {}))
                self.check_env(where, target, names)
                self.check_args(where, target, c.get("args", []))

    def check_compose(self, path, compose):
        for name, service in compose["services"].items():
            where = f"{path}: service {name}"
            build = service.get("build") or {}
            target = self.check_image(where, service.get("image", ""),
                                      build.get("target"))
            env = service.get("environment") or {}
            names = list(env) if isinstance(env, dict) else \
                [e.split("=", 1)[0] for e in env]
            self.check_env(where, target, names)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dockerfile", required=True)
    parser.add_argument("--compose", action="append", required=True)
    parser.add_argument("--helpfull", action="append", default=None,
                        metavar="TARGET=FILE")
    parser.add_argument("--json")
    parser.add_argument("rendered", nargs="+")
    args = parser.parse_args()

    flags = None
    if args.helpfull is not None:
        flags = {}
        for item in args.helpfull:
            target, path = item.split("=", 1)
            flags[target] = helpfull_flags(path)
            if not flags[target]:
                sys.exit(f"{path}: no flags in the --helpfull output of {target}")
    checker = Checker(dockerfile_targets(args.dockerfile), flags)
    everything = []
    for path in args.rendered:
        with open(path) as f:
            objects = [o for o in yaml.safe_load_all(f) if o]
        checker.check_k8s(objects)
        everything += objects
    for path in args.compose:
        with open(path) as f:
            checker.check_compose(path, yaml.safe_load(f))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(everything, f)

    for error in checker.errors:
        print(f"error: {error}", file=sys.stderr)
    if checker.errors:
        sys.exit(1)
    what = f", {checker.env_checked} SALESMEET_* variables" if flags else ""
    composed = ", ".join(path.rsplit("/", 1)[-1] for path in args.compose)
    print(f"consistent: {len(everything)} objects, {composed}{what}")


if __name__ == "__main__":
    main()
