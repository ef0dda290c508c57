#!/usr/bin/env bash
# Measures the longest write stall that the 002+003 migrations cause on a big users table: the
# schema as of 001 (with every user of the make run stack's database, after make seed-bulk), then
# the migration under a steady stream of logins' writes (UPDATE users SET last_login_at), once as
# the previous release applied it (002 with a plain CREATE INDEX, in one transaction) and once as
# scripts/migrate.sh applies it now (002, then 003 with CREATE INDEX CONCURRENTLY).
#
# Usage: bench/migration_stall.sh            (after make run and make seed-bulk; not part of make test)
# Environment: PG_PORT (5433), OLD_REV (the commit before 003 existed: f77584c), DURATION (240 s of
#   writes per run; the migration starts after 5 s and must end before them), CLIENTS (2 writers).
# Copies the database `login` to `migration_stall` (stops nothing: CREATE DATABASE ... TEMPLATE needs
# no other session on `login`, so stop the pools first: make stop, then start PostgreSQL alone).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_PORT=${PG_PORT:-5433}
OLD_REV=${OLD_REV:-f77584c}
DURATION=${DURATION:-240}
CLIENTS=${CLIENTS:-2}
DB=migration_stall
PSQL=(psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1)
URL="postgresql://postgres@127.0.0.1:$PG_PORT/$DB"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB TEMPLATE login"
users=$("${PSQL[@]}" -d "$DB" -tA -c "SELECT max(id) FROM users")
echo "migration_stall: $users users in $DB"

# Back to the schema of 001 (what a database that has not had 002 yet looks like).
to_001() {
  "${PSQL[@]}" -d "$DB" <<'SQL'
DROP TABLE IF EXISTS api_tokens, api_clients;
ALTER TABLE users DROP COLUMN IF EXISTS session_generation;
DROP INDEX IF EXISTS users_updated_at_id;
DELETE FROM schema_migrations WHERE version <> '001_users';
ALTER TABLE schema_migrations DROP COLUMN IF EXISTS checksum;
VACUUM ANALYZE users;
CHECKPOINT;
SQL
}

# run LABEL COMMAND...: writes for DURATION seconds, the command after 5 s; prints the stall.
run() {
  local label=$1
  shift
  cat >"$tmp/write.sql" <<SQL
\set id random(1, $users)
UPDATE users SET last_login_at = now() WHERE id = :id;
SQL
  rm -f "$tmp"/pgbench_log.*
  (cd "$tmp" && pgbench -n -h 127.0.0.1 -p "$PG_PORT" -U postgres -f write.sql -c "$CLIENTS" -j 1 \
    -T "$DURATION" -l "$DB" >"$tmp/pgbench.out" 2>&1) &
  local bench=$! t0 t1
  sleep 5
  t0=$(date +%s%3N)
  "$@" >"$tmp/migrate.out" 2>&1 || { cat "$tmp/migrate.out"; echo "migration_stall: the migration failed" >&2; exit 1; }
  t1=$(date +%s%3N)
  wait "$bench"
  (((t1 - t0) / 1000 + 5 < DURATION)) || { echo "migration_stall: the migration outlasted the writes; raise DURATION" >&2; exit 1; }
  # Per-transaction log lines: client transaction latency_us script epoch_s epoch_us.
  cat "$tmp"/pgbench_log.* | awk -v label="$label" -v ms=$((t1 - t0)) '
    { n++; if ($3 > max) max = $3; if ($3 > 1000000) slow++ }
    END { printf "migration_stall: %-44s migration %6.1f s, %d writes, longest write %8.1f ms, %d writes over 1 s\n",
                 label, ms / 1000, n, max / 1000, slow }'
}

to_001
git -C "$ROOT" show "$OLD_REV:sql/002_api_and_accounts.sql" >"$tmp/002_old.sql"
run "before ($OLD_REV: plain CREATE INDEX in 002)" \
  "${PSQL[@]}" -d "$DB" -1 -f "$tmp/002_old.sql" -c "INSERT INTO schema_migrations (version) VALUES ('002_api_and_accounts')"
to_001
run "after (scripts/migrate.sh: 002, 003 CONCURRENTLY)" "$ROOT/scripts/migrate.sh" "$URL"
"${PSQL[@]}" -d postgres -c "DROP DATABASE $DB"
