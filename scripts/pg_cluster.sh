#!/usr/bin/env bash
# A local PostgreSQL 15 cluster for salesmeet, from Debian's postgresql-15
# (/usr/lib/postgresql/15/bin): a throwaway one for tests or a persistent one
# for scripts/up.sh, in a directory of its own and on a port of its own.
#
#   scripts/pg_cluster.sh start DIR [PORT]    initdb when DIR holds no cluster yet,
#                                             then start it (pg_ctl, in the
#                                             background) and create the role and
#                                             database; does nothing more when it
#                                             already runs on PORT
#   scripts/pg_cluster.sh stop DIR [MODE]     pg_ctl stop: fast (default), smart
#                                             or immediate; fine when not running
#   scripts/pg_cluster.sh restart DIR [PORT]  stop (fast), then start
#   scripts/pg_cluster.sh status DIR          prints whether it runs; exits 0 when
#                                             it does, 3 when not (as pg_ctl)
#   scripts/pg_cluster.sh dsn DIR [PORT] [DB] the --db URL of the services:
#                        postgresql://salesmeet@127.0.0.1:PORT/DB?sslmode=disable
#   scripts/pg_cluster.sh createdb DIR NAME   one more database owned by salesmeet
#   scripts/pg_cluster.sh psql DIR [ARG...]   psql as the superuser, on the socket
#   scripts/pg_cluster.sh init DIR [PORT]     only initdb and write the settings
#   scripts/pg_cluster.sh provision DIR       only create the role and database
#                                             (the cluster must be running)
#   scripts/pg_cluster.sh command DIR         print the command that runs the
#                                             server in the foreground, a word
#                                             a line (for callers that keep it
#                                             as their own child)
#
# PORT defaults to the one DIR's cluster was last given, else 5432. The
# cluster's files, its Unix socket and, when `start` runs it, its log
# (server.log) are all in DIR; its settings (port, 127.0.0.1 only,
# max_connections 200, shared_buffers 128MB) are in DIR/salesmeet.conf and
# its access rules in DIR/pg_hba.conf, both rewritten on every start. It is
# made with the C locale, which sorts text by bytes as SQLite does. Run as
# root, its processes run as the `postgres` OS user (initdb and postgres
# refuse root), and DIR is given to that user, who must be able to reach it;
# run as anyone else, they run as that user.
#
# Access, for local use only: the server listens on 127.0.0.1 and on a socket
# in DIR (mode 0700, so only DIR's owner and root reach it). The role
# `salesmeet` (no superuser, owner of the database `salesmeet`) logs in over
# TCP from 127.0.0.1 with no password ("trust"), so the services need no
# PGPASSWORD or --db_password_file here; the superuser `postgres` logs in on
# the socket only. Anyone who can reach 127.0.0.1 on this machine can be
# `salesmeet`: do not put data that matters there on a shared machine.
#
# Sourced (as scripts/up.sh does), it only defines its settings and functions
# (pg_cluster_*), and runs nothing.

PG_BIN=/usr/lib/postgresql/15/bin
PG_OS_USER=postgres
PG_SUPERUSER=postgres
PG_ROLE=salesmeet
PG_DATABASE=salesmeet
PG_DEFAULT_PORT=5432

if ! declare -F log >/dev/null; then
  # shellcheck source=scripts/lib.sh
  source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
fi

# as_pg_user COMMAND...: runs COMMAND as the cluster's OS user, from /, where
# that user can always read the working directory.
as_pg_user() {
  if ((EUID == 0)); then
    (cd / && runuser -u "$PG_OS_USER" -- "$@")
  else
    (cd / && "$@")
  fi
}

# pg_cluster_postgres_command DIR: the command line of the server itself, in
# the foreground, as the cluster's OS user; for a caller that keeps it as its
# own child (scripts/up.sh, tests/e2e/postgres.py). setpriv execs, so the
# process id is the server's.
pg_cluster_postgres_command() {
  local dir
  dir=$(realpath -m "$1")
  if ((EUID == 0)); then
    printf '%s\n' setpriv --reuid="$PG_OS_USER" --regid="$PG_OS_USER" --init-groups --
  fi
  printf '%s\n' "$PG_BIN/postgres" -D "$dir"
}

# pg_cluster_port DIR: the port DIR's cluster was configured with, else 5432.
pg_cluster_port() {
  local port=""
  if [[ -r "$1/salesmeet.conf" ]]; then
    port=$(sed -n "s/^port = \([0-9]*\)$/\1/p" "$1/salesmeet.conf")
  fi
  printf '%s\n' "${port:-$PG_DEFAULT_PORT}"
}

