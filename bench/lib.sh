# Functions shared by the bench (bench/run.sh) and the A/B runs (bench/ab.sh), on top of
# scripts/lib.sh: settings, preflight, sessions made by the program itself, wrk runs with the CPU
# time of each tier, and system call counts per request. Source it after setting ROOT.

LIB_NAME=bench
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

export BENCH_DIR=$ROOT/bench
STACK_DIR=$(abspath "${STACK_DIR:-var}")
HTTP_PORT=${HTTP_PORT:-8080}
PG_PORT=${PG_PORT:-5433}
REDIS_PORT=${REDIS_PORT:-6380}
LOGIN_BIN=$(abspath "${LOGIN_BIN:-$ROOT/build/fcgi-app/login-fcgi}")
PREFIX=${LOGIN_KEY_PREFIX:-login:}
DURATION=${BENCH_DURATION:-12}
WARMUP=${BENCH_WARMUP:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-1000}
MANY=${BENCH_MANY:-5000}
SESSIONS=${BENCH_SESSIONS:-10000}
export BENCH_THREADS=${BENCH_THREADS:-2}
TIMEOUT=${BENCH_TIMEOUT:-10s}
STRACE_SECONDS=${BENCH_STRACE_SECONDS:-3}
export BENCH_TOKEN=dev-reporting-token-0123456789abcdef
MIN_BULK=10000
SAMPLE=200000

URL=http://127.0.0.1:$HTTP_PORT
PSQL=(env PGOPTIONS='-c client_min_messages=warning' psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d login -v ON_ERROR_STOP=1)
REDIS=(redis-cli -h 127.0.0.1 -p "$REDIS_PORT")
# What the program's own commands (bench-sessions) need to reach this stack.
LOGIN_ENV=(LOGIN_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0" LOGIN_KEY_PREFIX="$PREFIX"
  LOGIN_DATABASE_URL="postgresql://login_app@127.0.0.1:$PG_PORT/login")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0 || a == "" || a == "n/a") print "n/a"; else printf "%.2f", a / b }'; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
pidfile_pid() { head -n1 "$1" 2>/dev/null || true; }

# preflight: wrk, the binary, a stack that answers, and enough bulk users.
preflight() {
  local code bulk_some
  command -v wrk >/dev/null || die "wrk is not installed (make deps)"
  [[ -x "$LOGIN_BIN" ]] || die "$LOGIN_BIN not found (make build)"
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$URL/login" || true)
  [[ "$code" == 200 ]] || die "no stack answers on $URL (GET /login gave '$code'): start it with make run"
  [[ "$("${REDIS[@]}" ping 2>/dev/null)" == PONG ]] || die "no Redis on 127.0.0.1:$REDIS_PORT (make run)"
  "${PSQL[@]}" -tA -c 'SELECT 1' >/dev/null 2>&1 || die "no PostgreSQL on 127.0.0.1:$PG_PORT (make run)"
  bulk_some=$("${PSQL[@]}" -tA -c "SELECT count(*) FROM (SELECT 1 FROM users WHERE username LIKE 'bulk%' LIMIT $MIN_BULK) s")
  ((bulk_some >= MIN_BULK)) \
    || die "only $bulk_some bulk users in the database; the bench needs at least $MIN_BULK. Run: make seed-bulk USERS=1000000 (or 10000000)"
  # wrk holds one descriptor per connection: 5,000 connections need more than the usual 1024.
  (($(ulimit -n) >= 20000)) || ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  if (($(ulimit -n) < MANY + 100)); then
    warn "open files limit $(ulimit -n): lowering the many-connections scenarios from $MANY to $(($(ulimit -n) - 100))"
    MANY=$(($(ulimit -n) - 100))
  fi
}

