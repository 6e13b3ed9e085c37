#!/usr/bin/env bash
# Runs salesmeet on this machine: installs what is missing, builds, starts
# Redis and every service that has been built on 127.0.0.1, seeds a demo
# sales organisation into an empty database, and prints grpcurl commands to
# try. Stays in the foreground; Ctrl-C (or SIGINT, SIGTERM, SIGHUP) stops
# everything it started: the services at once, so their drains overlap,
# then Redis; whatever has not exited after SALESMEET_STOP_TIMEOUT is
# killed. Settings:
#   SALESMEET_DATA_DIR       databases, Redis data and logs (default: <repo>/.data)
#   SALESMEET_BUILD_DIR      the build tree (default: <repo>/build)
#   SALESMEET_REDIS_PORT     Redis's port (default: 6379)
#   SALESMEET_GRPC_PORTS     participant, scheduling and analytics gRPC ports
#                            (default: "50051 50052 50053")
#   SALESMEET_METRICS_PORTS  their metrics ports (default: "9451 9452 9453")
#   SALESMEET_STOP_TIMEOUT   seconds a stop may take before kill (default: 30)
#   SALESMEET_SKIP_BUILD     1: use the binaries already built (tests do)
#   SALESMEET_STORE          sqlite (default): each service on its SQLite file;
#                            postgresql: a local PostgreSQL 15 cluster in
#                            <data>/postgresql (scripts/pg_cluster.sh), every
#                            service on it, scheduling as several replicas
#   SALESMEET_SECURE         1: mutual TLS, bearer tokens and the access policy.
#                            scripts/dev_pki.sh makes (or keeps, while valid) a
#                            dev CA, a certificate per service, operator.crt
#                            and tokens/{admin,scheduler,viewer,analyst}.jwt in
#                            <data>/pki (token times follow
#                            SALESMEET_TESTING_NOW when set); every service and
#                            replica serves TLS only, wants a client
#                            certificate, calls its peers with its own and
#                            applies deploy/security/access-policy.json. The
#                            health checks and the seed use operator.crt (the
#                            seed with the admin token), and the printed
#                            grpcurl commands carry a certificate and a token.
# With SALESMEET_STORE=postgresql only:
#   SALESMEET_PG_PORT        PostgreSQL's port (default: 5432, or the first
#                            free one after it when 5432 is taken)
#   SALESMEET_SCHEDULING_REPLICAS  how many scheduling replicas (default: 3)
#   SALESMEET_REPLICA_GRPC_PORTS     gRPC ports of scheduling replicas 2, 3, ...
#                            (default: scheduling's port + 100, + 200, ...)
#   SALESMEET_REPLICA_METRICS_PORTS  their metrics ports (default: scheduling's
#                            metrics port + 100, + 200, ...)
set -euo pipefail

# A script started in the background of another non-interactive shell
# inherits SIGINT ignored, and bash cannot trap a signal ignored at entry.
# Start again once with the default handling, so that SIGINT stops
# everything here too.
sigint_ignored() {
  local mask
  mask=$(awk '/^SigIgn:/ {print $2}' /proc/$$/status 2>/dev/null) || return 1
  [[ -n "$mask" ]] && (((16#$mask & 2) != 0))
}
if [[ -z "${SALESMEET_UP_RESTARTED:-}" ]] && sigint_ignored; then
  SALESMEET_UP_RESTARTED=1 exec env --default-signal=INT,HUP,TERM \
    "$BASH" "${BASH_SOURCE[0]}" "$@"
fi

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scripts/pg_cluster.sh
source "$(dirname "${BASH_SOURCE[0]}")/pg_cluster.sh"
# shellcheck source=scripts/up_examples.sh
source "$(dirname "${BASH_SOURCE[0]}")/up_examples.sh"

DATA_DIR="$(realpath -m "${SALESMEET_DATA_DIR:-$REPO_ROOT/.data}")"
LOG_DIR="$DATA_DIR/logs"
REDIS_PORT="${SALESMEET_REDIS_PORT:-6379}"
read -r PARTICIPANT_PORT SCHEDULING_PORT ANALYTICS_PORT \
  <<<"${SALESMEET_GRPC_PORTS:-50051 50052 50053}"
read -r PARTICIPANT_METRICS SCHEDULING_METRICS ANALYTICS_METRICS \
  <<<"${SALESMEET_METRICS_PORTS:-9451 9452 9453}"
STOP_TIMEOUT="${SALESMEET_STOP_TIMEOUT:-30}"
SECURE="${SALESMEET_SECURE:-}"
case "$SECURE" in
  "" | 0) SECURE=0 ;;
  1) ;;
  *) die "SALESMEET_SECURE is $SECURE; it takes 1 (or 0, the default)" ;;
