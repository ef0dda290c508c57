#!/usr/bin/env bash
# The scale proof: wrk scenarios against the running `make run` stack, after `make seed-bulk`.
# Prints each scenario's figures, the issue's targets with "met" or "not met", CPU milliseconds per
# request of each tier and system calls per request; writes bench/results/<timestamp>.json and
# latest.json.
#
# Usage: bench/run.sh   (or: make bench). See docs/PERFORMANCE.md for what each scenario measures.
# Environment: STACK_DIR (var), HTTP_PORT (8080), PG_PORT (5433), REDIS_PORT (6380), LOGIN_BIN,
#   LOGIN_KEY_PREFIX (login:), BENCH_DURATION (12 s per measured run), BENCH_WARMUP (3 s),
#   BENCH_CONNECTIONS (1000), BENCH_MANY (5000), BENCH_STALL_SECONDS (60), BENCH_SPIKE_PAGE_CONNECTIONS
#   (64), BENCH_LOGIN_CONNECTIONS (32), BENCH_SESSIONS (10000), BENCH_THREADS (2), BENCH_TIMEOUT (10s),
#   BENCH_WARM_IDS (5000), BENCH_STRACE_SECONDS (3), BENCH_API_PER_MINUTE (10000000: the per-client
#   API rate limit of the restarted pools).
# It restarts the stack's worker pools twice (LOGIN_PROFILE_CACHE=off, then back) and makes
# BENCH_SESSIONS sessions with `login-fcgi bench-sessions`, ending them again at the end.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

STALL_SECONDS=${BENCH_STALL_SECONDS:-60}
SPIKE_PAGE_CONNECTIONS=${BENCH_SPIKE_PAGE_CONNECTIONS:-64}
LOGIN_CONNECTIONS=${BENCH_LOGIN_CONNECTIONS:-32}
WARM_IDS=${BENCH_WARM_IDS:-5000}
BULK_PASSWORD=bulk-pass-123
# The one bench client would hit its own per-client API limit (6,000 a minute) within a second: the
# pools the bench restarts run with this instead (the counter itself still costs its round trip).
export LOGIN_RATE_API_PER_MINUTE=${BENCH_API_PER_MINUTE:-10000000}
# Likewise nginx's per-address limits (every bench connection comes from 127.0.0.1): the restarted
# stack renders nginx with these, and the hashing slots (max_conns) stay as they are. 65535 is the
# most open connections nginx's limit_conn accepts (a larger number fails its configuration test).
export LOGIN_API_RATE=1000000r/s LOGIN_API_BURST=1000000
export LOGIN_HASH_RATE=1000000r/s LOGIN_HASH_BURST=1000000 LOGIN_HASH_PER_ADDRESS=65535

pools_changed=0
bench_restore() {
  ((pools_changed)) || return 0
  say "bench: restoring the worker pools' usual settings (profile cache on, the API rate limit)"
  env -u LOGIN_PROFILE_CACHE -u LOGIN_RATE_API_PER_MINUTE -u LOGIN_API_RATE -u LOGIN_API_BURST \
    -u LOGIN_HASH_RATE -u LOGIN_HASH_BURST -u LOGIN_HASH_PER_ADDRESS "$ROOT/scripts/stack.sh" start \
    >>"$OUT/stack.log" 2>&1 || warn "restoring the pools failed; run make run (see $OUT/stack.log)"
}

# restart_pools on|off: the stack's own start command restarts both worker pools with the profile
# cache on or off (and the bench's API limit), and waits until /home answers.
restart_pools() {
  local i
  pools_changed=1
  if [[ "$1" == off ]]; then
    LOGIN_PROFILE_CACHE=off "$ROOT/scripts/stack.sh" start >>"$OUT/stack.log" 2>&1 || die "stack restart failed ($OUT/stack.log)"
  else
    env -u LOGIN_PROFILE_CACHE "$ROOT/scripts/stack.sh" start >>"$OUT/stack.log" 2>&1 || die "stack restart failed ($OUT/stack.log)"
  fi
  for ((i = 0; i < 50; i++)); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' -b "sid=$first_sid" "$URL/home")" == 200 ]] && return 0
    sleep 0.2
  done
  die "the stack does not serve /home after restarting the pools"
}

