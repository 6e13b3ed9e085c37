#!/bin/bash
# The postgresql image's entrypoint (deploy/docker/Dockerfile): on the first
# start, when $PGDATA is empty, initdb, then the salesmeet user, its database
# and one schema per service; every start then runs postgres as PID 1 with
# the arguments given (e.g. -c max_connections=300). Settings:
#   POSTGRES_USER            the services' user (default salesmeet)
#   POSTGRES_DB              their database, owned by that user (default salesmeet)
#   POSTGRES_SCHEMAS         schemas made for the user
#                            (default "participant scheduling analytics")
#   POSTGRES_PASSWORD_FILE   the user's password: the file's first line, or
#   POSTGRES_PASSWORD        the password itself
# Only the first start reads them. Connections from the network must log in
# with the password (scram-sha-256); inside the container the superuser
# postgres logs in by peer authentication (psql -h /tmp).
set -euo pipefail

PGDATA=${PGDATA:-/var/lib/postgresql/data}
export PGDATA
DONE_MARK="$PGDATA/salesmeet-initialized"

log() { printf 'postgresql-entrypoint: %s\n' "$*" >&2; }

initialize() {
  local user=${POSTGRES_USER:-salesmeet} db=${POSTGRES_DB:-salesmeet}
  local schemas=${POSTGRES_SCHEMAS:-participant scheduling analytics}
  local password=${POSTGRES_PASSWORD:-} schema
  if [[ -n "${POSTGRES_PASSWORD_FILE:-}" ]]; then
    IFS= read -r password <"$POSTGRES_PASSWORD_FILE" || [[ -n "$password" ]] || {
      log "cannot read a password from $POSTGRES_PASSWORD_FILE"
      exit 1
    }
  fi
  [[ -n "$password" ]] || {
    log "set POSTGRES_PASSWORD_FILE or POSTGRES_PASSWORD for the first start"
    exit 1
  }

  log "initdb in $PGDATA"
  initdb --username=postgres --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=scram-sha-256 >/dev/null
  cat >"$PGDATA/pg_hba.conf" <<'HBA'
# TYPE  DATABASE  USER  ADDRESS    METHOD
local   all       all              peer
host    all       all   0.0.0.0/0  scram-sha-256
host    all       all   ::/0       scram-sha-256
HBA
  cat >>"$PGDATA/postgresql.conf" <<'CONF'

# deploy/docker/postgresql-entrypoint.sh
listen_addresses = '*'
# /tmp is a tmpfs in compose; the root file system is read-only.
unix_socket_directories = '/tmp'
# Three scheduling replicas, participant and analytics, each with its pool,
# scheduling's listener connection and room for psql.
max_connections = 200
log_line_prefix = '%m [%p] %q%u@%d '
CONF

  # Reachable only through the socket until the user exists.
  pg_ctl --wait --silent -o "-c listen_addresses=''" start
  # The password travels through the environment, never a command line.
  SALESMEET_NEW_PASSWORD=$password psql -h /tmp -U postgres -d postgres \
    -X -q -v ON_ERROR_STOP=1 -v user="$user" -v db="$db" <<'SQL'
\getenv password SALESMEET_NEW_PASSWORD
CREATE ROLE :"user" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"user";
SQL
  for schema in $schemas; do
    psql -h /tmp -U postgres -d "$db" -X -q -v ON_ERROR_STOP=1 \
      -v user="$user" -v schema="$schema" <<'SQL'
CREATE SCHEMA :"schema" AUTHORIZATION :"user";
SQL
  done
  pg_ctl --wait --silent -m fast stop
  touch "$DONE_MARK"
  log "made user $user, database $db, schemas: $schemas"
}

if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  initialize
elif [[ ! -e "$DONE_MARK" ]]; then
  log "$PGDATA holds a cluster whose first start did not finish;" \
    "remove the volume (docker-compose down -v) and start again"
  exit 1
fi
exec postgres "$@"
