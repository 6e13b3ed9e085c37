#!/usr/bin/env bash
# Checks what deploy/ holds, then runs it for real (issue 6; .ci/run calls
# it after scripts/test.sh):
#   1. yamllint; kubectl kustomize renders every overlay (production and
#      tls included) and component; every object validates against the
#      Kubernetes schema (npm package kubernetes-models, offline; the alerts
#      component's PodMonitor and PrometheusRule against
#      @kubernetes-models/prometheus-operator, cert-manager's Certificates
#      and Issuers against @kubernetes-models/cert-manager); probes, images
#      and Dockerfile targets agree; the tls component's copy of the access
#      policy is deploy/security/access-policy.json; docker-compose accepts
#      compose.yaml, compose.postgresql.yaml and compose.yaml with
#      compose.tls.yaml.
#   2. its own dockerd (data root, socket, pidfile of its own), the base
#      image, the images; every SALESMEET_* variable and --flag argument is
#      a flag of its binary; docker-compose up, wait for healthy, the
#      README's grpcurl examples and a smoke test through the published
#      127.0.0.1 ports (tests/e2e/readme_examples_e2e_test.py,
#      tests/deploy/smoke.py), a timed stop, docker-compose down -v;
#   3. the same for compose.postgresql.yaml (PostgreSQL 15, three
#      scheduling replicas): up, healthy, the demo seed, the smoke test
#      across the replicas (booked through the second, read through the
#      third, watched live on the first), a timed stop, down -v;
#   4. compose.yaml with compose.tls.yaml on a dev PKI made here: up,
#      healthy through the TLS health probe, the seed over mutual TLS, the
#      smoke test with the admin token (plaintext refused, the certificate
#      alone refused), a certificate re-issued and served without a
#      restart, a timed stop, down -v;
#      dockerd stopped by its pid.
# Settings:
#   SALESMEET_BUILD_DIR       the build tree with the Python stubs (build/py)
#   SALESMEET_CACHE_DIR       kept between runs: Docker's data root (image
#                             and build caches), the base image tarball,
#                             npm packages (default /var/cache/salesmeet)
#   SALESMEET_ALLOW_NO_DOCKER=1  pass when dockerd cannot start (still
#                             reported loudly); the default is to fail
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DOCKER=/usr/bin/docker  # Debian's CLI; /usr/local/bin/docker has no BuildKit.
COMPOSE=/usr/bin/docker-compose
CACHE_DIR="$(realpath -m "${SALESMEET_CACHE_DIR:-/var/cache/salesmeet}")"
RUN_DIR=/run/salesmeet-deploy-check
KUBERNETES_MODELS=kubernetes-models@4.5.1
# The alerts component's PodMonitor and PrometheusRule; this release shares
# kubernetes-models 4's dependencies.
PROMETHEUS_OPERATOR_MODELS=@kubernetes-models/prometheus-operator@4.4.4
# The cert-manager components' Certificates and Issuers; the same.
CERT_MANAGER_MODELS=@kubernetes-models/cert-manager@4.4.4
# The tag deploy/docker/build_images.sh gives every image.
IMAGE_TAG=dev
SERVICES=(participant scheduling analytics)
export COMPOSE_PROJECT_NAME=salesmeet-deploy-check
COMPOSE_FILE="$REPO_ROOT/deploy/compose.yaml"
# The PostgreSQL variant, under a project of its own.
PG_COMPOSE_FILE="$REPO_ROOT/deploy/compose.postgresql.yaml"
PG_PROJECT=salesmeet-deploy-check-pg
PG_SERVICES=(participant scheduling-1 scheduling-2 scheduling-3 analytics)
# Their published gRPC ports, in that order.
PG_SCHEDULING_ADDRESSES=127.0.0.1:50052,127.0.0.1:50152,127.0.0.1:50252
# compose.yaml under mutual TLS (an override of it), under a project of its
# own, with the dev PKI in $WORK/pki.
TLS_COMPOSE_FILE="$REPO_ROOT/deploy/compose.tls.yaml"
TLS_PROJECT=salesmeet-deploy-check-tls
ACCESS_POLICY="$REPO_ROOT/deploy/security/access-policy.json"
# The uid the service and seed images run as, who must read the dev PKI.
IMAGE_UID=10001
WORK=""

