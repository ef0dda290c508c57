#!/usr/bin/env bash
# A/B runs: two or more variants of the stack measured in turn, in one run and under the same
# conditions, so that a change is kept only when it wins. Each variant is a checkout (its nginx
# template, scripts and build/fcgi-app/login-fcgi) and optional settings; the running `make run`
# stack switches between them with that checkout's own `scripts/stack.sh start` (PostgreSQL and
# Redis stay up; the pools restart, nginx reloads). Rounds alternate the order of the variants.
#
# Usage: bench/ab.sh [-r ROUNDS] [-s SECONDS] [-c CONNECTIONS] [-p PATH] VARIANT VARIANT...
#   VARIANT: "NAME [dir=CHECKOUT] [VAR=VALUE...]", e.g. 'base dir=/tmp/base' 'new' 'w16 APP_WORKERS=16'
#   (dir defaults to this checkout; VAR=VALUE reach scripts/stack.sh and the workers).
#   -p: /home (default; the bench's warm sessions), or any GET path (/healthz, /login).
# Environment: as bench/run.sh (STACK_DIR, HTTP_PORT, PG_PORT, REDIS_PORT, ...).
# Prints one line per measured run and, per variant, the median req/s, p99, max and CPU per request
# of each tier, with its ratio to the first variant. Restores the first variant at the end.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

ROUNDS=3
SECONDS_EACH=10
path=/home
while getopts 'r:s:c:p:' opt; do
  case "$opt" in
    r) ROUNDS=$OPTARG ;;
    s) SECONDS_EACH=$OPTARG ;;
    c) CONNECTIONS=$OPTARG ;;
    p) path=$OPTARG ;;
    *) die "usage: bench/ab.sh [-r ROUNDS] [-s SECONDS] [-c CONNECTIONS] [-p PATH] VARIANT VARIANT..." ;;
  esac
done
shift $((OPTIND - 1))
(($# >= 2)) || die "give at least two variants, e.g. 'base dir=/tmp/base' 'new'"
variants=("$@")

variant_name() { local -a f; read -r -a f <<<"$1"; echo "${f[0]}"; }

# use_variant SPEC: restarts the pools and reloads nginx as that variant's checkout would.
use_variant() {
  local -a fields settings=()
  local dir=$ROOT f i
  read -r -a fields <<<"$1"
  for f in "${fields[@]:1}"; do
    case "$f" in
      dir=*) dir=$(abspath "${f#dir=}") ;;
      *=*) settings+=("$f") ;;
      *) die "variant '$1': '$f' is neither dir=CHECKOUT nor VAR=VALUE" ;;
    esac
  done
  [[ -x "$dir/scripts/stack.sh" && -x "$dir/build/fcgi-app/login-fcgi" ]] \
    || die "variant '$1': $dir needs scripts/stack.sh and build/fcgi-app/login-fcgi"
  env STACK_DIR="$STACK_DIR" HTTP_PORT="$HTTP_PORT" PG_PORT="$PG_PORT" REDIS_PORT="$REDIS_PORT" \
    LOGIN_BIN="$dir/build/fcgi-app/login-fcgi" LOGIN_KEY_PREFIX="$PREFIX" "${settings[@]}" \
    "$dir/scripts/stack.sh" start >>"$OUT/stack.log" 2>&1 || die "variant '$1' did not start (see $OUT/stack.log)"
  for ((i = 0; i < 50; i++)); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' -b "sid=$first_sid" "$URL$path")" == 200 ]] && return 0
    sleep 0.2
  done
  die "variant '$1' does not answer GET $path with 200"
}

bench_restore() { use_variant "${variants[0]}" || true; }

preflight
bench_setup
sample_users
make_sessions
if [[ "$path" == /home ]]; then
  script=(home.lua BENCH_SESSIONS="$work/cookies")
else
  script=(static.lua BENCH_PATH="$path")
fi
say "bench: A/B of ${#variants[@]} variants, GET $path, c=$CONNECTIONS, $ROUNDS rounds of ${SECONDS_EACH}s each (after ${WARMUP}s warm-up), load $(loadavg)"

for ((round = 1; round <= ROUNDS; round++)); do
  ids=("${!variants[@]}")
  # Odd rounds in order, even rounds reversed: a drift in the machine's load hits both alike.
  ((round % 2 == 0)) && ids=($(printf '%s\n' "${ids[@]}" | tac))
  for i in "${ids[@]}"; do
    name=$(variant_name "${variants[i]}")
    use_variant "${variants[i]}"
    # Cached profiles expire (LOGIN_PROFILE_CACHE_TTL): every round starts with all of them cached.
    [[ "$path" != /home ]] || warm_cache home.lua BENCH_SESSIONS "$work/cookie-users"
    warm_up "${script[0]}" "$CONNECTIONS" "$WARMUP" "${script[@]:1}"
    BENCH_SECONDS=$SECONDS_EACH measure "$name.$round" "${script[0]}" "$CONNECTIONS" "variant $name, round $round" "${script[@]:1}"
  done
done

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo
echo "A/B medians over $ROUNDS rounds (GET $path, c=$CONNECTIONS; load $(loadavg) at the end)"
fields=(rps p99 max errors cpu_nginx cpu_app cpu_redis cpu_wrk cpu_total)
printf '%-12s' variant; printf ' %9s' req/s p99 max errors nginx app redis wrk 'cpu total'; printf '  %s\n' 'vs first: req/s, CPU per request'
first=""
for spec in "${variants[@]}"; do
  name=$(variant_name "$spec")
  declare -A med=()
  for f in "${fields[@]}"; do
    med[$f]=$(for ((round = 1; round <= ROUNDS; round++)); do echo "${R[$name.$round.$f]}"; done | median)
  done
  [[ -n "$first" ]] || { first=$name; first_rps=${med[rps]}; first_cpu=${med[cpu_total]}; }
  printf '%-12s' "$name"
  for f in "${fields[@]}"; do printf ' %9s' "${med[$f]}"; done
  printf '  %sx, %sx\n' "$(ratio "${med[rps]}" "$first_rps")" "$(ratio "${med[cpu_total]}" "$first_cpu")"
  unset med
done
echo "(req/s and CPU ms per request of each tier; raw runs in bench/results/$stamp/)"
