#!/usr/bin/env bash
# Starts, stops and reports the local stack (PostgreSQL, Redis, two FastCGI worker pools, nginx) in one directory.
#
# Usage: scripts/stack.sh start|stop|status
#        scripts/stack.sh start-part|stop-part|kill-part postgres|redis|cache-redis
#        scripts/stack.sh start-part|stop-part mailsink
#          (one server of a running stack, for the fault tests; kill-part sends SIGKILL to a Redis)
# Environment: STACK_DIR (var), HTTP_PORT (8080), PG_PORT (5433), REDIS_PORT (6380),
#              CACHE_REDIS_PORT (empty: the profile cache shares the session Redis; a port: a
#              separate cache Redis there), APP_WORKERS (2 per CPU core), AUTH_WORKERS (the auth
#              pool's LOGIN_WORKERS in deploy/pools/auth.env),
#              LOGIN_BIN (build/fcgi-app/login-fcgi), METRICS_ALLOW (127.0.0.1: who may GET /metrics),
#              LOGIN_SECRET_KEY(_FILE) (default: $STACK_DIR/secret.key, made on the first start),
#              LOGIN_PLAIN_HTTP (serve: plain HTTP keeps serving the app beside TLS_PORT, for
#              development and the tests; redirect: as in production),
#              TLS_PORT (none: an HTTPS listener with a self-signed certificate made in $STACK_DIR/tls/),
#              SMTP_PORT (HTTP_PORT + 5: the local mail sink, which stores every message in
#              $STACK_DIR/mail/, a Maildir; with TLS_PORT it offers STARTTLS and requires it),
#              LOGIN_HASH_QUEUE (auth.env's), LOGIN_TRUSTED_PROXIES, LOGIN_HASH_PER_ADDRESS,
#              LOGIN_HASH_RATE, LOGIN_HASH_BURST, LOGIN_API_RATE, LOGIN_API_BURST (nginx's limits:
#              see nginx/render.sh).
# Each pool gets the settings of its description, deploy/pools/app.env or auth.env; any other
# LOGIN_* variable set by the caller reaches the workers unchanged.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIB_NAME=stack
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

STACK_DIR=$(abspath "${STACK_DIR:-var}")
HTTP_PORT=${HTTP_PORT:-8080}
PG_PORT=${PG_PORT:-5433}
REDIS_PORT=${REDIS_PORT:-6380}
CACHE_REDIS_PORT=${CACHE_REDIS_PORT:-}
METRICS_ALLOW=${METRICS_ALLOW:-127.0.0.1}
# The pools run as deploy/pools/ describes them (priority, backlog, hashing queue), with two
# overrides of their worker counts: APP_WORKERS, by default sized to this machine (2 per CPU core,
# the rule app.env's count follows for a 4-core host), and AUTH_WORKERS.
APP_WORKERS=${APP_WORKERS:-$((2 * $(nproc)))}
AUTH_WORKERS=${AUTH_WORKERS:-$(pool_setting auth LOGIN_WORKERS)}
HASH_SLOTS=$(hash_slots "$AUTH_WORKERS")
TLS_PORT=${TLS_PORT:-}
LOGIN_BIN=$(abspath "${LOGIN_BIN:-$ROOT/build/fcgi-app/login-fcgi}")
LOGIN_KEY_PREFIX=${LOGIN_KEY_PREFIX:-login:}
SMTP_PORT=${SMTP_PORT:-$((HTTP_PORT + 5))}
MAIL_DIR=$STACK_DIR/mail
# Debian's python3 (python3-aiosmtpd), whatever python3 comes first on PATH.
SYSTEM_PYTHON=${SYSTEM_PYTHON:-/usr/bin/python3}