# Workers started before the last build run a binary that is no longer on disk: restart the pools
# so that every scenario measures the binary named in the results.
restart_stale_pools() {
  local pool sup stale=""
  for pool in app auth; do
    sup=$(pidfile_pid "$STACK_DIR/run/$pool.pid")
    [[ "$sup" =~ ^[0-9]+$ ]] && [[ "$(readlink "/proc/$sup/exe" 2>/dev/null)" == *"(deleted)" ]] && stale+=" $pool"
  done
  [[ -z "$stale" ]] && return 0
  say "bench: the pools (${stale# }) run an older login-fcgi than $LOGIN_BIN: restarting them"
  env -u LOGIN_PROFILE_CACHE "$ROOT/scripts/stack.sh" start >>"$OUT/stack.log" 2>&1 || die "stack restart failed ($OUT/stack.log)"
}

flush_profiles() {
  "${REDIS[@]}" --scan --pattern "${PREFIX}p:*" | xargs -r -n 1000 "${REDIS[@]}" UNLINK >/dev/null
}

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
  warn "the auth pool is still busy after 60 s"
}

# hash_limit: the physical limit of logins. Every login is one scrypt hash; `login-fcgi hash-password`
# computes two (the decoy, then the password) with the parameters of the stored bulk hash. Best of 5,
# CPU time. Sets scrypt_n/r/p, hash_cpu_ms, hash_wall_ms and login_limit.
hash_limit() {
  local bulk_hash work_hex t u s w i
  bulk_hash=$("${PSQL[@]}" -tA -c "SELECT password_hash FROM users WHERE lower(username) = '$(head -n1 "$work/usernames")'")
  work_hex=$(cut -d'$' -f3 <<<"$bulk_hash")
  scrypt_n=$((1 << 0x${work_hex:0:2}))
  scrypt_r=$((0x${work_hex:2:2}))
  scrypt_p=$((0x${work_hex:4:2}))
  hash_cpu_ms=""
  hash_wall_ms=""
  for i in 1 2 3 4 5; do
    t=$( { TIMEFORMAT='%U %S %R'; time (printf '%s' "$BULK_PASSWORD" | env LOGIN_SCRYPT_N="$scrypt_n" \
      LOGIN_SCRYPT_R="$scrypt_r" LOGIN_SCRYPT_P="$scrypt_p" "$LOGIN_BIN" hash-password >/dev/null); } 2>&1)
    read -r u s w <<<"$t"
    hash_cpu_ms=$(awk -v u="$u" -v s="$s" -v b="$hash_cpu_ms" 'BEGIN { x = (u + s) * 1000 / 2; if (b != "" && b < x) x = b; printf "%.1f", x }')
    hash_wall_ms=$(awk -v w="$w" -v b="$hash_wall_ms" 'BEGIN { x = w * 1000 / 2; if (b != "" && b < x) x = b; printf "%.1f", x }')
  done
  login_limit=$(awk -v c="$(nproc)" -v t="$hash_cpu_ms" 'BEGIN { if (t > 0) printf "%.1f", c * 1000 / t; else print "n/a" }')
  say "bench: scrypt N=$scrypt_n r=$scrypt_r p=$scrypt_p: $hash_cpu_ms ms CPU per hash (best of 5); physical limit $(nproc) cores / hash = $login_limit logins/s"
}

# worker_memory: RSS of this stack's login-fcgi processes, from /proc. Sets rss_total, rss_lines, workers_json.
worker_memory() {
  local pool sup pid role rss hwm
  rss_total=0
  rss_lines=""
  workers_json=""
  for pool in app auth; do
    sup=$(pidfile_pid "$STACK_DIR/run/$pool.pid")
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
}

# ---------------------------------------------------------------- the scenarios

