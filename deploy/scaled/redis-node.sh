#!/bin/sh
# Starts a Redis server or Sentinel of the scaled profile (docker-compose.yml) from a writable copy of
# its config in /data, made on the first start. Sentinel records a failover by rewriting config files:
# its own, and (CONFIG REWRITE) those of the servers it turns into primary or replica. A read-only
# mounted file would lose that, and a restarted node would come back in its old role.
#
# Usage: redis-node.sh <config file> "<config line>"... [--sentinel]
# The config lines are appended to the copy (replicaof, replica-announce-ip, sentinel announce-ip).
set -eu
template=$1
shift
conf=/data/$(basename "$template")
sentinel=""
if [ ! -f "$conf" ]; then
  cp "$template" "$conf.new"
  for line in "$@"; do
    [ "$line" = "--sentinel" ] || printf '%s\n' "$line" >>"$conf.new"
  done
  mv "$conf.new" "$conf"
fi
for arg in "$@"; do
  [ "$arg" != "--sentinel" ] || sentinel="--sentinel"
done
# The image's entrypoint hands /data to the redis user and drops root before starting the server.
exec docker-entrypoint.sh redis-server "$conf" $sentinel
