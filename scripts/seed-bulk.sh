#!/usr/bin/env bash
# Loads USERS bulk users (bulk1..bulkN, password bulk-pass-123) into a running stack's database, set-based and in batches.
#
# Usage: scripts/seed-bulk.sh            (or: make seed-bulk USERS=10000000)
# Environment: USERS (1000000), BATCH (500000), PARALLEL (nproc: batches loaded at once), PG_PORT (5433), LOGIN_BIN (build/fcgi-app/login-fcgi),
#              BULK_PASSWORD (bulk-pass-123), and LOGIN_SCRYPT_* like the workers.
# Every bulk user shares one scrypt hash of BULK_PASSWORD, computed once by the app itself, so that
# loading 10 million users costs one hash, not 10 million. Existing bulk users are skipped, never duplicated.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
USERS=${USERS:-1000000}
BATCH=${BATCH:-500000}
PARALLEL=${PARALLEL:-$(nproc)}
PG_PORT=${PG_PORT:-5433}
LOGIN_BIN=${LOGIN_BIN:-$ROOT/build/fcgi-app/login-fcgi}
BULK_PASSWORD=${BULK_PASSWORD:-bulk-pass-123}

# The session trades durability for speed: a crash mid-load loses at most the last batches, and a re-run fills them in.
PSQL=(env PGOPTIONS='-c client_min_messages=warning -c synchronous_commit=off'
  psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d login -v ON_ERROR_STOP=1)

die() { printf 'seed-bulk: error: %s\n' "$*" >&2; exit 1; }

[[ "$USERS" =~ ^[1-9][0-9]{0,8}$ ]] || die "USERS must be a number from 1 to 999999999 (got '$USERS')"
[[ "$BATCH" =~ ^[1-9][0-9]{0,8}$ ]] || die "BATCH must be a positive number (got '$BATCH')"
[[ "$PARALLEL" =~ ^[1-9][0-9]?$ ]] || die "PARALLEL must be a number from 1 to 99 (got '$PARALLEL')"
[[ -x "$LOGIN_BIN" ]] || die "$LOGIN_BIN not found or not executable (run make build)"
"${PSQL[@]}" -tA -c 'SELECT 1' >/dev/null 2>&1 \
  || die "no PostgreSQL with a database login on 127.0.0.1:$PG_PORT (start the stack: make run)"

now_ms() { date +%s%3N; }
# Milliseconds as seconds with one decimal.
secs() { printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100)); }

# Reuse the hash of an existing bulk user, so that users added by a later, larger run share it too.
hash=$("${PSQL[@]}" -tA -c "SELECT password_hash FROM users WHERE lower(username) = 'bulk1'")
if [[ -z "$hash" ]]; then
  hash=$(printf '%s' "$BULK_PASSWORD" | "$LOGIN_BIN" hash-password)
  [[ -n "$hash" && "$hash" != *$'\n'* ]] || die "$LOGIN_BIN hash-password printed no single line"
  echo "seed-bulk: hashed the bulk password once: ${hash:0:10}... (scrypt parameters in the MCF prefix)"
else
  echo "seed-bulk: reusing the password hash of bulk1: ${hash:0:10}..."
fi

# One batch: one set-based INSERT in one transaction; prints how many rows it added. Existing names
# are skipped through the unique index on lower(username), so re-runs never duplicate a user.
# A range with none of its names yet takes a plain INSERT: ON CONFLICT's speculative insertion costs
# about a quarter more CPU per row. Should a name exist after all (a user registered as bulk77),
# the unique violation rolls the batch back and the ON CONFLICT form loads it.
load_batch() {
  "${PSQL[@]}" -tA -v lo="$1" -v hi="$2" -v hash="$hash" <<'SQL'
CREATE FUNCTION pg_temp.load_bulk(lo bigint, hi bigint, hash text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM users WHERE lower(username) IN ('bulk' || lo, 'bulk' || hi)) THEN
    BEGIN
      INSERT INTO users (username, display_name, email, password_hash, roles)
      SELECT 'bulk' || g, 'Bulk User ' || g, 'bulk' || g || '@example.com', hash, '{user}'
      FROM generate_series(lo, hi) AS g;
      GET DIAGNOSTICS n = ROW_COUNT;
      RETURN n;
    EXCEPTION WHEN unique_violation THEN
      NULL;  -- some names exist: load the range again, skipping them
    END;
  END IF;
  INSERT INTO users (username, display_name, email, password_hash, roles)
  SELECT 'bulk' || g, 'Bulk User ' || g, 'bulk' || g || '@example.com', hash, '{user}'
  FROM generate_series(lo, hi) AS g
  ON CONFLICT ((lower(username))) DO NOTHING;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;
SELECT pg_temp.load_bulk(:lo, :hi, :'hash');
SQL
}

echo "seed-bulk: loading bulk1..bulk$USERS in batches of $BATCH, $PARALLEL at a time, into 127.0.0.1:$PG_PORT/login"
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
declare -A batch_of=()
start_ms=$(now_ms)
inserted=0
rows_done=0
# Reports one finished batch (its output file names it); fails the run if the batch failed.
finish_one() {
  local pid lo hi n rc=0 elapsed_ms
  wait -n -p pid || rc=$?
  read -r lo hi <<<"${batch_of[$pid]}"
  unset "batch_of[$pid]"
  ((rc == 0)) || die "batch bulk$lo..bulk$hi failed (exit $rc): $(cat "$tmp/$lo.err")"
  n=$(cat "$tmp/$lo.out")
  inserted=$((inserted + n))
  rows_done=$((rows_done + hi - lo + 1))
  elapsed_ms=$(($(now_ms) - start_ms))
  ((elapsed_ms > 0)) || elapsed_ms=1
  printf 'seed-bulk: %10d / %d rows done (batch %d..%d: %d new), %7d rows/s, %6s s elapsed\n' \
    "$rows_done" "$USERS" "$lo" "$hi" "$n" $((rows_done * 1000 / elapsed_ms)) "$(secs "$elapsed_ms")"
}
for ((lo = 1; lo <= USERS; lo += BATCH)); do
  hi=$((lo + BATCH - 1))
  ((hi > USERS)) && hi=$USERS
  ((${#batch_of[@]} < PARALLEL)) || finish_one
  load_batch "$lo" "$hi" >"$tmp/$lo.out" 2>"$tmp/$lo.err" &
  batch_of[$!]="$lo $hi"
done
while ((${#batch_of[@]} > 0)); do finish_one; done

"${PSQL[@]}" -c 'ANALYZE users'
total_ms=$(($(now_ms) - start_ms))
echo "seed-bulk: done in $(secs "$total_ms") s: $inserted inserted, $((USERS - inserted)) already present"
"${PSQL[@]}" -P footer=off <<'SQL'
SELECT (SELECT reltuples::bigint FROM pg_class WHERE oid = 'users'::regclass) AS "users (estimate)",
       pg_size_pretty(pg_relation_size('users')) AS "table",
       pg_size_pretty(pg_indexes_size('users')) AS "all indexes",
       pg_size_pretty(pg_total_relation_size('users')) AS "total with TOAST";
SELECT indexrelid::regclass AS index, pg_size_pretty(pg_relation_size(indexrelid)) AS size
FROM pg_index WHERE indrelid = 'users'::regclass ORDER BY 1;
SQL
echo "seed-bulk: every bulk user logs in with the password $BULK_PASSWORD (development only)"