run_scenarios() {
  local home=(BENCH_SESSIONS="$work/cookies") spike_pid
  say "bench: each run: ${WARMUP}s warm-up, ${DURATION}s measured, $BENCH_THREADS wrk threads, timeout $TIMEOUT"

  # The baselines: nginx alone (the ceiling), and a FastCGI route that touches no store.
  warm_up static.lua "$CONNECTIONS" "$WARMUP"
  measure static static.lua "$CONNECTIONS" "nginx serves GET /login from public/"
  warm_up static.lua "$CONNECTIONS" "$WARMUP" BENCH_PATH=/healthz
  measure fcgi-noop static.lua "$CONNECTIONS" "GET /healthz: a worker answers, no store touched" BENCH_PATH=/healthz

  # home-warm: every session's profile is cached by the warm-up.
  warm_cache home.lua BENCH_SESSIONS "$work/cookie-users"
  warm_up home.lua "$CONNECTIONS" "$WARMUP" "${home[@]}"
  measure home-warm home.lua "$CONNECTIONS" "GET /home, $SESSIONS users' sessions, profile cache warm" "${home[@]}"
  BENCH_SECONDS=$STALL_SECONDS measure home-stall home.lua "$CONNECTIONS" \
    "home-warm for ${STALL_SECONDS}s: no request may take over 1 s" "${home[@]}"

  # System calls per request of the app workers and of nginx's workers.
  syscalls app-home "$STACK_DIR/run/app.pid" home.lua "$CONNECTIONS" "${home[@]}"
  syscalls nginx-home "$STACK_DIR/run/nginx.pid" home.lua "$CONNECTIONS" "${home[@]}"
  syscalls app-noop "$STACK_DIR/run/app.pid" static.lua "$CONNECTIONS" BENCH_PATH=/healthz
  syscalls nginx-static "$STACK_DIR/run/nginx.pid" static.lua "$CONNECTIONS"

  # What one session and one cached profile cost in Redis.
  redis_session_bytes=$("${REDIS[@]}" MEMORY USAGE "${PREFIX}s:$(head -n1 "$sessions_made" | cut -d' ' -f3)")
  redis_profile_bytes=$("${REDIS[@]}" MEMORY USAGE "${PREFIX}p:$(head -n1 "$sessions_made" | cut -d' ' -f2)")

  # Many connections at once: queueing, never errors.
  warm_up static.lua "$MANY" "$WARMUP"
  measure static-$MANY static.lua "$MANY" "GET /login at $MANY connections"
  warm_cache home.lua BENCH_SESSIONS "$work/cookie-users"  # cached profiles expire after LOGIN_PROFILE_CACHE_TTL
  warm_up home.lua "$MANY" "$WARMUP" "${home[@]}"
  measure home-$MANY home.lua "$MANY" "GET /home at $MANY connections, cache warm" "${home[@]}"

  # home-cache-off: the same page with a PostgreSQL query per view (the old behaviour).
  say "bench: restarting the worker pools with LOGIN_PROFILE_CACHE=off"
  restart_pools off
  warm_up home.lua "$CONNECTIONS" "$WARMUP" "${home[@]}"
  measure home-cache-off home.lua "$CONNECTIONS" "GET /home with LOGIN_PROFILE_CACHE=off" "${home[@]}"
  say "bench: restoring the worker pools with the profile cache on"
  restart_pools on

  # api-user: cold (profile keys flushed after the warm-up, every id new), then warm (a smaller set, all cached).
  tail -n 20000 "$work/ids" >"$work/ids-warmup"
  head -n "$WARM_IDS" "$work/ids" | awk '{ print $1, $1 }' >"$work/warm-id-pairs"
  cut -d' ' -f1 "$work/warm-id-pairs" >"$work/warm-ids"
  warm_up api_user.lua "$CONNECTIONS" "$WARMUP" BENCH_IDS="$work/ids-warmup"
  flush_profiles
  measure api-user-cold api_user.lua "$CONNECTIONS" "GET /api/v1/users/{id}, random bulk ids, profile cache flushed" \
    BENCH_IDS="$work/ids" BENCH_ORDER=seq
  warm_cache api_user.lua BENCH_IDS "$work/warm-id-pairs"
  warm_up api_user.lua "$CONNECTIONS" "$WARMUP" BENCH_IDS="$work/warm-ids" BENCH_ORDER=random
  measure api-user-warm api_user.lua "$CONNECTIONS" "GET /api/v1/users/{id}, $WARM_IDS random bulk ids, cached" \
    BENCH_IDS="$work/warm-ids" BENCH_ORDER=random

  # login-spike: many logins at once; the auth pool queues them. The warm-up uses 2 connections,
  # so that it leaves no queue behind for the measured run.
  hash_limit
  wait_auth_idle
  warm_up login.lua 2 "$WARMUP" BENCH_USERNAMES="$work/usernames"
  wait_auth_idle
  measure login-spike login.lua "$LOGIN_CONNECTIONS" "POST /login as random bulk users, $LOGIN_CONNECTIONS at once" \
    BENCH_USERNAMES="$work/usernames"

  # The page during a spike, against the same page alone at the same number of connections.
  wait_auth_idle
  warm_cache home.lua BENCH_SESSIONS "$work/cookie-users"
  warm_up home.lua "$SPIKE_PAGE_CONNECTIONS" "$WARMUP" "${home[@]}"
  measure home-$SPIKE_PAGE_CONNECTIONS home.lua "$SPIKE_PAGE_CONNECTIONS" "GET /home at $SPIKE_PAGE_CONNECTIONS connections, no spike" "${home[@]}"
  wrk_run "$OUT/login-during-spike" login.lua "$LOGIN_CONNECTIONS" $((DURATION + WARMUP + 2)) \
    BENCH_USERNAMES="$work/usernames" &
  spike_pid=$!
  sleep "$WARMUP"
  SHARED_PG=1 measure home-during-spike home.lua "$SPIKE_PAGE_CONNECTIONS" "home-$SPIKE_PAGE_CONNECTIONS while login-spike runs" "${home[@]}"
  wait "$spike_pid" || die "the login spike's wrk failed"
  record login-during-spike "$LOGIN_CONNECTIONS" "the login spike that ran beside home-during-spike" ""
  wait_auth_idle
}

