#!/usr/bin/env bash
# Validates deploy/monitoring/ with the real tools: promtool checks the alert rules and runs their
# unit tests (alerts.test.yml); the Grafana dashboard must be well-formed JSON whose every query
# promtool parses; and every login_* and process_* metric the rules and the dashboard name must be
# in the running stack's exposition (TEST_BASE_URL), so that no panel or alert watches nothing.
set -euo pipefail
dir=${1:?usage: monitoring_test.sh deploy/monitoring}
fail() { echo "monitoring_test: $*" >&2; exit 1; }
command -v promtool >/dev/null || fail "promtool is missing (Debian package prometheus; make deps installs it)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

promtool check rules "$dir/alerts.yml" || fail "promtool check rules rejects alerts.yml"
(cd "$dir" && promtool test rules alerts.test.yml) || fail "the alert unit tests fail"

# The dashboard's queries as recording rules, so that promtool parses each one.
node -e '
  const fs = require("fs");
  const d = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  if (!d.title || !d.uid || !Array.isArray(d.panels) || d.panels.length === 0)
    throw new Error("dashboard.json needs a title, a uid and panels");
  const exprs = d.panels.flatMap(p => (p.targets || []).map(t => t.expr));
  if (exprs.length === 0 || exprs.some(e => typeof e !== "string" || e === ""))
    throw new Error("every panel target needs an expr");
  const lines = ["groups:", "  - name: dashboard", "    rules:"];
  exprs.forEach((e, i) => lines.push(`      - record: dashboard:query${i}`,
                                     `        expr: ${JSON.stringify(e.replaceAll("$__rate_interval", "5m"))}`));
  fs.writeFileSync(process.argv[2], lines.join("\n") + "\n");
' "$dir/dashboard.json" "$tmp/dashboard-rules.yml" || fail "dashboard.json is not a well-formed dashboard"
promtool check rules "$tmp/dashboard-rules.yml" >/dev/null || fail "promtool rejects a dashboard query (above)"

# Metric names used by the rules and the dashboard, against what the pools expose.
base=${TEST_BASE_URL:?TEST_BASE_URL is not set: run through make test}
curl -fsS "$base/metrics" >"$tmp/metrics.txt" || fail "GET /metrics failed"
curl -fsS "$base/metrics/auth" >>"$tmp/metrics.txt" || fail "GET /metrics/auth failed"
exposed=$(sed -n 's/^# TYPE \([a-z_:]*\) .*/\1/p' "$tmp/metrics.txt" | sort -u)
used=$({ grep -vE '^\s*(#|summary:|description:)' "$dir/alerts.yml"; grep '"expr"' "$dir/dashboard.json"; } \
  | grep -oE '\b(login|process)_[a-z_]+' \
  | sed -E 's/_(bucket|sum|count)$//' | sort -u)
missing=$(comm -23 <(echo "$used") <(echo "$exposed"))
[[ -z "$missing" ]] || fail "named in deploy/monitoring but not exposed: $missing"
echo "monitoring_test: alerts.yml ($(grep -c '  - alert:' "$dir/alerts.yml") alerts) and dashboard.json ($(grep -c '"expr"' "$dir/dashboard.json") queries) pass; $(wc -l <<<"$used") metric names exposed"
