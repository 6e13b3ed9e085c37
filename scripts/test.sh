#!/usr/bin/env bash
# Builds salesmeet and runs every test through ctest: unit, store and
# end-to-end tests (those start their own servers and Redis on free ports).
# Then the sanitizer step: builds the clang ASan+UBSan tree, runs the unit
# and store tests there, and fuzzes every fuzz target for a while (see
# scripts/fuzz.sh). Installs the Debian packages that are missing first.
# Exits non-zero when either step failed.
#   SALESMEET_BUILD_DIR            the build tree (default: <repo>/build)
#   SALESMEET_SANITIZER_BUILD_DIR  the sanitizer tree (default: <repo>/build-sanitize)
#   SALESMEET_SANITIZERS           0 skips the sanitizer step (default: 1)
#   SALESMEET_FUZZ_SECONDS         how long each fuzz target runs (default: 30)
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

# The unit and store tests of the sanitizer tree (it registers no other
# test but the fuzz corpus replays, label "fuzz", which fuzzing repeats).
# The randomized oracle tests (slot finding and free/busy against a
# minute-by-minute model) run ten times slower sanitized, three of every
# four seconds of this run; the main tree runs them, and the same code runs
# sanitized in the other slot and calendar tests and the fuzz targets.
# shellcheck disable=SC2317  # called through timed
run_sanitizer_tests() {
  ctest --test-dir "$SANITIZER_BUILD_DIR" --output-on-failure -j "$BUILD_JOBS" \
    --timeout 600 --no-tests=error --label-exclude fuzz \
    --exclude-regex 'OracleTest\.' 2>&1 | tee "$SANITIZER_BUILD_DIR/ctest.log"
  return "${PIPESTATUS[0]}"
}

# Builds the sanitizer tree, runs its tests and fuzzes every target for
# FUZZ_SECONDS, two at a time; returns 1 if anything failed, and leaves a
# one-line verdict in SANITIZER_VERDICT.
# shellcheck disable=SC2317  # called through timed
sanitizer_step() {
  local failed=0 tests names=()
  log "building the sanitizer tree in $SANITIZER_BUILD_DIR (clang, ASan+UBSan)"
  if ! timed sanitizer-build build_sanitizer_tree sanitizer_checks; then
    SANITIZER_VERDICT="the sanitizer tree did not build"
    return 1
  fi
  sanitizer_env
  log "running the unit and store tests under ASan+UBSan"
  timed sanitizer-tests run_sanitizer_tests || failed=1
  tests=$(grep -E '^[0-9]+% tests passed' "$SANITIZER_BUILD_DIR/ctest.log" || echo "no summary")
  log "fuzzing every target for $FUZZ_SECONDS s, two at a time"
  local fuzz="every fuzz target ok"
  mapfile -t names < <(fuzz_target_names)
  timed fuzz run_fuzz_targets "$FUZZ_SECONDS" 2 "${names[@]}" || {
    failed=1
    fuzz="A FUZZ TARGET FAILED (see above)"
  }
  SANITIZER_VERDICT="under ASan+UBSan: $tests; ${#names[@]} targets fuzzed, $fuzz"
  return "$failed"
}

SANITIZERS=${SALESMEET_SANITIZERS:-1}
FUZZ_SECONDS=${SALESMEET_FUZZ_SECONDS:-30}
if [[ "$SANITIZERS" != 0 ]]; then REQUIRED_PACKAGES+=("${SANITIZER_PACKAGES[@]}"); fi
ensure_packages
log "building in $BUILD_DIR"
timed build build_project || die "the build failed"
log "running the tests"
rc=0
timed tests run_tests || rc=$?
sanitizer_rc=0
SANITIZER_VERDICT="skipped (SALESMEET_SANITIZERS=0)"
if [[ "$SANITIZERS" != 0 ]]; then sanitizer_step || sanitizer_rc=1; fi
print_timings
log "sanitizers: $SANITIZER_VERDICT"
# ctest's own summary goes last, where readers of the log look for it.
grep -E '^[0-9]+% tests passed' "$BUILD_DIR/ctest.log" || log "ctest printed no summary (exit $rc)"
if ((rc == 0 && sanitizer_rc != 0)); then rc=1; fi
exit "$rc"
