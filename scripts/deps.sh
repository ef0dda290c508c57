#!/usr/bin/env bash
# Installs the Debian packages needed to build, run and test the stack, and the npm packages of the
# browser and OpenAPI tests (test/browser, test/openapi, from their package-lock.json); a no-op when
# all are present.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

packages=(
  build-essential cmake pkg-config
  libfcgi-dev libfcgi-bin libhiredis-dev libpq-dev libjansson-dev libscrypt-dev libsodium-dev
  libboost-test-dev libcurl4-openssl-dev libsystemd-dev liboath-dev libqrencode-dev oathtool
  python3-aiosmtpd
  clang libclang-rt-dev
  spawn-fcgi nginx redis-server postgresql postgresql-client
  nutcracker iproute2
  wrk curl openssl docker-compose
  podman podman-compose runc netavark aardvark-dns iptables mmdebstrap
  prometheus systemd                # promtool (metrics, alert rules), systemd-analyze (deploy/systemd)
  chromium nodejs fonts-dejavu-core
)
# chromium with --no-install-recommends may come without a font; DejaVu draws the screenshots.
# podman runs the compose stack (make test-containers) with runc, netavark and aardvark-dns (name
# resolution on compose networks) and iptables; mmdebstrap makes the Debian base image.
# Debian's nodejs comes without npm; a nodejs that bundles npm (NodeSource) conflicts with it.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(npm)
fi

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done

# The browser tests drive Debian's chromium with playwright-core from npm, which never downloads a
# browser of its own; the OpenAPI tests validate docs/openapi.yaml with
# @seriousme/openapi-schema-validator. npm ci only when a lock file changed since the last install.
npm_deps() {
  local dir stamp
  for dir in "$ROOT/test/browser" "$ROOT/test/openapi"; do
    stamp=$dir/node_modules/.installed-from-lock.json
    cmp -s "$dir/package-lock.json" "$stamp" 2>/dev/null && continue
    echo "deps: npm ci in ${dir#"$ROOT"/}"
    (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$stamp"
  done
}

if ((${#missing[@]} == 0)); then
  echo "deps: all ${#packages[@]} packages present"
  npm_deps
  exit 0
fi

sudo=()
if ((EUID != 0)); then
  sudo=(sudo)
fi

# Without systemd (containers, CI) package scripts would start the system's own nginx, PostgreSQL and
# Redis, which the stack never uses; a temporary policy-rc.d tells them not to.
policy=/usr/sbin/policy-rc.d
if [[ ! -e "$policy" && "$(ps -p 1 -o comm= 2>/dev/null)" != systemd ]]; then
  printf '#!/bin/sh\n# Temporary, from scripts/deps.sh: no service starts during package installs.\nexit 101\n' \
    | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod 755 "$policy"
  trap '"${sudo[@]}" rm -f "$policy"' EXIT
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Another install running beside this one (a second checkout's make) holds dpkg's lock: wait for it.
apt=(apt-get -o DPkg::Lock::Timeout=900)
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive "${apt[@]}" update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}"
echo "deps: done"
npm_deps
