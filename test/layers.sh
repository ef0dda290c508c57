#!/usr/bin/env bash
# The layer rules of fcgi-app/src (docs/ARCHITECTURE.md), checked over the #include lines:
# each folder may include only the folders listed for it, so dependencies point one way
# (routes → services → stores → C libraries) and a route never reaches a store. Exits 1 and
# names every include that breaks a rule.
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
# Every folder of the source tree has a rule.
for dir in "$src"/*/; do
  name=$(basename "$dir")
  [[ -v "allowed[$name]" ]] || { echo "layers: no rule for $name/"; status=1; }
done
((status == 0)) && echo "layers: every include follows the rules"
exit "$status"
