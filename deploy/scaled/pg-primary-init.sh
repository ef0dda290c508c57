#!/usr/bin/env bash
# pg-primary's first start (deploy/scaled/compose.yml): the postgres image's entrypoint runs this once,
# when it initialises the data volume, with the server still listening on its unix socket only. It
# creates the role the standby replicates as, lets that role in for replication, and turns on
# synchronous replication.
#
# The synchronous settings go through ALTER SYSTEM (postgresql.auto.conf, read at the real start)
# rather than the command line: the initialisation server gets only the entrypoint's options, and
# its CREATE DATABASE would otherwise wait forever for a standby that cannot exist yet.
# To change them later: ALTER SYSTEM SET synchronous_standby_names = '...'; SELECT pg_reload_conf();
set -euo pipefail
: "${REPLICATION_PASSWORD_FILE:?}" "${SYNCHRONOUS_STANDBY_NAMES:?}"
password=$(<"$REPLICATION_PASSWORD_FILE")
[[ -n "$password" ]] || { echo "pg-primary-init: $REPLICATION_PASSWORD_FILE is empty" >&2; exit 1; }
# \getenv keeps the password off every command line; :'password' quotes it as a literal.
REPLICATION_PASSWORD=$password psql -X -v ON_ERROR_STOP=1 --username postgres --dbname "${POSTGRES_DB:-postgres}" \
  -v standbys="$SYNCHRONOUS_STANDBY_NAMES" <<'SQL'
\getenv password REPLICATION_PASSWORD
CREATE ROLE replicator WITH LOGIN REPLICATION PASSWORD :'password';
ALTER SYSTEM SET synchronous_standby_names = :'standbys';
ALTER SYSTEM SET synchronous_commit = 'on';
SQL
# initdb's pg_hba.conf admits "all" databases (the entrypoint's line), which does not cover replication.
echo "host replication replicator all scram-sha-256" >>"$PGDATA/pg_hba.conf"
