#!/usr/bin/env bash
# Stand-in base images for a host with no container registry: a Debian bookworm root file system
# from deb.debian.org (debootstrap), imported as a local image, then Python, PostgreSQL and Redis
# images built on it from Debian's packages. Tagged feedbackfirst-offline/*, never as the official
# images. Needs root (debootstrap), docker and the Debian mirror; see README.md here.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${OFFLINE_WORK:-$HERE/../../var/offline}   # var/ is gitignored: no root tree is committed
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
PREFIX=feedbackfirst-offline
BASE=$PREFIX/debian:bookworm

if ! docker image inspect "$BASE" >/dev/null 2>&1; then
  command -v debootstrap >/dev/null || { apt-get update -q && apt-get install -y -q debootstrap; }
  rm -rf "$WORK/rootfs" && mkdir -p "$WORK"
  debootstrap --variant=minbase bookworm "$WORK/rootfs" "$MIRROR"
  cat > "$WORK/rootfs/etc/apt/sources.list" <<SOURCES
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb ${MIRROR%/debian}/debian-security bookworm-security main
SOURCES
  # As the official images: no caches, docs or man pages kept by later apt installs.
  cat > "$WORK/rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" <<'SLIM'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
SLIM
  rm -rf "$WORK/rootfs/var/cache/apt/archives/"*.deb "$WORK/rootfs/var/lib/apt/lists/"*
  tar -C "$WORK/rootfs" -c . | docker import --change 'CMD ["bash"]' --change 'ENV LANG=C.UTF-8' - "$BASE"
  rm -rf "$WORK/rootfs"
fi

# --network host: the default bridge may have no DNS on such a host; apt only reaches the mirror.
for name in python:3.11-bookworm postgres:15-bookworm redis:7-bookworm; do
  file="$HERE/${name%%:*}.Dockerfile"
  docker build --network host --build-arg BASE="$BASE" -f "$file" -t "$PREFIX/$name" "$HERE"
done
docker image ls "$PREFIX/*"