esac
# With SALESMEET_SECURE=1: the dev PKI (scripts/dev_pki.sh) and the policy.
PKI_DIR="$DATA_DIR/pki"
ACCESS_POLICY="$REPO_ROOT/deploy/security/access-policy.json"
PARTICIPANT_ADDR="localhost:$PARTICIPANT_PORT"
SCHEDULING_ADDR="localhost:$SCHEDULING_PORT"

# The store: SQLite files, or one PostgreSQL cluster that every service
# shares (each keeps its tables in a schema of its own), which lets
# scheduling run as several replicas.
STORE="${SALESMEET_STORE:-sqlite}"
PG_DIR="$DATA_DIR/postgresql"
PG_PORT="${SALESMEET_PG_PORT:-}"
SCHEDULING_REPLICAS=1
case "$STORE" in
  sqlite)
    if [[ -n "${SALESMEET_SCHEDULING_REPLICAS:-}" && "$SALESMEET_SCHEDULING_REPLICAS" != 1 ]]; then
      die "scheduling replicas need SALESMEET_STORE=postgresql: SQLite admits one writer"
    fi
    ;;
  postgresql)
    SCHEDULING_REPLICAS="${SALESMEET_SCHEDULING_REPLICAS:-3}"
    [[ "$SCHEDULING_REPLICAS" =~ ^[1-9]$ ]] ||
      die "SALESMEET_SCHEDULING_REPLICAS is $SCHEDULING_REPLICAS; it takes 1 to 9"
    ;;
  *) die "SALESMEET_STORE is $STORE; it takes sqlite or postgresql" ;;
esac
read -ra REPLICA_PORTS <<<"${SALESMEET_REPLICA_GRPC_PORTS:-}"
read -ra REPLICA_METRICS <<<"${SALESMEET_REPLICA_METRICS_PORTS:-}"

# The services, started in this order when their binary has been built.
# Scheduling's replicas 2, 3, ... are scheduling-2, scheduling-3, ...
#   name         gRPC               metrics                flags of its own
SERVICES=(
  "participant  $PARTICIPANT_PORT  $PARTICIPANT_METRICS"
  "scheduling   $SCHEDULING_PORT   $SCHEDULING_METRICS    --participant=$PARTICIPANT_ADDR --redis=127.0.0.1:$REDIS_PORT"
)
for ((replica = 2; replica <= SCHEDULING_REPLICAS; replica++)); do
  replica_port=${REPLICA_PORTS[replica - 2]:-$((SCHEDULING_PORT + 100 * (replica - 1)))}
  replica_metrics=${REPLICA_METRICS[replica - 2]:-$((SCHEDULING_METRICS + 100 * (replica - 1)))}
  SERVICES+=("scheduling-$replica $replica_port $replica_metrics --participant=$PARTICIPANT_ADDR --redis=127.0.0.1:$REDIS_PORT")
done
SERVICES+=(
  "analytics    $ANALYTICS_PORT    $ANALYTICS_METRICS     --scheduling=$SCHEDULING_ADDR --participant=$PARTICIPANT_ADDR"
)