# ---------------------------------------------------------------- the report

# target NAME "MEASURED" OK(0/1) "TARGET": one row of the targets table.
targets=()
targets_json=""
target() {
  local verdict="not met" met=false
  if (($3)); then verdict=met; met=true; fi
  targets+=("$(printf '%-46s %-34s %-44s %s' "$1" "$4" "$2" "$verdict")")
  targets_json+="${targets_json:+,}$(printf '{"measure":"%s","target":"%s","measured":"%s","met":%s}' "$1" "$4" "$2" "$met")"
}
at_least() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "n/a" && a + 0 >= b + 0) }' && echo 1 || echo 0; }
at_most() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "n/a" && a + 0 <= b + 0) }' && echo 1 || echo 0; }
clean() { ((R[$1.errors] == 0 && R[$1.unexpected] == 0)) && echo 1 || echo 0; }

evaluate_targets() {
  local c=$CONNECTIONS m=$MANY
  home_static=$(ratio "${R[home-warm.rps]}" "${R[static.rps]}")
  home_noop=$(ratio "${R[home-warm.rps]}" "${R[fcgi-noop.rps]}")
  api_static=$(ratio "${R[api-user-warm.rps]}" "${R[static.rps]}")
  login_share=$(ratio "${R[login-spike.rps]}" "$login_limit")
  spike_p99=$(ratio "${R[home-during-spike.p99]}" "${R[home-$SPIKE_PAGE_CONNECTIONS.p99]}")
  # The same ratios in CPU time: what a request costs the stack and its client, whatever else runs.
  cpu_home_static=$(ratio "${R[static.cpu_total]}" "${R[home-warm.cpu_total]}")
  cpu_home_noop=$(ratio "${R[fcgi-noop.cpu_total]}" "${R[home-warm.cpu_total]}")
  cpu_api_static=$(ratio "${R[static.cpu_total]}" "${R[api-user-warm.cpu_total]}")
  target "warm /home vs static, c=$c" "${home_static}x (CPU cost ${cpu_home_static}x)" "$(at_least "$home_static" 0.30)" ">= 0.30x"
  target "warm /home vs FastCGI no-store (/healthz), c=$c" "${home_noop}x (CPU cost ${cpu_home_noop}x)" "$(at_least "$home_noop" 0.85)" ">= 0.85x"
  target "p99 of /home, c=$c" "${R[home-warm.p99]} ms" "$(at_most "${R[home-warm.p99]}" 100)" "<= 100 ms"
  target "errors, /home c=$c" "$(errors_text home-warm)" "$(clean home-warm)" "0 socket errors, timeouts, non-2xx"
  target "errors, /home c=$m" "$(errors_text home-$m)" "$(clean home-$m)" "0 socket errors, timeouts, non-2xx"
  target "stalls: /home c=$c for ${STALL_SECONDS}s" "max ${R[home-stall.max]} ms, ${R[home-stall.over_1s]} over 1 s" \
    "$( ((R[home-stall.over_1s] == 0 && R[home-stall.timeouts] == 0)) && at_most "${R[home-stall.max]}" 1000 || echo 0)" "no request over 1 s"
  target "warm GET /api/v1/users/{id} vs static, c=$c" "${api_static}x (CPU cost ${cpu_api_static}x)" "$(at_least "$api_static" 0.25)" ">= 0.25x"
  target "login spike vs hashing limit" "${login_share}x (${R[login-spike.rps]}/s of ${login_limit}/s, N=$scrypt_n r=$scrypt_r p=$scrypt_p)" \
    "$(at_least "$login_share" 0.95)" ">= 0.95x"
  target "/home p99 during the spike vs alone, c=$SPIKE_PAGE_CONNECTIONS" "${spike_p99}x (${R[home-during-spike.p99]} vs ${R[home-$SPIKE_PAGE_CONNECTIONS.p99]} ms)" \
    "$(at_most "$spike_p99" 2)" "<= 2x"
}

