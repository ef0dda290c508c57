#!/usr/bin/env bash
# The scale proof: wrk scenarios against the running `make run` stack, after `make seed-bulk`.
# Prints each scenario's figures and a closing table; writes bench/results/<timestamp>.json and latest.json.
#
# Usage: bench/run.sh   (or: make bench). See docs/PERFORMANCE.md for what each scenario measures.
# Environment: STACK_DIR (var), HTTP_PORT (8080), PG_PORT (5433), REDIS_PORT (6380), LOGIN_BIN,
#   LOGIN_KEY_PREFIX (login:), BENCH_DURATION (12 s per measured run), BENCH_WARMUP (3 s),
#   BENCH_CONNECTIONS (64), BENCH_MANY (5000), BENCH_LOGIN_CONNECTIONS (32), BENCH_SESSIONS (10000),
#   BENCH_THREADS (2), BENCH_TIMEOUT (10s), BENCH_WARM_IDS (5000), BENCH_API_PER_MINUTE (10000000: the
#   per-client API rate limit of the restarted pools).
# It restarts the stack's worker pools twice (LOGIN_PROFILE_CACHE=off, then back), creates BENCH_SESSIONS
# sessions straight in Redis and deletes them again at the end.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export BENCH_DIR=$ROOT/bench

STACK_DIR=${STACK_DIR:-var}
HTTP_PORT=${HTTP_PORT:-8080}
PG_PORT=${PG_PORT:-5433}
REDIS_PORT=${REDIS_PORT:-6380}
LOGIN_BIN=${LOGIN_BIN:-$ROOT/build/fcgi-app/login-fcgi}
PREFIX=${LOGIN_KEY_PREFIX:-login:}
DURATION=${BENCH_DURATION:-12}
WARMUP=${BENCH_WARMUP:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
MANY=${BENCH_MANY:-5000}
LOGIN_CONNECTIONS=${BENCH_LOGIN_CONNECTIONS:-32}
SESSIONS=${BENCH_SESSIONS:-10000}
export BENCH_THREADS=${BENCH_THREADS:-2}
TIMEOUT=${BENCH_TIMEOUT:-10s}
WARM_IDS=${BENCH_WARM_IDS:-5000}
SAMPLE=200000
BULK_PASSWORD=bulk-pass-123
export BENCH_TOKEN=dev-reporting-token-0123456789abcdef
MIN_BULK=10000

# The one bench client would hit its own per-client API limit (6,000 a minute) within a second: the
# pools the bench restarts run with this instead (the counter itself still costs its round trip).
export LOGIN_RATE_API_PER_MINUTE=${BENCH_API_PER_MINUTE:-10000000}
# Likewise nginx's per-address limits (every bench connection comes from 127.0.0.1): the restarted
# stack renders nginx with these, and the hashing slots (max_conns) stay as they are.
export LOGIN_API_RATE=1000000r/s LOGIN_API_BURST=1000000
export LOGIN_HASH_RATE=1000000r/s LOGIN_HASH_BURST=1000000 LOGIN_HASH_PER_ADDRESS=1000000

URL=http://127.0.0.1:$HTTP_PORT
PSQL=(env PGOPTIONS='-c client_min_messages=warning' psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d login -v ON_ERROR_STOP=1)
REDIS=(redis-cli -h 127.0.0.1 -p "$REDIS_PORT")

say() { printf 'bench: %s\n' "$*"; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }

# ---------------------------------------------------------------- preflight

command -v wrk >/dev/null || die "wrk is not installed (make deps)"
[[ -x "$LOGIN_BIN" ]] || die "$LOGIN_BIN not found (make build)"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$URL/login" || true)
[[ "$code" == 200 ]] || die "no stack answers on $URL (GET /login gave '$code'): start it with make run"
[[ "$("${REDIS[@]}" ping 2>/dev/null)" == PONG ]] || die "no Redis on 127.0.0.1:$REDIS_PORT (make run)"
"${PSQL[@]}" -tA -c 'SELECT 1' >/dev/null 2>&1 || die "no PostgreSQL on 127.0.0.1:$PG_PORT (make run)"

bulk_some=$("${PSQL[@]}" -tA -c "SELECT count(*) FROM (SELECT 1 FROM users WHERE username LIKE 'bulk%' LIMIT $MIN_BULK) s")
if ((bulk_some < MIN_BULK)); then
  die "only $bulk_some bulk users in the database; the bench needs at least $MIN_BULK. Run: make seed-bulk USERS=1000000 (or 10000000)"
fi

# wrk holds one descriptor per connection: 5,000 connections need more than the usual 1024.
if (($(ulimit -n) < 20000)); then
  ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fi
if (($(ulimit -n) < 20000)); then
  say "warning: open files limit is $(ulimit -n) (hard $(ulimit -Hn)); 20000 wanted for $MANY connections"
fi
if (($(ulimit -n) < MANY + 100)); then
  say "warning: lowering the many-connections scenarios from $MANY to $(($(ulimit -n) - 100)) connections"
  MANY=$(($(ulimit -n) - 100))
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=$BENCH_DIR/results
OUT=$RESULTS/$stamp
mkdir -p "$OUT"
work=$(mktemp -d)
pools_changed=0
session_resp_del=$work/sessions.del

cleanup() {
  local rc=$?
  kill $(jobs -p) 2>/dev/null || true
  if ((pools_changed)); then
    say "restoring the worker pools' usual settings (profile cache on, the API rate limit)"
    env -u LOGIN_PROFILE_CACHE -u LOGIN_RATE_API_PER_MINUTE -u LOGIN_API_RATE -u LOGIN_API_BURST \
      -u LOGIN_HASH_RATE -u LOGIN_HASH_BURST -u LOGIN_HASH_PER_ADDRESS "$ROOT/scripts/stack.sh" start \
      >>"$OUT/stack.log" 2>&1 || say "warning: restoring the pools failed; run make run (see $OUT/stack.log)"
  fi
  if [[ -s "$session_resp_del" ]]; then
    "${REDIS[@]}" --pipe <"$session_resp_del" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
load_start=$(loadavg)
commit=$(git describe --always --dirty --tags 2>/dev/null || echo unknown)
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
cores=$(nproc)
binary_time=$(date -u -r "$LOGIN_BIN" +%Y-%m-%dT%H:%M:%SZ)
say "stack $URL, commit $commit, binary built $binary_time, $cores cores ($cpu_model), load $load_start"

# Workers started before the last build run a binary that is no longer on disk: restart the pools
# so that every scenario measures the binary named in the results.
stale=""
for pool in app auth; do
  sup=$(head -n1 "$STACK_DIR/run/$pool.pid" 2>/dev/null || true)
  [[ "$sup" =~ ^[0-9]+$ ]] && [[ "$(readlink "/proc/$sup/exe" 2>/dev/null)" == *"(deleted)" ]] && stale+=" $pool"
done
if [[ -n "$stale" ]]; then
  say "the pools (${stale# }) run an older login-fcgi than $LOGIN_BIN: restarting them"
  pools_changed=1
  env -u LOGIN_PROFILE_CACHE "$ROOT/scripts/stack.sh" start >>"$OUT/stack.log" 2>&1 \
    || die "stack restart failed ($OUT/stack.log)"
fi

# ---------------------------------------------------------------- data: bulk users and sessions

read -r bulk_lo bulk_hi <<<"$("${PSQL[@]}" -tA -F ' ' -c \
  "SELECT min(id), max(id) FROM users WHERE username LIKE 'bulk%'")"
bulk_count=$("${PSQL[@]}" -tA -c "SELECT count(*) FROM users WHERE username LIKE 'bulk%'")
say "$bulk_count bulk users (ids $bulk_lo..$bulk_hi)"

# Random bulk users across the whole id range: "id username session_generation", in random order.
"${PSQL[@]}" -tA -F ' ' -v lo="$bulk_lo" -v hi="$bulk_hi" -v n="$SAMPLE" >"$work/sample" <<'SQL'
SELECT u.id, u.username, u.session_generation
FROM (SELECT DISTINCT (:lo + floor(random() * (:hi - :lo + 1)))::bigint AS id
      FROM generate_series(1, :n)) r
JOIN users u USING (id)
WHERE u.username LIKE 'bulk%' AND u.enabled
ORDER BY random();
SQL
if (($(wc -l <"$work/sample") < SESSIONS)); then
  "${PSQL[@]}" -tA -F ' ' -v n="$SAMPLE" >"$work/sample" <<'SQL'
SELECT id, username, session_generation FROM users
WHERE username LIKE 'bulk%' AND enabled ORDER BY random() LIMIT :n;
SQL
fi
(($(wc -l <"$work/sample") >= SESSIONS)) || die "fewer than $SESSIONS enabled bulk users"
cut -d' ' -f1 "$work/sample" >"$work/ids"
cut -d' ' -f2 "$work/sample" >"$work/usernames"
tail -n 20000 "$work/ids" >"$work/ids-warmup"

# Sessions exactly as the program makes them (fcgi-app/src/service/sessions.cpp): the id is 32 random
# bytes in base64url (43 characters); Redis holds <prefix>s:<hex sha256 of the id> = "user:created:generation".
od -An -v -tx1 -N $((32 * SESSIONS)) /dev/urandom | tr -d ' \n' | fold -w 64 >"$work/random"
head -n "$SESSIONS" "$work/sample" | cut -d' ' -f1,3 | paste -d' ' "$work/random" - >"$work/session-input"
"${PSQL[@]}" -tA -F ' ' >"$work/sessions" <<SQL
CREATE TEMP TABLE bench_session_input (random_hex text, user_id bigint, generation int);
\\copy bench_session_input FROM '$work/session-input' WITH (DELIMITER ' ')
SELECT sid, encode(sha256(convert_to(sid, 'UTF8')), 'hex'),
       user_id || ':' || extract(epoch FROM now())::bigint || ':' || generation
FROM (SELECT translate(rtrim(encode(decode(random_hex, 'hex'), 'base64'), '='), '+/', '-_') AS sid,
             user_id, generation
      FROM bench_session_input) s;
SQL
cut -d' ' -f1 "$work/sessions" >"$work/cookies"
# "cookie user_id" and "id id": what each warm-up list entry needs cached.
awk '{ split($3, v, ":"); print $1, v[1] }' "$work/sessions" >"$work/cookie-users"
head -n "$WARM_IDS" "$work/ids" | awk '{ print $1, $1 }' >"$work/warm-id-pairs"
cut -d' ' -f1 "$work/warm-id-pairs" >"$work/warm-ids"
awk -v p="${PREFIX}s:" '{ k = p $2; printf "*5\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n$2\r\nEX\r\n$4\r\n3600\r\n", length(k), k, length($3), $3 }' \
  "$work/sessions" >"$work/sessions.resp"
awk -v p="${PREFIX}s:" '{ k = p $2; printf "*2\r\n$3\r\nDEL\r\n$%d\r\n%s\r\n", length(k), k }' \
  "$work/sessions" >"$work/sessions.del.pending"
pipe_out=$("${REDIS[@]}" --pipe <"$work/sessions.resp" 2>&1)
mv "$work/sessions.del.pending" "$session_resp_del"
[[ "$pipe_out" == *"errors: 0, replies: $SESSIONS"* ]] || die "redis-cli --pipe: $pipe_out"
first_sid=$(head -n1 "$work/cookies")
code=$(curl -s -o /dev/null -w '%{http_code}' -b "sid=$first_sid" "$URL/home")
[[ "$code" == 200 ]] || die "GET /home with a bench session gave $code, not 200: the session format in bench/run.sh no longer matches fcgi-app/src/service/sessions.cpp"
say "created $SESSIONS sessions of different bulk users in Redis (EX 3600; deleted at the end)"

# ---------------------------------------------------------------- measuring

pg_stats=$("${PSQL[@]}" -tA -c "SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'")
# Statements the app (role login_app) has run so far; the bench's own queries run as postgres.
pg_calls() {
  if [[ "$pg_stats" == 1 ]]; then
    "${PSQL[@]}" -tA -c "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s
                         JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname = 'login_app'"
  else
    echo 0
  fi
}

declare -A R=()          # R[name.field]: figures of each measured run
declare -A JSON=()       # JSON[name]: its JSON entry
order=()

# wrk_run OUT SCRIPT CONNECTIONS SECONDS [VAR=VALUE...]: one wrk run; OUT empty for a warm-up.
# The client's own CPU time (user and system seconds) goes to OUT.time.
wrk_run() {
  local out=$1 script=$2 conns=$3 secs=$4 base TIMEFORMAT='%U %S'
  shift 4
  base=${out:-$work/warmup}
  { time env "$@" BENCH_OUT="$out" wrk -t"$BENCH_THREADS" -c"$conns" -d"${secs}s" --timeout "$TIMEOUT" \
    --latency -s "$BENCH_DIR/$script" "$URL" >"$base.wrk.txt" 2>&1; } 2>"$base.time" \
    || { cat "$base.wrk.txt" >&2; die "wrk failed ($script)"; }
}

warm_up() {
  local script=$1 conns=$2 secs=$3
  shift 3
  wrk_run "" "$script" "$conns" "$secs" "$@"
}

# measure NAME SCRIPT CONNECTIONS DESCRIPTION [VAR=VALUE...]: the measured run, with app queries counted
# (not when SHARED_PG=1: another run is going on at the same time).
measure() {
  local name=$1 script=$2 conns=$3 what=$4
  shift 4
  local before after cpu_before cpu_after
  before=$(pg_calls)
  cpu_before=$(cpu_snapshot)
  wrk_run "$OUT/$name" "$script" "$conns" "$DURATION" "$@"
  cpu_after=$(cpu_snapshot)
  after=$(pg_calls)
  if [[ "${SHARED_PG:-0}" == 1 ]]; then
    record "$name" "$conns" "$what" "" "$cpu_before" "$cpu_after"
  else
    record "$name" "$conns" "$what" "$((after - before))" "$cpu_before" "$cpu_after"
  fi
}

# record NAME CONNECTIONS DESCRIPTION PG_CALLS [CPU_BEFORE CPU_AFTER]: reads the run's figures and
# prints them. CPU is shown as milliseconds per request for each part of the stack.
record() {
  local name=$1 conns=$2 what=$3 calls=$4 cpu_before=${5:-} cpu_after=${6:-} key value i u sy part
  local -a b a
  local cpu_json="" cpu_text=""
  while IFS='=' read -r key value; do R[$name.$key]=$value; done <"$OUT/$name.env"
  R[$name.connections]=$conns
  if [[ -n "$calls" ]]; then
    R[$name.pg_per_request]=$(ratio "$calls" "${R[$name.requests]}")
  else
    R[$name.pg_per_request]=n/a  # shared with a concurrent run: not this run's alone
    calls=null
  fi
  R[$name.errors]=$((R[$name.connect_errors] + R[$name.read_errors] + R[$name.write_errors] + R[$name.timeouts]))
  if [[ -n "$cpu_before" ]]; then
    read -r -a b <<<"$cpu_before"
    read -r -a a <<<"$cpu_after"
    read -r u sy <"$OUT/$name.time"
    R[$name.cpu_wrk]=$(awk -v u="$u" -v s="$sy" -v n="${R[$name.requests]}" \
      'BEGIN { if (n > 0) printf "%.3f", (u + s) * 1000 / n; else print "null" }')
    for i in "${!CPU_PARTS[@]}"; do
      R[$name.cpu_${CPU_PARTS[i]}]=$(awk -v t=$(((a[i] - b[i]) * TICK_MS)) -v n="${R[$name.requests]}" \
        'BEGIN { if (n > 0) printf "%.3f", t / n; else print "null" }')
    done
    for part in nginx app auth redis postgres wrk machine; do
      cpu_json+="${cpu_json:+,}\"$part\":${R[$name.cpu_$part]}"
      cpu_text+=" $part ${R[$name.cpu_$part]}"
    done
    # Busy share of the whole machine during the run (every process, the bench's wrk and other users included).
    R[$name.machine_busy]=$(awk -v t=$(((a[5] - b[5]) * TICK_MS)) -v ms=$(((a[6] - b[6]) / 1000000)) -v c="$cores" \
      'BEGIN { printf "%.0f", 100 * t / (ms * c) }')
  fi
  JSON[$name]=$(printf '{"name":"%s","what":"%s","connections":%d,"pg_queries":%s,"pg_queries_per_request":%s,"cpu_ms_per_request":{%s},"machine_busy_percent":%s,"wrk":%s}' \
    "$name" "$what" "$conns" "$calls" "${R[$name.pg_per_request]/n\/a/null}" "$cpu_json" "${R[$name.machine_busy]:-null}" "$(cat "$OUT/$name.json")")
  order+=("$name")
  printf 'bench: %-18s c=%-5s %9s req/s  p50 %8s  p90 %8s  p99 %8s  max %8s ms  unexpected %s  socket errors %s (connect %s read %s write %s timeout %s)  pg/req %s\n' \
    "$name" "$conns" "${R[$name.rps]}" "${R[$name.p50]}" "${R[$name.p90]}" "${R[$name.p99]}" "${R[$name.max]}" \
    "${R[$name.unexpected]}" "${R[$name.errors]}" "${R[$name.connect_errors]}" "${R[$name.read_errors]}" \
    "${R[$name.write_errors]}" "${R[$name.timeouts]}" "${R[$name.pg_per_request]}"
  [[ -z "$cpu_text" ]] || printf 'bench: %-18s CPU ms per request:%s (machine %s%% busy)\n' "$name" "$cpu_text" "${R[$name.machine_busy]}"
}

flush_profiles() {
  "${REDIS[@]}" --scan --pattern "${PREFIX}p:*" | xargs -r -n 1000 "${REDIS[@]}" UNLINK >/dev/null
}

# restart_pools on|off: the stack's own start command restarts both worker pools with the setting.
restart_pools() {
  pools_changed=1
  if [[ "$1" == off ]]; then
    LOGIN_PROFILE_CACHE=off "$ROOT/scripts/stack.sh" start >>"$OUT/stack.log" 2>&1 || die "stack restart failed ($OUT/stack.log)"
  else
    env -u LOGIN_PROFILE_CACHE "$ROOT/scripts/stack.sh" start >>"$OUT/stack.log" 2>&1 || die "stack restart failed ($OUT/stack.log)"
  fi
  local i
  for ((i = 0; i < 50; i++)); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' -b "sid=$first_sid" "$URL/home")" == 200 ]] && return 0
    sleep 0.2
  done
  die "the stack does not serve /home after restarting the pools"
}

# CPU ticks (utime + stime) of a process and its children; the root also counts its reaped children.
tree_ticks() {
  local root=$1 pid total=0
  [[ "$root" =~ ^[0-9]+$ && -r /proc/$root/stat ]] || { echo 0; return; }
  total=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$root/stat" 2>/dev/null || echo 0)
  for pid in $(pgrep -P "$root" || true); do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

pidfile_pid() { head -n1 "$1" 2>/dev/null || true; }

# "nginx app auth redis postgres machine now_ns": CPU ticks so far (machine = busy ticks of every CPU,
# all processes), and the time.
cpu_snapshot() {
  printf '%s %s %s %s %s %s %s\n' \
    "$(tree_ticks "$(pidfile_pid "$STACK_DIR/run/nginx.pid")")" \
    "$(tree_ticks "$(pidfile_pid "$STACK_DIR/run/app.pid")")" \
    "$(tree_ticks "$(pidfile_pid "$STACK_DIR/run/auth.pid")")" \
    "$(tree_ticks "$(pidfile_pid "$STACK_DIR/run/redis.pid")")" \
    "$(tree_ticks "$(pidfile_pid "$STACK_DIR/pg/postmaster.pid")")" \
    "$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat)" \
    "$(date +%s%N)"
}
CPU_PARTS=(nginx app auth redis postgres machine)
TICK_MS=$((1000 / $(getconf CLK_TCK)))

# CPU ticks used so far by one pool's processes.
pool_ticks() { tree_ticks "$(pidfile_pid "$STACK_DIR/run/$1.pid")"; }

# Logins abandoned by a finished wrk run stay queued in the auth socket's backlog and are still hashed
# (nginx cannot take back a request a worker has not accepted yet): wait until the auth pool is idle,
# so that one run's queue does not land in the next run's figures.
wait_auth_idle() {
  local i a b
  for ((i = 0; i < 120; i++)); do
    a=$(pool_ticks auth)
    sleep 0.5
    b=$(pool_ticks auth)
    ((b - a <= 2)) && return 0
  done
  say "warning: the auth pool is still busy after 60 s"
}

# uncached PAIRS: the entries ("entry user_id" lines) whose user's profile is not in Redis.
uncached() {
  awk -v p="${PREFIX}p:" '{ print "EXISTS " p $2 }' "$1" | "${REDIS[@]}" | paste -d' ' - "$1" \
    | awk '$1 == 0 { print $2 }'
}

# warm_cache SCRIPT LIST_VARIABLE PAIRS: warm-up runs over the entries not cached yet, until every
# profile the measured run will ask for is in the cache (a timed warm-up alone may miss some).
warm_cache() {
  local script=$1 var=$2 pairs=$3 round n
  local missing=$work/missing-$script
  cut -d' ' -f1 "$pairs" >"$missing"
  for ((round = 1; round <= 20; round++)); do
    warm_up "$script" "$CONNECTIONS" $((WARMUP > 2 ? WARMUP : 2)) "$var=$missing"
    uncached "$pairs" >"$missing"
    n=$(wc -l <"$missing")
    ((n == 0)) && return 0
  done
  say "warning: $n profiles still not cached after 20 warm-up rounds"
}

HOME_ENV=(BENCH_SESSIONS="$work/cookies")

say "each run: ${WARMUP}s warm-up, ${DURATION}s measured, $BENCH_THREADS wrk threads, timeout $TIMEOUT"

# static: the ceiling, nginx alone.
warm_up static.lua "$CONNECTIONS" "$WARMUP"
measure static static.lua "$CONNECTIONS" "nginx serves GET /login from public/"
warm_up static.lua "$MANY" "$WARMUP"
measure static-$MANY static.lua "$MANY" "GET /login at $MANY connections"

# home-warm: every session's profile is cached by the warm-up.
warm_cache home.lua BENCH_SESSIONS "$work/cookie-users"
measure home-warm home.lua "$CONNECTIONS" "GET /home, $SESSIONS users' sessions, profile cache warm" "${HOME_ENV[@]}"

# What one session and one cached profile cost in Redis.
read -r _ sample_key _ < <(head -n1 "$work/sessions")
sample_user=$(head -n1 "$work/session-input" | cut -d' ' -f2)
redis_session_bytes=$("${REDIS[@]}" MEMORY USAGE "${PREFIX}s:$sample_key")
redis_profile_bytes=$("${REDIS[@]}" MEMORY USAGE "${PREFIX}p:$sample_user")
say "redis MEMORY USAGE: session key ${redis_session_bytes:-?} bytes, profile key ${redis_profile_bytes:-?} bytes"

warm_up home.lua "$MANY" "$WARMUP" "${HOME_ENV[@]}"
measure home-$MANY home.lua "$MANY" "GET /home at $MANY connections, cache warm" "${HOME_ENV[@]}"

# home-cache-off: the same page with a PostgreSQL query per view (the old behaviour).
say "restarting the worker pools with LOGIN_PROFILE_CACHE=off"
restart_pools off
warm_up home.lua "$CONNECTIONS" "$WARMUP" "${HOME_ENV[@]}"
measure home-cache-off home.lua "$CONNECTIONS" "GET /home with LOGIN_PROFILE_CACHE=off" "${HOME_ENV[@]}"
say "restoring the worker pools with the profile cache on"
restart_pools on

# api-user: cold (profile keys flushed after the warm-up, every id new), then warm (a smaller set, all cached).
warm_up api_user.lua "$CONNECTIONS" "$WARMUP" BENCH_IDS="$work/ids-warmup"
flush_profiles
measure api-user-cold api_user.lua "$CONNECTIONS" "GET /api/v1/users/{id}, random bulk ids, profile cache flushed" \
  BENCH_IDS="$work/ids" BENCH_ORDER=seq
warm_cache api_user.lua BENCH_IDS "$work/warm-id-pairs"
measure api-user-warm api_user.lua "$CONNECTIONS" "GET /api/v1/users/{id}, $WARM_IDS random bulk ids, cached" \
  BENCH_IDS="$work/warm-ids" BENCH_ORDER=random

# The physical limit of logins: every login is one scrypt hash; `login-fcgi hash-password` computes two
# (the decoy, then the password), with the parameters of the stored bulk hash. Best of 5, CPU time.
bulk_hash=$("${PSQL[@]}" -tA -c "SELECT password_hash FROM users WHERE lower(username) = '$(head -n1 "$work/usernames")'")
work_hex=$(cut -d'$' -f3 <<<"$bulk_hash")
scrypt_n=$((1 << 0x${work_hex:0:2}))
scrypt_r=$((0x${work_hex:2:2}))
scrypt_p=$((0x${work_hex:4:2}))
best_cpu=""
best_wall=""
for _ in 1 2 3 4 5; do
  t=$( { TIMEFORMAT='%U %S %R'; time (printf '%s' "$BULK_PASSWORD" | env LOGIN_SCRYPT_N="$scrypt_n" \
    LOGIN_SCRYPT_R="$scrypt_r" LOGIN_SCRYPT_P="$scrypt_p" "$LOGIN_BIN" hash-password >/dev/null); } 2>&1)
  read -r u s w <<<"$t"
  best_cpu=$(awk -v u="$u" -v s="$s" -v b="$best_cpu" 'BEGIN { x = (u + s) * 1000 / 2; if (b != "" && b < x) x = b; printf "%.1f", x }')
  best_wall=$(awk -v w="$w" -v b="$best_wall" 'BEGIN { x = w * 1000 / 2; if (b != "" && b < x) x = b; printf "%.1f", x }')
done
hash_cpu_ms=$best_cpu
login_limit=$(awk -v c="$cores" -v t="$hash_cpu_ms" 'BEGIN { if (t > 0) printf "%.1f", c * 1000 / t; else print "n/a" }')
say "scrypt N=$scrypt_n r=$scrypt_r p=$scrypt_p: ${hash_cpu_ms} ms CPU per hash (best of 5); physical limit $cores cores / hash = $login_limit logins/s"

# login-spike: many logins at once; the auth pool (2 workers) queues them. The warm-up uses 2
# connections, so that it leaves no queue behind for the measured run.
wait_auth_idle
warm_up login.lua 2 "$WARMUP" BENCH_USERNAMES="$work/usernames"
wait_auth_idle
measure login-spike login.lua "$LOGIN_CONNECTIONS" "POST /login as random bulk users, $LOGIN_CONNECTIONS at once" \
  BENCH_USERNAMES="$work/usernames"

# home-during-spike: home-warm while a login spike runs (it starts ${WARMUP}s earlier and ends after).
wait_auth_idle
warm_cache home.lua BENCH_SESSIONS "$work/cookie-users"
wrk_run "$OUT/login-during-spike" login.lua "$LOGIN_CONNECTIONS" $((DURATION + WARMUP + 2)) \
  BENCH_USERNAMES="$work/usernames" &
spike_pid=$!
sleep "$WARMUP"
SHARED_PG=1 measure home-during-spike home.lua "$CONNECTIONS" "home-warm while login-spike runs" "${HOME_ENV[@]}"
wait "$spike_pid" || die "the login spike's wrk failed"
record login-during-spike "$LOGIN_CONNECTIONS" "the login spike that ran beside home-during-spike" ""
wait_auth_idle

# Worker memory, from /proc, for this stack's login-fcgi processes.
workers_json=""
rss_total=0
rss_lines=""
for pool in app auth; do
  sup=$(head -n1 "$STACK_DIR/run/$pool.pid" 2>/dev/null || true)
  [[ "$sup" =~ ^[0-9]+$ ]] || continue
  for pid in "$sup" $(pgrep -P "$sup" || true); do
    [[ -r /proc/$pid/status ]] || continue
    role=worker
    [[ "$pid" == "$sup" ]] && role=supervisor
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
    hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
    rss_total=$((rss_total + rss))
    rss_lines+=$(printf '  %-4s %-10s pid %-7s RSS %6d KiB (peak %6d KiB)' "$pool" "$role" "$pid" "$rss" "$hwm")$'\n'
    workers_json+="${workers_json:+,}$(printf '{"pool":"%s","role":"%s","pid":%d,"rss_kib":%d,"peak_rss_kib":%d}' \
      "$pool" "$role" "$pid" "$rss" "$hwm")"
  done
done
load_end=$(loadavg)

# ---------------------------------------------------------------- report

p99_ratio=$(ratio "${R[home-during-spike.p99]}" "${R[home-warm.p99]}")
cache_ratio=$(ratio "${R[home-warm.rps]}" "${R[home-cache-off.rps]}")
login_efficiency=$(ratio "${R[login-spike.rps]}" "$login_limit")

baseline() {
  case "$1" in
    static) echo "(the ceiling)" ;;
    static-*) echo "static c=$CONNECTIONS: $(ratio "${R[$1.rps]}" "${R[static.rps]}")x" ;;
    home-warm) echo "static: $(ratio "${R[home-warm.rps]}" "${R[static.rps]}")x; cache-off: ${cache_ratio}x" ;;
    home-cache-off) echo "home-warm: $(ratio "${R[home-cache-off.rps]}" "${R[home-warm.rps]}")x" ;;
    home-[0-9]*) echo "static-$MANY: $(ratio "${R[$1.rps]}" "${R[static-$MANY.rps]}")x" ;;
    api-user-*) echo "static: $(ratio "${R[$1.rps]}" "${R[static.rps]}")x" ;;
    login-spike) echo "limit $login_limit/s: $(ratio "${R[login-spike.rps]}" "$login_limit")x" ;;
    home-during-spike) echo "p99 vs home-warm: ${p99_ratio}x" ;;
    login-during-spike) echo "limit $login_limit/s: $(ratio "${R[login-during-spike.rps]}" "$login_limit")x" ;;
  esac
}

