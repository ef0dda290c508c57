#!/usr/bin/env bash
# Validates docker-compose.yml with Debian's docker-compose (no Docker engine needed) and checks
# the services and settings operations rely on. Exit 77 (CTest: skipped) without docker-compose.
set -euo pipefail
file=${1:?usage: compose_test.sh docker-compose.yml}
command -v docker-compose >/dev/null || { echo "docker-compose is not installed: skipped"; exit 77; }
fail() { echo "compose_test: $*" >&2; exit 1; }

docker-compose -f "$file" config -q || fail "docker-compose config rejects $file"
services=$(docker-compose -f "$file" config --services)
for s in postgres redis-sessions redis-cache migrate app auth nginx; do
  grep -qx "$s" <<<"$services" || fail "service $s is missing"
done
rendered=$(GIT_COMMIT=v9.9.9-test docker-compose -f "$file" config)
# The image tag comes from `make getver` (GIT_COMMIT), never a hand-edited literal.
grep -q 'image: login-fcgi:v9.9.9-test' <<<"$rendered" || fail "app image does not follow GIT_COMMIT"
grep -q 'image: login-nginx:v9.9.9-test' <<<"$rendered" || fail "nginx image does not follow GIT_COMMIT"
grep -q 'LOGIN_SESSION_REDIS_URL: redis://redis-sessions:6379/0' <<<"$rendered" || fail "sessions URL"
grep -q 'LOGIN_CACHE_REDIS_URL: redis://redis-cache:6379/0' <<<"$rendered" || fail "cache URL"
# Every long-running service has a healthcheck and a restart policy.
for s in postgres redis-sessions redis-cache app auth nginx; do
  block=$(awk -v s="  $s:" '$0 == s {on = 1; next} on && /^  [a-z]/ {exit} on' <<<"$rendered")
  grep -q 'healthcheck:' <<<"$block" || fail "$s has no healthcheck"
  grep -q 'restart: unless-stopped' <<<"$block" || fail "$s has no restart policy"
done
echo "compose_test: $file is valid"
