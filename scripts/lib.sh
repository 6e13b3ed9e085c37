# shellcheck shell=bash
# What scripts/up.sh and scripts/test.sh share: installing the Debian packages
# that are missing, configuring and building, and timing the phases.
# Sourced, never run. Settings:
#   SALESMEET_BUILD_DIR  the build tree (default: <repo>/build)

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="$(realpath -m "${SALESMEET_BUILD_DIR:-$REPO_ROOT/build}")"
# Debian's python3-grpcio is installed for this interpreter only.
# shellcheck disable=SC2034  # used by the scripts that source this file
PYTHON=/usr/bin/python3
BUILD_JOBS=2

# Everything the build, the tests and up.sh need, from Debian 12 (DESIGN.md §10).
REQUIRED_PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libhiredis-dev libsqlite3-dev libpq-dev libical-dev
  prometheus-cpp-dev libssl-dev libgtest-dev libgmock-dev libbenchmark-dev
  redis-server tzdata golang-github-gogo-googleapis-dev grpc-proto
  python3-grpcio python3-protobuf
)

# What scripts/deploy_check.sh needs on top: Debian's Docker engine and
# CLI, compose 1.29, debootstrap for the base image, and yamllint. kubectl
# (with kustomize components) and node come with the machine's image; Debian
# 12 packages neither in a usable version, so their absence is reported.
# shellcheck disable=SC2034  # used by deploy_check.sh
DEPLOY_PACKAGES=(docker.io docker-compose debootstrap yamllint)

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
  # starts its own. Keep services from starting during the install the way
  # Debian's container images do, unless a policy is already in place.
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
