#!/bin/sh
# Entrypoint of the app image: runs login-fcgi with its arguments (default: serve).
#
# libfcgi accepts a FastCGI connection over TCP only from the addresses in FCGI_WEB_SERVER_ADDRS
# (comma-separated IPv4 addresses; it closes any other at once). With FCGI_WEB_SERVER set to the web
# server's host name (nginx), `serve` first waits until that name resolves, then lets in its
# addresses and 127.0.0.1 (the health check), and no other peer. A socket on TCP with neither
# variable set is refused: any container on the network could then send FastCGI requests, naming
# its own REMOTE_ADDR and reading /metrics. A unix socket (LOGIN_SOCKET=/path) needs neither.
# A recreated web server comes back with a new address: restart the workers after it.
#
# Environment: FCGI_WEB_SERVER, FCGI_WEB_SERVER_ADDRS, FCGI_WEB_SERVER_WAIT (seconds, 120),
#   LOGIN_SOCKET (the image's default is :9000).
set -eu

say() { printf 'app-entrypoint: %s\n' "$*" >&2; }

if [ "${1:-}" = serve ]; then
  if [ -n "${FCGI_WEB_SERVER:-}" ] && [ -z "${FCGI_WEB_SERVER_ADDRS:-}" ]; then
    wait=${FCGI_WEB_SERVER_WAIT:-120}
    i=0
    while ! addrs=$(getent ahostsv4 "$FCGI_WEB_SERVER" | awk '!seen[$1]++ { printf "%s%s", sep, $1; sep = "," }') \
        || [ -z "$addrs" ]; do
      [ "$i" -lt "$wait" ] || { say "error: $FCGI_WEB_SERVER did not resolve within ${wait}s"; exit 1; }
      [ "$i" -ne 0 ] || say "waiting for $FCGI_WEB_SERVER to resolve"
      i=$((i + 1))
      sleep 1
    done
    export FCGI_WEB_SERVER_ADDRS="$addrs,127.0.0.1"
    say "FastCGI peers: $FCGI_WEB_SERVER ($addrs) and 127.0.0.1"
  fi
  # libfcgi's rule: a socket with a colon is TCP ([host]:port), any other a unix socket path.
  case "${LOGIN_SOCKET:-}" in
    *:*)
      if [ -z "${FCGI_WEB_SERVER_ADDRS:-}" ]; then
        say "error: LOGIN_SOCKET (${LOGIN_SOCKET:-}) is TCP, but neither FCGI_WEB_SERVER nor FCGI_WEB_SERVER_ADDRS names the web server: every peer could send FastCGI requests"
        exit 1
      fi
      ;;
    *) ;;
  esac
fi
exec /usr/local/bin/login-fcgi "$@"
