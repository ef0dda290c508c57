#!/usr/bin/env bash
# Brings a PostgreSQL database up to date: applies each new sql/[0-9]*.sql once, in its own transaction and
# in byte order of the file names (tracked in schema_migrations), then re-applies sql/roles.sql.
#
# Usage: scripts/migrate.sh [libpq URL]    e.g. postgresql://postgres@127.0.0.1:5433/login
# Without a URL, psql's own PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE apply. Connect as a
# superuser (roles.sql creates a role); the database itself must exist.
# Environment: SQL_DIR (sql/ next to this script), MIGRATE_WAIT_SECONDS (30: how long to wait for the
#   server to accept connections), LOGIN_APP_PASSWORD (when set, becomes the password of login_app).
#   PGPASSWORD_FILE and LOGIN_APP_PASSWORD_FILE name files holding those passwords instead (the
#   containers' secrets).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SQL_DIR=${SQL_DIR:-$ROOT/sql}
MIGRATE_WAIT_SECONDS=${MIGRATE_WAIT_SECONDS:-30}

# Migrations are applied in byte order of their file names, whatever the locale.
export LC_COLLATE=C
export PGOPTIONS="${PGOPTIONS:+$PGOPTIONS }-c client_min_messages=warning"

PSQL=(psql -X -q -v ON_ERROR_STOP=1)
if (($# > 0)); then
  PSQL+=(-d "$1")
fi

say() { printf 'migrate: %s\n' "$*"; }
die() { printf 'migrate: error: %s\n' "$*" >&2; exit 1; }

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

apply_migration() {  # apply_migration FILE VERSION: the file and its schema_migrations row, in one transaction
  { cat "$1"; printf '\nINSERT INTO schema_migrations (version) VALUES (:'"'"'version'"'"');\n'; } \
    | "${PSQL[@]}" -1 -v version="$2" -f -
}

set_app_password() {
  # \getenv keeps the password off every command line; :'pw' quotes it as a literal.
  "${PSQL[@]}" -f - <<'SQL'
\getenv pw LOGIN_APP_PASSWORD
ALTER ROLE login_app PASSWORD :'pw';
SQL
}

retrying "${PSQL[@]}" -c "CREATE TABLE IF NOT EXISTS schema_migrations (
    version    text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now())" || die "cannot create schema_migrations"
applied=$(retrying "${PSQL[@]}" -tA -c "SELECT version FROM schema_migrations") || die "cannot read schema_migrations"
count=0
shopt -s nullglob
for file in "$SQL_DIR"/[0-9]*.sql; do
  version=$(basename "$file" .sql)
  grep -qxF -- "$version" <<<"$applied" && continue
  retrying apply_migration "$file" "$version" || die "migration $file failed (nothing of it was applied)"
  say "applied migration $version"
  count=$((count + 1))
done
shopt -u nullglob
((count > 0)) || say "schema up to date"

retrying "${PSQL[@]}" -f "$SQL_DIR/roles.sql" >/dev/null || die "applying roles.sql failed"
if [[ -n "${LOGIN_APP_PASSWORD:-}" ]]; then
  retrying set_app_password || die "setting the password of login_app failed"
  say "set the password of login_app"
fi
