#!/usr/bin/env bash
# A multi-host login platform on one machine, for the multi-host tests: every "host" is a Linux
# network namespace with its own address on one bridge, and all traffic stays inside them.
#
#   client 10.231.0.10  nginx on 127.0.0.1:8080 (the tests run here too), upstreams w1 and w2
#   w1, w2  .11, .12    the app pool on :9000 and the auth pool on :9001
#   pg1, pg2 .21, .22   PostgreSQL primary and synchronous streaming standby (:5432)
#   r1, r2  .31, .32    session Redis primary and replica (:6379); Sentinels on r1, r2, r3 (.33)
#   cproxy  .40         nutcracker (twemproxy) on :22121 with deploy/scaled/nutcracker.yml
#   c1, c2  .41, .42    cache Redis nodes (:6379)
#
# Usage: hosts.sh up | down | status
#        hosts.sh kill-host HOST        SIGKILL every process of HOST, then (once they are gone) take its link down
#        hosts.sh stop HOST SERVICE     stop one server (pg, redis, sentinel, cache, nutcracker, app, auth)
#        hosts.sh promote               promote the PostgreSQL standby (pg2)
#        hosts.sh test COMMAND...       check the prerequisites (exit 77 when one is missing), up,
#                                       run COMMAND in the client namespace with hosts.env exported, down
# Environment: MH_PREFIX (lpmh: namespace names), MH_NET (10.231.0: a private /24), MH_DIR
#   (var/multihost), LOGIN_BIN (build/fcgi-app/login-fcgi), APP_WORKERS (2), AUTH_WORKERS (1),
#   MH_TEST_TIMEOUT (200: seconds COMMAND may run).
# The pools run as deploy/pools/ describes them (priority, backlog, hashing queue), with fewer
# workers: two worker hosts share this machine's cores with every other host.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LIB_NAME=hosts
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

PREFIX=${MH_PREFIX:-lpmh}
NET=${MH_NET:-10.231.0}
MH_DIR=$(abspath "${MH_DIR:-$ROOT/var/multihost}")
LOGIN_BIN=$(abspath "${LOGIN_BIN:-$ROOT/build/fcgi-app/login-fcgi}")
APP_WORKERS=${APP_WORKERS:-2}
AUTH_WORKERS=${AUTH_WORKERS:-1}
KEY_PREFIX=login:
MH_TEST_TIMEOUT=${MH_TEST_TIMEOUT:-200}
# The workers' read-your-writes window. Longer than the default 2 s: on a loaded 2-core machine the
# test's read after a write can come later than 2 s, and then it no longer tests the window.
READ_YOUR_WRITES_SECONDS=5

declare -A ADDR=([client]=10 [w1]=11 [w2]=12 [pg1]=21 [pg2]=22 [r1]=31 [r2]=32 [r3]=33
                 [cproxy]=40 [c1]=41 [c2]=42)
HOSTS=(client w1 w2 pg1 pg2 r1 r2 r3 cproxy c1 c2)
BRIDGE_NS=$PREFIX-br

addr() { printf '%s.%s\n' "$NET" "${ADDR[$1]}"; }
ns() { printf '%s-%s\n' "$PREFIX" "$1"; }
on() { local host=$1; shift; ip netns exec "$(ns "$host")" "$@"; }
dir() { printf '%s/%s\n' "$MH_DIR" "$1"; }

PG_DATABASE_URL="postgresql://login_app@$(addr pg1):5432,$(addr pg2):5432/login?target_session_attrs=read-write&connect_timeout=2"
PG_READ_URL="postgresql://login_app@$(addr pg1):5432,$(addr pg2):5432/login?target_session_attrs=prefer-standby&connect_timeout=2"
SENTINELS="$(addr r1):26379,$(addr r2):26379,$(addr r3):26379"
SESSION_URL="sentinel://$SENTINELS/mymaster"
CACHE_URL="redis://$(addr cproxy):22121"

