#!/bin/sh
# Entrypoint of the redis image (Debian's Redis 7, Dockerfile target "redis"); runs as the redis user.
# Starts a Redis server, or a Sentinel, from a writable copy of a config file with the password added:
# every Redis of the stack requires one, read from REDIS_PASSWORD_FILE (a compose secret).
#
# Usage: redis-start <config file> ["<config line>"]... [--rewritable] [--sentinel]
#   The config lines are appended to the copy (replicaof, replica-announce-ip, sentinel announce-ip).
#   Without --rewritable the copy is made again at every start, in /run/redis. With it (and always
#   for a Sentinel) the copy lives in /data and is made on the first start only: Sentinel records a
#   failover by rewriting config files, its own and (CONFIG REWRITE) those of the servers it turns
#   into primary or replica, and a node that restarts must come back in its new role.
# The password lines are replaced at every start, so a new secret takes effect on a restart:
#   a server gets requirepass, and masterauth (a replica authenticates to its primary; after a
#   failover any node may be a replica); a Sentinel gets requirepass (its clients and the other
#   Sentinels authenticate), sentinel sentinel-pass (it authenticates to the other Sentinels) and
#   sentinel auth-pass for each primary it monitors.
set -eu
# The copies hold the password: readable by the redis user only.
umask 077

die() { printf 'redis-start: error: %s\n' "$*" >&2; exit 1; }

[ $# -ge 1 ] || die "usage: redis-start <config file> [config line]... [--rewritable] [--sentinel]"
template=$1
shift
[ -r "$template" ] || die "cannot read $template"
pwfile=${REDIS_PASSWORD_FILE:-}
[ -n "$pwfile" ] || die "REDIS_PASSWORD_FILE is not set: every Redis of the stack requires a password"
[ -r "$pwfile" ] || die "REDIS_PASSWORD_FILE ($pwfile) cannot be read by $(id -un)"
password=$(cat "$pwfile")
[ -n "$password" ] || die "REDIS_PASSWORD_FILE ($pwfile) is empty"
# The password is written into a config line: no spaces, quotes, backslashes or control characters.
case "$password" in
  *[!!-~]* | *'"'* | *"'"* | *'\'*) die "the password in $pwfile may hold only printable ASCII without spaces, quotes or backslashes" ;;
esac

sentinel=""
rewritable=""
for arg in "$@"; do
  case "$arg" in
    --sentinel) sentinel=--sentinel rewritable=yes ;;
    --rewritable) rewritable=yes ;;
  esac
done

if [ -n "$rewritable" ]; then
  conf=/data/$(basename "$template")
else
  conf=/run/redis/$(basename "$template")
  rm -f "$conf"
fi
if [ ! -f "$conf" ]; then
  {
    cat "$template"
    echo
    echo "dir /data"
    for line in "$@"; do
      case "$line" in --sentinel | --rewritable) ;; *) printf '%s\n' "$line" ;; esac
    done
  } >"$conf.new"
  mv "$conf.new" "$conf"
fi

# Replace the password lines (a Sentinel's rewrite also stores its default user as "user default ...").
grep -v -E '^(requirepass|masterauth|masteruser|user default|sentinel (auth-pass|auth-user|sentinel-pass|sentinel-user)) ' \
  "$conf" >"$conf.new" || true
{
  printf 'requirepass "%s"\n' "$password"
  if [ -n "$sentinel" ]; then
    printf 'sentinel sentinel-pass "%s"\n' "$password"
    awk '$1 == "sentinel" && $2 == "monitor" { print $3 }' "$conf.new" | while read -r name; do
      printf 'sentinel auth-pass %s "%s"\n' "$name" "$password"
    done
  else
    printf 'masterauth "%s"\n' "$password"
  fi
} >>"$conf.new"
mv "$conf.new" "$conf"
exec redis-server "$conf" $sentinel
