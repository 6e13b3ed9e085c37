# shellcheck shell=bash
# What scripts/up.sh and scripts/test.sh share: installing the Debian packages
# that are missing, configuring and building, and timing the phases.
# Sourced, never run. Settings:
#   SALESMEET_BUILD_DIR            the build tree (default: <repo>/build)
#   SALESMEET_SANITIZER_BUILD_DIR  the clang ASan+UBSan tree with the fuzz
#                                  targets (default: <repo>/build-sanitize)

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="$(realpath -m "${SALESMEET_BUILD_DIR:-$REPO_ROOT/build}")"
SANITIZER_BUILD_DIR="$(realpath -m "${SALESMEET_SANITIZER_BUILD_DIR:-$REPO_ROOT/build-sanitize}")"
# Debian's python3-grpcio is installed for this interpreter only.
# shellcheck disable=SC2034  # used by the scripts that source this file
PYTHON=/usr/bin/python3
BUILD_JOBS=2

# Everything the build, the tests and up.sh need, from Debian 12 (DESIGN.md §10).
# postgresql-15 (with psql, from postgresql-client-15) is the server that the
# PostgreSQL tests and SALESMEET_STORE=postgresql scripts/up.sh start in a
# directory of their own (scripts/pg_cluster.sh).
REQUIRED_PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libhiredis-dev libsqlite3-dev libpq-dev libical-dev
  prometheus-cpp-dev libssl-dev libgtest-dev libgmock-dev libbenchmark-dev
  redis-server postgresql-15 tzdata golang-github-gogo-googleapis-dev grpc-proto
  python3-grpcio python3-protobuf
  libjwt-dev openssl python3-jwt python3-cryptography
  python3-icalendar python3-dateutil
  prometheus python3-yaml
)

# What scripts/deploy_check.sh needs on top: Debian's Docker engine and
# CLI, compose 1.29, debootstrap for the base image, and yamllint. kubectl
# (with kustomize components) and node come with the machine's image; Debian
# 12 packages neither in a usable version, so their absence is reported.
# shellcheck disable=SC2034  # used by deploy_check.sh
DEPLOY_PACKAGES=(docker.io docker-compose debootstrap yamllint)

# What the sanitizer tree needs on top: clang with its sanitizer and
# libFuzzer runtimes, llvm-symbolizer for readable stacks, and lld, which
# links the sanitized binaries faster.
# shellcheck disable=SC2034  # used by test.sh and fuzz.sh
SANITIZER_PACKAGES=(clang-14 libclang-rt-14-dev llvm-14 lld-14)

