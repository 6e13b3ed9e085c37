#!/usr/bin/env bash
# Makes the image debian:bookworm that deploy/docker/Dockerfile builds on,
# for machines that reach Debian's package mirror but no image registry:
# debootstrap's minbase variant, with the same apt sources as Debian's
# official image, imported into the Docker engine of DOCKER_HOST. Does
# nothing when the image already exists: importing again would give it a new
# id and throw away every cached layer built on it. Settings:
#   SALESMEET_CACHE_DIR  keeps the root file system tarball between runs
#                        (default /var/cache/salesmeet)
#   SALESMEET_REFRESH_BASE=1  debootstrap and import afresh (security updates)
#   DEBIAN_MIRROR        (default http://deb.debian.org/debian)
set -euo pipefail

DOCKER=/usr/bin/docker  # Debian's docker.io CLI; see README "Deployment".
IMAGE=debian:bookworm
CACHE_DIR="${SALESMEET_CACHE_DIR:-/var/cache/salesmeet}"
TARBALL="$CACHE_DIR/debian-bookworm-minbase.tar"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
REFRESH="${SALESMEET_REFRESH_BASE:-0}"

log() { printf '==> %s\n' "$*"; }

if [[ "$REFRESH" != 1 ]] && "$DOCKER" image inspect "$IMAGE" >/dev/null 2>&1; then
  log "$IMAGE is already there"
  exit 0
fi

if [[ "$REFRESH" == 1 || ! -s "$TARBALL" ]]; then
  root=$(mktemp -d /tmp/salesmeet-debootstrap.XXXXXX)
  trap 'rm -rf "$root"' EXIT
  log "debootstrap --variant=minbase bookworm (about a minute)"
  debootstrap --variant=minbase bookworm "$root" "$MIRROR" >"$root.log" 2>&1 ||
    {
      tail -20 "$root.log" >&2
      exit 1
    }
  rm -f "$root.log"
  # As in Debian's official image: updates and security fixes on, and no
  # downloaded packages or lists left in the file system.
  rm -f "$root/etc/apt/sources.list"
  cat >"$root/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${MIRROR%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  mkdir -p "$CACHE_DIR"
  tar -C "$root" --numeric-owner -cf "$TARBALL.tmp" .
  mv "$TARBALL.tmp" "$TARBALL"
fi

log "importing $TARBALL as $IMAGE"
"$DOCKER" import --change 'CMD ["bash"]' "$TARBALL" "$IMAGE" >/dev/null
