#!/usr/bin/env bash
# Backs up what cannot be rebuilt: the session Redis (an RDB snapshot, fetched over the network
# with redis-cli --rdb) and then the PostgreSQL database (pg_dump custom format), in that order,
# so that every user a saved session names is in the dump. The profile and token cache is not
# saved: it refills from PostgreSQL.
#
# Usage: scripts/backup.sh              (make backup: the make run stack)
# Environment: BACKUP_DIR (var/backups; each backup is a new directory <UTC time> in it),
#   PG_URL (postgresql://postgres@127.0.0.1:$PG_PORT/login), PG_PORT (5433),
#   REDIS_HOST (127.0.0.1), REDIS_PORT (6380: the session Redis), REDISCLI_AUTH (its password, read
#   by redis-cli itself, never on a command line).
# Writes login.dump, sessions.rdb, SHA256SUMS and backup.txt (what, when, how long); prints the path.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_PORT=${PG_PORT:-5433}
PG_URL=${PG_URL:-postgresql://postgres@127.0.0.1:$PG_PORT/login}
REDIS_HOST=${REDIS_HOST:-127.0.0.1}
REDIS_PORT=${REDIS_PORT:-6380}
BACKUP_DIR=${BACKUP_DIR:-$ROOT/var/backups}

say() { printf 'backup: %s\n' "$*" >&2; }
die() { printf 'backup: error: %s\n' "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }
secs() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }

command -v pg_dump >/dev/null || die "pg_dump is missing (postgresql-client)"
dir=$BACKUP_DIR/$(date -u +%Y%m%dT%H%M%SZ)
[[ ! -e "$dir" ]] || die "$dir exists already"
mkdir -p "$dir"
chmod 700 "$dir"  # password hashes and session ids: readable by the operator only
trap '[[ -f "$dir/SHA256SUMS" ]] || { say "removing the incomplete $dir"; rm -rf "$dir"; }' EXIT

started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
t0=$(now_ms)
redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" --rdb "$dir/sessions.rdb" >"$dir/redis-cli.log" 2>&1 \
  || die "redis-cli --rdb from $REDIS_HOST:$REDIS_PORT failed: $(tail -n 3 "$dir/redis-cli.log")"
rm -f "$dir/redis-cli.log"
t1=$(now_ms)
say "session Redis $REDIS_HOST:$REDIS_PORT: $(stat -c %s "$dir/sessions.rdb") bytes in $(secs $((t1 - t0))) s"

# One consistent snapshot (pg_dump runs in one repeatable-read transaction); writes go on.
pg_dump -Fc -f "$dir/login.dump" "$PG_URL" || die "pg_dump failed"
t2=$(now_ms)
say "PostgreSQL: $(stat -c %s "$dir/login.dump") bytes in $(secs $((t2 - t1))) s"

schema=$(psql -X -tA -d "$PG_URL" -c "SELECT string_agg(version, ' ' ORDER BY version) FROM schema_migrations")
users=$(psql -X -tA -d "$PG_URL" -c "SELECT count(*) FROM users")
{
  echo "started_at=$started"  # what a restore brings back is the state of about this moment
  echo "finished_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "schema=$schema"
  echo "users=$users"
  echo "redis_seconds=$(secs $((t1 - t0)))"
  echo "pg_dump_seconds=$(secs $((t2 - t1)))"
  echo "login_version=$("${LOGIN_BIN:-$ROOT/build/fcgi-app/login-fcgi}" version 2>/dev/null || echo unknown)"
} >"$dir/backup.txt"
(cd "$dir" && sha256sum login.dump sessions.rdb backup.txt >SHA256SUMS)
say "done: $users users, $(du -sh "$dir" | cut -f1) in $(secs $((t2 - t0))) s"
echo "$dir"
