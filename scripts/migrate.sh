#!/usr/bin/env bash
# Brings a PostgreSQL database up to date, the one way the schema changes: applies each new
# sql/[0-9]*.sql once, in byte order of the file names, then re-applies sql/roles.sql.
#
# Usage: scripts/migrate.sh [libpq URL]    e.g. postgresql://postgres@127.0.0.1:5433/login
# Without a URL, psql's own PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE apply. Connect as a
# superuser (roles.sql creates a role); the database itself must exist.
# Environment: SQL_DIR (sql/ next to this script), MIGRATE_WAIT_SECONDS (30: how long to wait for the
#   server to accept connections), MIGRATE_LOCK_TIMEOUT (5s: how long one statement of a migration
#   may wait for a table lock before the run fails, so that it never queues every write behind it),
#   MIGRATE_LOCK_WAIT_SECONDS (600: how long to wait for another run to finish),
#   LOGIN_APP_PASSWORD (when set, becomes the password of login_app). PGPASSWORD_FILE and
#   LOGIN_APP_PASSWORD_FILE name files holding those passwords instead (the containers' secrets).
#
# - One run at a time: the whole run holds a PostgreSQL advisory lock; a second run waits for it.
# - Every applied file's SHA-256 is kept in schema_migrations; a run refuses to go on when an applied
#   file has changed since (edit nothing that ran: add a new file). Files applied before checksums
#   were kept get the checksum they have at the first run that keeps them.
# - A file runs in one transaction (all or nothing), unless its first line is
#   `-- migrate: no-transaction`: then each statement commits on its own, which CREATE INDEX
#   CONCURRENTLY needs. Such a file must be safe to run again after it stopped half-way.
# - A run whose connection failed (psql's exit code 2) is started again, for up to
#   MIGRATE_WAIT_SECONDS after the first try: the broken session's lock and open transaction went
#   with it, and the next run decides afresh what is left to apply.
#   Exit codes: 0 up to date, 1 a failure (nothing of the failed file is recorded), 3 an applied
#   file was changed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SQL_DIR=${SQL_DIR:-$ROOT/sql}
MIGRATE_WAIT_SECONDS=${MIGRATE_WAIT_SECONDS:-30}
MIGRATE_LOCK_TIMEOUT=${MIGRATE_LOCK_TIMEOUT:-5s}
MIGRATE_LOCK_WAIT_SECONDS=${MIGRATE_LOCK_WAIT_SECONDS:-600}
# Every migration run of every version of this script takes this lock (any fixed bigint).
LOCK_KEY=7326480151

# Migrations are applied in byte order of their file names, whatever the locale.
export LC_COLLATE=C
export PGOPTIONS="${PGOPTIONS:+$PGOPTIONS }-c client_min_messages=warning"
# What pg_stat_activity shows for a migration's sessions.
export PGAPPNAME=${PGAPPNAME:-login-migrate}

