#!/usr/bin/python3
"""Consistency checks of the deployment files that no schema catches
(scripts/deploy_check.sh runs them):

  - every probe's port is a port its container declares (an exec probe
    running salesmeet_health_probe: the port of its --address);
  - every cert-manager Certificate whose Secret a Deployment mounts is
    that service's: URI SAN spiffe://salesmeet/<service>, DNS SANs
    <service> (what peers dial) and localhost (what the probes dial), the
    usages server auth and client auth; and where a render has
    Certificates, every TLS Secret a service mounts has one;
  - with --access-policy, every rendered access policy ConfigMap
    (components/tls) holds that file, byte for byte (kustomize reads only
    a copy inside the component);
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
        [--access-policy deploy/security/access-policy.json] \\
        [--helpfull participant=FILE ...] [--json OUT.json] RENDERED.yaml...
"""

import argparse
import json
import re
import sys

import yaml

PROBES = ("startupProbe", "readinessProbe", "livenessProbe")
ENV_PREFIX = "SALESMEET_"
HEALTH_PROBE = "salesmeet_health_probe"
# components/tls's generated ConfigMap and its one key.
POLICY_CONFIG_MAP = "salesmeet-access-policy"
POLICY_KEY = "access-policy.json"
SPIFFE_PREFIX = "spiffe://salesmeet/"
# The Secret components/tls mounts for <service>, and its volume.
TLS_VOLUME = "tls"


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


def probe_port(spec):
    """The port a probe dials: its handler's, or for an exec probe running
    salesmeet_health_probe, the port of --address (None: none)."""
    handler = spec.get("grpc") or spec.get("tcpSocket") or spec.get("httpGet")
    if handler is not None:
        return handler.get("port")
    command = spec.get("exec", {}).get("command", [])
    if command and command[0].rsplit("/", 1)[-1] == HEALTH_PROBE:
        for arg in command[1:]:
            match = re.fullmatch(r"--address=(?:[^:]*|\[[^]]*\]):(\d+)", arg)
            if match:
                return int(match.group(1))
        return 50051  # The probe's default --address, localhost:50051.
    return None


def helpfull_flags(path):
    with open(path) as f:
        return set(re.findall(r"^\s+--(\w+) ", f.read(), re.MULTILINE))


class Checker:
    def __init__(self, targets, flags, policy=None):
        self.targets, self.flags, self.errors = targets, flags, []
        self.policy = policy  # (path, text) of --access-policy
        self.env_checked = 0
        self.policies_checked = 0

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

    def check_policy(self, config_maps):
        if self.policy is None:
            return
        path, text = self.policy
        for name, data in config_maps.items():
            if not name.startswith(POLICY_CONFIG_MAP):
                continue
            self.policies_checked += 1
            if data.get(POLICY_KEY) != text:
                self.fail(f"ConfigMap/{name}",
                          f"{POLICY_KEY} is not {path}; copy it again: cp {path} "
                          "deploy/k8s/components/tls/")

    def check_certificates(self, objects):
        certificates = {o["spec"].get("secretName"): o for o in objects
                        if o["kind"] == "Certificate"}
        if not certificates:
            return
        for obj in objects:
            if obj["kind"] != "Deployment":
                continue
            service = obj["metadata"]["name"]
            for volume in obj["spec"]["template"]["spec"].get("volumes", []):
                secret = volume.get("secret", {}).get("secretName")
                if volume["name"] != TLS_VOLUME or secret is None:
                    continue
                where = f"Deployment/{service}: Secret {secret}"
                cert = certificates.get(secret)
                if cert is None:
                    self.fail(where, "no Certificate writes it")
                    continue
                spec = cert["spec"]
                where = f"Certificate/{cert['metadata']['name']}"
                if SPIFFE_PREFIX + service not in spec.get("uris", []):
                    self.fail(where, f"no URI SAN {SPIFFE_PREFIX}{service}")
                for name in (service, "localhost"):
                    if name not in spec.get("dnsNames", []):
                        self.fail(where, f"no DNS SAN {name}")
                for usage in ("server auth", "client auth"):
                    if usage not in spec.get("usages", []):
                        self.fail(where, f"no usage {usage!r}")

    def check_k8s(self, objects):
        config_maps = {o["metadata"]["name"]: o.get("data", {})
                       for o in objects if o["kind"] == "ConfigMap"}
        self.check_policy(config_maps)
        self.check_certificates(objects)
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
                    port = probe_port(spec)
                    if port is not None and port not in ports:
                        self.fail(where, f"{probe} port {port} is "
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
    parser.add_argument("--access-policy", metavar="FILE")
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
    policy = None
    if args.access_policy:
        with open(args.access_policy) as f:
            policy = (args.access_policy, f.read())
    checker = Checker(dockerfile_targets(args.dockerfile), flags, policy)
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
    if policy:
        what += f", {checker.policies_checked} access policy ConfigMaps"
    composed = ", ".join(path.rsplit("/", 1)[-1] for path in args.compose)
    print(f"consistent: {len(everything)} objects, {composed}{what}")


if __name__ == "__main__":
    main()
