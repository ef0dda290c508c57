#!/usr/bin/env bash
# Renders nginx.conf.template and its snippets into $STACK_DIR/nginx/, for the local stack and for the
# nginx container alike; with a command after it, runs that command once the config is written.
#
# Usage: nginx/render.sh [command [args...]]
# Environment (required): STACK_DIR (pid file, temp files and rendered config below it), PUBLIC_DIR (static
#   files), LISTEN (127.0.0.1:8080 or 8080), APP_UPSTREAM and AUTH_UPSTREAM (unix:/path.sock or host:port,
#   or several worker hosts separated by spaces or commas: each then gets max_fails=UPSTREAM_MAX_FAILS (1)
#   and fail_timeout=UPSTREAM_FAIL_TIMEOUT (10s)).
# Environment (optional): TRUSTED_PROXIES (addresses or CIDRs of proxies whose X-Forwarded-For is believed,
#   separated by spaces or commas; none by default), TLS_LISTEN with TLS_CERT and TLS_KEY (an HTTPS listener;
#   none by default; with it, plain HTTP on LISTEN answers only with a redirect to HTTPS, except /healthz
#   and /readyz for probes, unless PLAIN_HTTP=serve, which the local development stack sets), HTTPS_PORT
#   (the port in those redirects: TLS_LISTEN's, left out when 443), HASH_SLOTS (password-hashing requests in the hands of each auth
#   host, its workers and their socket's backlog: LOGIN_WORKERS + LOGIN_HASH_QUEUE of AUTH_POOL_ENV, the auth
#   pool's description, deploy/pools/auth.env beside this directory by default), HASH_PER_ADDRESS (hashing requests one client
#   address may have open, slow bodies included: 4), HASH_RATE and HASH_BURST (hashing requests per
#   client address: 2r/s with a burst of 20), API_RATE and API_BURST (requests to /api/ and its aliases
#   per client address: 100r/s with a burst of 400), ACCESS_LOG ($STACK_DIR/log/access.log), ERROR_LOG
#   ($STACK_DIR/log/nginx-error.log, or stderr), NGINX_USER (www-data; the user directive is dropped when
#   not run as root), METRICS_ALLOW (127.0.0.1: the addresses or CIDR networks, separated by spaces or
#   commas, that may GET /metrics and /readyz; `unix:` for clients of a unix-socket listener).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

die() { printf 'render: error: %s\n' "$*" >&2; exit 1; }

abspath() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$PWD" "$1" ;;
  esac
}

for name in STACK_DIR PUBLIC_DIR LISTEN APP_UPSTREAM AUTH_UPSTREAM; do
  [[ -n "${!name:-}" ]] || die "$name is not set"
done
STACK_DIR=$(abspath "$STACK_DIR")
PUBLIC_DIR=$(abspath "$PUBLIC_DIR")
ACCESS_LOG=${ACCESS_LOG:-$STACK_DIR/log/access.log}
ERROR_LOG=${ERROR_LOG:-$STACK_DIR/log/nginx-error.log}
NGINX_USER=${NGINX_USER:-www-data}
METRICS_ALLOW=${METRICS_ALLOW:-127.0.0.1}
NGINX_DIR=$STACK_DIR/nginx
# auth_pool NAME: NAME's value in the auth pool's description (NAME=value lines, as systemd and
# compose read them).
auth_pool() {
  local value
  value=$(sed -n "s/^$1=//p" "$AUTH_POOL_ENV" | tail -n1)
  [[ -n "$value" ]] || die "$AUTH_POOL_ENV (AUTH_POOL_ENV) sets no $1"
  printf '%s\n' "$value"
}
if [[ -z "${HASH_SLOTS:-}" ]]; then
  AUTH_POOL_ENV=${AUTH_POOL_ENV:-$HERE/../deploy/pools/auth.env}
  [[ -r "$AUTH_POOL_ENV" ]] || die "no auth pool description at $AUTH_POOL_ENV: set AUTH_POOL_ENV (or HASH_SLOTS)"
  workers=$(auth_pool LOGIN_WORKERS) queue=$(auth_pool LOGIN_HASH_QUEUE)
  [[ "$workers$queue" =~ ^[0-9]+$ ]] || die "$AUTH_POOL_ENV: LOGIN_WORKERS ($workers) and LOGIN_HASH_QUEUE ($queue) must be numbers"
  # One slot per auth worker plus the queue, per auth host.
  HASH_SLOTS=$((workers + queue))
fi
HASH_PER_ADDRESS=${HASH_PER_ADDRESS:-4}
HASH_RATE=${HASH_RATE:-2r/s}
HASH_BURST=${HASH_BURST:-20}
API_RATE=${API_RATE:-100r/s}
API_BURST=${API_BURST:-400}
for name in HASH_SLOTS HASH_PER_ADDRESS HASH_BURST API_BURST; do
  [[ "${!name}" =~ ^[1-9][0-9]{0,6}$ ]] || die "$name (${!name}) must be a positive integer"