PSQL=(psql -X -q -v ON_ERROR_STOP=1)
if (($# > 0)); then
  PSQL+=(-d "$1")
fi

say() { printf 'migrate: %s\n' "$*"; }
die() { printf 'migrate: error: %s\n' "$*" >&2; exit "${2:-1}"; }

# X_FILE: the value of X is that file's content (a trailing newline is dropped).
for name in PGPASSWORD LOGIN_APP_PASSWORD; do
  file_var=${name}_FILE
  [[ -n "${!file_var:-}" ]] || continue
  [[ -z "${!name:-}" ]] || die "set $name or $file_var, not both"
  [[ -r "${!file_var}" ]] || die "$file_var (${!file_var}) cannot be read"
  export "$name=$(<"${!file_var}")"
  [[ -n "${!name}" ]] || die "$file_var (${!file_var}) is empty"
done

[[ -f "$SQL_DIR/roles.sql" ]] || die "$SQL_DIR/roles.sql not found (set SQL_DIR)"
[[ "$MIGRATE_LOCK_WAIT_SECONDS" =~ ^[0-9]{1,5}$ ]] || die "MIGRATE_LOCK_WAIT_SECONDS ($MIGRATE_LOCK_WAIT_SECONDS) must be a number of seconds"
[[ "$MIGRATE_LOCK_TIMEOUT" =~ ^[0-9]+(ms|s|min)?$ ]] || die "MIGRATE_LOCK_TIMEOUT ($MIGRATE_LOCK_TIMEOUT) must be a time such as 5s"

# A container may start before its database accepts connections.
for ((i = 0; ; i++)); do
  "${PSQL[@]}" -tA -c 'SELECT 1' >/dev/null 2>&1 && break
  if ((i >= MIGRATE_WAIT_SECONDS)); then
    "${PSQL[@]}" -tA -c 'SELECT 1' >/dev/null || true
    die "cannot connect to the database (waited ${MIGRATE_WAIT_SECONDS}s)"
  fi
  sleep 1
done

# psql exits 2 when its connection failed or broke (3: an error in the SQL). In a container, name
# lookups and connections can fail for a moment after the wait above (podman's DNS server stops
# answering briefly whenever a container starts or stops): such a step is tried again, for up to
# MIGRATE_WAIT_SECONDS. Every step is idempotent, or one transaction that the broken connection
# rolled back.
retrying() {
  local start=$SECONDS rc
  while true; do
    rc=0
    "$@" || rc=$?
    ((rc == 2 && SECONDS - start < MIGRATE_WAIT_SECONDS)) || return "$rc"
    say "the connection failed, trying again" >&2
    sleep 1
  done
}

# psql quotes a variable as a literal with :'name'; file names and checksums need no more than that.
shopt -s nullglob
files=("$SQL_DIR"/[0-9]*.sql)
shopt -u nullglob
declare -a versions=() sums=()
for file in "${files[@]}"; do
  version=$(basename "$file" .sql)
  [[ "$version" =~ ^[0-9A-Za-z_.-]+$ ]] || die "$file: a migration name may hold letters, digits, '_', '.' and '-' only"
  versions+=("$version")
  sums+=("$(sha256sum "$file" | cut -d' ' -f1)")
done

# One psql session does the whole run, so that the advisory lock (a session lock) covers it, and
# every decision (what is applied, what changed) is taken after the lock is held.
script() {
  cat <<SQL
SELECT pg_try_advisory_lock($LOCK_KEY) AS got_lock \gset
\if :got_lock
\else
  \echo 'migrate: another migration run holds the lock; waiting for it'
SQL
  # Tries again every second, each try a transaction of its own: a session that waited inside
  # pg_advisory_lock() would hold a snapshot, which the other run's CREATE INDEX CONCURRENTLY
  # waits for: a deadlock.
  local i
  for ((i = 0; i < MIGRATE_LOCK_WAIT_SECONDS; i++)); do
    printf '\\if :got_lock\n\\else\nSELECT pg_sleep(1) AS slept \\gset\nSELECT pg_try_advisory_lock(%s) AS got_lock \\gset\n\\endif\n' "$LOCK_KEY"
  done
  cat <<SQL
  \if :got_lock
  \else
    \warn 'migrate: error: another migration run still holds the lock after $MIGRATE_LOCK_WAIT_SECONDS s'
    \q
  \endif
\endif
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now());
ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text;
SET lock_timeout = '$MIGRATE_LOCK_TIMEOUT';
CREATE TEMP TABLE migration_files (version text PRIMARY KEY, checksum text NOT NULL);
SQL
  local i
  for i in "${!versions[@]}"; do
    printf "INSERT INTO migration_files VALUES ('%s', '%s');\n" "${versions[$i]}" "${sums[$i]}"
  done
  cat <<'SQL'
SELECT count(*) AS adopted, count(*) > 0 AS has_adopted
FROM schema_migrations s JOIN migration_files f USING (version) WHERE s.checksum IS NULL \gset
\if :has_adopted
  UPDATE schema_migrations s SET checksum = f.checksum FROM migration_files f
  WHERE s.version = f.version AND s.checksum IS NULL;
  \echo 'migrate: recorded the checksums of' :adopted 'migrations applied before checksums were kept'
\endif
SELECT coalesce(string_agg(version, ', ' ORDER BY version), '') AS changed
FROM schema_migrations s JOIN migration_files f USING (version) WHERE s.checksum <> f.checksum \gset
SELECT :'changed' <> '' AS has_changed \gset
\if :has_changed
  \warn 'migrate: error: applied migrations were changed since they ran:' :changed '(restore them and add a new migration instead)'
  \q
\endif
SELECT coalesce(string_agg(version, ', ' ORDER BY version), '') AS unknown
FROM schema_migrations WHERE version NOT IN (SELECT version FROM migration_files) \gset
SELECT :'unknown' <> '' AS has_unknown \gset
\if :has_unknown
  \echo 'migrate: note: the database has migrations this sql/ does not:' :unknown '(a newer release ran here)'
\endif
SQL
  for i in "${!files[@]}"; do
    local file=${files[$i]} version=${versions[$i]} sum=${sums[$i]}
    printf "SELECT NOT EXISTS (SELECT 1 FROM schema_migrations WHERE version = '%s') AS pending \\\\gset\n" "$version"
    printf '\\if :pending\n'
    if head -n1 "$file" | grep -qx -- '-- migrate: no-transaction'; then
      # Waiting here holds no lock that blocks writes (CONCURRENTLY): no lock_timeout.
      printf '\\echo migrate: applying %s statement by statement (no transaction)\n' "$version"
      printf "SET lock_timeout = 0;\n\\i %s\nSET lock_timeout = '%s';\n" "$file" "$MIGRATE_LOCK_TIMEOUT"
      printf "INSERT INTO schema_migrations (version, checksum) VALUES ('%s', '%s');\n" "$version" "$sum"
    else
      printf 'BEGIN;\n\\i %s\n' "$file"
      printf "INSERT INTO schema_migrations (version, checksum) VALUES ('%s', '%s');\nCOMMIT;\n" "$version" "$sum"
    fi
    printf '\\echo migrate: applied migration %s\n\\endif\n' "$version"
  done
}

# psql's \i needs the file names as they are; refuse the characters a psql line cannot carry.
for file in "${files[@]}"; do
  [[ "$file" != *[[:space:]\'\\]* ]] || die "$file: the path holds a space, a quote or a backslash"
done

out=$(mktemp)
trap 'rm -f "$out"' EXIT
run() {  # the whole run in one session; its output also goes to $out; returns psql's exit code
  script | "${PSQL[@]}" -f - 2>&1 | tee -a "$out"
  return "${PIPESTATUS[1]}"
}
status=0
retrying run || status=$?
if grep -q '^migrate: error: applied migrations were changed' "$out"; then
  exit 3
fi
grep -q '^migrate: error:' "$out" && exit 1
((status == 0)) || die "a migration failed (the file that failed is not recorded; see above)"
grep -q '^migrate: applied migration' "$out" || say "schema up to date"

set_app_password() {
  # \getenv keeps the password off every command line; :'pw' quotes it as a literal.
  "${PSQL[@]}" -f - <<'SQL'
\getenv pw LOGIN_APP_PASSWORD
ALTER ROLE login_app PASSWORD :'pw';
SQL
}

retrying "${PSQL[@]}" -f "$SQL_DIR/roles.sql" >/dev/null || die "applying roles.sql failed"
if [[ -n "${LOGIN_APP_PASSWORD:-}" ]]; then
  retrying set_app_password || die "setting the password of login_app failed"
  say "set the password of login_app"
fi
