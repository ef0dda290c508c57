#!/usr/bin/env bash
# pg-primary's first start (docker-compose.yml, profile scaled): the postgres image's entrypoint runs
# this once, when it initialises the data volume. It creates the role the standby replicates as, lets
# that role in for replication, and turns on synchronous replication.
#
# The synchronous settings go through ALTER SYSTEM (postgresql.auto.conf, read at the real start)
# rather than the command line: the entrypoint's temporary initialisation server gets the command-line
# options too, and its CREATE DATABASE would then wait forever for a standby that cannot exist yet.
# To change them later: ALTER SYSTEM SET synchronous_standby_names = '...'; SELECT pg_reload_conf();
set -euo pipefail
: "${REPLICATION_PASSWORD:?}" "${SYNCHRONOUS_STANDBY_NAMES:?}"
psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
  -v password="$REPLICATION_PASSWORD" -v standbys="$SYNCHRONOUS_STANDBY_NAMES" <<'SQL'
CREATE ROLE replicator WITH LOGIN REPLICATION PASSWORD :'password';
ALTER SYSTEM SET synchronous_standby_names = :'standbys';
ALTER SYSTEM SET synchronous_commit = 'on';
SQL
# The image's pg_hba.conf admits "all" databases from anywhere, which does not cover replication.
echo "host replication replicator all scram-sha-256" >>"$PGDATA/pg_hba.conf"
