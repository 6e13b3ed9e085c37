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
    # A free port below the kernel's ephemeral range, as the end-to-end
    # tests pick theirs (no port-0 listener or outgoing connection can take
    # it meanwhile); plain Python, so the sanitizer tree needs no stubs.
    port=$(/usr/bin/python3 - <<'PICK'
import random, socket
low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
for _ in range(500):
    port = random.randint(10000, max(10001, low - 1))
    try:
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))
    except OSError:
        continue
    print(port)
    break
PICK
)
    [[ -n "$port" ]] || { echo "no free port for PostgreSQL" >&2; exit 1; }
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
