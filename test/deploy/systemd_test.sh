#!/usr/bin/env bash
# Checks deploy/systemd/ with systemd's own parser: `systemd-analyze verify` must accept the pool
# template (as login-fcgi@app and login-fcgi@auth), the mailer and the nginx unit without a single message
# (it exits 0 on unknown keys and bad values, and only prints them). The units name the installed
# paths (/usr/local/bin/login-fcgi, /opt/login/nginx/render.sh), which verify requires to be
# executable, so a copy points them at this checkout's files. The environment templates, with the
# pools' description (deploy/pools/), must pass `login-fcgi config check`, and nginx's template
# must render with it.
set -euo pipefail
dir=${1:?usage: systemd_test.sh deploy/systemd login-fcgi-binary}
bin=${2:?usage: systemd_test.sh deploy/systemd login-fcgi-binary}
root=$(cd "$dir/../.." && pwd)
pools=$root/deploy/pools
fail() { echo "systemd_test: $*" >&2; exit 1; }
command -v systemd-analyze >/dev/null || fail "systemd-analyze is missing (Debian package systemd; make deps installs it)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

head -c 48 /dev/urandom | base64 >"$tmp/secret.key"
# The environment template with each pool's description is a valid configuration (the server key's
# file is the one thing a host provides: a generated one stands in for the template's), and the pool
# runs the description's workers and priority.
grep -q '^LOGIN_SECRET_KEY_FILE=/' "$dir/login.env.example" || fail "login.env.example names no server key file"
for pool in app auth; do
  out=$(env -i PATH=/usr/bin:/bin bash -c \
    'set -a; . "$1"; . "$2"; LOGIN_SECRET_KEY_FILE=$4; exec "$3" config check' _ \
    "$dir/login.env.example" "$pools/$pool.env" "$bin" "$tmp/secret.key" 2>&1) \
    || fail "login.env.example + deploy/pools/$pool.env fail login-fcgi config check: $out"
  grep -q '^LOGIN_PROFILE=production$' <<<"$out" || fail "the templates do not run the production profile"
  for setting in LOGIN_WORKERS LOGIN_WORKER_NICE LOGIN_BACKLOG; do
    grep -qx "$(grep "^$setting=" "$pools/$pool.env")" <<<"$out" || fail "the $pool pool does not run its description's $setting: $out"
  done
done
# nginx.env.example points nginx at the auth pool's installed description; rendered with this
# checkout's, each auth host gets its workers plus the queue.
grep -qx 'AUTH_POOL_ENV=/etc/login/auth.env' "$dir/nginx.env.example" || fail "nginx.env.example does not read /etc/login/auth.env"
slots=$(set -a && . "$pools/auth.env" && echo $((LOGIN_WORKERS + LOGIN_HASH_QUEUE)))
STACK_DIR=$tmp/nginx PUBLIC_DIR="$root/public" LISTEN=8080 APP_UPSTREAM=unix:/run/login-app/app.sock \
  AUTH_UPSTREAM=unix:/run/login-auth/auth.sock AUTH_POOL_ENV="$pools/auth.env" ERROR_LOG=stderr \
  "$root/nginx/render.sh" || fail "nginx/render.sh fails with deploy/pools/auth.env"
grep -q "server unix:/run/login-auth/auth.sock max_fails=0 max_conns=$slots;" "$tmp/nginx/nginx/nginx.conf" \
  || fail "nginx does not hand the auth pool $slots hashing requests"
grep -q '^EnvironmentFile=/etc/login/%i.env$' "$dir/login-fcgi@.service" || fail "the pool unit does not require its description"

# The mailer's template on top of login.env (its SMTP password file, too, is the host's).
echo smtp-password >"$tmp/smtp.password"
out=$(env -i PATH=/usr/bin:/bin bash -c \
  'set -a; . "$1"; . "$2"; LOGIN_SECRET_KEY_FILE=$4; LOGIN_SMTP_PASSWORD_FILE=$5; exec "$3" config check' _ \
  "$dir/login.env.example" "$dir/mailer.env.example" "$bin" "$tmp/secret.key" "$tmp/smtp.password" 2>&1) \
  || fail "login.env.example + mailer.env.example fail login-fcgi config check: $out"
grep -q '^LOGIN_SMTP_STARTTLS=on$' <<<"$out" || fail "the mailer's template does not require STARTTLS"
grep -q '^LOGIN_SMTP_PASSWORD=\*\*\*$' <<<"$out" || fail "the mailer's template sets no SMTP password"

cp "$dir"/*.service "$tmp/"
sed -i -e "s|/usr/local/bin/login-fcgi|$bin|g" -e "s|/opt/login/|$root/|g" "$tmp"/*.service
grep -q "^ExecStart=$bin serve$" "$tmp/login-fcgi@.service" || fail "the pool unit does not run login-fcgi serve"
grep -q '^ExecReload=/bin/kill -HUP \$MAINPID$' "$tmp/login-fcgi@.service" || fail "the pool unit does not reload with SIGHUP"
grep -q "^ExecStart=$bin mailer$" "$tmp/login-mailer.service" || fail "the mailer unit does not run login-fcgi mailer"
for unit in login-fcgi@app.service login-fcgi@auth.service login-mailer.service login-nginx.service; do
  out=$(cd "$tmp" && systemd-analyze verify --man=no "./$unit" 2>&1) || fail "$unit: systemd-analyze verify failed: $out"
  [[ -z "$out" ]] || fail "$unit: systemd-analyze verify complains: $out"
done
# Every environment file a unit reads has a template here, or is a pool's description.
for env in login mailer nginx; do
  [[ -f "$dir/$env.env.example" ]] || fail "deploy/systemd/$env.env.example is missing"
done
for env in app auth; do
  [[ -f "$pools/$env.env" ]] || fail "deploy/pools/$env.env is missing"
done
echo "systemd_test: login-fcgi@app, login-fcgi@auth, login-mailer and login-nginx pass systemd-analyze verify"