# compose_sqlite ARGS / compose_pg ARGS / compose_tls ARGS: docker-compose on
# each variant.
compose_sqlite() { "$COMPOSE" -f "$COMPOSE_FILE" "$@"; }
compose_pg() { "$COMPOSE" -p "$PG_PROJECT" -f "$PG_COMPOSE_FILE" "$@"; }
compose_tls() {
  SALESMEET_PKI_DIR="$WORK/pki" "$COMPOSE" -p "$TLS_PROJECT" -f "$COMPOSE_FILE" \
    -f "$TLS_COMPOSE_FILE" "$@"
}

banner() {
  printf '\n%s\n' "########################################################################" >&2
  printf '### %s\n' "$@" >&2
  printf '%s\n\n' "########################################################################" >&2
}

# -- 1. the files --------------------------------------------------------------

# Every overlay, and every component on top of the dev overlay, rendered to
# $WORK/<name>.yaml. A component is rendered in the dev overlay's namespace,
# as an overlay of one's own would set it, so that what it adds lands there
# and its references resolve. (The functions run under `timed`, where set -e
# is off, hence the explicit returns.)
render_kustomizations() {
  local dir name namespace
  namespace=$(sed -n 's/^namespace: *//p' "$REPO_ROOT/deploy/k8s/overlays/dev/kustomization.yaml")
  [[ -n "$namespace" ]] || return 1
  for dir in "$REPO_ROOT"/deploy/k8s/overlays/*/; do
    name="overlay-$(basename "$dir")"
    kubectl kustomize "$dir" >"$WORK/$name.yaml" || return 1
    log "rendered $name: $(grep -c '^kind:' "$WORK/$name.yaml") objects"
  done
  for dir in "$REPO_ROOT"/deploy/k8s/components/*/; do
    name="component-$(basename "$dir")"
    mkdir -p "$WORK/$name"
    cat >"$WORK/$name/kustomization.yaml" <<YAML
namespace: $namespace
resources: [$(realpath --relative-to="$WORK/$name" "$REPO_ROOT/deploy/k8s/overlays/dev")]
components: [$(realpath --relative-to="$WORK/$name" "$dir")]
YAML
    kubectl kustomize "$WORK/$name" >"$WORK/$name.yaml" || return 1
    log "rendered dev + $name: $(grep -c '^kind:' "$WORK/$name.yaml") objects"
  done
}

# npm_has DIR PACKAGE@VERSION: whether DIR/node_modules holds that version.
npm_has() {
  local package="${2%@*}"
  grep -q "\"version\": \"${2##*@}\"" "$1/node_modules/$package/package.json" 2>/dev/null
}

ensure_kubernetes_models() {
  local dir="$CACHE_DIR/npm"
  # All in one install: an install --no-save removes what an earlier one
  # added.
  local package absent=0
  for package in "$KUBERNETES_MODELS" "$PROMETHEUS_OPERATOR_MODELS" "$CERT_MANAGER_MODELS"; do
    npm_has "$dir" "$package" || absent=1
  done
  if ((absent)); then
    log "npm install $KUBERNETES_MODELS $PROMETHEUS_OPERATOR_MODELS $CERT_MANAGER_MODELS into $dir"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --no-save --loglevel=error \
      "$KUBERNETES_MODELS" "$PROMETHEUS_OPERATOR_MODELS" "$CERT_MANAGER_MODELS" \
      >/dev/null || return 1
  fi
}

