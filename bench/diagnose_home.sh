#!/usr/bin/env bash
# The worked example of docs/DIAGNOSIS.md: "why is /home slow?", answered with the system's own
# instruments, once with the profile cache off and once on. For each: the pools restart with
# LOGIN_PROFILE_CACHE set, pg_stat_statements is reset, wrk sends GET /home for USERS logged-in
# bulk users, and the script prints what an operator would read: p50/p99 of /home from the
# workers' histogram, the profile cache hit ratio, and the top statements of pg_stat_statements.
#
# Usage: bench/diagnose_home.sh    (the make run stack after make seed-bulk; not part of make test)
# Environment: as make run (STACK_DIR, HTTP_PORT, PG_PORT, REDIS_PORT, ...), USERS (200 users log
#   in first, through POST /login), DURATION (20 s of wrk per mode), CONNECTIONS (32).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HTTP_PORT=${HTTP_PORT:-8080}
PG_PORT=${PG_PORT:-5433}
USERS=${USERS:-200}
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-32}
URL=http://127.0.0.1:$HTTP_PORT
PSQL=(psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d login -v ON_ERROR_STOP=1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say() { printf 'diagnose: %s\n' "$*"; }

# Logged-in bulk users (each login is one scrypt hash in the auth pool).
"${PSQL[@]}" -tA -c "SELECT username FROM users WHERE username LIKE 'bulk%' ORDER BY random() LIMIT $USERS" >"$work/users"
while read -r user; do
  curl -s -o /dev/null -D - -d "username=$user&password=bulk-pass-123" "$URL/login" \
    | tr -d '\r' | sed -n 's/^Set-Cookie: sid=\([^;]*\).*/\1/p'
done <"$work/users" >"$work/sessions"
say "$(wc -l <"$work/sessions") of $USERS bulk users logged in"

# p50 and p99 of a histogram between two scrapes (linear within a bucket, as Prometheus does).
quantiles() {
  awk -v route="$1" '
    FNR == 1 { file++ }
    index($0, "login_http_request_duration_seconds_bucket{method=\"GET\",route=\"" route "\"") == 1 {
      match($0, /le="[^"]*"/); le = substr($0, RSTART + 4, RLENGTH - 5)
      if (file == 1) before[le] = $2; else { after[le] = $2; if (!(le in seen)) { order[++n] = le; seen[le] = 1 } }
    }
    END {
      total = after["+Inf"] - before["+Inf"]
      for (q = 1; q <= 2; q++) {
        want = (q == 1 ? 0.5 : 0.99) * total; prev_le = 0; prev = 0
        for (i = 1; i <= n; i++) {
          c = after[order[i]] - before[order[i]]
          if (c >= want) {
            le = order[i] == "+Inf" ? prev_le : order[i]
            v = prev_le + (le - prev_le) * (c > prev ? (want - prev) / (c - prev) : 0)
            printf "%s %.1f ms", (q == 1 ? "p50" : ", p99"), v * 1000; break
          }
          prev = c; prev_le = order[i]
        }
      }
      printf " (%d requests in the workers)\n", total
    }' "$2" "$3"
}
counter() { awk -v k="$1" 'index($0, k " ") == 1 { print $2 }' "$2"; }

for mode in off on; do
  say "--- LOGIN_PROFILE_CACHE=$mode: restarting the pools"
  LOGIN_PROFILE_CACHE=$mode "$ROOT/scripts/stack.sh" start >/dev/null
  "${PSQL[@]}" -tA -c "SELECT pg_stat_statements_reset()" >/dev/null
  # One pass over every user first: the cache is as warm as it gets in production.
  while read -r sid; do curl -s -o /dev/null -b "sid=$sid" "$URL/home"; done <"$work/sessions"
  curl -s "$URL/metrics" >"$work/before"
  "${PSQL[@]}" -tA -c "SELECT pg_stat_statements_reset()" >/dev/null
  BENCH_DIR=$ROOT/bench BENCH_SESSIONS=$work/sessions BENCH_THREADS=2 \
    wrk -t2 -c "$CONNECTIONS" -d "${DURATION}s" --latency -s "$ROOT/bench/home.lua" "$URL" >"$work/wrk-$mode"
  curl -s "$URL/metrics" >"$work/after"
  say "wrk: $(grep -E 'Requests/sec' "$work/wrk-$mode" | tr -s ' '), client-side$(grep -E '^ +(50|99)%' "$work/wrk-$mode" | tr -s ' ' | tr '\n' ',')"
  say "1. /home in the workers: $(quantiles /home "$work/before" "$work/after")"
  hit='login_cache_requests_total{cache="profile",result="hit"}'
  miss='login_cache_requests_total{cache="profile",result="miss"}'
  hits=$(( $(counter "$hit" "$work/after") - $(counter "$hit" "$work/before") ))
  misses=$(( $(counter "$miss" "$work/after") - $(counter "$miss" "$work/before") ))
  say "2. profile cache: $hits hits, $misses misses"
  say "3. pg_stat_statements, top 3 by total time during the run:"
  "${PSQL[@]}" -P footer=off -c "SELECT calls, round(total_exec_time::numeric, 1) AS total_ms,
      round(mean_exec_time::numeric, 3) AS mean_ms, left(regexp_replace(query, '\s+', ' ', 'g'), 90) AS query
    FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'login')
    ORDER BY total_exec_time DESC LIMIT 3"
done
say "the pools run with the profile cache on again"
