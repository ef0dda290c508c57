#!/usr/bin/env bash
# Validates docker-compose.yml and deploy/scaled/compose.yml with Debian's docker-compose (no engine
# needed) and checks what operations and the trust boundary rely on:
# - compose refuses to start without the secret files, and accepts deploy/dev-only/compose.env;
# - every image is one of ours (login-*, built from Debian's packages), tagged with GIT_COMMIT;
# - two networks: "backend" is internal; nginx alone is on "edge" too, and alone publishes a port;
# - every password comes from a secret file (*_FILE under /run/secrets), none is in the rendered
#   config, every Redis and twemproxy has one, the workers name their FastCGI peer;
# - every long-running service restarts and has a health check (in compose or in its image);
# - the scaled topology (docs/SCALING.md) with the same rules, and its own settings;
# - every pool runs its description (deploy/pools/), and nginx derives its hashing slots from it.
# Exit 77 (CTest: skipped) without docker-compose.
set -euo pipefail
file=${1:?usage: compose_test.sh docker-compose.yml}
command -v docker-compose >/dev/null || { echo "docker-compose is not installed: skipped"; exit 77; }
fail() { echo "compose_test: $*" >&2; exit 1; }
dir=$(cd "$(dirname "$file")" && pwd)
file=$dir/$(basename "$file")
scaled_file=$dir/deploy/scaled/compose.yml
dev_env=$dir/deploy/dev-only/compose.env
# docker-compose is a python3 program with PyYAML: the structural checks use the same interpreter.
python=$(head -n1 "$(command -v docker-compose)" | sed -n 's/^#! *//p' | awk '{print $1}')
[[ -x "$python" ]] && "$python" -c 'import yaml' 2>/dev/null || python=/usr/bin/python3

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Without the secret files compose refuses, naming the first missing variable.
if out=$(env -u POSTGRES_PASSWORD_FILE LOGIN_SMTP_URL=smtp://relay:587 LOGIN_PUBLIC_URL=https://login.example \
           docker-compose --project-directory "$dir" -f "$file" config -q 2>&1); then
  fail "docker-compose config accepts $file without the secret files"
fi
grep -q 'set POSTGRES_PASSWORD_FILE to a file' <<<"$out" || fail "the refusal does not name POSTGRES_PASSWORD_FILE: $out"

dc() { docker-compose --project-directory "$dir" --env-file "$dev_env" "$@"; }
dc -f "$file" config -q || fail "docker-compose config rejects $file with $dev_env"
GIT_COMMIT=v9.9.9-test dc -f "$file" config >"$tmp/single.yml"
dc -f "$file" -f "$scaled_file" --profile scaled config -q || fail "docker-compose --profile scaled config rejects the scaled files"
GIT_COMMIT=v9.9.9-test dc -f "$file" -f "$scaled_file" --profile scaled config >"$tmp/scaled.yml"
# rules.py RENDERED NGINX WORKERS... : the structural rules, for one rendered config.
cat >"$tmp/rules.py" <<'PY'
import re, sys, yaml
rendered_path, dockerfile, secrets_dir, nginx, expected = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5].split()
text = open(rendered_path).read()
c = yaml.safe_load(text)
services = c["services"]
errors = []
def err(msg): errors.append(msg)

# Dockerfile targets with a HEALTHCHECK.
healthy_targets, target = set(), None
for line in open(dockerfile):
    m = re.match(r"FROM\s+\S+\s+AS\s+(\S+)", line, re.I)
    if m: target = m.group(1)
    elif line.startswith("HEALTHCHECK") and target and "NONE" not in line: healthy_targets.add(target)

if sorted(services) != sorted(expected):
    err(f"services {sorted(services)}, expected {sorted(expected)}")
