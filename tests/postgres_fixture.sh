#!/usr/bin/env bash
# The throwaway PostgreSQL cluster of the store contract suites, as a CTest
# fixture: `start DIR` creates a fresh cluster in DIR on a free port and
# writes its URL to DIR/url (the tests read it through
# SALESMEET_TEST_POSTGRES_URL_FILE); `stop DIR` stops it and removes DIR.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/pg_cluster.sh
source "$here/../scripts/pg_cluster.sh"

action=${1:?start or stop}
dir=${2:?the cluster directory}
case "$action" in
  start)
    if [[ -d "$dir" ]]; then
      pg_cluster_stop "$dir" immediate >/dev/null 2>&1 || true
      rm -rf "$dir"
    fi
    # A free port outside the ephemeral range, as the end-to-end tests pick.
    port=$(cd "$here/e2e" && /usr/bin/python3 -c 'import harness; print(harness.free_port())')
    pg_cluster_start "$dir" "$port"
    pg_cluster_dsn "$port" >"$dir/url.tmp"
    mv "$dir/url.tmp" "$dir/url"
    echo "PostgreSQL for the store tests: $(cat "$dir/url")"
    ;;
  stop)
    pg_cluster_stop "$dir" fast || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