table=$(
  printf '%-18s %5s %9s %8s %8s %8s %8s %6s %6s %6s  %s\n' scenario conns 'req/s' 'p50 ms' 'p90 ms' 'p99 ms' 'max ms' unexp 'sockerr' 'pg/req' 'compared with'
  for name in "${order[@]}"; do
    printf '%-18s %5s %9s %8s %8s %8s %8s %6s %6s %6s  %s\n' "$name" "${R[$name.connections]}" "${R[$name.rps]}" \
      "${R[$name.p50]}" "${R[$name.p90]}" "${R[$name.p99]}" "${R[$name.max]}" "${R[$name.unexpected]}" \
      "${R[$name.errors]}" "${R[$name.pg_per_request]}" "$(baseline "$name")"
  done
)

scenarios_json=""
for name in "${order[@]}"; do
  scenarios_json+="${scenarios_json:+,}${JSON[$name]%\}},\"compared_with\":\"$(baseline "$name")\"}"
done
jnum() { [[ "$1" =~ ^-?[0-9.]+$ ]] && echo "$1" || echo null; }
cat >"$RESULTS/$stamp.json" <<EOF
{
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "commit": "$commit",
  "binary_built": "$binary_time",
  "machine": {"nproc": $cores, "cpu": "$cpu_model", "loadavg_start": "$load_start", "loadavg_end": "$load_end"},
  "settings": {"duration_s": $DURATION, "warmup_s": $WARMUP, "threads": $BENCH_THREADS, "timeout": "$TIMEOUT",
               "connections": $CONNECTIONS, "many_connections": $MANY, "login_connections": $LOGIN_CONNECTIONS,
               "sessions": $SESSIONS, "warm_ids": $WARM_IDS},
  "bulk_users": $bulk_count,
  "scenarios": [$scenarios_json],
  "derived": {
    "home_warm_pg_queries_per_view": $(jnum "${R[home-warm.pg_per_request]}"),
    "home_cache_off_pg_queries_per_view": $(jnum "${R[home-cache-off.pg_per_request]}"),
    "home_cache_on_off_throughput_ratio": $(jnum "$cache_ratio"),
    "scrypt": {"N": $scrypt_n, "r": $scrypt_r, "p": $scrypt_p, "cpu_ms_per_hash": $(jnum "$hash_cpu_ms"),
               "wall_ms_per_hash": $(jnum "$best_wall")},
    "login_physical_limit_per_s": $(jnum "$login_limit"),
    "login_spike_share_of_limit": $(jnum "$login_efficiency"),
    "home_p99_during_spike_ratio": $(jnum "$p99_ratio")
  },
  "redis_memory_usage_bytes": {"session_key": $(jnum "$redis_session_bytes"), "profile_key": $(jnum "$redis_profile_bytes")},
  "workers": [$workers_json],
  "workers_rss_total_kib": $rss_total
}
EOF
cp "$RESULTS/$stamp.json" "$RESULTS/latest.json"

