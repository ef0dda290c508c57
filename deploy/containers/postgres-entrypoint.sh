#!/bin/bash
# Entrypoint of the postgres image (Debian's PostgreSQL 15, Dockerfile target "postgres"); runs as the
# postgres user. On the first start (an empty $PGDATA) it initialises the cluster:
# - the superuser "postgres" gets the password of POSTGRES_PASSWORD_FILE;
# - connections over TCP need a password (scram-sha-256) from any address; the unix socket inside the
#   container admits the postgres OS user as itself (peer), for the health check and pg_ctl;
# - the database POSTGRES_DB (login) is created, then each /docker-entrypoint-initdb.d/*.sh runs
#   (sourced by bash, with psql reaching the still private server: the scaled profile's
#   replication set-up), while the server listens on the unix socket only, so nothing outside sees
#   a half-made cluster.
# Then, and on every later start, it runs the command: "postgres [options]" (the default) starts
# the server in the foreground as this process (PID 1), listening on every address.
#
# Environment: PGDATA (/var/lib/postgresql/data), POSTGRES_PASSWORD_FILE (required on the first
#   start), POSTGRES_DB (login).
set -euo pipefail

die() { printf 'postgres-entrypoint: error: %s\n' "$*" >&2; exit 1; }
say() { printf 'postgres-entrypoint: %s\n' "$*"; }

: "${PGDATA:=/var/lib/postgresql/data}"
POSTGRES_DB=${POSTGRES_DB:-login}
export PGDATA

init_cluster() {
  local pwfile=${POSTGRES_PASSWORD_FILE:-}
  [[ -n "$pwfile" ]] || die "POSTGRES_PASSWORD_FILE is not set: the superuser needs a password (a compose secret)"
  [[ -r "$pwfile" ]] || die "POSTGRES_PASSWORD_FILE ($pwfile) cannot be read by $(id -un)"
  [[ -s "$pwfile" ]] || die "POSTGRES_PASSWORD_FILE ($pwfile) is empty"
  [[ "$POSTGRES_DB" =~ ^[a-z_][a-z0-9_]*$ ]] || die "POSTGRES_DB ($POSTGRES_DB) must be a plain lower-case name"
  chmod 700 "$PGDATA"
  say "initialising $PGDATA"
  initdb --username=postgres --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=scram-sha-256 >/dev/null
  echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"

  pg_ctl -D "$PGDATA" -w -t 60 -o "-c listen_addresses=''" start >/dev/null
  psql -X -q -v ON_ERROR_STOP=1 -d postgres -v db="$POSTGRES_DB" <<'SQL'
CREATE DATABASE :"db";
SQL
  local script
  for script in /docker-entrypoint-initdb.d/*.sh; do
    [[ -e "$script" ]] || continue
    say "running $script"
    # shellcheck disable=SC1090
    (source "$script")
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  say "cluster initialised, database $POSTGRES_DB created"
}

# An existing cluster is never touched (nor one that the scaled profile's standby cloned). A first
# start that was interrupted leaves a cluster without the database: remove the volume and start again.
mkdir -p "$PGDATA"
if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  init_cluster
fi

if [[ "${1:-}" == postgres ]]; then
  shift
  exec postgres -D "$PGDATA" "$@"
fi
exec "$@"
