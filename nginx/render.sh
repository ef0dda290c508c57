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
#   separated by spaces or commas; none by default), TLS_LISTEN with TLS_CERT and TLS_KEY (an HTTPS listener
#   beside LISTEN; none by default), HASH_SLOTS (password-hashing requests in flight, 34), ACCESS_LOG ($STACK_DIR/log/access.log), ERROR_LOG ($STACK_DIR/log/nginx-error.log,
#   or stderr), NGINX_USER (www-data; the user directive is dropped when not run as root), METRICS_ALLOW
#   (127.0.0.1: the addresses or CIDR networks, separated by spaces or commas, that may GET /metrics).
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
HASH_SLOTS=${HASH_SLOTS:-34}
[[ "$HASH_SLOTS" =~ ^[1-9][0-9]{0,5}$ ]] || die "HASH_SLOTS ($HASH_SLOTS) must be a positive integer"

TLS="# no HTTPS listener (TLS_LISTEN unset)"
if [[ -n "${TLS_LISTEN:-}" ]]; then
  for name in TLS_CERT TLS_KEY; do
    [[ -n "${!name:-}" ]] || die "TLS_LISTEN needs $name"
    [[ "${!name}" != *['|&\ ']* ]] || die "$name (${!name}) contains |, &, \\ or a space"
  done
  [[ "$TLS_LISTEN" =~ ^[][0-9A-Za-z:.]+$ ]] || die "TLS_LISTEN ($TLS_LISTEN) must be a port or address:port"
  TLS="listen $TLS_LISTEN ssl http2 backlog=8192; ssl_certificate $TLS_CERT; ssl_certificate_key $TLS_KEY;"
  TLS+=" ssl_protocols TLSv1.2 TLSv1.3; ssl_prefer_server_ciphers off; ssl_session_cache shared:TLS:10m;"
  TLS+=" ssl_session_timeout 1d; ssl_session_tickets off;"
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

# The server lines of one upstream from a list of addresses (separated by spaces or commas).
server_lines() {
  local -a peers=(${1//,/ })
  ((${#peers[@]} > 0)) || die "an upstream list is empty"
  if ((${#peers[@]} == 1)); then
    printf 'server %s max_fails=0; server %s max_fails=0;' "${peers[0]}" "${peers[0]}"
    return
  fi
  local peer
  for peer in "${peers[@]}"; do
    [[ "$peer" =~ ^(unix:/[^\;\{\}]+|[][0-9A-Za-z.:-]+)$ ]] || die "upstream peer '$peer' is not unix:/path or host:port"
    printf 'server %s max_fails=%s fail_timeout=%s; ' "$peer" "$UPSTREAM_MAX_FAILS" "$UPSTREAM_FAIL_TIMEOUT"
  done
}
UPSTREAM_MAX_FAILS=${UPSTREAM_MAX_FAILS:-1}
UPSTREAM_FAIL_TIMEOUT=${UPSTREAM_FAIL_TIMEOUT:-10s}
[[ "$UPSTREAM_MAX_FAILS" =~ ^[0-9]{1,3}$ ]] || die "UPSTREAM_MAX_FAILS ($UPSTREAM_MAX_FAILS) must be a number"
[[ "$UPSTREAM_FAIL_TIMEOUT" =~ ^[0-9]{1,4}(ms|s|m)?$ ]] || die "UPSTREAM_FAIL_TIMEOUT ($UPSTREAM_FAIL_TIMEOUT) must be a time such as 10s"
APP_SERVERS=$(server_lines "$APP_UPSTREAM")
AUTH_SERVERS=$(server_lines "$AUTH_UPSTREAM")

# Addresses and networks only (digits, hex, '.', ':', '/'): nothing else can reach the config.
allow_lines=""
for net in ${METRICS_ALLOW//,/ }; do
  [[ "$net" =~ ^[0-9A-Fa-f.:/]+$ ]] || die "METRICS_ALLOW: '$net' is not an address or CIDR network"
  allow_lines+="allow $net; "
done
[[ -n "$allow_lines" ]] || die "METRICS_ALLOW is empty"

mkdir -p "$NGINX_DIR"/tmp/{client_body,fastcgi,proxy,uwsgi,scgi} "$STACK_DIR/run"
for log in "$ACCESS_LOG" "$ERROR_LOG"; do
  if [[ "$log" == /* && "$log" != /dev/* ]]; then
    mkdir -p "$(dirname "$log")"
  fi
done

tmp=$NGINX_DIR/nginx.conf.new
sed -e "s|@STACK_DIR@|$STACK_DIR|g" \
  -e "s|@PUBLIC_DIR@|$PUBLIC_DIR|g" \
  -e "s|@LISTEN@|$LISTEN|g" \
  -e "s|@APP_SERVERS@|$APP_SERVERS|g" \
  -e "s|@AUTH_SERVERS@|$AUTH_SERVERS|g" \
  -e "s|@ACCESS_LOG@|$ACCESS_LOG|g" \
  -e "s|@ERROR_LOG@|$ERROR_LOG|g" \
  -e "s|@METRICS_ALLOW@|$allow_lines|g" \
  -e "s|@HASH_SLOTS@|$HASH_SLOTS|g" \
  -e "s|@REAL_IP@|$REAL_IP|g" \
  -e "s|@TLS@|$TLS|g" \
  "$HERE/nginx.conf.template" >"$tmp"
if ((EUID == 0)); then
  sed -i "s|@NGINX_USER@|$NGINX_USER|g" "$tmp"
  chown -R "$NGINX_USER": "$NGINX_DIR/tmp"
else
  # Unprivileged nginx cannot switch users: drop the directive.
  sed -i '/^user @NGINX_USER@;/d' "$tmp"
fi
if grep -n '^[^#]*@[A-Z][A-Z_]*@' "$tmp" >&2; then
  rm -f "$tmp"
  die "placeholders left unfilled in nginx.conf (lines above)"
fi
cp "$HERE/fastcgi_params.conf" "$HERE/security_headers.conf" "$NGINX_DIR/"
mv "$tmp" "$NGINX_DIR/nginx.conf"

if (($# > 0)); then
  exec "$@"
fi
