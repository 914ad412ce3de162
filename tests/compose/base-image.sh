#!/usr/bin/env bash
# Builds the base image the compose Dockerfiles start FROM, without a
# registry: a Debian bookworm minbase made with debootstrap and imported
# into podman as localhost/debian:bookworm, also tagged as the names a
# Dockerfile uses (docker.io/library/debian:bookworm, and :bookworm-slim,
# the same image: minbase is already about as small as the official slim).
# Does nothing if the image exists; keeps the root filesystem as a tarball
# in $XLB_IMAGE_CACHE so that a removed image comes back in seconds.
# Run as root, with podman and debootstrap installed.
set -euo pipefail

CACHE=${XLB_IMAGE_CACHE:-/var/cache/xlb-compose}
MIRROR=${XLB_DEBIAN_MIRROR:-http://deb.debian.org/debian}
IMAGE=localhost/debian:bookworm
TAGS=(docker.io/library/debian:bookworm localhost/debian:bookworm-slim
	docker.io/library/debian:bookworm-slim)
TARBALL=$CACHE/debian-bookworm-minbase.tar

tag_all() {
	local t
	for t in "${TAGS[@]}"; do
		podman image exists "$t" || podman tag "$IMAGE" "$t"
	done
}

if podman image exists "$IMAGE"; then
	tag_all
	echo "base image: $IMAGE exists"
	exit 0
fi

mkdir -p "$CACHE"
if [ ! -s "$TARBALL" ]; then
	root=$(mktemp -d "$CACHE/rootfs.XXXXXX")
	trap 'rm -rf "$root" "$TARBALL.tmp"' EXIT
	echo "base image: debootstrap --variant=minbase bookworm (about a minute)"
	debootstrap --variant=minbase bookworm "$root" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 || {
		tail -20 "$CACHE/debootstrap.log" >&2
		echo "base image: debootstrap failed (log: $CACHE/debootstrap.log)" >&2
		exit 1
	}
	# What the official image leaves out: package caches and lists.
	rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
	tar --numeric-owner -C "$root" -cf "$TARBALL.tmp" .
	mv "$TARBALL.tmp" "$TARBALL"
	rm -rf "$root"
	trap - EXIT
fi
# The official image's PATH and CMD, so that Dockerfiles behave the same.
if ! podman import \
	--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
	--change 'CMD ["bash"]' \
	"$TARBALL" "$IMAGE" >"$CACHE/import.log" 2>&1; then
	cat "$CACHE/import.log" >&2
	echo "base image: podman import failed" >&2
	exit 1
fi
tag_all
echo "base image: imported $IMAGE ($(du -m "$TARBALL" | cut -f1) MB) from $TARBALL"
