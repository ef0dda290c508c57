#!/usr/bin/env bash
# Puts a backup of scripts/backup.sh back: the PostgreSQL database is replaced by the dump, brought
# up to this release's schema by scripts/migrate.sh, and the session Redis is restarted on the
# snapshot (then rewrites its append-only file from it). Cached profiles and API tokens are
# dropped, so that nothing newer than the dump is served from the cache.
# Everything written after the backup is lost: that is the RPO (docs/DEPLOYMENT.md).
#
# Usage: scripts/restore.sh BACKUP_DIR     (make restore BACKUP=var/backups/<time>: the make run stack)
# Environment: as scripts/stack.sh (STACK_DIR, PG_PORT, REDIS_PORT, CACHE_REDIS_PORT, LOGIN_KEY_PREFIX):
#   the session Redis is restarted through scripts/stack.sh, whose data directory it writes.
#   RESTORE_JOBS (2: pg_restore's parallel jobs).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIB_NAME=restore
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
backup=${1:-}
STACK_DIR=$(abspath "${STACK_DIR:-var}")
PG_PORT=${PG_PORT:-5433}
REDIS_PORT=${REDIS_PORT:-6380}
CACHE_REDIS_PORT=${CACHE_REDIS_PORT:-}
LOGIN_KEY_PREFIX=${LOGIN_KEY_PREFIX:-login:}
RESTORE_JOBS=${RESTORE_JOBS:-2}
ADMIN_URL=postgresql://postgres@127.0.0.1:$PG_PORT/postgres
PG_URL=postgresql://postgres@127.0.0.1:$PG_PORT/login
now_ms() { date +%s%3N; }
secs() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }
step() { printf 'restore: %s\n' "$*"; }

[[ -n "$backup" && -f "$backup/SHA256SUMS" ]] || die "usage: $0 BACKUP_DIR (a directory made by scripts/backup.sh)"
(cd "$backup" && sha256sum --quiet -c SHA256SUMS) || die "$backup does not match its SHA256SUMS"
[[ -f "$STACK_DIR/run/redis.pid" ]] || die "no running stack in $STACK_DIR (scripts/stack.sh start first)"
t0=$(now_ms)

# PostgreSQL: a new, empty database, filled from the dump. FORCE ends the workers' connections:
# they reconnect on their next request (answering 503 meanwhile).
psql -X -q -v ON_ERROR_STOP=1 -d "$ADMIN_URL" \
  -c "DROP DATABASE IF EXISTS login WITH (FORCE)" -c "CREATE DATABASE login"
pg_restore --exit-on-error -j "$RESTORE_JOBS" -d "$PG_URL" "$backup/login.dump" || die "pg_restore failed"
t1=$(now_ms)
step "PostgreSQL restored in $(secs $((t1 - t0))) s"
"$ROOT/scripts/migrate.sh" "$PG_URL" || die "the restored database does not migrate"

# The session Redis, on the snapshot: with appendonly on and no append-only file, Redis would
# start empty, so it starts without it, loads the RDB, then rewrites the file from memory.
redis_dir=$STACK_DIR/redis
"$ROOT/scripts/stack.sh" stop-part redis >/dev/null
rm -rf "$redis_dir/appendonlydir" "$redis_dir/dump.rdb"
cp "$backup/sessions.rdb" "$redis_dir/dump.rdb"
REDIS_START_ARGS="--appendonly no" "$ROOT/scripts/stack.sh" start-part redis >/dev/null
redis=(redis-cli -h 127.0.0.1 -p "$REDIS_PORT")
[[ "$("${redis[@]}" config set appendonly yes)" == OK ]] || die "could not turn the append-only file back on"
for ((i = 0; i < 600; i++)); do
  info=$("${redis[@]}" info persistence | tr -d '\r')
  grep -q '^aof_rewrite_in_progress:0' <<<"$info" && grep -q '^aof_rewrite_scheduled:0' <<<"$info" \
    && grep -q '^aof_enabled:1' <<<"$info" && break
  sleep 0.1
done
grep -q '^aof_last_bgrewrite_status:ok' <<<"$info" || die "the session Redis did not rewrite its append-only file"
t2=$(now_ms)
step "session Redis restored in $(secs $((t2 - t1))) s: $("${redis[@]}" dbsize) keys"

# The cache may hold copies newer than the dump: drop them (profiles, refill locks, API tokens).
cache_port=${CACHE_REDIS_PORT:-$REDIS_PORT}
dropped=0
for pattern in "${LOGIN_KEY_PREFIX}p:*" "${LOGIN_KEY_PREFIX}pl:*" "${LOGIN_KEY_PREFIX}t:*"; do
  while read -r key; do
    [[ -n "$key" ]] || continue
    redis-cli -h 127.0.0.1 -p "$cache_port" unlink "$key" >/dev/null
    dropped=$((dropped + 1))
  done < <(redis-cli -h 127.0.0.1 -p "$cache_port" --scan --pattern "$pattern")
done
t3=$(now_ms)
step "dropped $dropped cached entries"
step "done in $(secs $((t3 - t0))) s: the state of $(sed -n 's/^started_at=//p' "$backup/backup.txt")"
