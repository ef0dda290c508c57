#!/usr/bin/env bash
# Makes the Debian 12 base image every image of the stack is built from, where no image registry is
# reachable: mmdebstrap builds a minimal bookworm (with bookworm-updates and the security archive)
# from Debian's mirror, and the engine imports it as localhost/debian:12-slim. Like the registry's
# slim image, it leaves out manuals, documentation (but the copyright files) and translations, in
# this image and in every package a build installs on top of it.
#
# Usage: scripts/base-image.sh [image name]     (default localhost/debian:12-slim)
# Environment: CONTAINER_ENGINE (scripts/container.sh), DEBIAN_MIRROR (http://deb.debian.org/debian),
#   DEBIAN_SECURITY_MIRROR (http://deb.debian.org/debian-security), BASE_TARBALL_DIR (a temporary
#   directory; the tarball is removed once imported and never belongs in git).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIB_NAME=base-image
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
# shellcheck source=scripts/container.sh
source "$ROOT/scripts/container.sh"

image=${1:-localhost/debian:12-slim}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
engine_pick
command -v mmdebstrap >/dev/null || die "mmdebstrap is not installed (make deps installs it)"

dir=$(mktemp -d "${BASE_TARBALL_DIR:-${TMPDIR:-/tmp}}/base-image.XXXXXX")
trap 'rm -rf "$dir"' EXIT
say "base-image: mmdebstrap --variant=minbase bookworm from $mirror"
start=$SECONDS
# The merged-usr hook makes /bin, /lib and /sbin links into /usr the way debootstrap does, without
# the usrmerge package (which would bring perl into every image). The dpkg options are kept in the
# image (/etc/dpkg/dpkg.cfg.d/), so they also apply to what the Dockerfile installs: the path filters,
# and force-unsafe-io (no fsync per unpacked file: an interrupted build step is thrown away anyway).
# deploy/containers/apt-slim.conf keeps downloaded packages and apt's caches out of every layer.
mmdebstrap --quiet --variant=minbase --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-include=/usr/share/locale/locale.alias' \
  --dpkgopt='path-exclude=/usr/share/lintian/*' \
  --dpkgopt='force-unsafe-io' \
  --customize-hook="copy-in $ROOT/deploy/containers/apt-slim.conf /etc/apt/apt.conf.d/" \
  --customize-hook='rm -f "$1"/etc/hostname "$1"/etc/resolv.conf "$1"/var/cache/apt/*.bin' \
  bookworm "$dir/base.tar" \
  "deb $mirror bookworm main" \
  "deb $mirror bookworm-updates main" \
  "deb $security bookworm-security main"
say "base-image: built in $((SECONDS - start)) s ($(du -m "$dir/base.tar" | cut -f1) MB), importing as $image"
"$ENGINE" import --change 'CMD ["bash"]' "$dir/base.tar" "$image" >/dev/null
say "base-image: $image is ready ($(image_size "$image"))"
