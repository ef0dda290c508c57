#!/usr/bin/env bash
# Entrypoint of pg-standby (deploy/scaled/compose.yml), in the postgres image, as the postgres user.
# On the first start (an empty data volume) it clones pg-primary with pg_basebackup -R, which writes
# standby.signal and primary_conninfo (with application_name, the name synchronous_standby_names
# waits for); then it hands over to the image's own entrypoint, which finds an initialised data
# directory and starts a hot standby.
#
# Environment: PRIMARY_HOST (pg-primary), STANDBY_NAME (pg_standby), REPLICATION_PASSWORD_FILE.
set -euo pipefail
: "${PGDATA:=/var/lib/postgresql/data}" "${PRIMARY_HOST:?}" "${STANDBY_NAME:?}" "${REPLICATION_PASSWORD_FILE:?}"

# primary_conninfo names this passfile instead of holding the password: written at every start from
# the secret (a recreated container has a fresh file system, and a new secret applies on restart).
passfile=/var/lib/postgresql/replication.pgpass
(umask 077 && printf '%s:5432:replication:replicator:%s\n' "$PRIMARY_HOST" "$(<"$REPLICATION_PASSWORD_FILE")" >"$passfile")

if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  until pg_isready -q -h "$PRIMARY_HOST" -p 5432; do
    echo "pg-standby: waiting for $PRIMARY_HOST"
    sleep 1
  done
  mkdir -p "$PGDATA"
  find "$PGDATA" -mindepth 1 -delete  # what an interrupted earlier clone left
  chmod 700 "$PGDATA"
  pg_basebackup --pgdata="$PGDATA" --write-recovery-conf --wal-method=stream --checkpoint=fast \
    --dbname="host=$PRIMARY_HOST port=5432 user=replicator application_name=$STANDBY_NAME passfile=$passfile"
  # The clone carries the primary's postgresql.auto.conf. Once promoted, this server must not wait
  # for a synchronous standby of its own until one is attached (docs/SCALING.md).
  sed -i '/^synchronous_standby_names/d' "$PGDATA/postgresql.auto.conf"
fi
exec postgres-entrypoint "$@"
