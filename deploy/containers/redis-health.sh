#!/bin/sh
# Health check of the redis image: runs redis-cli with the password of REDIS_PASSWORD_FILE (through
# REDISCLI_AUTH, never on a command line) and succeeds when the answer starts with PONG or OK.
# Usage: redis-health [redis-cli arguments]     (default: ping, on port 6379)
#   e.g. redis-health -p 26379 sentinel ckquorum sessions (a Sentinel that can authorise a failover)
set -eu
REDISCLI_AUTH=$(cat "${REDIS_PASSWORD_FILE:?}")
export REDISCLI_AUTH
[ $# -gt 0 ] || set -- ping
reply=$(redis-cli "$@")
case "$reply" in
  PONG* | OK*) exit 0 ;;
  *) printf 'redis-health: %s\n' "$reply" >&2; exit 1 ;;
esac