errors_text() {
  printf '%s socket errors (%s timeouts), %s non-2xx' "${R[$1.errors]}" "${R[$1.timeouts]}" "${R[$1.unexpected]}"
}

compared_with() {
  case "$1" in
    static) echo "(the ceiling)" ;;
    static-*) echo "static: $(ratio "${R[$1.rps]}" "${R[static.rps]}")x" ;;
    fcgi-noop | home-warm | home-stall | api-user-*) echo "static: $(ratio "${R[$1.rps]}" "${R[static.rps]}")x" ;;
    home-cache-off) echo "home-warm: $(ratio "${R[$1.rps]}" "${R[home-warm.rps]}")x" ;;
    home-$MANY) echo "static-$MANY: $(ratio "${R[$1.rps]}" "${R[static-$MANY.rps]}")x" ;;
    home-during-spike) echo "p99 vs home-$SPIKE_PAGE_CONNECTIONS: ${spike_p99}x" ;;
    login-spike | login-during-spike) echo "limit $login_limit/s: $(ratio "${R[$1.rps]}" "$login_limit")x" ;;
    *) echo "" ;;
  esac
}

report() {
  local name scenarios_json="" syscalls_json="" s load_end
  load_end=$(loadavg)
  evaluate_targets
  echo
  echo "Results $stamp (commit $commit, $(nproc) cores, $cpu_model; load $load_start at the start, $load_end at the end)"
  printf '%-18s %5s %9s %8s %8s %8s %8s %5s %6s %7s %6s  %s\n' scenario conns 'req/s' 'p50 ms' 'p99 ms' 'p99.9' 'max ms' '>1s' unexp sockerr pg/req 'compared with'
  for name in "${order[@]}"; do
    printf '%-18s %5s %9s %8s %8s %8s %8s %5s %6s %7s %6s  %s\n' "$name" "${R[$name.connections]}" "${R[$name.rps]}" \
      "${R[$name.p50]}" "${R[$name.p99]}" "${R[$name.p999]}" "${R[$name.max]}" "${R[$name.over_1s]}" "${R[$name.unexpected]}" \
      "${R[$name.errors]}" "${R[$name.pg_per_request]}" "$(compared_with "$name")"
  done
  echo
  printf '%-18s %7s %7s %7s %7s %8s %7s %7s %8s  %s\n' 'CPU ms/request' nginx app auth redis postgres wrk total machine 'machine busy, load'
  for name in "${order[@]}"; do
    [[ -n "${R[$name.cpu_nginx]:-}" ]] || continue
    printf '%-18s %7s %7s %7s %7s %8s %7s %7s %8s  %s%%, %s\n' "$name" "${R[$name.cpu_nginx]}" "${R[$name.cpu_app]}" \
      "${R[$name.cpu_auth]}" "${R[$name.cpu_redis]}" "${R[$name.cpu_postgres]}" "${R[$name.cpu_wrk]}" \
      "${R[$name.cpu_total]}" "${R[$name.cpu_machine]}" "${R[$name.machine_busy]}" "${R[$name.load]}"
  done
  echo "(total: the stack's processes and wrk; machine: every process on the machine, other users' included)"
  echo
  echo "System calls per request (strace -c over a ${STRACE_SECONDS}s run at c=$CONNECTIONS):"
  for s in app-home nginx-home app-noop nginx-static; do
    printf '  %-13s %6s  %s\n' "$s" "${R[$s.syscalls]}" "${R[$s.syscall_list]:-}"
    syscalls_json+="${syscalls_json:+,}\"$s\":{\"per_request\":$(jnum "${R[$s.syscalls]}"),\"calls\":\"${R[$s.syscall_list]:-}\"}"
  done
  echo
  echo "Targets (issue #18):"
  printf '%-46s %-34s %-44s %s\n' measure target measured verdict
  printf '%s\n' "${targets[@]}"
  echo
  echo "home-warm: ${R[home-warm.pg_per_request]} PostgreSQL queries per view (cache off: ${R[home-cache-off.pg_per_request]}); cache on/off throughput $(ratio "${R[home-warm.rps]}" "${R[home-cache-off.rps]}")x"
  echo "redis: session key ${redis_session_bytes} bytes, profile key ${redis_profile_bytes} bytes (MEMORY USAGE)"
  worker_memory
  echo "login-fcgi processes: $((rss_total / 1024)) MiB RSS in total"
  printf '%s' "$rss_lines"

  for name in "${order[@]}"; do
    scenarios_json+="${scenarios_json:+,}${JSON[$name]%\}},\"compared_with\":\"$(compared_with "$name")\"}"
  done
  cat >"$RESULTS/$stamp.json" <<EOF
{
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "commit": "$commit",
  "binary_built": "$binary_time",
  "machine": {"nproc": $(nproc), "cpu": "$cpu_model", "loadavg_start": "$load_start", "loadavg_end": "$load_end"},
  "settings": {"duration_s": $DURATION, "warmup_s": $WARMUP, "threads": $BENCH_THREADS, "timeout": "$TIMEOUT",
               "connections": $CONNECTIONS, "many_connections": $MANY, "stall_s": $STALL_SECONDS,
               "spike_page_connections": $SPIKE_PAGE_CONNECTIONS, "login_connections": $LOGIN_CONNECTIONS,
               "sessions": $SESSIONS, "warm_ids": $WARM_IDS},
  "bulk_users": $bulk_count,
  "scenarios": [$scenarios_json],
  "syscalls_per_request": {$syscalls_json},
  "targets": [$targets_json],
  "derived": {
    "scrypt": {"N": $scrypt_n, "r": $scrypt_r, "p": $scrypt_p, "cpu_ms_per_hash": $(jnum "$hash_cpu_ms"),
               "wall_ms_per_hash": $(jnum "$hash_wall_ms")},
    "login_physical_limit_per_s": $(jnum "$login_limit"),
    "home_cache_on_off_throughput_ratio": $(jnum "$(ratio "${R[home-warm.rps]}" "${R[home-cache-off.rps]}")")
  },
  "redis_memory_usage_bytes": {"session_key": $(jnum "$redis_session_bytes"), "profile_key": $(jnum "$redis_profile_bytes")},
  "workers": [$workers_json],
  "workers_rss_total_kib": $rss_total
}
EOF
  cp "$RESULTS/$stamp.json" "$RESULTS/latest.json"
  echo "Written: bench/results/$stamp.json (and latest.json); raw wrk and strace output in bench/results/$stamp/"
}

