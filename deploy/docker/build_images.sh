#!/usr/bin/env bash
# Builds every image of deploy/docker/Dockerfile as salesmeet/<target>:dev,
# the names the compose files and the Kubernetes manifests use, making the
# debian:bookworm base first where no registry can provide it. Uses
# Debian's docker.io CLI: a newer docker CLI refuses DOCKER_BUILDKIT=1
# without its buildx plugin, and the Dockerfile's cache mounts need
# BuildKit. Talks to the engine of DOCKER_HOST (default: the local one).
#   deploy/docker/build_images.sh [--log-dir DIR]
# With --log-dir each build's output goes to DIR/build-<target>.log (and its
# tail to stderr on failure) instead of the terminal. Settings:
#   BUILD_JOBS   compile parallelism inside the build stage (default 2)
set -euo pipefail

DOCKER=/usr/bin/docker
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TAG=dev
# In build order: the services share the build stage the first one fills.
TARGETS=(participant scheduling analytics redis seed postgresql)
LOG_DIR=""
if [[ "${1:-}" == --log-dir ]]; then
  LOG_DIR=$2
fi

log() { printf '==> %s\n' "$*"; }

[[ -x "$DOCKER" ]] || {
  echo "error: $DOCKER is missing: apt-get install docker.io" >&2
  exit 1
}
"$REPO_ROOT/deploy/docker/make_base_image.sh"
for target in "${TARGETS[@]}"; do
  log "building salesmeet/$target:$TAG"
  build=(env DOCKER_BUILDKIT=1 "$DOCKER" build --network=host --progress=plain
    --build-arg "BUILD_JOBS=${BUILD_JOBS:-2}" -f "$REPO_ROOT/deploy/docker/Dockerfile"
    --target "$target" -t "salesmeet/$target:$TAG" "$REPO_ROOT")
  if [[ -z "$LOG_DIR" ]]; then
    "${build[@]}"
  elif ! "${build[@]}" >"$LOG_DIR/build-$target.log" 2>&1; then
    tail -40 "$LOG_DIR/build-$target.log" >&2
    exit 1
  fi
done
"$DOCKER" image ls 'salesmeet/*' --format '{{.Repository}}:{{.Tag}} {{.Size}}' |
  sort | sed 's/^/    /'
