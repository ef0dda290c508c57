#!/usr/bin/env bash
# The layer rules of fcgi-app/src (docs/ARCHITECTURE.md), checked over the #include lines:
# each folder may include only the folders listed for it, so dependencies point one way
# (routes → services → stores → C libraries) and a route never reaches a store. Exits 1 and
# names every include that breaks a rule. Below store/ and nowhere else: the C libraries of the
# stores (hiredis, libpq) and the names of their types, SQLSTATE codes, and the strings of the
# Redis key schema (store/keys.cpp).
set -euo pipefail
src=${1:?usage: layers.sh fcgi-app/src}

declare -A allowed=(
  [util]="util"
  [model]=""
  [metrics]="metrics util"
  [http]="http model util"
  [store]="store model metrics util"
  [service]="service store model metrics util config.hpp"
  [routes]="routes service model http metrics util app"
  [app]="app service store model metrics util config.hpp"
  [cli]="cli app service model routes util config.hpp store/errors.hpp"
)

status=0
for layer in "${!allowed[@]}"; do
  [[ -d "$src/$layer" ]] || { echo "layers: $src/$layer is missing"; status=1; continue; }
  while IFS=: read -r file line include; do
    target=${include#*\"}
    target=${target%\"*}
    ok=0
    for a in ${allowed[$layer]}; do
      if [[ "$target" == "$a" || "$target" == "$a/"* ]]; then ok=1; break; fi
    done
    if ((!ok)); then
      echo "layers: $file:$line includes \"$target\", which $layer/ may not (allowed: ${allowed[$layer]:-nothing})"
      status=1
    fi
  done < <(grep -Hn '^#include "' "$src/$layer"/* || true)
done
# The stores' C libraries, included only by store/.
while IFS=: read -r file line include; do
  echo "layers: $file:$line includes ${include#\#include }, which only store/ may (typed values cross the store boundary)"
  status=1
done < <(grep -rHn -E '^#include <(hiredis/|libpq-fe\.h)' "$src" | grep -v "^$src/store/" || true)
# Nor do their types, functions or error codes appear above store/ (a header of store/ that
# includes a C library makes its names visible; they stay unused).
while IFS= read -r hit; do
  echo "layers: $hit: a hiredis or libpq name or an SQLSTATE above store/ (ask store/ for a typed value)"
  status=1
done < <(grep -rHn -E '\b(redisReply|redisContext|PGresult|PGconn|PQ[a-z][A-Za-z]*)\b|REDIS_REPLY_|PG_DIAG_|sqlstate' \
           "$src" | grep -v "^$src/store/" || true)
# Redis keys are spelled only by the key schema.
while IFS= read -r hit; do
  echo "layers: $hit: a Redis key spelled outside store/keys.cpp (use store::Keys)"
  status=1
done < <(grep -rHn -E '"(s|sm|us|p|pl|t|rl|tok|mfa|mail):' "$src" | grep -v "^$src/store/keys.cpp:" || true)
# Every folder of the source tree has a rule.
for dir in "$src"/*/; do
  name=$(basename "$dir")
  [[ -v "allowed[$name]" ]] || { echo "layers: no rule for $name/"; status=1; }
done
((status == 0)) && echo "layers: every include follows the rules"
exit "$status"
