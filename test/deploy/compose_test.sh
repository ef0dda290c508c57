#!/usr/bin/env bash
# Validates docker-compose.yml with Debian's docker-compose (no Docker engine needed) and checks
# the services and settings operations rely on: the single-host stack, and the "scaled" profile
# (docs/SCALING.md). Exit 77 (CTest: skipped) without docker-compose.
set -euo pipefail
file=${1:?usage: compose_test.sh docker-compose.yml}
command -v docker-compose >/dev/null || { echo "docker-compose is not installed: skipped"; exit 77; }
fail() { echo "compose_test: $*" >&2; exit 1; }
dir=$(cd "$(dirname "$file")" && pwd)

# The lines of one service in a rendered config (services are indented by two spaces).
block() { awk -v s="  $1:" '$0 == s {on = 1; next} on && /^  [a-z]/ {exit} on' <<<"$2"; }
# Every long-running service has a healthcheck and a restart policy.
check_long_running() {
  local rendered=$1 s b
  shift
  for s in "$@"; do
    b=$(block "$s" "$rendered")
    [[ -n "$b" ]] || fail "service $s is missing"
    grep -q 'healthcheck:' <<<"$b" || fail "$s has no healthcheck"
    grep -q 'restart: unless-stopped' <<<"$b" || fail "$s has no restart policy"
  done
}
# has <service> <fixed string>: the service's rendered block contains the string.
has() { grep -qF -- "$2" <<<"$(block "$1" "$scaled")" || fail "$1: expected '$2'"; }

base_services=(postgres redis-sessions redis-cache migrate app auth nginx)

docker-compose -f "$file" config -q || fail "docker-compose config rejects $file"
services=$(docker-compose -f "$file" config --services)
for s in "${base_services[@]}"; do
  grep -qx "$s" <<<"$services" || fail "service $s is missing"
done
rendered=$(GIT_COMMIT=v9.9.9-test docker-compose -f "$file" config)
# The image tag comes from `make getver` (GIT_COMMIT), never a hand-edited literal.
grep -q 'image: login-fcgi:v9.9.9-test' <<<"$rendered" || fail "app image does not follow GIT_COMMIT"
grep -q 'image: login-nginx:v9.9.9-test' <<<"$rendered" || fail "nginx image does not follow GIT_COMMIT"
grep -q 'LOGIN_SESSION_REDIS_URL: redis://redis-sessions:6379/0' <<<"$rendered" || fail "sessions URL"
grep -q 'LOGIN_CACHE_REDIS_URL: redis://redis-cache:6379/0' <<<"$rendered" || fail "cache URL"
check_long_running "$rendered" postgres redis-sessions redis-cache app auth nginx

# Plain `docker compose up` starts the single-host stack and nothing else: every other service
# belongs to the scaled profile, and no single-host service depends on one of them.
for s in $services; do
  if [[ " ${base_services[*]} " == *" $s "* ]]; then
    b=$(block "$s" "$rendered")
    ! grep -q '^    profiles:' <<<"$b" || fail "$s is in a profile, so plain 'up' would not start it"
  else
    block "$s" "$rendered" | grep -A1 '^    profiles:' | grep -qx -- '    - scaled' \
      || fail "$s is not in the scaled profile, so plain 'up' would start it"
  fi
done

# ---- the scaled profile ----
docker-compose -f "$file" --profile scaled config -q || fail "docker-compose --profile scaled config rejects $file"
scaled_services=$(docker-compose -f "$file" --profile scaled config --services)
scaled=$(GIT_COMMIT=v9.9.9-test docker-compose -f "$file" --profile scaled config)
hosts=(app1 app2 auth1 auth2)
long_running=(pg-primary pg-standby sessions-primary sessions-replica sentinel1 sentinel2 sentinel3
              cache1 cache2 nutcracker "${hosts[@]}" nginx-scaled)
for s in "${long_running[@]}" migrate-scaled; do
  grep -qx "$s" <<<"$scaled_services" || fail "scaled service $s is missing"
done
check_long_running "$scaled" "${long_running[@]}"
for s in "${hosts[@]}"; do has "$s" 'image: login-fcgi:v9.9.9-test'; done
has nginx-scaled 'image: login-nginx:v9.9.9-test'
has migrate-scaled 'image: login-migrate:v9.9.9-test'
has nutcracker 'image: login-nutcracker:v9.9.9-test'

# Every worker host: TCP, the primary and read URLs over both PostgreSQL servers, Sentinel, WAIT, twemproxy.
for s in "${hosts[@]}"; do
  has "$s" 'LOGIN_SOCKET: 0.0.0.0:9000'
  has "$s" '@pg-primary:5432,pg-standby:5432/login?target_session_attrs=read-write'
  has "$s" 'LOGIN_DATABASE_READ_URL: postgresql://'
  has "$s" '@pg-primary:5432,pg-standby:5432/login?target_session_attrs=prefer-standby'
  has "$s" "LOGIN_READ_YOUR_WRITES_SECONDS: '2'"
  has "$s" 'LOGIN_SESSION_REDIS_URL: sentinel://sentinel1:26379,sentinel2:26379,sentinel3:26379/sessions'
  has "$s" "LOGIN_SESSION_WAIT_REPLICAS: '1'"
  has "$s" "LOGIN_SESSION_WAIT_TIMEOUT_MS: '100'"
  has "$s" 'LOGIN_CACHE_REDIS_URL: redis://nutcracker:22121'
  has "$s" 'migrate-scaled:'