nets = c.get("networks", {})
if not (nets.get("backend") or {}).get("internal"): err("the backend network is not internal")
if "edge" not in nets or (nets["edge"] or {}).get("internal"): err("no edge network that reaches outside")
# The mailer's way out to the SMTP relay: a network of its own that reaches outside.
mailers = [n for n, s in services.items() if s.get("command") == ["mailer"]]
if mailers and ("mail" not in nets or (nets["mail"] or {}).get("internal")):
    err("no mail network that reaches outside for the mailer")

import os
secret_values = [open(os.path.join(secrets_dir, f)).read().strip() for f in os.listdir(secrets_dir)]
for v in secret_values:
    if v and v in text: err(f"a secret's value appears in the rendered config")

for name, s in services.items():
    image = s.get("image", "")
    m = re.fullmatch(r"login-([a-z]+):v9\.9\.9-test", image)
    if not m: err(f"{name}: image {image} is not one of ours tagged with GIT_COMMIT"); continue
    target = "app" if m.group(1) == "fcgi" else m.group(1)
    on = set(s.get("networks") or {})
    mailer = name in mailers
    if name == nginx:
        if on != {"edge", "backend"}: err(f"{name}: networks {sorted(on)}, expected edge and backend")
        if not s.get("ports"): err(f"{name} publishes no port")
    elif mailer:
        if on != {"backend", "mail"}: err(f"{name}: networks {sorted(on)}, expected backend and mail")
        if s.get("ports"): err(f"{name} publishes a port")
    else:
        if on != {"backend"}: err(f"{name}: networks {sorted(on)}, expected backend only")
        if s.get("ports"): err(f"{name} publishes a port")
    restart = s.get("restart")
    if target == "migrate":
        if restart != "no": err(f"{name}: a one-shot with restart {restart}")
    else:
        if restart != "unless-stopped": err(f"{name}: restart {restart}, expected unless-stopped")
        if "healthcheck" not in s and target not in healthy_targets:
            err(f"{name}: no health check in compose nor in the Dockerfile's {target} stage")
    env = s.get("environment") or {}
    mounted = {x["source"] if isinstance(x, dict) else x for x in s.get("secrets") or []}
    for k, v in env.items():
        if "PASSWORD" in k:
            if not k.endswith("_FILE"): err(f"{name}: {k} carries a password itself")
            elif not re.fullmatch(r"/run/secrets/([a-z_]+)", str(v)) or str(v).rsplit("/", 1)[1] not in mounted:
                err(f"{name}: {k}={v} is not one of its secrets")
        if k.endswith("_URL") and re.search(r"//[^/@]*:[^/@]*@", str(v)):
            err(f"{name}: {k} carries a password")
    if target == "redis" or target == "nutcracker":
        if "REDIS_PASSWORD_FILE" not in env: err(f"{name}: Redis without REDIS_PASSWORD_FILE")
    if target == "postgres" and "POSTGRES_PASSWORD_FILE" not in env and name != "pg-standby":
        err(f"{name}: PostgreSQL without POSTGRES_PASSWORD_FILE")
    if mailer:
        for k in ("LOGIN_SMTP_URL", "LOGIN_PUBLIC_URL"):
            if not env.get(k): err(f"{name}: no {k}")
    if target == "app" and not mailer:
        for k in ("LOGIN_DATABASE_PASSWORD_FILE", "LOGIN_SESSION_REDIS_PASSWORD_FILE", "LOGIN_CACHE_REDIS_PASSWORD_FILE"):
            if k not in env: err(f"{name}: no {k}")
        if env.get("FCGI_WEB_SERVER") != nginx: err(f"{name}: FCGI_WEB_SERVER is {env.get('FCGI_WEB_SERVER')}, expected {nginx}")
        if ":" not in str(env.get("LOGIN_SOCKET", "")): err(f"{name}: LOGIN_SOCKET is not TCP")
        # The workers wait for nginx's name: nginx must not wait for them to be healthy.
        cond = ((services[nginx].get("depends_on") or {}).get(name) or {}).get("condition")
        if cond != "service_started": err(f"{nginx} waits for {name} with {cond}, expected service_started")