jnum() { [[ "$1" =~ ^-?[0-9.]+$ ]] && echo "$1" || echo null; }

# The equal-time claim of login failures (docs/SECURITY.md): unknown user, wrong password, disabled
# account and a pre-cost-increase hash, at the stack's own scrypt cost, medians within 10 %.
# test/bench/enumeration_timing.cpp does the measuring; its verdict is the bench's last line.
enumeration_timing() {
  local timing=${LOGIN_BIN%/fcgi-app/login-fcgi}/test/bench_enumeration_timing rc=0
  if [[ ! -x "$timing" ]]; then
    warn "$timing not built (make build builds it with the tests): enumeration timing skipped"
    return 0
  fi
  say "bench: enumeration timing (${TIMING_SAMPLES:-40} interleaved samples per kind)"
  TEST_BASE_URL=$URL TIMING_PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/login" "$timing" \
    | tee "$OUT/enumeration-timing.txt" || rc=$?
  case $rc in
    0) say "bench: enumeration timing: the medians agree within 10 % (met)" ;;
    1) say "bench: enumeration timing: the medians differ by more than 10 % (not met)" ;;
    *) warn "enumeration timing could not measure (exit $rc; see $OUT/enumeration-timing.txt)" ;;
  esac
}

# ---------------------------------------------------------------- main

preflight
bench_setup
load_start=$(loadavg)
commit=$(git describe --always --dirty --tags 2>/dev/null || echo unknown)
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
binary_time=$(date -u -r "$LOGIN_BIN" +%Y-%m-%dT%H:%M:%SZ)
say "bench: stack $URL, commit $commit, binary built $binary_time, $(nproc) cores ($cpu_model), load $load_start"
restart_stale_pools
sample_users
make_sessions
run_scenarios
report
enumeration_timing
