#!/bin/bash
# Entrypoint of the nutcracker image (Debian's twemproxy, Dockerfile target "nutcracker"); runs as
# nobody. Copies the config (deploy/scaled/nutcracker.yml, mounted at /etc/nutcracker/nutcracker.yml)
# to /run/nutcracker with "redis_auth" added to every pool: twemproxy then asks its clients for that
# password (AUTH) and sends it to the Redis nodes behind it, which require the same one.
#
# Usage: nutcracker-start [nutcracker options]
# Environment: REDIS_PASSWORD_FILE (required), NUTCRACKER_CONF (/etc/nutcracker/nutcracker.yml).
set -euo pipefail
umask 077

die() { printf 'nutcracker-start: error: %s\n' "$*" >&2; exit 1; }

template=${NUTCRACKER_CONF:-/etc/nutcracker/nutcracker.yml}
pwfile=${REDIS_PASSWORD_FILE:-}
[[ -n "$pwfile" ]] || die "REDIS_PASSWORD_FILE is not set: the cache nodes require a password"
[[ -r "$pwfile" ]] || die "REDIS_PASSWORD_FILE ($pwfile) cannot be read by $(id -un)"
password=$(<"$pwfile")
[[ -n "$password" ]] || die "REDIS_PASSWORD_FILE ($pwfile) is empty"
[[ "$password" =~ ^[!-~]+$ && "$password" != *[\"\'\\]* ]] \
  || die "the password in $pwfile may hold only printable ASCII without spaces, quotes or backslashes"
grep -q '^ *redis_auth:' "$template" && die "$template sets redis_auth itself; the password belongs in REDIS_PASSWORD_FILE"

conf=/run/nutcracker/nutcracker.yml
# A pool is a top-level key ("cache:"); its settings follow, indented by two spaces.
awk -v pw="$password" '{ print } /^[A-Za-z0-9_-]+:[ \t]*$/ { printf "  redis_auth: \"%s\"\n", pw }' \
  "$template" >"$conf.new"
grep -q '^  redis_auth:' "$conf.new" || die "$template defines no pool"
mv "$conf.new" "$conf"
nutcracker --test-conf --conf-file="$conf" >/dev/null 2>&1 \
  || { nutcracker --test-conf --conf-file="$conf" 2>&1 | grep -v "$password" >&2; die "nutcracker rejects $template"; }
# An empty --output logs to stderr (Debian's default is a file under /var/log/nutcracker, which nobody
# cannot write). Stats stay local.
exec nutcracker --conf-file="$conf" --output= --stats-addr=127.0.0.1 "$@"