print("\n".join(errors))
PY
rules() {  # rules RENDERED NGINX SERVICES...
  local out
  out=$("$python" "$tmp/rules.py" "$1" "$dir/Dockerfile" "$dir/deploy/dev-only/secrets" "$2" "${*:3}")
  [[ -z "$out" ]] || fail "$(basename "$1"): $out"
}
base_services=(postgres redis-sessions redis-cache migrate app auth mailer nginx)
rules "$tmp/single.yml" nginx "${base_services[@]}"
# Without a relay the mailer cannot start: compose refuses, naming the variable.
grep -v '^LOGIN_SMTP_URL=' "$dev_env" >"$tmp/no-relay.env"
if out=$(docker-compose --project-directory "$dir" --env-file "$tmp/no-relay.env" -f "$file" config -q 2>&1); then
  fail "docker-compose config accepts $file without LOGIN_SMTP_URL"
fi
grep -q 'set LOGIN_SMTP_URL to' <<<"$out" || fail "the refusal does not name LOGIN_SMTP_URL: $out"
# The development mail sink: on the mail network only, publishing nothing.
GIT_COMMIT=v9.9.9-test dc -f "$file" -f "$dir/deploy/dev-only/mail-sink.yml" config >"$tmp/sink.yml" \
  || fail "docker-compose config rejects deploy/dev-only/mail-sink.yml"
"$python" - "$tmp/sink.yml" <<'PY' || fail "deploy/dev-only/mail-sink.yml breaks a rule"
import sys, yaml
s = yaml.safe_load(open(sys.argv[1]))["services"]["mail-sink"]
assert set(s.get("networks") or {}) == {"mail"}, s.get("networks")
assert not s.get("ports"), s.get("ports")
assert s.get("image") == "login-mailsink:v9.9.9-test", s.get("image")
PY

# The scaled topology: its own services, by the same rules (with the single-host stack beside it).
hosts=(app1 app2 auth1 auth2)
scaled_services=(pg-primary pg-standby migrate-scaled sessions-primary sessions-replica sentinel1 sentinel2
                 sentinel3 cache1 cache2 nutcracker "${hosts[@]}" nginx-scaled)
"$python" - "$tmp/scaled.yml" "$tmp/scaled-only.yml" "${base_services[@]}" <<'PY'
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
for s in sys.argv[3:]: del c["services"][s]
yaml.safe_dump(c, open(sys.argv[2], "w"))
PY
rules "$tmp/scaled-only.yml" nginx-scaled "${scaled_services[@]}"

# ---- the pools' one description (deploy/pools/) ----
# Every pool service, single-host and scaled, runs with its pool's settings exactly; every nginx reads
# the auth pool's description for its hashing slots.
"$python" - "$tmp/scaled.yml" "$dir/deploy/pools" <<'PY' || fail "a service does not run the pools' description"
import re, sys, yaml
c = yaml.safe_load(open(sys.argv[1]))["services"]
def description(pool):
    lines = open(f"{sys.argv[2]}/{pool}.env").read().splitlines()
    return dict(l.split("=", 1) for l in lines if re.match(r"[A-Z_][A-Z0-9_]*=", l))
errors = []
for name in ("app", "auth", "app1", "app2", "auth1", "auth2"):
    env = {k: str(v) for k, v in (c[name].get("environment") or {}).items()}
    for k, v in description(name.rstrip("12")).items():
        if env.get(k) != v: errors.append(f"{name}: {k}={env.get(k)}, its description says {v}")
for name in ("nginx", "nginx-scaled"):
    s = c[name]
    path = (s.get("environment") or {}).get("AUTH_POOL_ENV")
    mounts = [v if isinstance(v, str) else f"{v['source']}:{v['target']}" for v in s.get("volumes") or []]
    if not any(m.startswith(f"{sys.argv[2]}/auth.env:{path}") for m in mounts):
        errors.append(f"{name}: AUTH_POOL_ENV ({path}) is not deploy/pools/auth.env: {mounts}")
    if "HASH_SLOTS" in (s.get("environment") or {}): errors.append(f"{name}: HASH_SLOTS set beside the description")
