#!/usr/bin/env bash
# Fuzzes salesmeet's parsers and validators (tests/fuzz) with libFuzzer,
# under ASan and UBSan. Builds the sanitizer tree first when needed (clang;
# installs the Debian packages that are missing).
#   scripts/fuzz.sh TARGET [SECONDS]  one target, for SECONDS (default 60)
#   scripts/fuzz.sh all [SECONDS]     every target, SECONDS each
#   scripts/fuzz.sh list              the targets
# Ends with a line per target (executions, executions per second, coverage)
# and exits non-zero when a target failed. Each run goes on from the inputs
# earlier runs found (<tree>/fuzz/TARGET/corpus). A failing input is kept in
# <tree>/fuzz/TARGET/; once the bug is fixed, copy it into
# tests/fuzz/corpus/TARGET/ so every run replays it. Settings:
#   SALESMEET_SANITIZER_BUILD_DIR  the tree (default: <repo>/build-sanitize)
#   SALESMEET_FUZZ_JOBS            targets fuzzed at once (default: 2)
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { die "usage: scripts/fuzz.sh TARGET|all|list [SECONDS]"; }

target=${1:-}
seconds=${2:-60}
[[ -n "$target" ]] || usage
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || usage

REQUIRED_PACKAGES+=("${SANITIZER_PACKAGES[@]}")
ensure_packages
if [[ "$target" == all || "$target" == list ]]; then
  # Configures the tree, which lists the targets.
  cmake -S "$REPO_ROOT" -B "$SANITIZER_BUILD_DIR" -G Ninja \
    -DCMAKE_CXX_COMPILER=clang++-14 -DSALESMEET_FUZZ=ON >/dev/null
  mapfile -t names < <(fuzz_target_names)
  if [[ "$target" == list ]]; then
    printf '%s\n' "${names[@]}"
    exit 0
  fi
else
  names=("$target")
fi

log "building ${names[*]/%/_fuzz} in $SANITIZER_BUILD_DIR"
build_sanitizer_tree "${names[@]/%/_fuzz}" || die "the build failed"
sanitizer_env
FUZZ_KEEP_CORPUS=1
log "fuzzing ${#names[@]} target(s), $seconds s each"
rc=0
if ((${#names[@]} == 1)); then
  # One target: show libFuzzer's progress as it goes.
  fuzz_log="$SANITIZER_BUILD_DIR/fuzz/${names[0]}/fuzz.log"
  rm -f "$fuzz_log"
  fuzz_target "${names[0]}" "$seconds" &
  tail --pid=$! -n +1 -F "$fuzz_log" 2>/dev/null || true
  wait || true
  print_fuzz_summary "${names[@]}" || rc=$?
else
  run_fuzz_targets "$seconds" "${SALESMEET_FUZZ_JOBS:-2}" "${names[@]}" || rc=$?
fi
exit "$rc"