PUBLIC_DIR=$ROOT/public
RUN_DIR=$STACK_DIR/run
# The FastCGI sockets: 0660 in a 0750 directory, both of nginx's group when run as root, so that
# no other local user can talk to the workers (which trust what nginx tells them).
FCGI_DIR=$RUN_DIR/fcgi
LOG_DIR=$STACK_DIR/log
PG_DATA=$STACK_DIR/pg
PG_SOCKET_DIR=$RUN_DIR/pg
NGINX_DIR=$STACK_DIR/nginx
NGINX_USER=www-data

# psql as the superuser over TCP (trust auth on 127.0.0.1 only); PG_PORT may change below (stack.env).
psql_admin() {
  env PGOPTIONS='-c client_min_messages=warning' psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 "$@"
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

require_free_port() {
  local port=$1 what=$2
  if port_in_use "$port"; then
    die "$what: port $port is already taken by another process (not this stack's); stop it or choose another port"
  fi
}


# ---------------------------------------------------------------- PostgreSQL

pg_running() {
  [[ -f "$PG_DATA/PG_VERSION" ]] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

pg_write_conf() {
  local preload=""
  if [[ -f "$($PG_BIN/pg_config --pkglibdir)/pg_stat_statements.so" ]]; then
    preload="shared_preload_libraries = 'pg_stat_statements'"
  else
    warn "pg_stat_statements is not installed; starting without it"
  fi
  # Written on every start so that a changed port or directory takes effect.
  cat >"$PG_DATA/stack.conf" <<EOF
# Written by scripts/stack.sh on every start; edit the script, not this file.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCKET_DIR'
max_connections = 200
shared_buffers = 256MB
fsync = on
$preload
logging_collector = off
log_line_prefix = '%m [%p] %q%u@%d '
log_min_duration_statement = 500
EOF
}

pg_start() {
  mkdir -p "$PG_SOCKET_DIR" "$LOG_DIR"
  touch "$LOG_DIR/postgres.log"
  if is_root; then
    id postgres >/dev/null 2>&1 || die "the postgres OS user is missing (run scripts/deps.sh)"
    ensure_reachable postgres "$STACK_DIR"
    mkdir -p "$PG_DATA"
    chown postgres: "$PG_DATA" "$PG_SOCKET_DIR" "$LOG_DIR/postgres.log"
  fi
  if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
    mkdir -p "$PG_DATA"
    is_root && chown postgres: "$PG_DATA"
    chmod 700 "$PG_DATA"
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" --username=postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
      >"$LOG_DIR/initdb.log" 2>&1 || { tail_log "$LOG_DIR/initdb.log"; die "initdb failed"; }
    echo "include_if_exists = 'stack.conf'" >>"$PG_DATA/postgresql.conf"
    say "postgres: initialised $PG_DATA"
  fi
  if pg_running; then
    say "postgres: already running on 127.0.0.1:$PG_PORT"
  else
    require_free_port "$PG_PORT" postgres
    pg_write_conf
    is_root && chown postgres: "$PG_DATA/stack.conf"
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$LOG_DIR/postgres.log" -w -t 30 start >/dev/null \
      || { tail_log "$LOG_DIR/postgres.log"; die "postgres did not start"; }
    say "postgres: started on 127.0.0.1:$PG_PORT"
  fi
  pg_setup
}

# Creates the database, then scripts/migrate.sh applies new migrations and the roles.
pg_setup() {
  local exists
  exists=$(psql_admin -d postgres -tA -c "SELECT 1 FROM pg_database WHERE datname = 'login'")
  if [[ "$exists" != 1 ]]; then
    psql_admin -d postgres -c "CREATE DATABASE login"
    say "postgres: created database login"
  fi
  if [[ -f "$($PG_BIN/pg_config --sharedir)/extension/pg_stat_statements.control" ]] \
    && grep -q pg_stat_statements "$PG_DATA/stack.conf" 2>/dev/null; then
    psql_admin -d login -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" 2>/dev/null \
      || warn "could not create extension pg_stat_statements"
  fi
  # MIGRATE: another migrate script (the upgrade test starts a stack at an older release's schema).
  "${MIGRATE:-$ROOT/scripts/migrate.sh}" "postgresql://postgres@127.0.0.1:$PG_PORT/login" || die "migrations failed"
}

pg_stop() {
  if pg_running; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t "$STOP_TIMEOUT" stop >/dev/null \
      || { warn "postgres fast stop failed, trying immediate"; as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null || true; }
    say "postgres: stopped"
  else
    say "postgres: not running"
  fi
}

# ---------------------------------------------------------------- Redis

# redis_start NAME PORT CONF: one redis-server with the settings of redis/CONF (the session store:
# noeviction and an append-only file fsynced every second, so sessions survive a restart; the cache:
# LRU with a memory cap, nothing on disk). The workers talk to it over a unix socket (cheaper than
# loopback TCP); tools and tests use the TCP port.
redis_start() {
  local name=$1 port=$2 conf=$3 pidfile=$RUN_DIR/$1.pid i
  mkdir -p "$STACK_DIR/$name" "$RUN_DIR" "$LOG_DIR"
  if pid_alive "$pidfile"; then
    say "$name: already running on 127.0.0.1:$port"
    return 0
  fi
  rm -f "$pidfile"
  require_free_port "$port" "$name"
  # REDIS_START_ARGS: extra settings for this start only (scripts/restore.sh: --appendonly no).
  # shellcheck disable=SC2086
  redis-server "$ROOT/redis/$conf" --port "$port" --bind 127.0.0.1 --daemonize yes \
    --unixsocket "$RUN_DIR/$name.sock" --unixsocketperm 700 \
    --dir "$STACK_DIR/$name" --pidfile "$pidfile" --logfile "$LOG_DIR/$name.log" ${REDIS_START_ARGS:-}
  for ((i = 0; i < 100; i++)); do
    [[ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" == PONG ]] && break
    sleep 0.1
  done
  ((i < 100)) || { tail_log "$LOG_DIR/$name.log"; die "$name did not answer on port $port"; }
  say "$name: started on 127.0.0.1:$port"
}

# STORE_ENV: the stores every login-fcgi process of the stack reads (the pools and the mailer), as
# NAME=value words for env; a URL already in the environment wins.
store_env() {
  STORE_ENV=(
    LOGIN_DATABASE_URL="postgresql://login_app@127.0.0.1:$PG_PORT/login"
    LOGIN_REDIS_URL="${LOGIN_REDIS_URL:-$(redis_url_for_workers redis)}"
    LOGIN_SESSION_REDIS_URL="${LOGIN_SESSION_REDIS_URL:-$(redis_url_for_workers redis)}"
    LOGIN_CACHE_REDIS_URL="${LOGIN_CACHE_REDIS_URL:-$(redis_url_for_workers "$(cache_redis_name)")}"
    LOGIN_KEY_PREFIX="$LOGIN_KEY_PREFIX"
  )
}

redis_url_for_workers() {
  printf 'unix://%s\n' "$RUN_DIR/$1.sock"
}

# redis_stop NAME [KILL]: SIGTERM (Redis writes its append-only file and exits) or SIGKILL (a crash).
redis_stop() {
  local name=$1 signal=${2:-TERM} pidfile=$RUN_DIR/$1.pid
  if pid_alive "$pidfile"; then
    local pid
    pid=$(head -n1 "$pidfile")
    kill "-$signal" "$pid"
    wait_gone "$pid" "$name"
    rm -f "$pidfile" "$RUN_DIR/$name.sock"
    say "$name: stopped ($signal)"
  else
    say "$name: not running"
  fi
}

# ---------------------------------------------------------------- worker pools

# raise_somaxconn BACKLOG: lets a listen backlog of BACKLOG through the kernel's cap.
raise_somaxconn() {
  local backlog=$1 current
  current=$(cat /proc/sys/net/core/somaxconn 2>/dev/null || echo 0)
  ((current >= backlog)) && return 0
  if is_root; then
    sysctl -q -w net.core.somaxconn="$backlog" >/dev/null 2>&1 \
      || warn "could not raise net.core.somaxconn to $backlog (now $current); listen backlogs are capped at $current"
  else
    warn "net.core.somaxconn is $current; run as root to raise it to $backlog"
  fi
}

# The server key the workers sign CSRF tokens and known-device cookies with: the caller's
# LOGIN_SECRET_KEY(_FILE) when given, else one made for this stack on its first start
# ($STACK_DIR/secret.key, mode 0600) and kept across restarts, so that forms and known devices
# survive them. Development and tests only: production provisions its own (see README).
secret_key_env() {
  if [[ -n "${LOGIN_SECRET_KEY:-}" || -n "${LOGIN_SECRET_KEY_FILE:-}" ]]; then
    return 0
  fi
  local file=$STACK_DIR/secret.key
  if [[ ! -s "$file" ]]; then
    (umask 077 && head -c 48 /dev/urandom | base64 -w0 >"$file.new" && mv "$file.new" "$file")
    say "secret key: made $file"
  fi
  chmod 600 "$file"
  export LOGIN_SECRET_KEY_FILE=$file
}

# The Redis that holds the profile cache: its own when the stack has one.
cache_redis_name() {
  if [[ -n "$CACHE_REDIS_PORT" ]]; then echo cache-redis; else echo redis; fi
}

fcgi_dir_setup() {
  mkdir -p "$FCGI_DIR"
  chmod 750 "$FCGI_DIR"
  if is_root; then
    chgrp "$NGINX_USER" "$FCGI_DIR"
  fi
}

# The group the workers give their sockets: nginx's when we can, else our own.
socket_group() {
  if is_root; then echo "$NGINX_USER"; fi
}

# pool_start POOL WORKERS: starts one pool's supervisor ("$LOGIN_BIN" serve) in its own session,
# with the settings of its description (deploy/pools/POOL.env: the auth pool's lower CPU priority,
# the listen backlog) and WORKERS workers; replaces a running one.
pool_start() {
  local pool=$1 workers=$2
  local socket=$FCGI_DIR/$pool.sock pidfile=$RUN_DIR/$pool.pid log=$LOG_DIR/$pool.log i pid
  [[ -x "$LOGIN_BIN" ]] || die "$LOGIN_BIN not found or not executable (run make build)"
  raise_somaxconn "$(pool_setting "$pool" LOGIN_BACKLOG)"
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  chmod 755 "$RUN_DIR"
  fcgi_dir_setup
  pool_stop "$pool" quiet
  rm -f "$socket"
  {
    printf '=== %s starting %s serve (pool %s, %s workers)\n' "$(date -Is)" "$LOGIN_BIN" "$pool" "$workers"
  } >>"$log"
  # bash -c writes its own pid, then execs: the pid file names the supervisor even if setsid had to fork.
  store_env
  pool_env "$pool"
  env "${POOL_ENV[@]}" \
    LOGIN_WORKERS="$workers" \
    LOGIN_SOCKET="$socket" \
    LOGIN_SOCKET_GROUP="$(socket_group)" \
    "${STORE_ENV[@]}" \
    setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$pidfile" "$LOGIN_BIN" serve \
    </dev/null >>"$log" 2>&1 &
  # Up to 30 s: on a loaded machine even writing the pid file can take a moment, so an empty
  # pid file means "still starting", not "exited".
  for ((i = 0; i < 300; i++)); do
    [[ -S "$socket" ]] && break
    if ((i > 2)) && [[ -s "$pidfile" ]] && ! pid_alive "$pidfile"; then
      tail_log "$log"
      die "$pool supervisor exited before creating $socket"
    fi
    sleep 0.1
  done
  if [[ ! -S "$socket" ]]; then
    tail_log "$log"
    pool_stop "$pool" quiet
    die "$pool supervisor did not create $socket within 30s"
  fi
  pid=$(head -n1 "$pidfile")
  say "$pool: started $workers workers on $socket (supervisor pid $pid)"
}

# SIGTERM to the supervisor lets it drain its workers; workers orphaned by a crashed supervisor are
# still found through the process group the supervisor led.
pool_stop() {
  local pool=$1 quiet=${2:-} pidfile=$RUN_DIR/$1.pid pid=""
  [[ -s "$pidfile" ]] && pid=$(head -n1 "$pidfile")
  if [[ "$pid" =~ ^[0-9]+$ ]] && { proc_alive "$pid" || group_alive "$pid"; }; then
    if proc_alive "$pid"; then
      kill -TERM "$pid" 2>/dev/null || true
    else
      kill -TERM -- "-$pid" 2>/dev/null || true
    fi
    wait_gone "$pid" "$pool supervisor" group
    rm -f "$pidfile" "$FCGI_DIR/$pool.sock"
    say "$pool: stopped"
  else
    rm -f "$pidfile"
    [[ -n "$quiet" ]] || say "$pool: not running"
  fi
}

# ---------------------------------------------------------------- mail

# The development mail sink: Debian's aiosmtpd, storing each message as a file in $MAIL_DIR (a
# Maildir: new/ holds the unread ones). With TLS_PORT (the test stack) it offers STARTTLS with the
# stack's certificate and refuses mail before it, so the mailer's STARTTLS is exercised for real.
mailsink_start() {
  local pidfile=$RUN_DIR/mailsink.pid log=$LOG_DIR/mailsink.log i tls=()
  if pid_alive "$pidfile"; then
    say "mailsink: already running on 127.0.0.1:$SMTP_PORT"
    return 0
  fi
  "$SYSTEM_PYTHON" -c 'import aiosmtpd' 2>/dev/null || die "python3-aiosmtpd is missing (make deps)"
  require_free_port "$SMTP_PORT" mailsink
  # The Maildir folders themselves: aiosmtpd creates them only when $MAIL_DIR is missing.
  mkdir -p "$MAIL_DIR"/{new,cur,tmp} "$RUN_DIR" "$LOG_DIR"
  if [[ -n "$TLS_PORT" ]]; then
    tls_certificate
    tls=(--tlscert "$STACK_DIR/tls/cert.pem" --tlskey "$STACK_DIR/tls/key.pem")
  fi
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$pidfile" \
    "$SYSTEM_PYTHON" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" "${tls[@]}" \
    -c aiosmtpd.handlers.Mailbox "$MAIL_DIR" </dev/null >>"$log" 2>&1 &
  for ((i = 0; i < 100; i++)); do
    port_in_use "$SMTP_PORT" && break
    sleep 0.1
  done
  port_in_use "$SMTP_PORT" || { tail_log "$log"; die "mailsink did not listen on 127.0.0.1:$SMTP_PORT"; }
  say "mailsink: started on 127.0.0.1:$SMTP_PORT, messages in $MAIL_DIR/new/${tls:+ (STARTTLS required)}"
}

mailsink_stop() {
  local pidfile=$RUN_DIR/mailsink.pid pid
  if pid_alive "$pidfile"; then
    pid=$(head -n1 "$pidfile")
    kill -TERM "$pid" 2>/dev/null || true
    wait_gone "$pid" mailsink
    say "mailsink: stopped"
  fi
  rm -f "$pidfile"
}

# The mailer ("$LOGIN_BIN" mailer: a supervisor and one sending process), pointed at the sink.
mailer_start() {
  local pidfile=$RUN_DIR/mailer.pid log=$LOG_DIR/mailer.log tls=()
  mailer_stop quiet
  if [[ -n "$TLS_PORT" ]]; then
    tls=(LOGIN_SMTP_STARTTLS=on LOGIN_SMTP_CA_FILE="$STACK_DIR/tls/cert.pem")
  fi
  printf '=== %s starting %s mailer\n' "$(date -Is)" "$LOGIN_BIN" >>"$log"
  store_env
  env "${tls[@]}" \
    LOGIN_SMTP_URL="${LOGIN_SMTP_URL:-smtp://127.0.0.1:$SMTP_PORT}" \
    LOGIN_PUBLIC_URL="${LOGIN_PUBLIC_URL:-http://127.0.0.1:$HTTP_PORT}" \
    "${STORE_ENV[@]}" \
    setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$pidfile" "$LOGIN_BIN" mailer \
    </dev/null >>"$log" 2>&1 &
  sleep 0.3
  if [[ -s "$pidfile" ]] && ! pid_alive "$pidfile"; then
    tail_log "$log"
    die "mailer exited at start"
  fi
  say "mailer: started (supervisor pid $(head -n1 "$pidfile" 2>/dev/null || echo '?')), log $log"
}

mailer_stop() {
  local quiet=${1:-} pidfile=$RUN_DIR/mailer.pid pid=""
  [[ -s "$pidfile" ]] && pid=$(head -n1 "$pidfile")
  if [[ "$pid" =~ ^[0-9]+$ ]] && { proc_alive "$pid" || group_alive "$pid"; }; then
    if proc_alive "$pid"; then kill -TERM "$pid" 2>/dev/null || true; else kill -TERM -- "-$pid" 2>/dev/null || true; fi
    wait_gone "$pid" "mailer supervisor" group
    say "mailer: stopped"
  else
    [[ -n "$quiet" ]] || say "mailer: not running"
  fi
  rm -f "$pidfile"
}

# ---------------------------------------------------------------- nginx

nginx_cmd() {
  nginx -p "$NGINX_DIR/" -c "$NGINX_DIR/nginx.conf" -e "$LOG_DIR/nginx-error.log" "$@"
}

# A self-signed certificate for 127.0.0.1 and localhost, for local HTTPS only (made once per stack).
tls_certificate() {
  local dir=$STACK_DIR/tls
  [[ -s "$dir/cert.pem" && -s "$dir/key.pem" ]] && return 0
  mkdir -p "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
    -subj "/CN=localhost" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1 || die "openssl could not make $dir/cert.pem"
  chmod 600 "$dir/key.pem"
}

# nginx/render.sh writes $NGINX_DIR/nginx.conf (the same template the nginx container renders).
nginx_render() {
  mkdir -p "$LOG_DIR" "$RUN_DIR"
  local tls=()
  if [[ -n "$TLS_PORT" ]]; then
    tls_certificate
    tls=(TLS_LISTEN="127.0.0.1:$TLS_PORT" TLS_CERT="$STACK_DIR/tls/cert.pem" TLS_KEY="$STACK_DIR/tls/key.pem")
  fi
  env "${tls[@]}" STACK_DIR="$STACK_DIR" \
    PUBLIC_DIR="$PUBLIC_DIR" \
    LISTEN="127.0.0.1:$HTTP_PORT" \
    APP_UPSTREAM="unix:$FCGI_DIR/app.sock" \
    AUTH_UPSTREAM="unix:$FCGI_DIR/auth.sock" \
    ACCESS_LOG="$LOG_DIR/access.log" \
    ERROR_LOG="$LOG_DIR/nginx-error.log" \
    NGINX_USER="$NGINX_USER" \
    METRICS_ALLOW="$METRICS_ALLOW" \
    TRUSTED_PROXIES="${LOGIN_TRUSTED_PROXIES:-}" \
    PLAIN_HTTP="${LOGIN_PLAIN_HTTP:-serve}" \
    HASH_SLOTS="$HASH_SLOTS" \
    HASH_PER_ADDRESS="${LOGIN_HASH_PER_ADDRESS:-}" HASH_RATE="${LOGIN_HASH_RATE:-}" HASH_BURST="${LOGIN_HASH_BURST:-}" \
    API_RATE="${LOGIN_API_RATE:-}" API_BURST="${LOGIN_API_BURST:-}" \
    "$ROOT/nginx/render.sh" || die "could not render $NGINX_DIR/nginx.conf"
  if is_root; then
    ensure_reachable "$NGINX_USER" "$PUBLIC_DIR"
    ensure_reachable "$NGINX_USER" "$RUN_DIR"
  fi
}

nginx_start() {
  local i code
  nginx_render
  nginx_cmd -q -t || die "nginx configuration test failed ($NGINX_DIR/nginx.conf)"
  if pid_alive "$RUN_DIR/nginx.pid"; then
    nginx_cmd -s reload
    say "nginx: reloaded on http://127.0.0.1:$HTTP_PORT/"
    sleep 0.2
  else
    require_free_port "$HTTP_PORT" nginx
    nginx_cmd || { tail_log "$LOG_DIR/nginx-error.log"; die "nginx did not start"; }
    say "nginx: started on http://127.0.0.1:$HTTP_PORT/"
  fi
  for ((i = 0; i < 50; i++)); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$HTTP_PORT/login" || true)
    [[ "$code" == 200 ]] && return 0
    sleep 0.1
  done
  tail_log "$LOG_DIR/nginx-error.log"
  die "nginx does not answer GET /login with 200 (got $code)"
}

nginx_stop() {
  local pidfile=$RUN_DIR/nginx.pid pid
  if pid_alive "$pidfile"; then
    pid=$(head -n1 "$pidfile")
    # SIGTERM is nginx's fast shutdown: no waiting for idle keep-alive connections.
    kill -TERM "$pid"
    wait_gone "$pid" nginx
    say "nginx: stopped"
  else
    say "nginx: not running"
  fi
}

# ---------------------------------------------------------------- commands

cmd_start() {
  mkdir -p "$STACK_DIR" "$RUN_DIR" "$LOG_DIR"
  chmod 755 "$STACK_DIR"
  # Remembered for status, for make test (what its tests read) and for the people reading this
  # directory later.
  printf 'HTTP_PORT=%s\nPG_PORT=%s\nREDIS_PORT=%s\nCACHE_REDIS_PORT=%s\nAPP_WORKERS=%s\nAUTH_WORKERS=%s\nLOGIN_BIN=%s\nSMTP_PORT=%s\nTLS_PORT=%s\nHASH_SLOTS=%s\n' \
    "$HTTP_PORT" "$PG_PORT" "$REDIS_PORT" "$CACHE_REDIS_PORT" "$APP_WORKERS" "$AUTH_WORKERS" "$LOGIN_BIN" "$SMTP_PORT" "$TLS_PORT" "$HASH_SLOTS" \
    >"$STACK_DIR/stack.env"
  pg_start
  redis_start redis "$REDIS_PORT" sessions.conf
  [[ -z "$CACHE_REDIS_PORT" ]] || redis_start cache-redis "$CACHE_REDIS_PORT" cache.conf
  secret_key_env
  pool_start app "$APP_WORKERS"
  pool_start auth "$AUTH_WORKERS"
  mailsink_start
  mailer_start
  nginx_start
  say "stack: up in $STACK_DIR"
}

cmd_stop() {
  if [[ ! -d "$STACK_DIR" ]]; then
    say "stack: nothing in $STACK_DIR"
    return 0
  fi
  nginx_stop
  pool_stop app
  pool_stop auth
  mailer_stop
  mailsink_stop
  redis_stop redis
  redis_stop cache-redis
  pg_stop
}

cmd_status() {
  local down=0 pid
  if [[ -f "$STACK_DIR/stack.env" ]]; then
    HTTP_PORT=$(sed -n 's/^HTTP_PORT=//p' "$STACK_DIR/stack.env")
    PG_PORT=$(sed -n 's/^PG_PORT=//p' "$STACK_DIR/stack.env")
    REDIS_PORT=$(sed -n 's/^REDIS_PORT=//p' "$STACK_DIR/stack.env")
    CACHE_REDIS_PORT=$(sed -n 's/^CACHE_REDIS_PORT=//p' "$STACK_DIR/stack.env")
  fi
  if pg_running; then say "postgres: up on 127.0.0.1:$PG_PORT"; else say "postgres: down"; down=1; fi
  if pid_alive "$RUN_DIR/redis.pid"; then say "redis: up on 127.0.0.1:$REDIS_PORT (pid $(head -n1 "$RUN_DIR/redis.pid"))"; else say "redis: down"; down=1; fi
  if [[ -n "$CACHE_REDIS_PORT" ]]; then
    if pid_alive "$RUN_DIR/cache-redis.pid"; then say "cache-redis: up on 127.0.0.1:$CACHE_REDIS_PORT"; else say "cache-redis: down"; down=1; fi
  fi
  for pool in app auth; do
    if pid_alive "$RUN_DIR/$pool.pid"; then
      pid=$(head -n1 "$RUN_DIR/$pool.pid")
      say "$pool: up, supervisor pid $pid, $(pgrep -c -P "$pid" || true) workers, socket $FCGI_DIR/$pool.sock"
    else
      say "$pool: down"
      down=1
    fi
  done
  if pid_alive "$RUN_DIR/mailer.pid"; then say "mailer: up, supervisor pid $(head -n1 "$RUN_DIR/mailer.pid")"; else say "mailer: down"; down=1; fi
  if pid_alive "$RUN_DIR/mailsink.pid"; then say "mailsink: up, messages in $MAIL_DIR/new/"; else say "mailsink: down"; down=1; fi
  if pid_alive "$RUN_DIR/nginx.pid"; then say "nginx: up on http://127.0.0.1:$HTTP_PORT/ (pid $(head -n1 "$RUN_DIR/nginx.pid"))"; else say "nginx: down"; down=1; fi
  return "$down"
}

# One server of a running stack (its ports come from stack.env), for the fault tests: they stop and
# start only the servers of the stack they test, never anything found by name.
cmd_part() {
  local action=$1 part=${2:-}
  [[ -f "$STACK_DIR/stack.env" ]] || die "no stack in $STACK_DIR"
  PG_PORT=$(sed -n 's/^PG_PORT=//p' "$STACK_DIR/stack.env")
  REDIS_PORT=$(sed -n 's/^REDIS_PORT=//p' "$STACK_DIR/stack.env")
  CACHE_REDIS_PORT=$(sed -n 's/^CACHE_REDIS_PORT=//p' "$STACK_DIR/stack.env")
  SMTP_PORT=$(sed -n 's/^SMTP_PORT=//p' "$STACK_DIR/stack.env")
  TLS_PORT=$(sed -n 's/^TLS_PORT=//p' "$STACK_DIR/stack.env")
  case "$action:$part" in
    start:mailsink) mailsink_start ;;
    stop:mailsink) mailsink_stop ;;
    start:postgres) pg_start ;;
    stop:postgres) pg_stop ;;
    start:redis) redis_start redis "$REDIS_PORT" sessions.conf ;;
    stop:redis) redis_stop redis ;;
    kill:redis) redis_stop redis KILL ;;
    start:cache-redis) [[ -n "$CACHE_REDIS_PORT" ]] || die "this stack has no separate cache Redis"
      redis_start cache-redis "$CACHE_REDIS_PORT" cache.conf ;;
    stop:cache-redis) redis_stop cache-redis ;;
    kill:cache-redis) redis_stop cache-redis KILL ;;
    *) die "usage: $0 start-part|stop-part|kill-part postgres|redis|cache-redis|mailsink" ;;
  esac
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  start-part | stop-part | kill-part) cmd_part "${1%-part}" "${2:-}" ;;
  *)
    echo "usage: $0 start|stop|status|start-part|stop-part|kill-part" >&2
    exit 2
    ;;
esac
