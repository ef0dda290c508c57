#!/usr/bin/env bash
# The backup drill, on the make test stack (it runs after every other test, and leaves the stack
# whole): log in, back up (scripts/backup.sh), wipe the stack's PostgreSQL and Redis data and
# start it again empty, restore (scripts/restore.sh). Then the users, the API clients and their
# tokens, and the session made before the backup are all there, and the demo login works.
# Reads what make test exports: STACK_DIR, HTTP_PORT, PG_PORT, REDIS_PORT, CACHE_REDIS_PORT, ...
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${TEST_STACK_DIR:?run through make test}" "${TEST_BASE_URL:?run through make test}"
# make test's STACK_DIR and LOGIN_BIN are relative to the checkout: work there, on the absolute
# directory of the stack under test.
cd "$ROOT"
export STACK_DIR=$TEST_STACK_DIR
fail() { echo "backup_drill: FAIL: $*" >&2; exit 1; }
say() { echo "backup_drill: $*"; }
base=$TEST_BASE_URL
psql_login() { psql -X -tA -h 127.0.0.1 -p "$PG_PORT" -U postgres -d login -c "$1"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Form login of the demo user; prints the session id.
login() {
  curl -s -o /dev/null -D - -d "username=user1&password=${DEMO_PASSWORD:-demo-pass-123}" "$base/login" \
    | tr -d '\r' | sed -n 's/^Set-Cookie: sid=\([^;]*\).*/\1/p'
}
home_status() { curl -s -o /dev/null -w '%{http_code}' -b "sid=$1" "$base/home"; }
state() {
  psql_login "SELECT (SELECT count(*) FROM users) || ' users, ' || (SELECT count(*) FROM api_clients)
    || ' clients, ' || (SELECT count(*) FROM api_tokens WHERE revoked_at IS NULL) || ' live tokens, max id '
    || (SELECT coalesce(max(id), 0) FROM users)"
}
token=dev-reporting-token-0123456789abcdef
api_status() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/api/v1/users?limit=1"; }

sid=$(login)
[[ -n "$sid" ]] || fail "the demo login gave no session before the backup"
[[ "$(home_status "$sid")" == 200 ]] || fail "the session does not open /home before the backup"
[[ "$(api_status)" == 200 ]] || fail "the demo API token does not work before the backup"
before=$(state)
say "before: $before"

backup=$(BACKUP_DIR="$work" PG_PORT="$PG_PORT" REDIS_PORT="$REDIS_PORT" "$ROOT/scripts/backup.sh")
[[ -f "$backup/login.dump" && -f "$backup/sessions.rdb" ]] || fail "scripts/backup.sh made no dump or snapshot"

# Wipe: the stack's data goes, the stack comes back empty (migrated, no user).
"$ROOT/scripts/stack.sh" stop >/dev/null
rm -rf "$STACK_DIR/pg" "$STACK_DIR/redis" "$STACK_DIR/cache-redis"
"$ROOT/scripts/stack.sh" start >/dev/null
[[ "$(psql_login 'SELECT count(*) FROM users')" == 0 ]] || fail "the wiped stack still has users"
[[ "$(home_status "$sid")" == 303 ]] || fail "the wiped stack still knows the session"

"$ROOT/scripts/restore.sh" "$backup"

after=$(state)
say "after:  $after"
[[ "$after" == "$before" ]] || fail "the database differs after the restore: before '$before', after '$after'"
[[ "$(home_status "$sid")" == 200 ]] || fail "the session made before the backup does not open /home after the restore"
curl -s -b "sid=$sid" "$base/home" | grep -q 'User One' || fail "/home does not greet User One after the restore"
[[ "$(api_status)" == 200 ]] || fail "the demo API token does not work after the restore"
sid2=$(login)
[[ -n "$sid2" && "$(home_status "$sid2")" == 200 ]] || fail "the demo login does not work after the restore"
# The session Redis keeps its append-only file: a restart keeps the restored sessions.
"$ROOT/scripts/stack.sh" stop-part redis >/dev/null
"$ROOT/scripts/stack.sh" start-part redis >/dev/null
for _ in $(seq 50); do [[ "$(home_status "$sid")" == 200 ]] && break; sleep 0.1; done
[[ "$(home_status "$sid")" == 200 ]] || fail "the restored sessions did not survive a restart of the session Redis"
say "users, API clients, tokens and sessions intact; the demo login works"