# bench_setup: the run's directories and clean-up. Sets OUT (raw output) and work (scratch).
bench_setup() {
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  RESULTS=$BENCH_DIR/results
  OUT=$RESULTS/$stamp
  mkdir -p "$OUT"
  work=$(mktemp -d)
  sessions_made=""
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

# Runs at exit: stops background jobs, calls bench_restore (set by the caller) and ends the sessions.
bench_cleanup() {
  local rc=$?
  kill $(jobs -p) 2>/dev/null || true
  declare -F bench_restore >/dev/null && bench_restore
  if [[ -s "$sessions_made" ]]; then
    awk '{ print $2, $4 }' "$sessions_made" | env "${LOGIN_ENV[@]}" "$LOGIN_BIN" bench-sessions end \
      || warn "could not end the bench sessions"
  fi
  rm -rf "$work"
  exit "$rc"
}

# sample_users: random bulk users across the whole id range ("id username session_generation",
# random order) in $work/sample, $work/ids and $work/usernames.
sample_users() {
  read -r bulk_lo bulk_hi <<<"$("${PSQL[@]}" -tA -F ' ' -c "SELECT min(id), max(id) FROM users WHERE username LIKE 'bulk%'")"
  bulk_count=$("${PSQL[@]}" -tA -c "SELECT count(*) FROM users WHERE username LIKE 'bulk%'")
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
  say "$bulk_count bulk users (ids $bulk_lo..$bulk_hi)"
}

# make_sessions: SESSIONS sessions of different bulk users, made by the program's own session store
# (login-fcgi bench-sessions), checked with one GET /home. Writes $work/cookies and
# $work/cookie-users ("cookie user_id", what each warm-up entry needs cached); they are ended at exit.
make_sessions() {
  local made=$work/sessions code
  head -n "$SESSIONS" "$work/sample" | awk '{ print $1, $3 }' >"$work/session-users"
  env "${LOGIN_ENV[@]}" "$LOGIN_BIN" bench-sessions create <"$work/session-users" >"$made.new" \
    || die "login-fcgi bench-sessions create failed"
  # "cookie user_id public_id user_id", one line per session.
  paste -d' ' "$made.new" "$work/session-users" | awk '{ print $1, $3, $2, $3 }' >"$made"
  sessions_made=$made
  (($(wc -l <"$made") == SESSIONS)) || die "bench-sessions made $(wc -l <"$made") of $SESSIONS sessions"
  cut -d' ' -f1 "$made" >"$work/cookies"
  cut -d' ' -f1,2 "$made" >"$work/cookie-users"
  first_sid=$(head -n1 "$work/cookies")
  code=$(curl -s -o /dev/null -w '%{http_code}' -b "sid=$first_sid" "$URL/home")
  [[ "$code" == 200 ]] || die "GET /home with a bench session gave $code, not 200"
  say "made $SESSIONS sessions of different bulk users with login-fcgi bench-sessions (ended at exit)"
}

pg_stats=""
# Statements the app (role login_app) has run so far; the bench's own queries run as postgres.
pg_calls() {
  [[ -n "$pg_stats" ]] || pg_stats=$("${PSQL[@]}" -tA -c "SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'")
  if [[ "$pg_stats" == 1 ]]; then
    "${PSQL[@]}" -tA -c "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s
                         JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname = 'login_app'"
  else
    echo 0
  fi
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

CPU_PARTS=(nginx app auth redis postgres machine)
TICK_MS=$((1000 / $(getconf CLK_TCK)))
# "nginx app auth redis postgres machine now_ns": CPU ticks so far (machine: busy ticks of every
# CPU, every process), and the time.
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

pool_ticks() { tree_ticks "$(pidfile_pid "$STACK_DIR/run/$1.pid")"; }

declare -A R=()    # R[name.field]: the figures of each measured run
declare -A JSON=() # JSON[name]: its JSON entry
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

# measure NAME SCRIPT CONNECTIONS DESCRIPTION [VAR=VALUE...]: a measured run of DURATION seconds
# (BENCH_SECONDS=N for another length), with the app's queries counted (not with SHARED_PG=1:
# another run is going on at the same time).
measure() {
  local name=$1 script=$2 conns=$3 what=$4 before after cpu_before cpu_after
  shift 4
  before=$(pg_calls)
  cpu_before=$(cpu_snapshot)
  wrk_run "$OUT/$name" "$script" "$conns" "${BENCH_SECONDS:-$DURATION}" "$@"
  cpu_after=$(cpu_snapshot)
  after=$(pg_calls)
  if [[ "${SHARED_PG:-0}" == 1 ]]; then
    record "$name" "$conns" "$what" "" "$cpu_before" "$cpu_after"
  else
    record "$name" "$conns" "$what" "$((after - before))" "$cpu_before" "$cpu_after"
  fi
}

# record NAME CONNECTIONS DESCRIPTION PG_CALLS [CPU_BEFORE CPU_AFTER]: reads the run's figures and
# prints them, with the CPU milliseconds per request of each tier.
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
    # The stack and its client: what one request costs the machine, other users left out.
    R[$name.cpu_total]=$(awk -v n="${R[$name.cpu_nginx]}" -v a="${R[$name.cpu_app]}" -v h="${R[$name.cpu_auth]}" \
      -v r="${R[$name.cpu_redis]}" -v p="${R[$name.cpu_postgres]}" -v w="${R[$name.cpu_wrk]}" \
      'BEGIN { printf "%.3f", n + a + h + r + p + w }')
    for part in nginx app auth redis postgres wrk total machine; do
      cpu_json+="${cpu_json:+,}\"$part\":${R[$name.cpu_$part]}"
      cpu_text+=" $part ${R[$name.cpu_$part]}"
    done
    # Busy share of the whole machine during the run (every process, other users included).
    R[$name.machine_busy]=$(awk -v t=$(((a[5] - b[5]) * TICK_MS)) -v ms=$(((a[6] - b[6]) / 1000000)) -v c="$(nproc)" \
      'BEGIN { printf "%.0f", 100 * t / (ms * c) }')
  fi
  R[$name.load]=$(loadavg)
  JSON[$name]=$(printf '{"name":"%s","what":"%s","connections":%d,"loadavg":"%s","pg_queries":%s,"pg_queries_per_request":%s,"cpu_ms_per_request":{%s},"machine_busy_percent":%s,"wrk":%s}' \
    "$name" "$what" "$conns" "${R[$name.load]}" "$calls" "${R[$name.pg_per_request]/n\/a/null}" "$cpu_json" \
    "${R[$name.machine_busy]:-null}" "$(cat "$OUT/$name.json")")
  order+=("$name")
  printf 'bench: %-18s c=%-5s %9s req/s  p50 %8s  p99 %8s  max %8s ms  >1s %s  unexpected %s  socket errors %s (connect %s read %s write %s timeout %s)  pg/req %s  load %s\n' \
    "$name" "$conns" "${R[$name.rps]}" "${R[$name.p50]}" "${R[$name.p99]}" "${R[$name.max]}" "${R[$name.over_1s]}" \
    "${R[$name.unexpected]}" "${R[$name.errors]}" "${R[$name.connect_errors]}" "${R[$name.read_errors]}" \
    "${R[$name.write_errors]}" "${R[$name.timeouts]}" "${R[$name.pg_per_request]}" "${R[$name.load]}"
  [[ -z "$cpu_text" ]] || printf 'bench: %-18s CPU ms per request:%s (machine %s%% busy)\n' "$name" "$cpu_text" "${R[$name.machine_busy]}"
}

# syscalls NAME POOL_PIDFILE SCRIPT CONNECTIONS [VAR=VALUE...]: system calls per request of the
# processes under one pid file (the app workers, nginx's workers), counted by strace -c over a
# STRACE_SECONDS wrk run (strace slows them down; only the counts are read). Sets
# R[NAME.syscalls] (the total) and R[NAME.syscall_list] ("accept 1.00, read 2.00, ...").
syscalls() {
  local name=$1 pidfile=$2 script=$3 conns=$4 root pids=() p trace=$OUT/$1.strace strace_pid n
  shift 4
  command -v strace >/dev/null || { R[$name.syscalls]=n/a; return 0; }
  root=$(pidfile_pid "$pidfile")
  for p in $(pgrep -P "$root" || true); do pids+=(-p "$p"); done
  ((${#pids[@]} > 0)) || { R[$name.syscalls]=n/a; return 0; }
  strace -c -f -o "$trace" "${pids[@]}" 2>/dev/null &
  strace_pid=$!
  sleep 1
  wrk_run "$work/strace-$name" "$script" "$conns" "$STRACE_SECONDS" "$@"
  kill -INT "$strace_pid" 2>/dev/null || true
  wait "$strace_pid" 2>/dev/null || true
  n=$(sed -n 's/^requests=//p' "$work/strace-$name.env")
  # strace -c: "% time seconds usecs/call calls errors syscall"; the errors column may be empty.
  awk -v n="$n" '$1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" && n > 0 { printf "%s %.2f\n", $NF, $4 / n }' \
    "$trace" | sort -k2,2nr >"$trace.per-request"
  if [[ -s "$trace.per-request" ]]; then
    R[$name.syscalls]=$(awk '{ t += $2 } END { printf "%.2f", t }' "$trace.per-request")
    R[$name.syscall_list]=$(awk '$2 >= 0.01 { printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 }' "$trace.per-request")
  else
    R[$name.syscalls]=n/a
  fi
}

# uncached PAIRS: the entries ("entry user_id" lines) whose user's profile is not in Redis.
uncached() {
  awk -v p="${PREFIX}p:" '{ print "EXISTS " p $2 }' "$1" | "${REDIS[@]}" | paste -d' ' - "$1" \
    | awk '$1 == 0 { print $2 }'
}

# warm_cache SCRIPT LIST_VARIABLE PAIRS: warm-up runs over the entries not cached yet, until every
# profile the measured run will ask for is in the cache (a timed warm-up alone may miss some).
warm_cache() {
  local script=$1 var=$2 pairs=$3 round n missing=$work/missing-$1
  cut -d' ' -f1 "$pairs" >"$missing"
  for ((round = 1; round <= 20; round++)); do
    warm_up "$script" 64 $((WARMUP > 2 ? WARMUP : 2)) "$var=$missing"
    uncached "$pairs" >"$missing"
    n=$(wc -l <"$missing")
    if ((n == 0)); then
      # Cached profiles expire (LOGIN_PROFILE_CACHE_TTL, 5 minutes) from when they were filled:
      # an hour more for each, so that none runs out during the measured runs.
      awk -v p="${PREFIX}p:" '{ print "EXPIRE " p $2 " 3600" }' "$pairs" | "${REDIS[@]}" >/dev/null
      return 0
    fi
  done
  warn "$n profiles still not cached after 20 warm-up rounds"
}