log() { printf '==> %s\n' "$*"; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# Prints the required packages that are not installed. Reads only dpkg's
# database, so a machine that has everything needs no network.
missing_packages() {
  local pkg
  for pkg in "${REQUIRED_PACKAGES[@]}"; do
    if [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" != "install ok installed" ]]; then
      printf '%s\n' "$pkg"
    fi
  done
}

ensure_packages() {
  local missing=()
  mapfile -t missing < <(missing_packages)
  ((${#missing[@]} > 0)) || return 0
  ((EUID == 0)) || die "missing Debian packages; run as root, or first: sudo apt-get install ${missing[*]}"
  log "installing ${#missing[@]} missing Debian packages: ${missing[*]}"

  # Installing redis-server would start a system Redis on 6379, where up.sh
  # starts its own, and postgresql-15 its "main" cluster on 5432. Keep
  # services from starting during the install the way Debian's container
  # images do, unless a policy is already in place.
  local policy=/usr/sbin/policy-rc.d added_policy=false rc=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    added_policy=true
  fi
  {
    DEBIAN_FRONTEND=noninteractive apt-get update -q &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  } || rc=$?
  if [[ "$added_policy" == true ]]; then rm -f "$policy"; fi
  ((rc == 0)) || die "apt-get failed (exit $rc)"
}

# Configures the build tree (Ninja, RelWithDebInfo; CMakeLists.txt turns on
# ccache when it is installed) and builds everything, tests included.
# Chained with && because callers run it under `timed`, where set -e is off.
build_project() {
  cmake -S "$REPO_ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo &&
    cmake --build "$BUILD_DIR" -j "$BUILD_JOBS"
}

# The sanitizer tree: the same sources built by clang with ASan, UBSan and
# libFuzzer's coverage (cmake/fuzzing.cmake), which runs the unit and store
# tests and the fuzz targets. Builds TARGET... (default: everything).
build_sanitizer_tree() {
  cmake -S "$REPO_ROOT" -B "$SANITIZER_BUILD_DIR" -G Ninja \
    -DCMAKE_CXX_COMPILER=clang++-14 -DSALESMEET_FUZZ=ON &&
    cmake --build "$SANITIZER_BUILD_DIR" -j "$BUILD_JOBS" ${1:+--target "$@"}
}

# Sanitizer settings for what runs from the sanitizer tree: stop at the
# first error, with a symbolized stack. Options already in the environment
# come last, so they win.
sanitizer_env() {
  export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
  local symbolizer=/usr/lib/llvm-14/bin/llvm-symbolizer
  if [[ -x "$symbolizer" ]]; then export ASAN_SYMBOLIZER_PATH="$symbolizer"; fi
}

# The fuzz targets the sanitizer tree builds, one per line.
fuzz_target_names() {
  cat "$SANITIZER_BUILD_DIR/tests/fuzz/fuzz_targets.txt"
}

# An input that takes longer fails its target: a request that costs
# seconds is a denial of service (inputs take milliseconds, sanitized).
FUZZ_INPUT_TIMEOUT=5

# fuzz_target NAME SECONDS: fuzzes NAME for SECONDS. The seeds in
# tests/fuzz/corpus/NAME are read, never written; new inputs go to
# <tree>/fuzz/NAME/corpus, a crashing input next to it, libFuzzer's output
# to fuzz.log and its exit code to rc there. The new inputs of earlier runs
# are replayed first only with FUZZ_KEEP_CORPUS=1 (scripts/fuzz.sh): they
# pile up, and replaying them would take a short run's whole time.
# shellcheck disable=SC2317  # run in the background by run_fuzz_targets
fuzz_target() {
  local name=$1 seconds=$2
  local dir="$SANITIZER_BUILD_DIR/fuzz/$name" rc=0
  if [[ "${FUZZ_KEEP_CORPUS:-0}" != 1 ]]; then rm -rf "$dir/corpus"; fi
  mkdir -p "$dir/corpus"
  rm -f "$dir/rc"
  "$SANITIZER_BUILD_DIR/tests/fuzz/${name}_fuzz" \
    -max_total_time="$seconds" -timeout="$FUZZ_INPUT_TIMEOUT" -print_final_stats=1 \
    -artifact_prefix="$dir/" "$dir/corpus" "$REPO_ROOT/tests/fuzz/corpus/$name" \
    >"$dir/fuzz.log" 2>&1 || rc=$?
  echo "$rc" >"$dir/rc"
  return "$rc"
}

# run_fuzz_targets SECONDS JOBS NAME...: fuzzes each NAME for SECONDS, JOBS
# at a time, then prints a line per target; returns 1 if any failed.
run_fuzz_targets() {
  local seconds=$1 jobs=$2 name pid pids=()
  shift 2
  for name in "$@"; do
    # Every target runs as long, so the oldest is the next to finish.
    if ((${#pids[@]} >= jobs)); then
      wait "${pids[0]}" || true
      pids=("${pids[@]:1}")
    fi
    fuzz_target "$name" "$seconds" &
    pids+=("$!")
  done
  for pid in "${pids[@]}"; do wait "$pid" || true; done
  print_fuzz_summary "$@"
}

# One line per fuzz target: result, executions, executions per second,
# coverage, new inputs, the slowest input's seconds, and the input that
# failed.
print_fuzz_summary() {
  local name dir rc result failed=0 execs speed cov added slowest artifact
  printf '    %-22s %-16s %12s %9s %6s %6s %8s\n' target result execs exec/s \
    cov new slowest
  for name in "$@"; do
    dir="$SANITIZER_BUILD_DIR/fuzz/$name"
    rc=$(cat "$dir/rc" 2>/dev/null || echo missing)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/fuzz.log" | tail -1)
    added=$(sed -n 's/^stat::new_units_added: *//p' "$dir/fuzz.log" | tail -1)
    slowest=$(sed -n 's/^stat::slowest_unit_time_sec: *//p' "$dir/fuzz.log" | tail -1)
    cov=$(grep -o ' cov: [0-9]*' "$dir/fuzz.log" | tail -1 | tr -dc '0-9')
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$dir/fuzz.log" | tail -1)
    if [[ "$rc" == 0 ]]; then
      result=ok
    else
      failed=1
      if grep -q 'fuzz check failed' "$dir/fuzz.log"; then result="CHECK FAILED"
      elif grep -q 'ERROR: libFuzzer: timeout' "$dir/fuzz.log"; then result=TIMEOUT
      elif grep -q 'ERROR: libFuzzer: out-of-memory' "$dir/fuzz.log"; then result=OUT-OF-MEMORY
      elif grep -q 'ERROR: LeakSanitizer' "$dir/fuzz.log"; then result=LEAK
      elif grep -q 'ERROR: AddressSanitizer' "$dir/fuzz.log"; then result=ASAN
      elif grep -q 'runtime error:' "$dir/fuzz.log"; then result=UBSAN
      else result="FAILED (exit $rc)"
      fi
    fi
    printf '    %-22s %-16s %12s %9s %6s %6s %8s\n' "$name" "$result" \
      "${execs:--}" "${speed:--}" "${cov:--}" "${added:--}" "${slowest:+$slowest s}"
    if [[ -n "$artifact" && "$rc" != 0 ]]; then
      printf '      input: %s\n      log:   %s\n' "$artifact" "$dir/fuzz.log"
    fi
  done
  return "$failed"
}

# timed LABEL COMMAND...: runs COMMAND, returns its exit code, and records
# how long it took for print_timings.
PHASE_TIMES=()
timed() {
  local label=$1
  shift
  local start=${EPOCHREALTIME/./} rc=0
  "$@" || rc=$?
  local ms=$(((${EPOCHREALTIME/./} - start) / 1000))
  PHASE_TIMES+=("$(printf '%s %d.%d s' "$label" $((ms / 1000)) $((ms % 1000 / 100)))")
  return "$rc"
}

print_timings() {
  local joined
  joined=$(printf '%s, ' "${PHASE_TIMES[@]}")
  log "timing: ${joined%, }"
}