print("\n".join(errors), file=sys.stderr)
sys.exit(1 if errors else 0)
PY

# ---- the scaled topology's own settings ----
# The lines of one service in a rendered config (services are indented by two spaces).
block() { awk -v s="  $1:" '$0 == s {on = 1; next} on && /^  [a-z]/ {exit} on' "$tmp/scaled.yml"; }
has() { grep -qF -- "$2" <<<"$(block "$1")" || fail "$1: expected '$2'"; }
# A plain `up` of both files starts the single-host stack only: every scaled service is in the profile.
for s in "${scaled_services[@]}"; do
  block "$s" | grep -A1 '^    profiles:' | grep -qx -- '    - scaled' || fail "$s is not in the scaled profile"
done
# Every worker host: TCP, the primary and read URLs over both PostgreSQL servers, Sentinel, WAIT, twemproxy.
for s in "${hosts[@]}"; do
  has "$s" 'LOGIN_SOCKET: 0.0.0.0:9000'
  has "$s" '@pg-primary:5432,pg-standby:5432/login?target_session_attrs=read-write'
  has "$s" 'LOGIN_DATABASE_READ_URL: postgresql://'
  has "$s" '@pg-primary:5432,pg-standby:5432/login?target_session_attrs=prefer-standby'
  has "$s" "LOGIN_READ_YOUR_WRITES_SECONDS: '2'"
  has "$s" 'LOGIN_SESSION_REDIS_URL: sentinel://sentinel1:26379,sentinel2:26379,sentinel3:26379/sessions'
  has "$s" "LOGIN_SESSION_WAIT_REPLICAS: '1'"
  has "$s" "LOGIN_SESSION_WAIT_TIMEOUT_MS: '100'"
  has "$s" 'LOGIN_CACHE_REDIS_URL: redis://nutcracker:22121'
  has "$s" 'migrate-scaled:'
done
# nginx: every host once in each upstream, with passive health checks.
has nginx-scaled 'APP_UPSTREAM: app1:9000 app2:9000'
has nginx-scaled 'AUTH_UPSTREAM: auth1:9000 auth2:9000'
has nginx-scaled "UPSTREAM_MAX_FAILS: '1'"
has nginx-scaled 'UPSTREAM_FAIL_TIMEOUT: 10s'
# render.sh accepts those upstreams and writes one server line per host.
STACK_DIR=$tmp/nginx PUBLIC_DIR="$dir/public" LISTEN=8080 APP_UPSTREAM="app1:9000 app2:9000" \
  AUTH_UPSTREAM="auth1:9000 auth2:9000" UPSTREAM_MAX_FAILS=1 UPSTREAM_FAIL_TIMEOUT=10s \
  AUTH_POOL_ENV="$dir/deploy/pools/auth.env" \
  ACCESS_LOG=/dev/stdout ERROR_LOG=stderr "$dir/nginx/render.sh" || fail "render.sh rejects the scaled upstreams"
for peer in app1 app2; do
  grep -q "server $peer:9000 max_fails=1 fail_timeout=10s;" "$tmp/nginx/nginx/nginx.conf" \
    || fail "rendered nginx.conf has no passive health check for $peer"
done
# The auth hosts also take at most HASH_SLOTS hashing requests each: one host's auth workers plus
# the queue, as the auth pool's description gives them.
slots=$(set -a && . "$dir/deploy/pools/auth.env" && echo $((LOGIN_WORKERS + LOGIN_HASH_QUEUE)))
for peer in auth1 auth2; do
  grep -q "server $peer:9000 max_fails=1 fail_timeout=10s max_conns=$slots;" "$tmp/nginx/nginx/nginx.conf" \
    || fail "rendered nginx.conf has no passive health check or hashing bound for $peer"
