#!/usr/bin/env bash
# Side-by-side A/B of nginx configurations: each variant's nginx (rendered from its checkout's
# nginx/ by its own render.sh) runs at the same time on a port of its own, in front of the same
# worker pools of the running `make run` stack, and wrk loads them all at once. Whatever else the
# machine does hits every variant alike, so nginx's CPU time per request compares well even on a
# busy machine. Only nginx's own figures are the variant's: the workers serve all of them.
#
# Usage: bench/ab-nginx.sh [-r ROUNDS] [-s SECONDS] [-c CONNECTIONS] [-p PATH] NAME=CHECKOUT NAME=CHECKOUT...
#   -c: connections per variant (default BENCH_CONNECTIONS / number of variants); -p: /home (the
#   bench's warm sessions, default) or any GET path.
# Environment: as bench/run.sh. Prints, per round and as medians, each variant's req/s, p99 and
# nginx CPU milliseconds per request, with the ratio to the first variant.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

ROUNDS=3
SECONDS_EACH=10
path=/home
per_variant=""
while getopts 'r:s:c:p:' opt; do
  case "$opt" in
    r) ROUNDS=$OPTARG ;;
    s) SECONDS_EACH=$OPTARG ;;
    c) per_variant=$OPTARG ;;
    p) path=$OPTARG ;;
    *) die "usage: bench/ab-nginx.sh [-r ROUNDS] [-s SECONDS] [-c CONNECTIONS] [-p PATH] NAME=CHECKOUT..." ;;
  esac
done
shift $((OPTIND - 1))
(($# >= 2)) || die "give at least two variants, e.g. base=/tmp/base new=."
per_variant=${per_variant:-$((CONNECTIONS / $#))}

names=()
ports=()
bench_restore() {
  local n
  for n in "${names[@]}"; do
    [[ -s "$work/nginx-$n/run/nginx.pid" ]] && kill -TERM "$(pidfile_pid "$work/nginx-$n/run/nginx.pid")" 2>/dev/null
  done
  return 0
}

preflight
bench_setup
chmod 755 "$work"  # nginx's workers (www-data) read their temp directories under it
port=$((HTTP_PORT + 100))
for spec in "$@"; do
  name=${spec%%=*}
  dir=$(abspath "${spec#*=}")
  [[ -x "$dir/nginx/render.sh" ]] || die "variant $spec: no nginx/render.sh in $dir"
  base=$work/nginx-$name
  mkdir -p "$base/log"
  env STACK_DIR="$base" PUBLIC_DIR="$dir/public" LISTEN="127.0.0.1:$port" \
    APP_UPSTREAM="unix:$STACK_DIR/run/fcgi/app.sock" AUTH_UPSTREAM="unix:$STACK_DIR/run/fcgi/auth.sock" \
    ACCESS_LOG="$base/log/access.log" ERROR_LOG="$base/log/error.log" METRICS_ALLOW=127.0.0.1 \
    "$dir/nginx/render.sh" >/dev/null || die "variant $name: render.sh failed"
  nginx -p "$base/nginx/" -c "$base/nginx/nginx.conf" -e "$base/log/error.log" || die "variant $name: nginx did not start"
  names+=("$name")
  ports+=("$port")
  port=$((port + 1))
done
sample_users
make_sessions
if [[ "$path" == /home ]]; then
  script=(home.lua BENCH_SESSIONS="$work/cookies")
  warm_cache home.lua BENCH_SESSIONS "$work/cookie-users"
else
  script=(static.lua BENCH_PATH="$path")
fi
say "bench: side-by-side nginx A/B of ${#names[@]} variants, GET $path, c=$per_variant each, $ROUNDS rounds of ${SECONDS_EACH}s, load $(loadavg)"

declare -A rps=() p99=() cpu=()
for ((round = 1; round <= ROUNDS; round++)); do
  declare -A before=() jobs_of=()
  for i in "${!names[@]}"; do before[$i]=$(tree_ticks "$(pidfile_pid "$work/nginx-${names[i]}/run/nginx.pid")"); done
  for i in "${!names[@]}"; do
    URL=http://127.0.0.1:${ports[i]} wrk_run "$OUT/${names[i]}.$round" "${script[0]}" "$per_variant" "$SECONDS_EACH" "${script[@]:1}" &
    jobs_of[$i]=$!
  done
  for i in "${!names[@]}"; do wait "${jobs_of[$i]}" || die "wrk failed for ${names[i]}"; done
  line="round $round:"
  for i in "${!names[@]}"; do
    n=${names[i]}
    after=$(tree_ticks "$(pidfile_pid "$work/nginx-$n/run/nginx.pid")")
    requests=$(sed -n 's/^requests=//p' "$OUT/$n.$round.env")
    rps[$n.$round]=$(sed -n 's/^rps=//p' "$OUT/$n.$round.env")
    p99[$n.$round]=$(sed -n 's/^p99=//p' "$OUT/$n.$round.env")
    cpu[$n.$round]=$(awk -v t=$(((after - before[$i]) * TICK_MS)) -v n="$requests" 'BEGIN { printf "%.4f", (n > 0 ? t / n : 0) }')
    line+="  $n ${rps[$n.$round]} req/s, p99 ${p99[$n.$round]} ms, nginx ${cpu[$n.$round]} ms/req"
  done
  say "$line (load $(loadavg))"
  unset before jobs_of
done

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo
echo "Side-by-side medians over $ROUNDS rounds (GET $path, c=$per_variant each; load $(loadavg) at the end)"
printf '%-12s %9s %9s %14s  %s\n' variant req/s p99 'nginx ms/req' 'vs first: nginx CPU per request'
first_cpu=""
for n in "${names[@]}"; do
  m_rps=$(for ((r = 1; r <= ROUNDS; r++)); do echo "${rps[$n.$r]}"; done | median)
  m_p99=$(for ((r = 1; r <= ROUNDS; r++)); do echo "${p99[$n.$r]}"; done | median)
  m_cpu=$(for ((r = 1; r <= ROUNDS; r++)); do echo "${cpu[$n.$r]}"; done | median)
  first_cpu=${first_cpu:-$m_cpu}
  printf '%-12s %9s %9s %14s  %sx\n' "$n" "$m_rps" "$m_p99" "$m_cpu" "$(ratio "$m_cpu" "$first_cpu")"
done
