#!/usr/bin/env bash
# Entrypoint of pg-standby (docker-compose.yml, profile scaled). On the first start (an empty data
# volume) it clones pg-primary with pg_basebackup -R, which writes standby.signal and primary_conninfo
# (with application_name, the name synchronous_standby_names waits for); then it hands over to the
# postgres image's own entrypoint, which finds an initialised data directory and starts a hot standby.
#
# Environment: PRIMARY_HOST (pg-primary), STANDBY_NAME (pg_standby), REPLICATION_PASSWORD.
set -euo pipefail
: "${PGDATA:=/var/lib/postgresql/data}" "${PRIMARY_HOST:?}" "${STANDBY_NAME:?}" "${REPLICATION_PASSWORD:?}"

if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  until pg_isready -q -h "$PRIMARY_HOST" -p 5432; do
    echo "pg-standby: waiting for $PRIMARY_HOST"
    sleep 1
  done
  mkdir -p "$PGDATA"
  find "$PGDATA" -mindepth 1 -delete  # what an interrupted earlier clone left
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  PGPASSWORD=$REPLICATION_PASSWORD gosu postgres pg_basebackup --pgdata="$PGDATA" \
    --write-recovery-conf --wal-method=stream --checkpoint=fast \
    --dbname="host=$PRIMARY_HOST port=5432 user=replicator application_name=$STANDBY_NAME"
  # The clone carries the primary's postgresql.auto.conf. Once promoted, this server must not wait
  # for a synchronous standby of its own until one is attached (docs/SCALING.md).
  sed -i '/^synchronous_standby_names/d' "$PGDATA/postgresql.auto.conf"
fi
exec docker-entrypoint.sh "$@"