done
# limit_conn accepts at most 65535 connections per key: nginx itself would refuse more, later and
# less clearly.
((HASH_PER_ADDRESS <= 65535)) || die "HASH_PER_ADDRESS ($HASH_PER_ADDRESS) must be at most 65535 (nginx's limit_conn)"
for name in HASH_RATE API_RATE; do
  [[ "${!name}" =~ ^[1-9][0-9]{0,6}r/[sm]$ ]] || die "$name (${!name}) must be a rate such as 2r/s or 30r/m"
done

TLS="# no HTTPS listener (TLS_LISTEN unset)"
MAIN_LISTEN="listen $LISTEN backlog=8192;"
PLAIN_HTTP=${PLAIN_HTTP:-redirect}
HTTPS_PORT_SUFFIX=""
if [[ -n "${TLS_LISTEN:-}" ]]; then
  for name in TLS_CERT TLS_KEY; do
    [[ -n "${!name:-}" ]] || die "TLS_LISTEN needs $name"
    [[ "${!name}" != *['|&\ ']* ]] || die "$name (${!name}) contains |, &, \\ or a space"
  done
  [[ "$TLS_LISTEN" =~ ^([][0-9A-Za-z:.]+|unix:/[A-Za-z0-9._/-]+)$ ]] \
    || die "TLS_LISTEN ($TLS_LISTEN) must be a port, address:port or unix:/path"
  TLS="listen $TLS_LISTEN ssl http2 backlog=8192; ssl_certificate $TLS_CERT; ssl_certificate_key $TLS_KEY;"
  TLS+=" ssl_protocols TLSv1.2 TLSv1.3; ssl_prefer_server_ciphers off; ssl_session_cache shared:TLS:10m;"
  TLS+=" ssl_session_timeout 1d; ssl_session_tickets off;"
  # The port browsers reach HTTPS on, for the redirects from plain HTTP: TLS_LISTEN's own unless
  # a proxy or port mapping in front says otherwise; 443 is left out of the URL.
  HTTPS_PORT=${HTTPS_PORT:-${TLS_LISTEN##*:}}
  [[ "$HTTPS_PORT" =~ ^[0-9]{1,5}$ ]] || die "HTTPS_PORT ($HTTPS_PORT) must be a port number"
  [[ "$HTTPS_PORT" == 443 ]] || HTTPS_PORT_SUFFIX=":$HTTPS_PORT"
  case "$PLAIN_HTTP" in
    redirect) MAIN_LISTEN="# plain HTTP (LISTEN) only redirects: see the server above" ;;
    serve) ;;
    *) die "PLAIN_HTTP ($PLAIN_HTTP) must be redirect or serve" ;;
  esac
else
  PLAIN_HTTP=serve  # no HTTPS to send anyone to
fi