check_files() {
  log "yamllint deploy/"
  yamllint -s -c "$REPO_ROOT/deploy/.yamllint" "$REPO_ROOT/deploy" || return 1
  render_kustomizations || return 1
  # compose.tls.yaml is an override: checked merged with compose.yaml (kept
  # out of $WORK/*.yaml, the rendered manifests).
  mkdir -p "$WORK/compose"
  compose_tls config >"$WORK/compose/tls.yaml" || return 1
  "$PYTHON" "$REPO_ROOT/deploy/ci/check_manifests.py" \
    --dockerfile "$REPO_ROOT/deploy/docker/Dockerfile" --compose "$COMPOSE_FILE" \
    --compose "$PG_COMPOSE_FILE" --compose "$WORK/compose/tls.yaml" \
    --access-policy "$ACCESS_POLICY" --json "$WORK/objects.json" "$WORK"/*.yaml || return 1
  ensure_kubernetes_models || return 1
  # The prometheus-operator's resources first; the rest go to k8s-objects.json.
  NODE_PATH="$CACHE_DIR/npm/node_modules" node \
    "$REPO_ROOT/deploy/monitoring/validate_monitoring_objects.js" \
    "$WORK/objects.json" "$WORK/k8s-objects.json" || return 1
  NODE_PATH="$CACHE_DIR/npm/node_modules" node "$REPO_ROOT/deploy/ci/validate_k8s.js" \
    "$WORK/k8s-objects.json" || return 1
  log "docker-compose config -q"
  compose_sqlite config -q || return 1
  compose_pg config -q || return 1
  compose_tls config -q || return 1
  log "deploy/ files are consistent"
}

# -- 2. the real thing ---------------------------------------------------------

DOCKERD_PID=""

start_dockerd() {
  mkdir -p "$RUN_DIR" "$CACHE_DIR/docker"
  if [[ -S /var/run/docker.sock ]]; then
    log "another Docker engine is listening on /var/run/docker.sock; using our own anyway"
  fi
  # A dockerd left by an interrupted run would hold our data root.
  if [[ -s "$RUN_DIR/dockerd.pid" ]] && kill -0 "$(cat "$RUN_DIR/dockerd.pid")" 2>/dev/null; then
    stop_dockerd_pid "$(cat "$RUN_DIR/dockerd.pid")"
  fi
  # --bridge=none: no default bridge to clash with another engine's docker0;
  # compose makes its own network, and builds use the host's.
  dockerd --data-root "$CACHE_DIR/docker" --exec-root "$RUN_DIR/exec" \
    --host "unix://$RUN_DIR/docker.sock" --pidfile "$RUN_DIR/dockerd.pid" \
    --bridge=none >"$WORK/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  export DOCKER_HOST="unix://$RUN_DIR/docker.sock"
  local tries
  for ((tries = 0; tries < 300; tries++)); do
    if "$DOCKER" version >/dev/null 2>&1; then
      log "dockerd is up (pid $DOCKERD_PID, data root $CACHE_DIR/docker)"
      return 0
    fi
    kill -0 "$DOCKERD_PID" 2>/dev/null || break
    sleep 0.1
  done
  tail -20 "$WORK/dockerd.log" >&2 || true
  DOCKERD_PID=""
  return 1
}

# shellcheck disable=SC2317  # reached from the EXIT trap
stop_dockerd_pid() {
  local pid=$1 tries
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((tries = 0; tries < 300; tries++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "dockerd $pid did not stop within 30 s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

# shellcheck disable=SC2317  # reached from the EXIT trap
clean_up() {
  trap '' INT TERM HUP PIPE
  set +e
  if [[ -n "$DOCKERD_PID" ]]; then
    compose_sqlite down -v --remove-orphans >/dev/null 2>&1
    compose_pg down -v --remove-orphans >/dev/null 2>&1
    compose_tls down -v --remove-orphans >/dev/null 2>&1
    stop_dockerd_pid "$DOCKERD_PID"
    wait "$DOCKERD_PID" 2>/dev/null
    log "stopped dockerd"
  fi
  [[ -z "$WORK" ]] || rm -rf "$WORK"
}

build_images() {
  BUILD_JOBS=$BUILD_JOBS "$REPO_ROOT/deploy/docker/build_images.sh" \
    --log-dir "$WORK"
}

# Every SALESMEET_* variable in the compose files and the manifests, and
# every --flag argument in the manifests, names a flag that the binary in
# its image accepts.
check_env_flags() {
  local service args=()
  for service in "${SERVICES[@]}"; do
    "$DOCKER" run --rm "salesmeet/$service:$IMAGE_TAG" --helpfull \
      >"$WORK/$service.helpfull" 2>&1 || true
    args+=(--helpfull "$service=$WORK/$service.helpfull")
  done
  "$PYTHON" "$REPO_ROOT/deploy/ci/check_manifests.py" "${args[@]}" \
    --dockerfile "$REPO_ROOT/deploy/docker/Dockerfile" --compose "$COMPOSE_FILE" \
    --compose "$PG_COMPOSE_FILE" --compose "$WORK/compose/tls.yaml" "$WORK"/*.yaml
}

# wait_healthy START COMPOSE SERVICE...: waits until each SERVICE's container
# reports healthy (COMPOSE is compose_sqlite or compose_pg); prints the time
# since START ($EPOCHREALTIME).
wait_healthy() {
  local start=$1 compose=$2 service id state pending tries
  shift 2
  for ((tries = 0; tries < 600; tries++)); do
    pending=()
    for service in "$@"; do
      id=$("$compose" ps -q "$service")
      state=$("$DOCKER" inspect -f '{{.State.Health.Status}}' "$id" 2>/dev/null || echo missing)
      [[ "$state" == healthy ]] || pending+=("$service:$state")
    done
    if ((${#pending[@]} == 0)); then
      log "all healthy $(elapsed "$start") after up"
      return 0
    fi
    sleep 0.2
  done
  "$compose" logs --tail=30 >&2
  log "not healthy after 120 s: ${pending[*]}"
  return 1
}

elapsed() {
  local ms=$(((${EPOCHREALTIME/./} - ${1/./}) / 1000))
  printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100))
}

# wait_seed COMPOSE: waits for the one-off demo seed to exit 0.
wait_seed() {
  local compose=$1
  log "waiting for the demo seed"
  "$DOCKER" wait "$("$compose" ps -q seed)" | grep -qx 0 || {
    "$compose" logs seed >&2
    log "the demo seed failed"
    return 1
  }
}

# stop_cleanly COMPOSE SERVICE...: stops the services at once, timed, and
# checks that each logged a clean stop.
stop_cleanly() {
  local compose=$1 start service stopped
  shift
  start=$EPOCHREALTIME
  "$compose" stop "$@" || return 1
  log "SIGTERM to stopped: $(elapsed "$start") for $# services"
  for service in "$@"; do
    stopped=$("$compose" logs --no-color "$service" |
      grep -o '"msg":"stopped".*' | tail -1)
    [[ -n "$stopped" ]] || {
      log "$service did not log a clean stop"
      return 1
    }
    log "$service: $stopped"
  done
}

run_compose_suite() {
  local start
  start=$EPOCHREALTIME
  log "docker-compose up -d"
  compose_sqlite up -d --no-build || return 1
  wait_healthy "$start" compose_sqlite "${SERVICES[@]}" redis || return 1
  wait_seed compose_sqlite || return 1
  # The README's grpcurl examples, in order, as a reader would run them
  # against this suite (before the smoke test adds data of its own).
  log "README examples against the compose suite"
  (cd "$REPO_ROOT/tests/e2e" &&
    PYTHONPATH="$BUILD_DIR/py:$REPO_ROOT/tests/e2e" SALESMEET_README_LIVE=1 \
      "$PYTHON" -m unittest readme_examples_e2e_test.ReadmeGrpcurlExamplesTest) ||
    return 1
  log "smoke test through 127.0.0.1"
  PYTHONPATH="$BUILD_DIR/py" "$PYTHON" "$REPO_ROOT/tests/deploy/smoke.py" \
    --participant=127.0.0.1:50051 --scheduling=127.0.0.1:50052 \
    --analytics=127.0.0.1:50053 || return 1
  stop_cleanly compose_sqlite "${SERVICES[@]}" || return 1
  compose_sqlite down -v --remove-orphans
}

# compose.postgresql.yaml: PostgreSQL 15 initialised on its first start,
# three scheduling replicas migrating at once, the seed through them, then
# the smoke test across the replicas. Its ports are compose.yaml's, so it
# runs after that suite is down.
run_compose_postgresql_suite() {
  local start
  start=$EPOCHREALTIME
  log "docker-compose -f compose.postgresql.yaml up -d"
  compose_pg up -d --no-build || return 1
  wait_healthy "$start" compose_pg postgresql redis "${PG_SERVICES[@]}" || return 1
  wait_seed compose_pg || return 1
  log "smoke test across the scheduling replicas"
  PYTHONPATH="$BUILD_DIR/py" "$PYTHON" "$REPO_ROOT/tests/deploy/smoke.py" \
    --participant=127.0.0.1:50051 --scheduling="$PG_SCHEDULING_ADDRESSES" \
    --analytics=127.0.0.1:50053 || return 1
  stop_cleanly compose_pg "${PG_SERVICES[@]}" || return 1
  compose_pg down -v --remove-orphans
}

# served_serial PKI: the serial of the certificate participant serves a new
# connection on 127.0.0.1:50051 (mutual TLS, as the operator), e.g.
# "serial=1A2B..."; empty when no handshake succeeds.
served_serial() {
  openssl s_client -connect 127.0.0.1:50051 -servername localhost -alpn h2 \
    -CAfile "$1/ca.crt" -cert "$1/operator.crt" -key "$1/operator.key" \
    -verify_return_error </dev/null 2>/dev/null | openssl x509 -noout -serial 2>/dev/null
}

# check_tls_rotation PKI: re-issues participant's certificate with a new key,
# as cert-manager renews one, and waits for new connections to be served it
# (--tls_refresh_interval is 10s), with the container neither restarted nor
# unhealthy.
check_tls_rotation() {
  local pki=$1 id started want got="" tries state
  id=$(compose_tls ps -q participant)
  started=$("$DOCKER" inspect -f '{{.State.StartedAt}} {{.RestartCount}}' "$id") || return 1
  "$BASH" "$REPO_ROOT/scripts/dev_pki.sh" reissue "$pki" participant --new-key >&2 || return 1
  chown -R "$IMAGE_UID:$IMAGE_UID" "$pki" || return 1
  want=$(openssl x509 -in "$pki/participant.crt" -noout -serial) || return 1
  for ((tries = 0; tries < 60; tries++)); do
    got=$(served_serial "$pki")
    [[ "$got" == "$want" ]] && break
    sleep 0.5
  done
  if [[ "$got" != "$want" ]]; then
    log "participant still serves ${got:-nothing}, not the re-issued $want, after 30 s"
    return 1
  fi
  state=$("$DOCKER" inspect -f '{{.State.StartedAt}} {{.RestartCount}}' "$id") || return 1
  if [[ "$state" != "$started" ]]; then
    log "participant restarted during the rotation ($started, now $state)"
    return 1
  fi
  PYTHONPATH="$BUILD_DIR/py" "$PYTHON" - "$pki" <<'PY' || return 1
import sys
import grpc
from grpc_std import health_pb2, health_pb2_grpc
pki = sys.argv[1]
def read(name):
    with open(f"{pki}/{name}", "rb") as f:
        return f.read()
credentials = grpc.ssl_channel_credentials(read("ca.crt"), read("operator.key"),
                                           read("operator.crt"))
with grpc.secure_channel("127.0.0.1:50051", credentials) as channel:
    reply = health_pb2_grpc.HealthStub(channel).Check(
        health_pb2.HealthCheckRequest(), timeout=10)
    sys.exit(0 if reply.status == health_pb2.HealthCheckResponse.SERVING else 1)
PY
  log "participant serves the re-issued certificate ($want) without a restart"
}

# compose.yaml with compose.tls.yaml: mutual TLS everywhere, bearer tokens
# and the default access policy, on a dev PKI made here (scripts/dev_pki.sh)
# and given to the images' uid. Up, healthy (the healthchecks speak mutual
# TLS), the seed (operator.crt and the admin token), the smoke test over
# mutual TLS with the admin token (which also checks that plaintext and a
# certificate without a token are refused), a certificate rotation picked up
# without a restart, a timed stop, down -v. Its ports are compose.yaml's, so
# it runs after that suite is down. Not called from main yet (see there).
run_compose_tls_suite() {
  local start pki="$WORK/pki"
  log "dev PKI in $pki"
  "$BASH" "$REPO_ROOT/scripts/dev_pki.sh" "$pki" >&2 || return 1
  # The keys and tokens are 0600; the containers run as uid 10001.
  chown -R "$IMAGE_UID:$IMAGE_UID" "$pki" || return 1
  start=$EPOCHREALTIME
  log "docker-compose -f compose.yaml -f compose.tls.yaml up -d"
  compose_tls up -d --no-build || return 1
  wait_healthy "$start" compose_tls "${SERVICES[@]}" redis || return 1
  wait_seed compose_tls || return 1
  log "smoke test over mutual TLS, with the admin token"
  PYTHONPATH="$BUILD_DIR/py" "$PYTHON" "$REPO_ROOT/tests/deploy/smoke.py" \
    --participant=127.0.0.1:50051 --scheduling=127.0.0.1:50052 \
    --analytics=127.0.0.1:50053 --ca="$pki/ca.crt" --cert="$pki/operator.crt" \
    --key="$pki/operator.key" --token_file="$pki/tokens/admin.jwt" || return 1
  check_tls_rotation "$pki" || return 1
  stop_cleanly compose_tls "${SERVICES[@]}" || return 1
  compose_tls down -v --remove-orphans
}

main() {
  REQUIRED_PACKAGES=("${DEPLOY_PACKAGES[@]}")
  ensure_packages
  command -v kubectl >/dev/null || {
    banner "kubectl is not installed: the Kubernetes files cannot be rendered." \
      "Debian 12's kubernetes-client is too old for kustomize components."
    exit 1
  }
  command -v npm >/dev/null || die "node and npm are needed for the schema check"
  [[ -d "$BUILD_DIR/py" ]] || die "no Python stubs in $BUILD_DIR/py; run scripts/test.sh first"
  WORK=$(mktemp -d /tmp/salesmeet-deploy-check.XXXXXX)
  trap clean_up EXIT
  trap 'exit 130' INT TERM HUP

  timed files check_files || die "the deployment files failed their checks"
  if ! start_dockerd; then
    banner "dockerd DID NOT START: images and the compose suite were NOT tested." \
      "See the log above."
    print_timings
    [[ "${SALESMEET_ALLOW_NO_DOCKER:-0}" == 1 ]] && exit 0
    exit 1
  fi
  timed images build_images || die "the images did not build"
  timed env-flags check_env_flags || die "compose.yaml or the manifests set unknown flags"
  timed compose run_compose_suite || die "the compose suite failed"
  timed compose-postgresql run_compose_postgresql_suite ||
    die "the PostgreSQL compose suite failed"
  timed compose-tls run_compose_tls_suite || die "the TLS compose suite failed"
  print_timings
  log "deploy check passed"
}

main "$@"
