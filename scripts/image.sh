#!/usr/bin/env bash
# Builds the images of the stack from the Dockerfile with podman or docker, tagged with the version
# `make getver` prints, and prints each image's size. The engine's layer cache is reused: an
# unchanged stage is not built again. Makes the Debian base first when it is missing.
#
# The app image's compile is CPU-bound, while the other images mostly wait for Debian's mirror: so
# app builds in the background while the others build one after the other (from cold on 2 cores,
# this saves the shorter of the two, minutes). Each build writes its own log; a failed build's end
# is printed, and the logs are kept.
#
# Usage: scripts/image.sh [target...]   (default: every target: postgres redis nginx migrate nutcracker app mailsink;
#   mailsink is the development and test mail sink, never run in production)
# Environment: CONTAINER_ENGINE (podman or docker; scripts/container.sh),
#   BASE_IMAGE (localhost/debian:12-slim: made by scripts/base-image.sh when missing; an image of a
#   registry, such as debian:12-slim, is pulled and pinned by its digest),
#   IMAGE_PARALLEL (1; 0: every build one after the other), IMAGE_LOG_DIR (a new temporary
#   directory: where each target's build log goes).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIB_NAME=image
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
# shellcheck source=scripts/container.sh
source "$ROOT/scripts/container.sh"

# Dockerfile target -> image name (the names docker-compose.yml runs).
declare -A NAMES=([postgres]=login-postgres [redis]=login-redis [nginx]=login-nginx
                  [migrate]=login-migrate [nutcracker]=login-nutcracker [app]=login-fcgi
                  [mailsink]=login-mailsink)
ALL_TARGETS=(postgres redis nginx migrate nutcracker app mailsink)

engine_pick
cd "$ROOT"
VERSION=$(git describe --always --dirty --tags)  # what make getver prints
REVISION=$(git rev-parse HEAD)
BASE_IMAGE=${BASE_IMAGE:-localhost/debian:12-slim}
targets=("$@")
((${#targets[@]} > 0)) || targets=("${ALL_TARGETS[@]}")
for t in "${targets[@]}"; do
  [[ -n "${NAMES[$t]:-}" ]] || die "unknown target '$t' (one of: ${ALL_TARGETS[*]})"
done

# The base: the local one is made when missing; a registry's is pulled and pinned by digest, so that
# every image of this build starts from exactly the same bytes, and the label records which.
case "$BASE_IMAGE" in
  localhost/*)
    image_exists "$BASE_IMAGE" || "$ROOT/scripts/base-image.sh" "$BASE_IMAGE"
    base_name=$BASE_IMAGE
    base_digest=$("$ENGINE" image inspect --format '{{.Id}}' "$BASE_IMAGE")
    [[ "$base_digest" == sha256:* ]] || base_digest=sha256:$base_digest
    ;;
  *@sha256:*)
    base_name=${BASE_IMAGE%@*}
    base_digest=${BASE_IMAGE#*@}
    ;;
  *)
    say "image: pulling $BASE_IMAGE to pin it by digest"
    "$ENGINE" pull "$BASE_IMAGE" >/dev/null || die "cannot pull $BASE_IMAGE (without a registry: leave BASE_IMAGE unset)"
    if [[ "$ENGINE" == podman ]]; then
      base_digest=$(podman image inspect --format '{{.Digest}}' "$BASE_IMAGE")
    else
      base_digest=$(docker image inspect --format '{{index .RepoDigests 0}}' "$BASE_IMAGE")
      base_digest=${base_digest#*@}
    fi
    [[ "$base_digest" == sha256:* ]] || die "cannot read the digest of $BASE_IMAGE"
    base_name=${BASE_IMAGE%:*}
    BASE_IMAGE=$base_name@$base_digest
    say "image: base pinned: $BASE_IMAGE"
    ;;
esac

build=("$ENGINE" build)
# podman: the build's RUN steps reach Debian's mirror through the host's network (its own network
# for builds is not set up on such a machine), and the docker image format keeps HEALTHCHECK
# (the OCI format has no field for it).
[[ "$ENGINE" == podman ]] && build+=(--network host --format docker --layers)
build+=(--build-arg "BASE_IMAGE=$BASE_IMAGE" --build-arg "VERSION=$VERSION" --build-arg "REVISION=$REVISION"
        --build-arg "BASE_NAME=$base_name" --build-arg "BASE_DIGEST=$base_digest")

logs=${IMAGE_LOG_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/image-logs.XXXXXX")}
mkdir -p "$logs"

# build_one TARGET: builds one image, its output in $logs/TARGET.log; says how long it took, or
# prints the end of the log and fails.
build_one() {
  local t=$1 start=$SECONDS
  say "image: building ${NAMES[$t]}:$VERSION (target $t; log $logs/$t.log)"
  if "${build[@]}" --target "$t" -t "${NAMES[$t]}:$VERSION" . >"$logs/$t.log" 2>&1; then
    say "image: ${NAMES[$t]}:$VERSION built in $((SECONDS - start)) s"
  else
    say "image: building target $t failed after $((SECONDS - start)) s; the end of $logs/$t.log:"
    tail -n 40 "$logs/$t.log" | sed 's/^/  | /'
    return 1
  fi
}

start=$SECONDS
failed=()
background=""
foreground=("${targets[@]}")
if [[ "${IMAGE_PARALLEL:-1}" != 0 && " ${targets[*]} " == *" app "* && ${#targets[@]} -gt 1 ]]; then
  build_one app &
  background=$!
  foreground=()
  for t in "${targets[@]}"; do [[ "$t" == app ]] || foreground+=("$t"); done
fi
for t in "${foreground[@]}"; do
  build_one "$t" || failed+=("$t")
done
if [[ -n "$background" ]]; then
  wait "$background" || failed+=(app)
fi
((${#failed[@]} == 0)) || die "building failed: ${failed[*]} (logs in $logs)"
[[ -n "${IMAGE_LOG_DIR:-}" ]] || rm -rf "$logs"
say "image: every build done in $((SECONDS - start)) s"
say "image: built with $ENGINE from $BASE_IMAGE, version $VERSION:"
for t in "${targets[@]}"; do
  printf '  %-36s %s\n' "${NAMES[$t]}:$VERSION" "$(image_size "${NAMES[$t]}:$VERSION")"
done