REAL_IP="# no trusted proxies: \$remote_addr is the connection's peer"
if [[ -n "${TRUSTED_PROXIES:-}" ]]; then
  REAL_IP=""
  for proxy in ${TRUSTED_PROXIES//,/ }; do
    [[ "$proxy" =~ ^[0-9A-Fa-f:.]+(/[0-9]{1,3})?$ ]] || die "TRUSTED_PROXIES: $proxy is not an address or CIDR"
    REAL_IP+="set_real_ip_from $proxy; "
  done
  REAL_IP+="real_ip_header X-Forwarded-For; real_ip_recursive on;"
fi

# '|' is the sed delimiter and '&' and '\' mean something in a replacement: refuse them rather than escape.
for name in STACK_DIR PUBLIC_DIR LISTEN APP_UPSTREAM AUTH_UPSTREAM ACCESS_LOG ERROR_LOG NGINX_USER; do
  [[ "${!name}" != *['|&\']* && "${!name}" != *$'\n'* ]] \
    || die "$name (${!name}) contains |, &, \\ or a newline, which nginx.conf rendering does not support"
done

# The server lines of one upstream from a list of addresses (separated by spaces or commas), each
# with the extra parameters $2 (e.g. max_conns=34). A single address is written twice (so that an
# idempotent request whose worker died is retried on the same socket) unless $3 is "once".
server_lines() {
  local -a peers=(${1//,/ })
  local extra=${2:-} once=${3:-}
  ((${#peers[@]} > 0)) || die "an upstream list is empty"
  if ((${#peers[@]} == 1)); then
    printf 'server %s max_fails=0%s; ' "${peers[0]}" "${extra:+ $extra}"
    [[ "$once" == once ]] || printf 'server %s max_fails=0%s;' "${peers[0]}" "${extra:+ $extra}"
    return
  fi
  local peer
  for peer in "${peers[@]}"; do
    [[ "$peer" =~ ^(unix:/[^\;\{\}]+|[][0-9A-Za-z.:-]+)$ ]] || die "upstream peer '$peer' is not unix:/path or host:port"
    printf 'server %s max_fails=%s fail_timeout=%s%s; ' "$peer" "$UPSTREAM_MAX_FAILS" "$UPSTREAM_FAIL_TIMEOUT" "${extra:+ $extra}"
  done
}
UPSTREAM_MAX_FAILS=${UPSTREAM_MAX_FAILS:-1}
UPSTREAM_FAIL_TIMEOUT=${UPSTREAM_FAIL_TIMEOUT:-10s}
[[ "$UPSTREAM_MAX_FAILS" =~ ^[0-9]{1,3}$ ]] || die "UPSTREAM_MAX_FAILS ($UPSTREAM_MAX_FAILS) must be a number"
[[ "$UPSTREAM_FAIL_TIMEOUT" =~ ^[0-9]{1,4}(ms|s|m)?$ ]] || die "UPSTREAM_FAIL_TIMEOUT ($UPSTREAM_FAIL_TIMEOUT) must be a time such as 10s"
APP_SERVERS=$(server_lines "$APP_UPSTREAM")
# max_conns counts a request only from the moment nginx hands it to a worker host, which is after
# its whole body has arrived (request buffering): slow bodies never hold a hashing slot. POST and
# PATCH are never retried, so the auth pool's single address is written once, with all the slots.
AUTH_SERVERS=$(server_lines "$AUTH_UPSTREAM" "max_conns=$HASH_SLOTS" once)

# Addresses and networks only (digits, hex, '.', ':', '/'), or nginx's `unix:`: nothing else can
# reach the config.
allow_lines=""
for net in ${METRICS_ALLOW//,/ }; do
  [[ "$net" =~ ^[0-9A-Fa-f.:/]+$ || "$net" == unix: ]] || die "METRICS_ALLOW: '$net' is not an address, a CIDR network or unix:"
  allow_lines+="allow $net; "
done
[[ -n "$allow_lines" ]] || die "METRICS_ALLOW is empty"

mkdir -p "$NGINX_DIR"/tmp/{client_body,fastcgi,proxy,uwsgi,scgi} "$STACK_DIR/run"
for log in "$ACCESS_LOG" "$ERROR_LOG"; do
  if [[ "$log" == /* && "$log" != /dev/* ]]; then
    mkdir -p "$(dirname "$log")"
  fi
done

# render_file SOURCE TARGET: every @NAME@ placeholder filled in.
render_file() {
  sed -e "s|@STACK_DIR@|$STACK_DIR|g" \
    -e "s|@PUBLIC_DIR@|$PUBLIC_DIR|g" \
    -e "s|@LISTEN@|$LISTEN|g" \
    -e "s|@APP_SERVERS@|$APP_SERVERS|g" \
    -e "s|@AUTH_SERVERS@|$AUTH_SERVERS|g" \
    -e "s|@ACCESS_LOG@|$ACCESS_LOG|g" \
    -e "s|@ERROR_LOG@|$ERROR_LOG|g" \
    -e "s|@METRICS_ALLOW@|$allow_lines|g" \
    -e "s|@HASH_SLOTS@|$HASH_SLOTS|g" \
    -e "s|@HASH_PER_ADDRESS@|$HASH_PER_ADDRESS|g" \
    -e "s|@HASH_RATE@|$HASH_RATE|g" \
    -e "s|@HASH_BURST@|$HASH_BURST|g" \
    -e "s|@API_RATE@|$API_RATE|g" \
    -e "s|@API_BURST@|$API_BURST|g" \
    -e "s|@REAL_IP@|$REAL_IP|g" \
    -e "s|@TLS@|$TLS|g" \
    -e "s|@MAIN_LISTEN@|$MAIN_LISTEN|g" \
    -e "s|@HTTPS_PORT_SUFFIX@|$HTTPS_PORT_SUFFIX|g" \
    -e "$redirect_block" \
    "$1" >"$2"
}

# The plain-HTTP redirect server exists only when HTTPS is on and PLAIN_HTTP is redirect.
if [[ "$PLAIN_HTTP" == redirect ]]; then
  redirect_block='/@PLAIN_HTTP_REDIRECT_\(BEGIN\|END\)@/d'
else
  redirect_block='/@PLAIN_HTTP_REDIRECT_BEGIN@/,/@PLAIN_HTTP_REDIRECT_END@/d'
fi

tmp=$NGINX_DIR/nginx.conf.new
render_file "$HERE/nginx.conf.template" "$tmp"
render_file "$HERE/hashing.conf" "$NGINX_DIR/hashing.conf"
if ((EUID == 0)); then
  sed -i "s|@NGINX_USER@|$NGINX_USER|g" "$tmp"
  chown -R "$NGINX_USER": "$NGINX_DIR/tmp"
else
  # Unprivileged nginx cannot switch users: drop the directive.
  sed -i '/^user @NGINX_USER@;/d' "$tmp"
fi
if grep -n '^[^#]*@[A-Z][A-Z_]*@' "$tmp" "$NGINX_DIR/hashing.conf" >&2; then
  rm -f "$tmp"
  die "placeholders left unfilled in nginx.conf (lines above)"
fi
cp "$HERE/fastcgi_params.conf" "$HERE/security_headers.conf" "$NGINX_DIR/"
mv "$tmp" "$NGINX_DIR/nginx.conf"

if (($# > 0)); then
  exec "$@"
fi
