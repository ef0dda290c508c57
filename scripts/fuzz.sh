#!/usr/bin/env bash
# Runs every libFuzzer target of test/fuzz for FUZZ_SECONDS each, one after the other, and fails
# when any of them crashes, leaks, times out or breaks an invariant.
# Usage: scripts/fuzz.sh <fuzz build dir> [target...]   (targets default to all fuzz_* built)
# Environment: FUZZ_SECONDS (60), FUZZ_TIMEOUT (seconds one input may take, 5),
#              FUZZ_RSS_MB (memory limit, 2048), FUZZ_MAX_LEN (bytes per input, 16384: the body limit).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build_dir=${1:?usage: scripts/fuzz.sh <fuzz build dir> [target...]}
shift
seconds=${FUZZ_SECONDS:-60}
timeout=${FUZZ_TIMEOUT:-5}
rss_mb=${FUZZ_RSS_MB:-2048}
max_len=${FUZZ_MAX_LEN:-16384}

targets=("$@")
if ((${#targets[@]} == 0)); then
  for bin in "$build_dir"/test/fuzz/fuzz_*; do
    [[ -x "$bin" && -f "$bin" ]] && targets+=("$(basename "$bin")")
  done
fi
((${#targets[@]} > 0)) || { echo "fuzz: no targets in $build_dir/test/fuzz" >&2; exit 1; }

# The committed seeds stay read-only; what libFuzzer learns goes to the build directory and is
# reused by the next run there.
out="$build_dir/fuzz-out"
mkdir -p "$out"
failed=()
summary=()
for target in "${targets[@]}"; do
  name=${target#fuzz_}
  seeds="test/fuzz/corpus/$name"
  work="$out/corpus/$name"
  log="$out/$name.log"
  mkdir -p "$work" "$out/artifacts"
  echo "fuzz: $target for ${seconds}s (log $log)"
  "$build_dir/test/fuzz/$target" "$work" "$seeds" \
    -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb="$rss_mb" -max_len="$max_len" \
    -artifact_prefix="$out/artifacts/$name-" -print_final_stats=1 >"$log" 2>&1
  status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  summary+=("$(printf '%-16s %12s executions  %s' "$target" "${runs:-?}" \
    "$( ((status == 0)) && echo ok || echo "FAILED (exit $status)")")")
  if ((status != 0)); then
    failed+=("$target")
    grep -E 'ERROR|invariant failed|SUMMARY|Test unit written' "$log" | head -20 >&2
  fi
done

printf '%s\n' "fuzz: summary (${seconds}s per target)" "${summary[@]}"
if ((${#failed[@]} > 0)); then
  echo "fuzz: FAILED: ${failed[*]} (inputs in $out/artifacts/, logs in $out/)" >&2
  exit 1
fi