# pg_cluster_dsn PORT [DATABASE]
pg_cluster_dsn() {
  printf 'postgresql://%s@127.0.0.1:%s/%s?sslmode=disable\n' \
    "$PG_ROLE" "$1" "${2:-$PG_DATABASE}"
}

# pg_cluster_init DIR PORT: creates the cluster when DIR holds none (DIR may
# be missing or empty), then writes its settings and access rules. Runs
# nothing; the settings take effect at the next start.
pg_cluster_init() {
  local dir port=$2
  dir=$(realpath -m "$1")
  [[ -x "$PG_BIN/initdb" ]] || die "$PG_BIN/initdb not found; install Debian's postgresql-15"
  if [[ ! "$port" =~ ^[0-9]+$ ]] || ((port == 0 || port > 65535)); then
    die "bad port: $port"
  fi
  # A Unix socket's path is at most 107 bytes.
  local socket="$dir/.s.PGSQL.$port"
  ((${#socket} <= 107)) || die "$dir is too long a path for PostgreSQL's socket ($socket); use a shorter one"
  if ((EUID == 0)) && ! id -u "$PG_OS_USER" >/dev/null 2>&1; then
    die "no OS user $PG_OS_USER; install Debian's postgresql-15, which creates it"
  fi

  if [[ -f "$dir/PG_VERSION" ]]; then
    [[ "$(cat "$dir/PG_VERSION")" == 15 ]] ||
      die "$dir holds a PostgreSQL $(cat "$dir/PG_VERSION") cluster, not 15"
  else
    if [[ -d "$dir" ]] && [[ -n "$(ls -A "$dir")" ]]; then
      die "$dir is not empty and holds no PostgreSQL cluster"
    fi
    mkdir -p "$dir"
    if ((EUID == 0)); then chown "$PG_OS_USER:" "$dir"; fi
    chmod 700 "$dir"
    if ! as_pg_user test -w "$dir"; then
      local above=$dir
      while [[ "$above" != / ]] && ! as_pg_user test -x "$above"; do
        if as_pg_user test -x "$(dirname "$above")"; then break; fi
        above=$(dirname "$above")
      done
      die "the $PG_OS_USER user cannot reach $dir: $above is not searchable by it (chmod o+x $above, or use a directory elsewhere)"
    fi
    # The C locale sorts text by bytes, as SQLite's default collation does,
    # so orderings and page tokens agree on both backends.
    local out
    out=$(as_pg_user "$PG_BIN/initdb" -D "$dir" -U "$PG_SUPERUSER" -E UTF8 \
      --locale=C --auth-local=trust --auth-host=reject 2>&1) || {
      printf '%s\n' "$out" >&2
      die "initdb failed in $dir"
    }
    printf "\n# salesmeet's settings (scripts/pg_cluster.sh rewrites that file)\ninclude_if_exists = 'salesmeet.conf'\n" |
      as_pg_user tee -a "$dir/postgresql.conf" >/dev/null
  fi

  as_pg_user tee "$dir/salesmeet.conf" >/dev/null <<EOF
# Written by scripts/pg_cluster.sh on every start; changes here are lost.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
unix_socket_permissions = 0700
max_connections = 200
shared_buffers = 128MB
EOF
  as_pg_user tee "$dir/pg_hba.conf" >/dev/null <<EOF
# Written by scripts/pg_cluster.sh on every start; changes here are lost.
# TYPE  DATABASE  USER          ADDRESS        METHOD
# The socket is in the cluster's directory (mode 0700): its owner and root.
local   all       all                          trust
# The services: the $PG_ROLE role, from this machine only, with no password.
host    all       $PG_ROLE      127.0.0.1/32   trust
EOF
}

# pg_cluster_running DIR: whether the cluster in DIR runs.
pg_cluster_running() {
  [[ -f "$1/postmaster.pid" ]] && as_pg_user "$PG_BIN/pg_ctl" -D "$1" status >/dev/null 2>&1
}

# pg_cluster_psql DIR [DATABASE] -- [PSQL-ARGS...]: psql as the superuser on
# the socket, quiet, stopping at the first error, without ~/.psqlrc.
pg_cluster_psql() {
  local dir=$1 database=${2:-postgres} port
  shift 2
  [[ "${1:-}" != -- ]] || shift
  port=$(pg_cluster_port "$dir")
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U "$PG_SUPERUSER" \
    -d "$database" "$@"
}

# pg_cluster_provision DIR: creates the salesmeet role and database when they
# are missing. The cluster must be running.
pg_cluster_provision() {
  pg_cluster_psql "$1" postgres -- <<EOF
SELECT 'CREATE ROLE $PG_ROLE LOGIN'
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_ROLE') \gexec
SELECT 'CREATE DATABASE $PG_DATABASE OWNER $PG_ROLE'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_DATABASE') \gexec
EOF
}

# pg_cluster_createdb DIR NAME: a new database NAME owned by salesmeet.
pg_cluster_createdb() {
  [[ "$2" =~ ^[a-z_][a-z0-9_]*$ ]] || die "bad database name: $2"
  pg_cluster_psql "$1" postgres -- -c "CREATE DATABASE $2 OWNER $PG_ROLE"
}

# pg_cluster_wait_ready DIR SECONDS [PID]: waits until the server accepts
# connections on its socket; gives up early when PID (the server) exits.
pg_cluster_wait_ready() {
  local dir=$1 seconds=$2 pid=${3:-} port tries
  port=$(pg_cluster_port "$dir")
  for ((tries = 0; tries < seconds * 10; tries++)); do
    if "$PG_BIN/pg_isready" -q -h "$dir" -p "$port" -d postgres -U "$PG_SUPERUSER"; then
      return 0
    fi
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.1
  done
  return 1
}

# pg_cluster_start DIR [PORT]: initdb when needed, then starts the server in
# the background (pg_ctl) and provisions the role and database. When the
# cluster already runs, on PORT, only provisions.
pg_cluster_start() {
  local dir port
  dir=$(realpath -m "$1")
  port=${2:-$(pg_cluster_port "$dir")}
  if pg_cluster_running "$dir"; then
    local running_port
    running_port=$(pg_cluster_port "$dir")
    [[ "$running_port" == "$port" ]] ||
      die "the cluster in $dir already runs on port $running_port, not $port; stop it first"
    pg_cluster_provision "$dir" || die "could not create the $PG_ROLE role and database"
    log "PostgreSQL already runs from $dir on 127.0.0.1:$port"
    return 0
  fi
  pg_cluster_init "$dir" "$port"
  as_pg_user "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start >/dev/null || {
    tail -n 20 "$dir/server.log" >&2 || true
    die "PostgreSQL did not start; see $dir/server.log"
  }
  pg_cluster_provision "$dir" || die "could not create the $PG_ROLE role and database"
  log "PostgreSQL is up from $dir on 127.0.0.1:$port"
}

# pg_cluster_stop DIR [MODE]: pg_ctl stop, MODE fast (default), smart or
# immediate. A cluster that does not run is fine.
pg_cluster_stop() {
  local dir mode=${2:-fast}
  dir=$(realpath -m "$1")
  case "$mode" in fast | smart | immediate) ;; *) die "bad stop mode: $mode" ;; esac
  if ! pg_cluster_running "$dir"; then
    log "PostgreSQL does not run from $dir"
    return 0
  fi
  as_pg_user "$PG_BIN/pg_ctl" -D "$dir" -m "$mode" -w -t 60 stop >/dev/null ||
    die "PostgreSQL in $dir did not stop"
  log "PostgreSQL from $dir stopped ($mode)"
}