done
# A per-address hashing limit above what nginx's limit_conn takes is refused by render.sh, by name.
out=$(STACK_DIR=$tmp/nginx-bad PUBLIC_DIR="$dir/public" LISTEN=8080 APP_UPSTREAM=app1:9000 \
  AUTH_UPSTREAM=auth1:9000 HASH_PER_ADDRESS=65536 "$dir/nginx/render.sh" 2>&1) \
  && fail "render.sh accepts HASH_PER_ADDRESS=65536"
[[ "$out" == *"HASH_PER_ADDRESS (65536) must be at most 65535"* ]] || fail "render.sh's refusal does not name HASH_PER_ADDRESS: $out"

# PostgreSQL: synchronous replication on the primary, a standby cloned with pg_basebackup -R.
has pg-primary 'synchronous_commit=on'
has pg-primary 'SYNCHRONOUS_STANDBY_NAMES: FIRST 1 (pg_standby)'
has pg-primary '/docker-entrypoint-initdb.d/'
has pg-primary 'REPLICATION_PASSWORD_FILE: /run/secrets/replication_password'
grep -q "ALTER SYSTEM SET synchronous_standby_names" "$dir/deploy/scaled/pg-primary-init.sh" \
  || fail "pg-primary-init.sh does not set synchronous_standby_names"
grep -q "host replication replicator all" "$dir/deploy/scaled/pg-primary-init.sh" \
  || fail "pg-primary-init.sh does not admit the replicator"
has pg-standby '/opt/login/scaled/pg-standby.sh'
has pg-standby 'STANDBY_NAME: pg_standby'
has pg-standby 'REPLICATION_PASSWORD_FILE: /run/secrets/replication_password'
grep -q -- '--write-recovery-conf' "$dir/deploy/scaled/pg-standby.sh" || fail "pg-standby.sh does not use pg_basebackup -R"
has migrate-scaled 'PGHOST: pg-primary'

# Session Redis: a replica of the primary, three Sentinels with quorum 2, sharing one password.
has sessions-primary '/etc/login/redis/sessions.conf'
has sessions-replica 'replicaof sessions-primary 6379'
for s in sessions-primary sessions-replica sentinel1 sentinel2 sentinel3; do
  has "$s" 'REDIS_PASSWORD_FILE: /run/secrets/session_redis_password'
done
for s in sentinel1 sentinel2 sentinel3; do
  has "$s" '--sentinel'
  has "$s" "sentinel announce-ip $s"
done
grep -qx 'sentinel monitor sessions sessions-primary 6379 2' "$dir/deploy/scaled/sentinel.conf" \
  || fail "sentinel.conf does not monitor sessions-primary with quorum 2"

# The cache: two nodes behind twemproxy, ketama, ejecting a dead node, all with the cache password.
for s in cache1 cache2; do has "$s" '/etc/login/redis/cache.conf'; done
for s in cache1 cache2 nutcracker; do has "$s" 'REDIS_PASSWORD_FILE: /run/secrets/cache_redis_password'; done
has nutcracker '/deploy/scaled/nutcracker.yml:/etc/nutcracker/nutcracker.yml'
nc_conf=$dir/deploy/scaled/nutcracker.yml
for line in 'distribution: ketama' 'auto_eject_hosts: true' 'redis: true' 'listen: 0.0.0.0:22121' \
            '- cache1:6379:1 cache1' '- cache2:6379:1 cache2'; do
  grep -qF -- "$line" "$nc_conf" || fail "nutcracker.yml: expected '$line'"
done
if command -v nutcracker >/dev/null; then
  nutcracker --test-conf --conf-file="$nc_conf" >/dev/null 2>&1 || fail "nutcracker rejects $nc_conf"
fi
# Every file a service mounts or names as a secret exists in the repository.
while read -r src; do
  [[ -e "$src" ]] || fail "a service mounts $src, which does not exist"
done < <(grep -oh "$dir/[^: ]*" "$tmp/single.yml" "$tmp/scaled.yml" | sort -u)
echo "compose_test: $(basename "$file") and deploy/scaled/compose.yml are valid"