done
# nginx: every host once in each upstream, with passive health checks.
has nginx-scaled 'APP_UPSTREAM: app1:9000 app2:9000'
has nginx-scaled 'AUTH_UPSTREAM: auth1:9000 auth2:9000'
has nginx-scaled "UPSTREAM_MAX_FAILS: '1'"
has nginx-scaled 'UPSTREAM_FAIL_TIMEOUT: 10s'
# render.sh accepts those upstreams and writes one server line per host.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
STACK_DIR=$tmp PUBLIC_DIR="$dir/public" LISTEN=8080 APP_UPSTREAM="app1:9000 app2:9000" \
  AUTH_UPSTREAM="auth1:9000 auth2:9000" UPSTREAM_MAX_FAILS=1 UPSTREAM_FAIL_TIMEOUT=10s HASH_SLOTS=36 \
  ACCESS_LOG=/dev/stdout ERROR_LOG=stderr "$dir/nginx/render.sh" || fail "render.sh rejects the scaled upstreams"
for peer in app1 app2; do
  grep -q "server $peer:9000 max_fails=1 fail_timeout=10s;" "$tmp/nginx/nginx.conf" \
    || fail "rendered nginx.conf has no passive health check for $peer"
done
# The auth hosts also take at most HASH_SLOTS hashing requests each.
for peer in auth1 auth2; do
  grep -q "server $peer:9000 max_fails=1 fail_timeout=10s max_conns=36;" "$tmp/nginx/nginx.conf" \
    || fail "rendered nginx.conf has no passive health check or hashing bound for $peer"
done

# PostgreSQL: synchronous replication on the primary, a standby cloned with pg_basebackup -R.
has pg-primary 'synchronous_commit=on'
has pg-primary 'SYNCHRONOUS_STANDBY_NAMES: FIRST 1 (pg_standby)'
has pg-primary '/docker-entrypoint-initdb.d/'
grep -q "ALTER SYSTEM SET synchronous_standby_names" "$dir/deploy/scaled/pg-primary-init.sh" \
  || fail "pg-primary-init.sh does not set synchronous_standby_names"
grep -q "host replication replicator all" "$dir/deploy/scaled/pg-primary-init.sh" \
  || fail "pg-primary-init.sh does not admit the replicator"
has pg-standby '/opt/login/scaled/pg-standby.sh'
has pg-standby 'STANDBY_NAME: pg_standby'
grep -q -- '--write-recovery-conf' "$dir/deploy/scaled/pg-standby.sh" || fail "pg-standby.sh does not use pg_basebackup -R"
has migrate-scaled 'PGHOST: pg-primary'

# Session Redis: a replica of the primary, three Sentinels with quorum 2.
has sessions-primary '/usr/local/etc/redis/sessions.conf'
has sessions-replica 'replicaof sessions-primary 6379'
for s in sentinel1 sentinel2 sentinel3; do
  has "$s" '--sentinel'
  has "$s" "sentinel announce-ip $s"
done
grep -qx 'sentinel monitor sessions sessions-primary 6379 2' "$dir/deploy/scaled/sentinel.conf" \
  || fail "sentinel.conf does not monitor sessions-primary with quorum 2"

# The cache: two nodes behind twemproxy, ketama, ejecting a dead node.
for s in cache1 cache2; do has "$s" '/redis/cache.conf:/usr/local/etc/redis/redis.conf'; done
has nutcracker '/deploy/scaled/nutcracker.yml:/etc/nutcracker/nutcracker.yml'
nc_conf=$dir/deploy/scaled/nutcracker.yml
for line in 'distribution: ketama' 'auto_eject_hosts: true' 'redis: true' 'listen: 0.0.0.0:22121' \
            '- cache1:6379:1 cache1' '- cache2:6379:1 cache2'; do
  grep -qF -- "$line" "$nc_conf" || fail "nutcracker.yml: expected '$line'"
done
if command -v nutcracker >/dev/null; then
  nutcracker --test-conf --conf-file="$nc_conf" >/dev/null 2>&1 || fail "nutcracker rejects $nc_conf"
fi
# Every file the scaled services mount exists in the repository.
while read -r src; do
  [[ -e "$src" ]] || fail "a scaled service mounts $src, which does not exist"
done < <(grep -o "$dir/[^:]*" <<<"$scaled" | sort -u)
echo "compose_test: $file is valid (single-host and scaled profile)"