pg_cluster_status() {
  local dir
  dir=$(realpath -m "$1")
  if pg_cluster_running "$dir"; then
    printf 'running from %s on 127.0.0.1:%s (pid %s)\n' "$dir" \
      "$(pg_cluster_port "$dir")" "$(head -n 1 "$dir/postmaster.pid")"
    return 0
  fi
  printf 'not running (%s)\n' "$dir"
  return 3
}

pg_cluster_main() {
  local usage="usage: $0 start DIR [PORT] | stop DIR [fast|smart|immediate] | restart DIR [PORT] | status DIR | dsn DIR [PORT] [DB] | createdb DIR NAME | psql DIR [ARG...] | init DIR [PORT] | provision DIR | command DIR"
  local command=${1:-} dir=${2:-}
  [[ -n "$command" && -n "$dir" ]] || die "$usage"
  shift 2
  case "$command" in
    start) pg_cluster_start "$dir" "$@" ;;
    stop) pg_cluster_stop "$dir" "$@" ;;
    restart)
      pg_cluster_stop "$dir" fast
      pg_cluster_start "$dir" "$@"
      ;;
    status) pg_cluster_status "$dir" ;;
    dsn) pg_cluster_dsn "${1:-$(pg_cluster_port "$dir")}" "${2:-}" ;;
    createdb) pg_cluster_createdb "$dir" "${1:?$usage}" ;;
    psql) pg_cluster_psql "$dir" "$PG_DATABASE" -- "$@" ;;
    init) pg_cluster_init "$dir" "${1:-$(pg_cluster_port "$dir")}" ;;
    provision) pg_cluster_provision "$dir" ;;
    command) pg_cluster_postgres_command "$dir" ;;
    *) die "$usage" ;;
  esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  pg_cluster_main "$@"
fi
