#!/usr/bin/env bash
# Builds salesmeet and runs every test through ctest: unit, store and
# end-to-end tests (those start their own servers and Redis on free ports).
# Installs the Debian packages that are missing first. Exit code is ctest's.
#   SALESMEET_BUILD_DIR  the build tree (default: <repo>/build)
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Runs ctest, keeping its output in the build tree; returns ctest's exit code.
# A test without its own TIMEOUT gets 300 s, and finding no test is a failure.
# shellcheck disable=SC2317  # called through timed
run_tests() {
  ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$BUILD_JOBS" \
    --timeout 300 --no-tests=error 2>&1 | tee "$BUILD_DIR/ctest.log"
  return "${PIPESTATUS[0]}"
}

ensure_packages
log "building in $BUILD_DIR"
timed build build_project || die "the build failed"
log "running the tests"
rc=0
timed tests run_tests || rc=$?
print_timings
# ctest's own summary goes last, where readers of the log look for it.
grep -E '^[0-9]+% tests passed' "$BUILD_DIR/ctest.log" || log "ctest printed no summary (exit $rc)"
exit "$rc"