echo
echo "Results $stamp (commit $commit, $cores cores, $cpu_model; load $load_start at the start, $load_end at the end)"
echo "$table"
cpu_table=$(
  printf '%-18s %8s %8s %8s %8s %8s %8s %8s  %s\n' 'CPU ms/request' nginx app auth redis postgres wrk machine 'machine busy'
  for name in "${order[@]}"; do
    [[ -n "${R[$name.cpu_nginx]:-}" ]] || continue
    printf '%-18s %8s %8s %8s %8s %8s %8s %8s  %s%%\n' "$name" "${R[$name.cpu_nginx]}" "${R[$name.cpu_app]}" \
      "${R[$name.cpu_auth]}" "${R[$name.cpu_redis]}" "${R[$name.cpu_postgres]}" "${R[$name.cpu_wrk]}" \
      "${R[$name.cpu_machine]}" "${R[$name.machine_busy]}"
  done
)

echo
echo "$cpu_table"
echo "(machine: every process on the machine, the bench client wrk and other users included; runs side by side share the stack's figures)"
echo
echo "home-warm: $(jnum "${R[home-warm.pg_per_request]}") PostgreSQL queries per view (cache off: ${R[home-cache-off.pg_per_request]}); cache on/off throughput ${cache_ratio}x"
echo "logins: scrypt N=$scrypt_n r=$scrypt_r p=$scrypt_p costs ${hash_cpu_ms} ms CPU; limit $cores cores / hash = $login_limit/s; the spike reached ${R[login-spike.rps]}/s (${login_efficiency}x)"
echo "home p99 during the login spike: ${R[home-during-spike.p99]} ms vs ${R[home-warm.p99]} ms alone (${p99_ratio}x)"
echo "redis: session key ${redis_session_bytes} bytes, profile key ${redis_profile_bytes} bytes (MEMORY USAGE)"
echo "login-fcgi processes: $((rss_total / 1024)) MiB RSS in total"
printf '%s' "$rss_lines"
echo "Written: bench/results/$stamp.json (and latest.json); raw wrk output in bench/results/$stamp/"