# Polls a command (in a host) every 0.1 s for up to $2 seconds.
wait_for() {
  local what=$1 seconds=$2 i
  shift 2
  for ((i = 0; i < seconds * 10; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  die "$what: not ready within ${seconds}s"
}

tcp_open() { on "$1" bash -c "exec 3<>/dev/tcp/$2/$3"; }

# ---------------------------------------------------------------- network

net_up() {
  ip netns add "$BRIDGE_NS"
  ip -n "$BRIDGE_NS" link add br0 type bridge
  ip -n "$BRIDGE_NS" link set br0 up
  local host
  for host in "${HOSTS[@]}"; do
    ip netns add "$(ns "$host")"
    ip -n "$BRIDGE_NS" link add "$host" type veth peer name eth0 netns "$(ns "$host")"
    ip -n "$BRIDGE_NS" link set "$host" master br0 up
    on "$host" ip link set lo up
    on "$host" ip addr add "$(addr "$host")/24" dev eth0
    on "$host" ip link set eth0 up
  done
}

# The live processes of a host (a SIGKILLed one stays a zombie until PID 1 reaps it).
live_pids() {
  local pid
  for pid in $(ip netns pids "$(ns "$1")" 2>/dev/null); do
    proc_alive "$pid" && echo "$pid"
  done
  return 0
}

# Every namespace of this prefix, bridge last.
our_namespaces() {
  ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^$PREFIX-" | grep -vx "$BRIDGE_NS" || true
  ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$BRIDGE_NS" && echo "$BRIDGE_NS"
  return 0
}

# ---------------------------------------------------------------- PostgreSQL

pg_conf() {
  local host=$1 data
  data=$(dir "$host")/pg
  cat >"$data/host.conf" <<EOF
# Written by test/multihost/hosts.sh.
listen_addresses = '$(addr "$host"),127.0.0.1'
port = 5432
unix_socket_directories = '$(dir "$host")/run'
cluster_name = '$host'
max_connections = 60
shared_buffers = 32MB
wal_level = replica
max_wal_senders = 4
hot_standby = on
synchronous_commit = on
EOF
  chown postgres: "$data/host.conf"
}

pg_ctl_on() { local host=$1; shift; on "$host" runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$(dir "$host")/pg" "$@"; }

pg_psql() { local host=$1; shift; on client psql -X -q -v ON_ERROR_STOP=1 -h "$(addr "$host")" -p 5432 -U postgres "$@"; }

pg_up() {
  local d1 d2
  d1=$(dir pg1) d2=$(dir pg2)
  mkdir -p "$d1/pg" "$d1/run" "$d1/log" "$d2/run" "$d2/log"
  chown postgres: "$d1/pg" "$d1/run" "$d1/log" "$d2/run" "$d2/log" "$d2"
  chmod 700 "$d1/pg"
  ensure_reachable postgres "$MH_DIR"
  as_pg "$PG_BIN/initdb" -D "$d1/pg" --username=postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync \
    >"$d1/log/initdb.log" 2>&1 || { tail_log "$d1/log/initdb.log"; die "initdb failed"; }
  echo "include_if_exists = 'host.conf'" >>"$d1/pg/postgresql.conf"
  printf 'host all all %s.0/24 trust\nhost replication all %s.0/24 trust\n' "$NET" "$NET" >>"$d1/pg/pg_hba.conf"
  pg_conf pg1
  pg_ctl_on pg1 -l "$d1/log/postgres.log" -w -t 30 start >/dev/null || { tail_log "$d1/log/postgres.log"; die "pg1 did not start"; }
  pg_psql pg1 -d postgres -c "CREATE DATABASE login"
  on client "$ROOT/scripts/migrate.sh" "postgresql://postgres@$(addr pg1):5432/login" >"$d1/log/migrate.log" 2>&1 \
    || { tail_log "$d1/log/migrate.log"; die "migrations failed"; }
  # The standby: a base backup that follows the primary (-R), synchronous once it has caught up.
  on pg2 runuser -u postgres -- "$PG_BIN/pg_basebackup" -h "$(addr pg1)" -p 5432 -U postgres -D "$d2/pg" \
    -R -X stream --checkpoint=fast --no-sync >"$d2/log/basebackup.log" 2>&1 || { tail_log "$d2/log/basebackup.log"; die "pg_basebackup failed"; }
  pg_conf pg2
  pg_ctl_on pg2 -l "$d2/log/postgres.log" -w -t 30 start >/dev/null || { tail_log "$d2/log/postgres.log"; die "pg2 did not start"; }
  # Only the primary names a synchronous standby: a promoted pg2 then commits on its own.
  pg_psql pg1 -d postgres -c "ALTER SYSTEM SET synchronous_standby_names = 'pg2'" -c "SELECT pg_reload_conf()" >/dev/null
  wait_for "pg2 as synchronous standby" 20 \
    test "$(pg_psql pg1 -d postgres -tA -c "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'pg2'")" = sync
  say "postgres: pg1 primary, pg2 synchronous standby"
}

# ---------------------------------------------------------------- Redis, Sentinel, nutcracker

# redis_up HOST NAME CONF [extra redis-server arguments]: one redis-server on HOST:6379 (NAME: pid and log files).
redis_up() {
  local host=$1 name=$2 conf=$3 d
  shift 3
  d=$(dir "$host")
  mkdir -p "$d/$name" "$d/run" "$d/log"
  # A copy: Sentinel rewrites the config file of the servers it reconfigures (CONFIG REWRITE).
  cp "$ROOT/redis/$conf" "$d/$name.conf"
  # protected-mode off: these servers have no password and must answer the other hosts of the private network.
  on "$host" redis-server "$d/$name.conf" --port 6379 --bind "$(addr "$host")" 127.0.0.1 --protected-mode no --daemonize yes \
    --dir "$d/$name" --pidfile "$d/run/$name.pid" --logfile "$d/log/$name.log" "$@"
  wait_for "redis on $host" 10 test "$(on "$host" redis-cli -p 6379 ping)" = PONG
}

sentinel_up() {
  local host=$1 d
  d=$(dir "$host")
  mkdir -p "$d/sentinel" "$d/run" "$d/log"
  cat >"$d/sentinel/sentinel.conf" <<EOF
port 26379
bind $(addr "$host") 127.0.0.1
protected-mode no
daemonize yes
dir $d/sentinel
pidfile $d/run/sentinel.pid
logfile $d/log/sentinel.log
sentinel monitor mymaster $(addr r1) 6379 2
sentinel down-after-milliseconds mymaster 1000
sentinel failover-timeout mymaster 5000
sentinel parallel-syncs mymaster 1
EOF
  on "$host" redis-server "$d/sentinel/sentinel.conf" --sentinel
}

sessions_up() {
  redis_up r1 redis sessions.conf
  redis_up r2 redis sessions.conf --replicaof "$(addr r1)" 6379
  wait_for "r2 replicating r1" 20 bash -c "ip netns exec '$(ns r2)' redis-cli info replication | grep -q 'master_link_status:up'"
  local host
  for host in r1 r2 r3; do sentinel_up "$host"; done
}

# The sentinels find each other and the replica through hello messages every 2 s: wait for that
# after the other servers have started.
sessions_ready() {
  wait_for "sentinel quorum" 20 bash -c "ip netns exec '$(ns r3)' redis-cli -p 26379 sentinel ckquorum mymaster | grep -q '^OK 3'"
  wait_for "sentinels see the replica" 20 bash -c \
    "ip netns exec '$(ns r3)' redis-cli -p 26379 sentinel replicas mymaster | grep -qx '$(addr r2)'"
  say "redis: r1 primary, r2 replica, sentinels on r1 r2 r3 (quorum 2)"
}

cache_up() {
  redis_up c1 cache cache.conf
  redis_up c2 cache cache.conf
  local d
  d=$(dir cproxy)
  mkdir -p "$d/run" "$d/log"
  # The scaled compose profile's own config (ketama, auto_eject_hosts), with these hosts' addresses.
  sed -e "s/^  listen: .*/  listen: $(addr cproxy):22121/" -e "s/- cache1:6379/- $(addr c1):6379/" \
    -e "s/- cache2:6379/- $(addr c2):6379/" "$ROOT/deploy/scaled/nutcracker.yml" >"$d/nutcracker.yml"
  grep -q "$(addr c2):6379" "$d/nutcracker.yml" || die "deploy/scaled/nutcracker.yml no longer lists cache1 and cache2"
  on cproxy nutcracker -t -c "$d/nutcracker.yml" >/dev/null 2>&1 || die "nutcracker rejects $d/nutcracker.yml"
  on cproxy nutcracker -d -c "$d/nutcracker.yml" -p "$d/run/nutcracker.pid" -o "$d/log/nutcracker.log" \
    -s 22222 -a 127.0.0.1
  wait_for "nutcracker" 10 test "$(on client redis-cli -h "$(addr cproxy)" -p 22121 get probe 2>&1)" = ""
  say "cache: nutcracker on $(addr cproxy):22121 over c1 and c2"
}

# ---------------------------------------------------------------- workers and nginx

# pool_up HOST POOL PORT WORKERS: the pool's description (deploy/pools/POOL.env) with WORKERS workers.
pool_up() {
  local host=$1 pool=$2 port=$3 workers=$4 d
  d=$(dir "$host")
  mkdir -p "$d/run" "$d/log"
  pool_env "$pool"
  on "$host" env "${POOL_ENV[@]}" LOGIN_WORKERS="$workers" LOGIN_SOCKET="0.0.0.0:$port" \
    LOGIN_DATABASE_URL="$PG_DATABASE_URL" LOGIN_DATABASE_READ_URL="$PG_READ_URL" \
    LOGIN_REDIS_URL="$SESSION_URL" LOGIN_SESSION_REDIS_URL="$SESSION_URL" LOGIN_CACHE_REDIS_URL="$CACHE_URL" \
    LOGIN_SESSION_WAIT_REPLICAS=1 LOGIN_SESSION_WAIT_TIMEOUT_MS=500 LOGIN_KEY_PREFIX="$KEY_PREFIX" LOGIN_SECRET_KEY=multihost-test-key-0123456789abcdefghij \
    LOGIN_READ_YOUR_WRITES_SECONDS="$READ_YOUR_WRITES_SECONDS" \
    setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$d/run/$pool.pid" "$LOGIN_BIN" serve \
    </dev/null >>"$d/log/$pool.log" 2>&1 &
  wait_for "$pool pool on $host" 10 tcp_open client "$(addr "$host")" "$port"
}

nginx_up() {
  local d
  d=$(dir client)
  mkdir -p "$d/log"
  # The test's one client sends every user's requests from 127.0.0.1: nginx's per-address API and
  # hashing rates are lifted here (the e2e tests attack them on the single-host stack).
  STACK_DIR="$d" PUBLIC_DIR="$ROOT/public" LISTEN=127.0.0.1:8080 \
    API_RATE=100000r/s API_BURST=100000 HASH_RATE=1000r/s HASH_BURST=1000 \
    APP_UPSTREAM="$(addr w1):9000 $(addr w2):9000" AUTH_UPSTREAM="$(addr w1):9001 $(addr w2):9001" \
    HASH_SLOTS="$(hash_slots "$AUTH_WORKERS")" "$ROOT/nginx/render.sh" >/dev/null
  ensure_reachable www-data "$ROOT/public"
  on client nginx -p "$d/nginx/" -c "$d/nginx/nginx.conf" -e "$d/log/nginx-error.log"
  wait_for "nginx" 10 test "$(on client curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/healthz)" = 200
  say "nginx: 127.0.0.1:8080 in $(ns client), upstreams w1 and w2"
}

# What the tests read (TEST_* as in make test, MH_* for this topology), quoted for the shell.
write_env() {
  cat >"$MH_DIR/hosts.env" <<EOF
TEST_BASE_URL='http://127.0.0.1:8080'
TEST_PG_ADMIN_URL='postgresql://postgres@$(addr pg1):5432,$(addr pg2):5432/postgres?target_session_attrs=read-write&connect_timeout=2'
TEST_REDIS_URL='$SESSION_URL'
TEST_CACHE_REDIS_URL='$CACHE_URL'
TEST_KEY_PREFIX='$KEY_PREFIX'
TEST_NGINX_ACCESS_LOG='$(dir client)/log/access.log'
MH_HOSTS_SH='$HERE/hosts.sh'
MH_DIR='$MH_DIR'
MH_PG_PRIMARY_URL='postgresql://postgres@$(addr pg1):5432/login?connect_timeout=2'
MH_PG_STANDBY_URL='postgresql://postgres@$(addr pg2):5432/login?connect_timeout=2'
MH_W1_APP='$(addr w1):9000'
MH_READ_YOUR_WRITES_SECONDS='$READ_YOUR_WRITES_SECONDS'
MH_SENTINEL_URL='redis://$(addr r3):26379'
MH_SESSION_PRIMARY='$(addr r1):6379'
MH_CACHE_NODE_URLS='redis://$(addr c1):6379 redis://$(addr c2):6379'
EOF
}

# ---------------------------------------------------------------- commands

cmd_up() {
  is_root || die "creating network namespaces needs root"
  [[ -x "$LOGIN_BIN" ]] || die "$LOGIN_BIN not found (run make build)"
  cmd_down >/dev/null
  rm -rf "$MH_DIR"
  mkdir -p "$MH_DIR"
  net_up
  say "network: ${#HOSTS[@]} namespaces $PREFIX-* on $NET.0/24 (bridge in $BRIDGE_NS)"
  sessions_up
  cache_up
  pg_up
  sessions_ready
  local host
  for host in w1 w2; do
    pool_up "$host" app 9000 "$APP_WORKERS"
    pool_up "$host" auth 9001 "$AUTH_WORKERS"
  done
  say "workers: app and auth pools on w1 and w2"
  nginx_up
  write_env
  say "hosts: up in $MH_DIR"
}

# Stops PostgreSQL cleanly when it runs (no shared memory left behind), then SIGKILLs whatever
# else runs in our namespaces and deletes them. Safe after a crash and when nothing is up.
cmd_down() {
  local n host pids
  for host in pg1 pg2; do
    if [[ -f "$(dir "$host")/pg/postmaster.pid" ]] && ip netns list | grep -qE "^$(ns "$host")( |$)"; then
      pg_ctl_on "$host" -m immediate -w -t 5 stop >/dev/null 2>&1 || true
    fi
  done
  for n in $(our_namespaces); do
    pids=$(ip netns pids "$n" 2>/dev/null || true)
    [[ -z "$pids" ]] || kill -KILL $pids 2>/dev/null || true
  done
  for n in $(our_namespaces); do
    ip netns del "$n" 2>/dev/null || warn "could not delete namespace $n"
  done
  say "hosts: down"
}

cmd_status() {
  local n down=0
  for n in "${HOSTS[@]}"; do
    if ip netns list | grep -qE "^$(ns "$n")( |$)"; then
      say "$n ($(addr "$n")): $(live_pids "$n" | wc -l) processes"
    else
      say "$n: no namespace"; down=1
    fi
  done
  return "$down"
}

cmd_kill_host() {
  local host=${1:?kill-host HOST} pids
  [[ -n "${ADDR[$host]:-}" && "$host" != client ]] || die "kill-host: unknown host $host"
  pids=$(live_pids "$host")
  [[ -z "$pids" ]] || kill -KILL $pids
  # Unplugged only once the processes are gone, so their connections were reset first: unplugged
  # before, a request in flight on the host waits for nginx's fastcgi_read_timeout (30 s).
  wait_for "the processes of $host to exit" 5 test -z "$(live_pids "$host")"
  sleep 0.2
  ip -n "$(ns "$host")" link set eth0 down
  say "$host: killed ($(wc -w <<<"$pids") processes) and unplugged"
}

cmd_stop() {
  local host=${1:?stop HOST SERVICE} service=${2:?stop HOST SERVICE} pidfile pid
  if [[ "$service" == pg ]]; then
    pg_ctl_on "$host" -m fast -w -t 10 stop >/dev/null
  else
    pidfile=$(dir "$host")/run/$service.pid
    pid_alive "$pidfile" || die "$service on $host is not running"
    pid=$(head -n1 "$pidfile")
    kill -TERM "$pid"
    wait_gone "$pid" "$service on $host" "$([[ "$service" == app || "$service" == auth ]] && echo group)"
  fi
  say "$host: $service stopped"
}

cmd_promote() {
  pg_ctl_on pg2 -w -t 20 promote >/dev/null
  say "pg2: promoted"
}

# Prints why this machine cannot run the topology, or nothing.
missing_prerequisite() {
  local cmd
  is_root || { echo "not running as root (network namespaces need it)"; return; }
  for cmd in ip nginx redis-server redis-cli nutcracker psql runuser curl "$PG_BIN/postgres" "$PG_BIN/pg_basebackup"; do
    command -v "$cmd" >/dev/null || { echo "$cmd is not installed (scripts/deps.sh installs it)"; return; }
  done
  id postgres >/dev/null 2>&1 || { echo "no postgres OS user"; return; }
  if ! ip netns add "$PREFIX-probe" 2>/dev/null; then
    echo "ip netns add fails here (no network namespace support)"; return
  fi
  if ! ip -n "$PREFIX-probe" link add probe0 type veth peer name probe1 2>/dev/null; then
    ip netns del "$PREFIX-probe"
    echo "veth pairs cannot be made here"; return
  fi
  ip netns del "$PREFIX-probe"
}

cmd_test() {
  (($# > 0)) || die "test: which command?"
  local why rc=0
  why=$(missing_prerequisite)
  if [[ -n "$why" ]]; then
    echo "multihost: SKIPPED, the multi-host tests cannot run here: $why"
    exit 77
  fi
  trap 'cmd_down >/dev/null 2>&1 || true' EXIT
  cmd_up
  set -a
  # shellcheck source=/dev/null
  source "$MH_DIR/hosts.env"
  set +a
  timeout --kill-after=5 "$MH_TEST_TIMEOUT" ip netns exec "$(ns client)" "$@" || rc=$?
  ((rc != 124)) || echo "multihost: the tests did not finish within ${MH_TEST_TIMEOUT}s" >&2
  if ((rc != 0)); then
    echo "multihost: logs are in $MH_DIR/*/log/" >&2
  fi
  exit "$rc"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  kill-host) cmd_kill_host "${2:-}" ;;
  stop) cmd_stop "${2:-}" "${3:-}" ;;
  promote) cmd_promote ;;
  test) shift; cmd_test "$@" ;;
  *) echo "usage: $0 up|down|status|kill-host HOST|stop HOST SERVICE|promote|test COMMAND..." >&2; exit 2 ;;
esac
