# The container engine and its compose tool, for scripts/image.sh and test/deploy/containers_test.sh.
# Source it after setting LIB_NAME (and sourcing scripts/lib.sh); then call engine_pick.
#
# CONTAINER_ENGINE chooses podman or docker; by default podman when it is installed, else docker.
# podman runs with deploy/containers/containers.conf unless CONTAINERS_CONF is already set.

# engine_pick: sets ENGINE (podman or docker) and COMPOSE (the compose command, as an array).
engine_pick() {
  ENGINE=${CONTAINER_ENGINE:-}
  if [[ -z "$ENGINE" ]]; then
    if command -v podman >/dev/null; then
      ENGINE=podman
    elif command -v docker >/dev/null; then
      ENGINE=docker
    else
      die "no container engine: install podman (make deps does) or docker, or set CONTAINER_ENGINE"
    fi
  fi
  case "$ENGINE" in
    podman)
      command -v podman >/dev/null || die "CONTAINER_ENGINE=podman, but podman is not installed"
      export CONTAINERS_CONF=${CONTAINERS_CONF:-$ROOT/deploy/containers/containers.conf}
      COMPOSE=(podman-compose)
      ;;
    docker)
      command -v docker >/dev/null || die "CONTAINER_ENGINE=docker, but docker is not installed"
      if docker compose version >/dev/null 2>&1; then
        COMPOSE=(docker compose)
      else
        COMPOSE=(docker-compose)
      fi
      ;;
    *) die "CONTAINER_ENGINE must be podman or docker, not '$ENGINE'" ;;
  esac
}

# image_exists IMAGE: the engine has that image locally.
image_exists() {
  "$ENGINE" image inspect "$1" >/dev/null 2>&1
}

# image_size IMAGE: its size in MB, as the engine counts it (every layer, uncompressed).
image_size() {
  "$ENGINE" image inspect --format '{{.Size}}' "$1" | awk '{printf "%.0f MB\n", $1 / 1000000}'
}