# up.sh's own settings, which the services must not read as flags (they
# take SALESMEET_<FLAG> from the environment).
OWN_SETTINGS=(SALESMEET_DATA_DIR SALESMEET_BUILD_DIR SALESMEET_REDIS_PORT
  SALESMEET_GRPC_PORTS SALESMEET_METRICS_PORTS SALESMEET_STOP_TIMEOUT
  SALESMEET_SKIP_BUILD SALESMEET_UP_RESTARTED SALESMEET_STORE
  SALESMEET_PG_PORT SALESMEET_SCHEDULING_REPLICAS
  SALESMEET_REPLICA_GRPC_PORTS SALESMEET_REPLICA_METRICS_PORTS
  SALESMEET_SECURE)

# What this script started, in order: names and process ids; and the step
# it is waiting for (a health wait, the seed), stopped first on a signal.
STARTED_NAMES=()
STARTED_PIDS=()
STEP_PID=""

# binary_of NAME: a service's binary; scheduling-2 runs scheduling's.
binary_of() {
  local service=${1%-[0-9]*}
  printf '%s/services/%s/%s' "$BUILD_DIR" "$service" "$service"
}

# db_url NAME: a service's --db.
db_url() {
  if [[ "$STORE" == postgresql ]]; then
    pg_cluster_dsn "$PG_PORT"
  else
    printf 'sqlite://%s/%s.db\n' "$DATA_DIR" "$1"
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Fails before anything starts when a port we need is taken, e.g. by a
# system Redis or by another up.sh.
check_ports_free() {
  local taken=() entry name port metrics_port
  if port_in_use "$REDIS_PORT"; then
    taken+=("$REDIS_PORT (Redis; set SALESMEET_REDIS_PORT to use another)")
  fi
  for entry in "${SERVICES[@]}"; do
    read -r name port metrics_port _ <<<"$entry"
    [[ -x "$(binary_of "$name")" ]] || continue
    if port_in_use "$port"; then taken+=("$port ($name gRPC)"); fi
    if port_in_use "$metrics_port"; then taken+=("$metrics_port ($name metrics)"); fi
  done
  if ((${#taken[@]} > 0)); then
    printf 'error: something already listens on 127.0.0.1 port %s\n' "${taken[@]}" >&2
    die "stop it (or the other up.sh) and run again"
  fi
}

# started NAME PID: remembers a process so that stop_everything stops it.
started() {
  STARTED_NAMES+=("$1")
  STARTED_PIDS+=("$2")
}

# Children get their own session, so that Ctrl-C reaches only this script,
# which then stops them in order: services first, Redis last.
start_redis() {
  mkdir -p "$DATA_DIR/redis"
  setsid redis-server --bind 127.0.0.1 --port "$REDIS_PORT" \
    --dir "$DATA_DIR/redis" --logfile "$LOG_DIR/redis.log" \
    --daemonize no --protected-mode yes &
  local pid=$! tries
  started redis "$pid"
  for ((tries = 0; tries < 100; tries++)); do
    if [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; then
      log "redis is up on 127.0.0.1:$REDIS_PORT"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  die "redis did not start; see $LOG_DIR/redis.log"
}

# PostgreSQL's port: SALESMEET_PG_PORT, else 5432, else the first free port
# after it. Fails when the cluster in PG_DIR still runs (an up.sh that was
# killed leaves it behind) or the port asked for is taken.
choose_pg_port() {
  if pg_cluster_running "$PG_DIR"; then
    die "a PostgreSQL from $PG_DIR still runs (port $(pg_cluster_port "$PG_DIR")); stop it with: scripts/pg_cluster.sh stop $PG_DIR"
  fi
  if [[ -n "$PG_PORT" ]]; then
    if port_in_use "$PG_PORT"; then
      die "something already listens on 127.0.0.1 port $PG_PORT (PostgreSQL; set SALESMEET_PG_PORT to use another)"
    fi
    return 0
  fi
  local port
  for ((port = 5432; port < 5532; port++)); do
    if ! port_in_use "$port"; then
      PG_PORT=$port
      if ((port != 5432)); then log "port 5432 is taken; PostgreSQL uses port $port"; fi
      return 0
    fi
  done
  die "no free port for PostgreSQL in 5432-5531; set SALESMEET_PG_PORT"
}

# A PostgreSQL 15 cluster in PG_DIR (created on first use; see
# scripts/pg_cluster.sh), as this script's child like Redis, with the
# salesmeet role and database.
start_postgresql() {
  pg_cluster_init "$PG_DIR" "$PG_PORT"
  local command=()
  mapfile -t command < <(pg_cluster_postgres_command "$PG_DIR")
  setsid "${command[@]}" >>"$LOG_DIR/postgresql.log" 2>&1 &
  local pid=$!
  started postgresql "$pid"
  if ! as_step pg_cluster_wait_ready "$PG_DIR" 60 "$pid"; then
    tail -n 20 "$LOG_DIR/postgresql.log" >&2 || true
    die "PostgreSQL did not start; see $LOG_DIR/postgresql.log"
  fi
  pg_cluster_provision "$PG_DIR" || die "could not create the salesmeet role and database"
  log "postgresql is up on 127.0.0.1:$PG_PORT (data in $PG_DIR)"
}

# make_pki: with SALESMEET_SECURE=1, the dev CA, certificates and tokens in
# PKI_DIR, kept while still valid. Tokens are issued at SALESMEET_TESTING_NOW
# when it is set (dev_pki.sh reads it), so that services on that pinned
# clock accept them.
make_pki() {
  SALESMEET_TESTING_NOW="${SALESMEET_TESTING_NOW:-}" \
    "$BASH" "$REPO_ROOT/scripts/dev_pki.sh" "$PKI_DIR" ||
    die "scripts/dev_pki.sh $PKI_DIR failed"
}

# security_flags NAME: with SALESMEET_SECURE=1, a service's TLS and access
# flags: its own certificate (scheduling-2 has scheduling's), which is also
# its identity when it calls a peer, the dev CA for its clients and peers,
# the access policy and the tokens' public key.
security_flags() {
  ((SECURE)) || return 0
  local cert=${1%-[0-9]*}
  printf '%s\n' --tls_cert="$PKI_DIR/$cert.crt" --tls_key="$PKI_DIR/$cert.key" \
    --tls_client_ca="$PKI_DIR/ca.crt" --peer_tls_ca="$PKI_DIR/ca.crt" \
    --access_policy="$ACCESS_POLICY" --token_public_keys="$PKI_DIR/jwt-signing.pub"
}

# client_tls_args: what the health checks and the seed need to reach the
# services with SALESMEET_SECURE=1 (the CA and the operator's certificate);
# nothing otherwise.
client_tls_args() {
  ((SECURE)) || return 0
  printf '%s\n' --ca="$PKI_DIR/ca.crt" --cert="$PKI_DIR/operator.crt" \
    --key="$PKI_DIR/operator.key"
}

# start_service NAME PORT METRICS_PORT [FLAGS...]
start_service() {
  local name=$1 port=$2 metrics_port=$3
  shift 3
  local security=() tls=()
  mapfile -t security < <(security_flags "$name")
  mapfile -t tls < <(client_tls_args)
  # Our own SALESMEET_* settings are not service flags; keep them from being
  # read as such (services take SALESMEET_<FLAG> from the environment).
  local unset=() setting
  for setting in "${OWN_SETTINGS[@]}"; do unset+=(-u "$setting"); done
  setsid env "${unset[@]}" "$(binary_of "$name")" --port="$port" --metrics_port="$metrics_port" \
    --bind_host=127.0.0.1 --db="$(db_url "$name")" "$@" "${security[@]}" \
    >>"$LOG_DIR/$name.log" 2>&1 &
  local pid=$!
  started "$name" "$pid"
  if ! as_step wait_healthy "$name" "localhost:$port" "$pid" "${tls[@]}"; then
    # The log's last lines usually say why (a taken port, a bad flag).
    tail -n 20 "$LOG_DIR/$name.log" >&2 || true
    die "$name did not become healthy; see $LOG_DIR/$name.log"
  fi
  log "$name is serving on localhost:$port (metrics on :$metrics_port)"
}

# wait_healthy NAME ADDRESS PID [--ca=CA --cert=CERT --key=KEY]: waits up
# to 60 s for grpc.health.v1 to answer SERVING (over mutual TLS with the
# files given: health checks need no token); gives up early when the
# process exits.
# shellcheck disable=SC2317  # run by as_step
wait_healthy() {
  PYTHONPATH="$BUILD_DIR/py" "$PYTHON" - "$@" <<'PY'
import sys, time
import grpc
from grpc_std import health_pb2, health_pb2_grpc

name, address, pid = sys.argv[1], sys.argv[2], sys.argv[3]
files = dict(arg[2:].split("=", 1) for arg in sys.argv[4:])

def read(path):
    with open(path, "rb") as f:
        return f.read()

credentials = None
if files:
    credentials = grpc.ssl_channel_credentials(
        root_certificates=read(files["ca"]), private_key=read(files["key"]),
        certificate_chain=read(files["cert"]))

def open_channel():
    if credentials:
        return grpc.secure_channel(address, credentials)
    return grpc.insecure_channel(address)

def running():
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False

deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    if not running():
        sys.exit(f"{name} exited during start-up")
    # A new channel each time: one whose first connection was refused backs
    # off for up to 10 s, so a service that takes a while to listen (a
    # database to reach, migrations to run) would be seen late.
    with open_channel() as channel:
        health = health_pb2_grpc.HealthStub(channel)
        try:
            reply = health.Check(health_pb2.HealthCheckRequest(), timeout=1)
            if reply.status == health_pb2.HealthCheckResponse.SERVING:
                sys.exit(0)
        except grpc.RpcError:
            pass
    time.sleep(0.2)
sys.exit(f"{name} was not SERVING after 60 s")
PY
}

# as_step COMMAND...: runs COMMAND in the background and waits for it, so
# that a signal to this script is handled at once instead of after the
# command ends (bash defers traps while a foreground command runs).
as_step() {
  local rc=0
  "$@" &
  STEP_PID=$!
  wait "$STEP_PID" || rc=$?
  STEP_PID=""
  return "$rc"
}

# stop_processes [-SIGNAL] NAME:PID...: SIGTERM (or SIGNAL) to all at once,
# so their drains overlap; whatever still runs after STOP_TIMEOUT seconds
# gets SIGKILL.
# shellcheck disable=SC2317  # reached from the EXIT trap
stop_processes() {
  local entry name pid left tries signal=TERM
  if [[ "$1" == -* ]]; then
    signal=${1#-}
    shift
  fi
  for entry in "$@"; do kill "-$signal" "${entry#*:}" 2>/dev/null || true; done
  for ((tries = 0; tries < STOP_TIMEOUT * 10; tries++)); do
    left=0
    for entry in "$@"; do
      if kill -0 "${entry#*:}" 2>/dev/null; then left=1; fi
    done
    ((left)) || break
    sleep 0.1
  done
  for entry in "$@"; do
    name=${entry%%:*} pid=${entry#*:}
    if kill -0 "$pid" 2>/dev/null; then
      log "$name did not stop within ${STOP_TIMEOUT} s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    log "stopped $name"
  done
}

# Runs on every exit, normal or not: stops the step in progress, then every
# service at once, then Redis and PostgreSQL, which the services use while
# they drain.
# shellcheck disable=SC2317  # reached from the EXIT trap
stop_everything() {
  # Finish whatever happens meanwhile: a second Ctrl-C, or the terminal or a
  # `| tee` going away, must not leave processes behind.
  trap '' INT TERM HUP PIPE
  set +e
  if [[ -n "$STEP_PID" ]]; then
    kill -TERM "$STEP_PID" 2>/dev/null
    wait "$STEP_PID" 2>/dev/null
  fi
  local services=() redis=() postgresql=() i
  for i in "${!STARTED_PIDS[@]}"; do
    if [[ "${STARTED_NAMES[i]}" == redis ]]; then
      redis+=("redis:${STARTED_PIDS[i]}")
    elif [[ "${STARTED_NAMES[i]}" == postgresql ]]; then
      postgresql+=("postgresql:${STARTED_PIDS[i]}")
    else
      services+=("${STARTED_NAMES[i]}:${STARTED_PIDS[i]}")
    fi
  done
  ((${#services[@]} == 0)) || stop_processes "${services[@]}"
  ((${#redis[@]} == 0)) || stop_processes "${redis[@]}"
  # SIGINT: PostgreSQL's fast shutdown, which does not wait for clients.
  ((${#postgresql[@]} == 0)) || stop_processes -INT "${postgresql[@]}"
}

main() {
  ensure_packages
  if [[ "${SALESMEET_SKIP_BUILD:-}" == 1 ]]; then
    log "using the binaries already built in $BUILD_DIR"
  else
    log "building in $BUILD_DIR"
    build_project
  fi
  check_ports_free
  if [[ "$STORE" == postgresql ]]; then choose_pg_port; fi
  mkdir -p "$LOG_DIR"
  if ((SECURE)); then make_pki; fi

  trap stop_everything EXIT
  trap 'exit 0' INT TERM HUP
  if [[ "$STORE" == postgresql ]]; then start_postgresql; fi
  start_redis
  local entry name port metrics_port own_flags flags
  for entry in "${SERVICES[@]}"; do
    read -r name port metrics_port own_flags <<<"$entry"
    [[ -x "$(binary_of "$name")" ]] || continue
    read -ra flags <<<"$own_flags"
    start_service "$name" "$port" "$metrics_port" "${flags[@]}"
  done

  # The seed fills only an empty database, so a restart keeps your changes.
  # Meetings are seeded once scheduling is built.
  local seed_flags=(--participant="$PARTICIPANT_ADDR")
  if [[ -x "$(binary_of scheduling)" ]]; then
    seed_flags+=(--scheduling="$SCHEDULING_ADDR")
  fi
  if ((SECURE)); then
    mapfile -t -O "${#seed_flags[@]}" seed_flags < <(client_tls_args)
    seed_flags+=(--token_file="$PKI_DIR/tokens/admin.jwt")
  fi
  as_step env PYTHONPATH="$BUILD_DIR/py" "$PYTHON" \
    "$REPO_ROOT/scripts/seed_demo.py" "${seed_flags[@]}" ||
    die "the demo seed failed"
  {
    print_try_it | with_our_ports
    if [[ "$STORE" == postgresql ]]; then print_postgresql; fi
  } | with_credentials
  print_security
  log "running; data and logs in $DATA_DIR. Ctrl-C stops everything."

  # Sleep until a signal arrives (the trap exits) or a process dies.
  local rc=0 i
  wait -n "${STARTED_PIDS[@]}" || rc=$?
  for i in "${!STARTED_PIDS[@]}"; do
    if ! kill -0 "${STARTED_PIDS[i]}" 2>/dev/null; then
      die "${STARTED_NAMES[i]} exited unexpectedly (exit $rc); see $LOG_DIR/${STARTED_NAMES[i]}.log"
    fi
  done
  die "a process exited unexpectedly (exit $rc); see the logs in $LOG_DIR"
}

main "$@"
