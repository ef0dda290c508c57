#!/usr/bin/env bash
# Ensures the demo accounts admin1 (admin) and user1 and the demo API client `reporting` exist in a
# running stack (development only), through the operator CLI (`login-fcgi demo-seed`), which
# refuses when LOGIN_PROFILE=production. Existing accounts are left as they are.
#
# Environment: PG_PORT (5433), REDIS_PORT (6380), LOGIN_BIN (build/fcgi-app/login-fcgi),
# DEMO_PASSWORD (demo-pass-123).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOGIN_BIN=${LOGIN_BIN:-$ROOT/build/fcgi-app/login-fcgi}
DEMO_PASSWORD=${DEMO_PASSWORD:-demo-pass-123}

[[ -x "$LOGIN_BIN" ]] || { echo "seed: $LOGIN_BIN not found or not executable (run make build)" >&2; exit 1; }

printf '%s\n' "$DEMO_PASSWORD" |
  LOGIN_DATABASE_URL="postgresql://login_app@127.0.0.1:${PG_PORT:-5433}/login" \
  LOGIN_REDIS_URL="redis://127.0.0.1:${REDIS_PORT:-6380}/0" \
  LOGIN_CACHE_REDIS_URL="redis://127.0.0.1:${CACHE_REDIS_PORT:-${REDIS_PORT:-6380}}/0" \
  LOGIN_LOG_LEVEL=warn \
  "$LOGIN_BIN" demo-seed
