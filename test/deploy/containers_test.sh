#!/usr/bin/env bash
# make test-containers: the compose stack as users and operators meet it. Builds the images (reusing
# the layer cache; the Debian base first when it is missing), brings up docker-compose.yml with
# fresh random secrets and HTTPS (deploy/tls/compose.yml, a self-signed certificate), waits for every
# health check, then checks through nginx's published ports, over HTTPS as a browser would:
#   0. HTTPS answers with HSTS, with the certificate given as a secret file; plain HTTP answers only
#      with a redirect to the published HTTPS port (and the probes' /healthz)
#   1. the first administrator, created with the CLI in a one-off app container, logs in; /home shows their name
#   2. an API client created with the CLI gets 200 from GET /api/v1/users
#   3. a worker killed with SIGKILL during a loop of logged-in GET /home: no request fails
#   4. the session Redis container restarts: the session made before still works (AOF on a volume)
#   5. down, then up without -v: users, API clients and sessions are still there
#   6. from a container on the edge network only, the FastCGI port, PostgreSQL and Redis are
#      unreachable and nginx is reachable; from one on the backend network, the workers refuse
#      FastCGI, Redis asks for a password and PostgreSQL for one
#   7. every process of the app container runs as a non-root user
#   8. a password recovery request: the mailer delivers the mail to the development mail sink
#      (deploy/dev-only/mail-sink.yml), and the link in it opens the reset form
#   9. each pool runs the worker count and CPU priority of its description (deploy/pools/): the auth
#      pool's workers at nice 10, the app pool's at 0; nginx's hashing slots come from auth.env
# and ends with down -v, whatever happened. Each phase is timed; the summary at the end gives the
# phase times, the image sizes and what each operator check printed.
#
# No container engine here (no podman, and docker without a running engine) is a failure, so that
# CI cannot pass without having run the stack; CONTAINERS_OPTIONAL=1 turns only that case into a
# skip (exit 77, with the reason), for a machine that cannot run containers at all. podman installed
# but unable to start a container is a failure, with its error, whatever CONTAINERS_OPTIONAL says.
# Environment: CONTAINERS_OPTIONAL (see above), CONTAINER_ENGINE (scripts/container.sh),
#   COMPOSE_HTTP_PORT (28090) and COMPOSE_HTTPS_PORT (28091): the ports nginx publishes,
#   COMPOSE_PROJECT (logintest), BASE_IMAGE (scripts/image.sh), KEEP_STACK (1: leave the stack up
#   after a failure, for a look; down -v it yourself).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LIB_NAME=test-containers
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
# shellcheck source=scripts/container.sh
source "$ROOT/scripts/container.sh"

PORT=${COMPOSE_HTTP_PORT:-28090}
TLS_PORT=${COMPOSE_HTTPS_PORT:-28091}
PROJECT=${COMPOSE_PROJECT:-logintest}
BASE_URL=https://127.0.0.1:$TLS_PORT
ADMIN="admin"
ADMIN_NAME="Ada Admin"
ADMIN_PASSWORD=$(openssl rand -hex 12)

fail() { printf 'test-containers: FAIL: %s\n' "$*" >&2; exit 1; }
# no_engine REASON: there is no engine to run the stack with; a failure unless the operator opted out.
no_engine() {
  if [[ "${CONTAINERS_OPTIONAL:-}" == 1 ]]; then
    printf 'test-containers: SKIPPED (CONTAINERS_OPTIONAL=1): %s; the container deployment was NOT tested\n' "$*"
    exit 77
  fi
  fail "$* (install podman with make deps, or set CONTAINERS_OPTIONAL=1 to skip on a machine that cannot run containers)"
}

# ---- can an engine start a container here? ----
if [[ -z "${CONTAINER_ENGINE:-}" ]] && ! command -v podman >/dev/null; then
  command -v docker >/dev/null || no_engine "no container engine is installed (podman or docker)"
  docker info >/dev/null 2>&1 || no_engine "docker is installed, but no Docker engine runs here ($(docker info 2>&1 | grep -m1 -i error || true))"
fi
engine_pick
if [[ "$ENGINE" == podman ]]; then
  out=$(podman info 2>&1) || fail "podman is installed but does not work: $out"
  command -v podman-compose >/dev/null || fail "podman-compose is not installed (make deps installs it)"
else
  out=$(docker info 2>&1) || no_engine "docker is installed, but no Docker engine runs here: $(grep -m1 -i error <<<"$out")"
fi

VERSION=$(git -C "$ROOT" describe --always --dirty --tags)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/test-containers.XXXXXX")
LOG=$WORK/compose.log
SUMMARY=$WORK/summary
: >"$SUMMARY"
note() { printf '%s\n' "$*" | tee -a "$SUMMARY"; }

declare -a PHASES=()
phase_start=$SECONDS
phase() {  # phase NAME: ends the current phase under that name
  PHASES+=("$(printf '%-44s %4d s' "$1" $((SECONDS - phase_start)))")
  say "test-containers: $1: $((SECONDS - phase_start)) s"
  phase_start=$SECONDS
}

compose() {
  (cd "$ROOT" && "${COMPOSE[@]}" -p "$PROJECT" -f docker-compose.yml -f deploy/tls/compose.yml \
     -f deploy/dev-only/mail-sink.yml "$@")
}

# Container id of a service (the compose labels are the same with both engines).
cid() {
  "$ENGINE" ps -a -q --filter "label=com.docker.compose.project=$PROJECT" \
    --filter "label=com.docker.compose.service=$1" | head -n1
}

# The secrets: random, in a directory only root may enter; the files themselves readable, since
# compose bind-mounts them as they are and each service reads them as its own unprivileged user.
secrets_make() {
  local dir=$WORK/secrets name
  mkdir -m 700 "$dir"
  for name in postgres_password login_app_password session_redis_password cache_redis_password login_secret_key; do
    openssl rand -hex 24 | tr -d '\n' >"$dir/$name"
    chmod 644 "$dir/$name"
  done
  export POSTGRES_PASSWORD_FILE=$dir/postgres_password LOGIN_APP_PASSWORD_FILE=$dir/login_app_password \
    SESSION_REDIS_PASSWORD_FILE=$dir/session_redis_password CACHE_REDIS_PASSWORD_FILE=$dir/cache_redis_password \
    LOGIN_SECRET_KEY_FILE=$dir/login_secret_key
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$dir/tls_key" -out "$dir/tls_cert" 2>/dev/null || fail "openssl could not make a certificate"
  chmod 644 "$dir/tls_key"
  export TLS_CERT_FILE=$dir/tls_cert TLS_KEY_FILE=$dir/tls_key
  # The mailer sends to the development sink (deploy/dev-only/mail-sink.yml); links point here.
  export LOGIN_SMTP_URL=smtp://mail-sink:2525 LOGIN_SMTP_STARTTLS=off LOGIN_PUBLIC_URL=$BASE_URL
}

stack_down() {
  compose down -v >>"$LOG" 2>&1 || true
  # podman-compose 1.0.3 leaves the project's networks behind.
  "$ENGINE" network rm "${PROJECT}_edge" "${PROJECT}_backend" >/dev/null 2>&1 || true
}

finish() {
  local rc=$?
  if ((rc != 0)); then
    say "test-containers: the last lines of $LOG:"
    tail -n 30 "$LOG" >&2 || true
    for s in postgres redis-sessions redis-cache migrate app auth nginx; do
      local id
      id=$(cid "$s" 2>/dev/null) || continue
      [[ -n "$id" ]] || continue
      say "---- logs of $s (last 15 lines)"
      "$ENGINE" logs --tail 15 "$id" 2>&1 || true
    done
  fi
  if ((rc != 0)) && [[ "${KEEP_STACK:-}" == 1 ]]; then
    say "test-containers: KEEP_STACK=1: the stack $PROJECT stays up; secrets in $WORK/secrets"
  else
    stack_down
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap finish EXIT

# Waits until every long-running service has passed its health check and migrate has exited 0 (or
# fails after $2 s); then says how long each took, so that a slow start shows which service held it.
# A service is not checked again once it has passed: the checks that follow go through it anyway.
wait_healthy() {
  local what=$1 limit=${2:-300} start=$SECONDS s id state pending
  local services=(postgres redis-sessions redis-cache app auth mailer mail-sink nginx)
  local -A ready=()
  while true; do
    pending=()
    if [[ -z "${ready[migrate]:-}" ]]; then
      id=$(cid migrate)
      state=$("$ENGINE" inspect --format '{{.State.Status}} {{.State.ExitCode}}' "$id" 2>/dev/null || echo missing)
      case "$state" in
        "exited 0") ready[migrate]=$((SECONDS - start)) ;;
        exited*) fail "$what: migrate exited with $state: $("$ENGINE" logs "$id" 2>&1 | tail -n 5)" ;;
        *) pending+=("migrate($state)") ;;
      esac
    fi
    for s in "${services[@]}"; do
      [[ -z "${ready[$s]:-}" ]] || continue
      id=$(cid "$s")
      if [[ -z "$id" ]]; then
        # podman-compose goes on when a container fails to start: its error is in the log.
        ((SECONDS - start < 60)) || fail "$what: there is no $s container: $(grep -m3 -i 'error' "$LOG")"
        pending+=("$s(missing)")
        continue
      fi
      if [[ "$ENGINE" == podman ]]; then
        # Without systemd, podman schedules no health checks: run the image's (or compose's) check.
        if podman healthcheck run "$id" >/dev/null 2>&1; then ready[$s]=$((SECONDS - start)); else pending+=("$s"); fi
      else
        state=$(docker inspect --format '{{.State.Health.Status}}' "$id")
        if [[ "$state" == healthy ]]; then ready[$s]=$((SECONDS - start)); else pending+=("$s($state)"); fi
      fi
    done
    if ((${#pending[@]} == 0)); then
      say "test-containers: $what: ready after (s): $(for s in migrate "${services[@]}"; do printf '%s %s, ' "$s" "${ready[$s]}"; done)"
      return 0
    fi
    ((SECONDS - start < limit)) || fail "$what: not healthy after ${limit}s: ${pending[*]}"
    sleep 2
  done
}

# cli ARGS...: login-fcgi ARGS in a one-off app container (compose run), standard input passed on;
# prints what login-fcgi printed and returns its exit status. Debian 12's aardvark-dns (podman's
# name server) stops answering for a moment whenever a container starts, so a new container's first
# lookup may fail: only that is tried again, up to 5 times.
cli() {
  local input out rc i
  input=$(cat)
  for ((i = 1; ; i++)); do
    rc=0
    # docker-compose.yml alone: with several files podman-compose prints the merged configuration.
    out=$(printf '%s\n' "$input" | (cd "$ROOT" && "${COMPOSE[@]}" -p "$PROJECT" -f docker-compose.yml \
            run --rm -T --no-deps app "$@") 2>&1) || rc=$?
    grep -q 'translate host name\|Temporary failure in name resolution' <<<"$out" && ((i < 5)) || break
    sleep 3
  done
  if [[ "$ENGINE" == podman ]]; then
    # podman-compose 1.0.3 exits 0 whatever the container did; it prints "exit code: N" last, and
    # the podman commands it runs before, and podman complains that there is no systemd to run
    # health checks: keep what login-fcgi printed.
    rc=$(sed -n 's/^exit code: //p' <<<"$out" | tail -n1)
    out=$(grep -v '^\(using podman version\|podman \|\*\* \|\[\|exit code:\|time=.* msg="unable to get systemd connection\)' \
            <<<"$out" || true)
  fi
  printf '%s\n' "$out"
  return "${rc:-1}"
}

http_status() {  # http_status URL [curl args]: prints the status code; the body goes to $WORK/body
  local url=$1
  shift
  curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' --max-time 10 --cacert "$TLS_CERT_FILE" "$@" "$url" \
    || echo 000
}

# ---- images ----
say "test-containers: $ENGINE, compose: ${COMPOSE[*]}, version $VERSION, http://127.0.0.1:$PORT https://127.0.0.1:$TLS_PORT"
"$ROOT/scripts/image.sh" | tee "$WORK/image.log" | grep --line-buffered -E '^base-image: |^image: |^  login-|^  \| '
grep -A6 '^image: built with' "$WORK/image.log" | tail -n +2 | sed 's/^ */image size: /' >>"$SUMMARY"
phase "images (make image)"

# podman installed but unable to start a container is a failure, with its error (podman-compose
# 1.0.3 would only print it and exit 0).
out=$("$ENGINE" run --rm --no-healthcheck --network none "${BASE_IMAGE:-localhost/debian:12-slim}" true 2>&1) \
  || fail "$ENGINE cannot start a container: $out"

# ---- bring-up ----
secrets_make
export GIT_COMMIT=$VERSION HTTP_PORT=$PORT HTTPS_PORT=$TLS_PORT
stack_down  # what an interrupted earlier run left
compose up -d >>"$LOG" 2>&1 || fail "compose up failed (see above)"
wait_healthy "first start" 300
phase "compose up, every health check passing"

# ---- 0. HTTPS ----
status=$(http_status "$BASE_URL/login")
[[ "$status" == 200 ]] || fail "0: GET $BASE_URL/login answered $status, expected 200"
hsts=$(grep -i '^strict-transport-security:' "$WORK/headers" | tr -d '\r')
[[ -n "$hsts" ]] || fail "0: no Strict-Transport-Security over HTTPS"
note "check 0: GET $BASE_URL/login 200 with the secret's certificate, $hsts"
# Plain HTTP serves no form and takes no password: a redirect to the published HTTPS port.
for method in GET POST; do
  status=$(http_status "http://127.0.0.1:$PORT/login?next=1" -X "$method")
  location=$(grep -i '^location:' "$WORK/headers" | tr -d '\r' | sed 's/^[^:]*: //')
  [[ "$status" == 301 && "$location" == "$BASE_URL/login?next=1" ]] \
    || fail "0: $method http://127.0.0.1:$PORT/login answered $status to '$location', expected 301 to $BASE_URL/login?next=1"
done
status=$(http_status "http://127.0.0.1:$PORT/healthz")
[[ "$status" == 200 ]] || fail "0: GET http://127.0.0.1:$PORT/healthz (for probes) answered $status, expected 200"
note "check 0: GET and POST http://127.0.0.1:$PORT/login 301 to $BASE_URL/login; GET /healthz over HTTP 200"
phase "check 0: HTTPS"

# ---- 1. the first administrator ----
out=$(cli user create "$ADMIN" --display-name "$ADMIN_NAME" --email admin@example.com --role admin <<<"$ADMIN_PASSWORD") \
  || fail "1: login-fcgi user create failed: $out"
note "check 1: login-fcgi user create printed: $(tr '\n' ' ' <<<"$out")"
login() {
  local status
  status=$(http_status "$BASE_URL/login" -X POST -H "Origin: $BASE_URL" --data-urlencode "username=$ADMIN" \
           --data-urlencode "password=$ADMIN_PASSWORD")
  [[ "$status" == 303 ]] || fail "login answered $status, expected 303: $(head -c 300 "$WORK/body")"
  grep -qi '^location: /home' "$WORK/headers" || fail "login did not redirect to /home: $(grep -i '^location' "$WORK/headers")"
  COOKIE=$(grep -i '^set-cookie: [^=]*sid=' "$WORK/headers" | head -n1 | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]*).*/\1/' | tr -d '\r')
  [[ -n "$COOKIE" ]] || fail "login set no session cookie"
}
home_ok() {  # home_ok WHAT: GET /home with the session shows the administrator's name
  local status
  status=$(http_status "$BASE_URL/home" -H "Cookie: $COOKIE")
  [[ "$status" == 200 ]] || fail "$1: GET /home answered $status, expected 200"
  grep -q "$ADMIN_NAME" "$WORK/body" || fail "$1: /home does not show '$ADMIN_NAME'"
}
login
home_ok "1"
note "check 1: POST /login 303 to /home, cookie ${COOKIE%%=*}; GET /home 200 showing '$ADMIN_NAME'"
phase "check 1: first admin via the CLI, login"

# ---- 2. an API client ----
out=$(cli client create reporting --scope users:read </dev/null) || fail "2: login-fcgi client create failed: $out"
TOKEN=$(grep -E '^[A-Za-z0-9_-]{32,}$' <<<"$out" | tail -n1)
[[ -n "$TOKEN" ]] || fail "2: client create printed no token: $out"
status=$(http_status "$BASE_URL/api/v1/users?limit=5" -H "Authorization: Bearer $TOKEN")
[[ "$status" == 200 ]] || fail "2: GET /api/v1/users answered $status, expected 200"
grep -q "\"username\":\"$ADMIN\"" "$WORK/body" || fail "2: /api/v1/users does not list $ADMIN"
note "check 2: client create printed a ${#TOKEN}-character token; GET /api/v1/users 200 listing $ADMIN"
status=$(http_status "$BASE_URL/api/v1/users" -H "Authorization: Bearer x${TOKEN:1}")
[[ "$status" == 401 ]] || fail "2: a wrong token answered $status, expected 401"
phase "check 2: API client via the CLI"

# ---- 3. a worker killed with SIGKILL under load ----
app=$(cid app)
# The workers are the live children of PID 1, the supervisor (the image has no ps: /proc).
workers() {
  "$ENGINE" exec "$app" sh -c 'for s in /proc/[0-9]*/stat; do
      read -r pid comm state ppid rest <"$s" 2>/dev/null && [ "$ppid" = 1 ] && [ "$state" != Z ] && echo "$pid"
    done; exit 0' | sort -n
}
before=$(workers | wc -l)
((before > 0)) || fail "3: no worker process in the app container"
statuses=$WORK/statuses stop=$WORK/stop-loop
: >"$statuses"
# The loop is bounded by requests, not seconds, so that a loaded machine cannot make it too short:
# 10 requests before the kill, 30 after it (at most 400 in all, 180 s).
requests() { wc -l <"$statuses"; }
(
  for ((i = 0; i < 400; i++)); do
    [[ ! -e "$stop" ]] || break
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 --cacert "$TLS_CERT_FILE" -H "Cookie: $COOKIE" "$BASE_URL/home" \
      >>"$statuses" || echo 000 >>"$statuses"
  done
) &
loop=$!
deadline=$((SECONDS + 180))
until (($(requests) >= 10)) || ((SECONDS > deadline)); do sleep 0.2; done
victim=$(workers | head -n1)
"$ENGINE" exec "$app" sh -c 'kill -KILL "$1"' kill "$victim" || fail "3: could not kill worker $victim"
at_kill=$(requests)
until (($(requests) >= at_kill + 30)) || ((SECONDS > deadline)); do sleep 0.2; done
touch "$stop"
wait "$loop"
total=$(requests)
bad=$(grep -cvx 200 "$statuses" || true)
((at_kill >= 10 && total >= at_kill + 30)) \
  || fail "3: $total requests in 180 s, $at_kill of them before the kill; expected 10 before and 30 after"
((bad == 0)) || fail "3: $bad of $total GET /home failed while worker $victim was killed: $(sort "$statuses" | uniq -c | tr '\n' ' ')"
for ((i = 0; i < 30; i++)); do
  after=$(workers | wc -l)
  ((after == before)) && ! workers | grep -qx "$victim" && break
  sleep 1
done
((after == before)) || fail "3: $after workers after the kill, $before before: the supervisor did not replace it"
note "check 3: killed worker pid $victim (SIGKILL) after $at_kill of $total logged-in GET /home: all 200; workers $before before, $after after"
phase "check 3: SIGKILL a worker under load"

# ---- 4. the session Redis restarts ----
compose restart redis-sessions >>"$LOG" 2>&1 || fail "4: restarting redis-sessions failed"
wait_healthy "after the Redis restart" 120
# Each worker finds its Redis connection broken once: 503 with Retry-After then, never a logout.
# Right after the restart, the engine's DNS (aardvark-dns) may not answer the new container's
# name for a while; a worker then waits on the lookup past curl's limit (no status, 000). Both
# mean "not back yet"; anything else (a 303 to /login: the session lost) ends the wait.
for ((i = 0; i < 60; i++)); do
  status=$(http_status "$BASE_URL/home" -H "Cookie: $COOKIE")
  [[ "$status" == 503 || "$status" =~ ^0+$ ]] || break
  sleep 1
done
home_ok "4 (after restarting redis-sessions)"
note "check 4: restarted redis-sessions; the earlier session still gets GET /home 200 with '$ADMIN_NAME'"
phase "check 4: restart the session Redis"

# ---- 5. down and up without -v ----
compose down >>"$LOG" 2>&1 || fail "5: compose down failed"
[[ -z "$(cid app)" ]] || fail "5: the app container is still there after down"
compose up -d >>"$LOG" 2>&1 || fail "5: compose up failed"
wait_healthy "after down and up" 300
home_ok "5 (the session after down and up)"
status=$(http_status "$BASE_URL/api/v1/users?limit=5" -H "Authorization: Bearer $TOKEN")
[[ "$status" == 200 ]] || fail "5: the API token after down and up: $status, expected 200"
grep -q "\"username\":\"$ADMIN\"" "$WORK/body" || fail "5: $ADMIN is gone after down and up"
note "check 5: after down + up: the session's GET /home 200, the API token's GET /api/v1/users 200 listing $ADMIN"
phase "check 5: down, up without -v"

# ---- 6. the trust boundary ----
app=$(cid app)  # recreated by check 5
addr() {  # addr SERVICE NETWORK: the service's address on that network
  "$ENGINE" inspect --format "{{range \$k, \$v := .NetworkSettings.Networks}}{{if eq \$k \"${PROJECT}_$2\"}}{{\$v.IPAddress}}{{end}}{{end}}" "$(cid "$1")"
}
declare -A ADDR=()
targets=("nginx:8080" "nginx:8443")
for sp in app:9000 auth:9000 postgres:5432 redis-sessions:6379 redis-cache:6379; do
  s=${sp%:*}
  ADDR[$s]=$(addr "$s" backend)
  [[ -n "${ADDR[$s]}" ]] || fail "6: $s has no address on the backend network"
  [[ -z "$(addr "$s" edge)" ]] || fail "6: $s is on the edge network"
  targets+=("$sp" "${ADDR[$s]}:${sp#*:}")
done
[[ -n "$(addr nginx edge)" && -n "$(addr nginx backend)" ]] || fail "6: nginx is not on both networks"
# The probe first waits until its own name lookups work (see cli above), so that "closed" below
# means unreachable, not a name server that was not answering yet.
probe_script='for i in $(seq 30); do getent hosts nginx >/dev/null && break; sleep 1; done
for t in "$@"; do
  if timeout 3 bash -c "exec 3<>/dev/tcp/${t%:*}/${t##*:}" 2>/dev/null; then echo "$t open"; else echo "$t closed"; fi
done
curl -s -o /dev/null -w "GET http://nginx:8080/login %{http_code}\n" --max-time 5 http://nginx:8080/login
curl -s -o /dev/null -w "GET https://nginx:8443/login %{http_code}\n" --max-time 5 --insecure https://nginx:8443/login'
out=$("$ENGINE" run --rm --no-healthcheck --network "${PROJECT}_edge" --entrypoint bash "login-nginx:$VERSION" \
        -c "$probe_script" probe "${targets[@]}") || fail "6: the probe container on the edge network failed: $out"
grep -qx 'nginx:8080 open' <<<"$out" && grep -qx 'nginx:8443 open' <<<"$out" \
  || fail "6: nginx is not reachable from the edge network: $out"
grep -qx 'GET http://nginx:8080/login 301' <<<"$out" && grep -qx 'GET https://nginx:8443/login 200' <<<"$out" \
  || fail "6: GET /login from the edge network: $out"
open=$(grep ' open$' <<<"$out" | grep -v '^nginx:8080 \|^nginx:8443 ' || true)
[[ -z "$open" ]] || fail "6: reachable from the edge network: $open"
note "check 6: from a container on the edge network only: $(tr '\n' ';' <<<"$out")"

# From a container on the backend network (a compromised neighbour), by address: the FastCGI port
# accepts TCP but libfcgi closes a connection from any address but nginx's without answering; Redis
# and PostgreSQL want their passwords. The same FastCGI request from 127.0.0.1 inside the app
# container is the control: it gets an answer.
fcgi='env -i REQUEST_METHOD=GET DOCUMENT_URI=/metrics REQUEST_URI=/metrics SCRIPT_NAME=/metrics REMOTE_ADDR=127.0.0.1 cgi-fcgi -bind -connect'
inside=$("$ENGINE" exec "$app" sh -c "$fcgi 127.0.0.1:9000" 2>&1 || true)
inside=$(head -n1 <<<"$inside" | tr -d '\r')
[[ "$inside" == "Status: 200"* ]] || fail "6: the control request from inside the app container answered '$inside'"
neighbour=$("$ENGINE" run --rm --no-healthcheck --network "${PROJECT}_backend" --entrypoint bash "login-fcgi:$VERSION" -c \
  "timeout 3 bash -c 'exec 3<>/dev/tcp/${ADDR[app]}/9000' && echo 'TCP connect: accepted'; $fcgi ${ADDR[app]}:9000 2>&1 | head -n3" \
  || true)
neighbour=$(tr -d '\r' <<<"$neighbour")
grep -qx 'TCP connect: accepted' <<<"$neighbour" || fail "6: the backend neighbour could not reach app:9000 at all: $neighbour"
! grep -q '^Status:' <<<"$neighbour" || fail "6: a backend neighbour got a FastCGI answer from app:9000: $neighbour"
redis=$("$ENGINE" run --rm --no-healthcheck --network "${PROJECT}_backend" --entrypoint redis-cli "login-redis:$VERSION" \
          -h "${ADDR[redis-sessions]}" SET login:s:forged 1 2>&1 || true)
grep -q NOAUTH <<<"$redis" || fail "6: the session Redis took a command without a password: $redis"
pg=$("$ENGINE" run --rm --no-healthcheck --network "${PROJECT}_backend" --entrypoint psql "login-postgres:$VERSION" \
       -w -h "${ADDR[postgres]}" -U postgres -d login -c 'SELECT 1' 2>&1 || true)
grep -q 'no password supplied' <<<"$pg" || fail "6: PostgreSQL without a password: $pg"
note "check 6: from the backend network, FastCGI GET /metrics to app (${ADDR[app]}:9000): $(tr '\n' ' ' <<<"$neighbour")(from 127.0.0.1 inside: '$inside'); redis-cli SET: $(tr '\n' ' ' <<<"$redis"); psql: $(tr '\n' ' ' <<<"$pg")"
phase "check 6: networks and the trust boundary"

# ---- 7. no root process in the app container ----
procs=$("$ENGINE" exec "$app" sh -c 'for d in /proc/[0-9]*; do
  uid=$(awk "/^Uid:/ { print \$2 }" "$d/status" 2>/dev/null) || continue
  [ -n "$uid" ] && printf "%s uid=%s %s\n" "${d#/proc/}" "$uid" "$(tr "\0\n" "  " <"$d/cmdline" 2>/dev/null | cut -c1-60)"
done; exit 0' 2>&1)
[[ -n "$procs" ]] || fail "7: no process listed in the app container"
root=$(grep ' uid=0 ' <<<"$procs" || true)
[[ -z "$root" ]] || fail "7: root processes in the app container: $root"
note "check 7: app container processes (pid uid command; sh, awk and tr are this check's own): $(tr '\n' ';' <<<"$procs")"
phase "check 7: non-root processes"

# ---- 8. mail: a recovery request reaches the mail sink through the mailer ----
status=$(http_status "$BASE_URL/password/forgot" -X POST -H "Origin: $BASE_URL" --data-urlencode "identifier=$ADMIN")
[[ "$status" == 200 ]] || fail "8: POST /password/forgot answered $status, expected 200: $(head -c 300 "$WORK/body")"
sink=$(cid mail-sink)
mail=""
for ((i = 0; i < 60; i++)); do
  mail=$("$ENGINE" exec "$sink" sh -c 'for f in /var/mail/sink/new/*; do [ -f "$f" ] && exec cat "$f"; done' 2>/dev/null || true)
  [[ -z "$mail" ]] || break
  sleep 1
done
[[ -n "$mail" ]] || fail "8: no mail in the sink within 60 s; the mailer's log: $("$ENGINE" logs "$(cid mailer)" 2>&1 | tail -n 5)"
grep -qi '^To: .*admin@example.com' <<<"$mail" || fail "8: the mail is not to admin@example.com: $(head -c 400 <<<"$mail")"
# The text part is base64: decoded with Python's own mail parser, as a mail client would.
text=$(python3 -c 'import email, sys
m = email.message_from_string(sys.stdin.read())
print(next(p.get_payload(decode=True).decode() for p in m.walk() if p.get_content_type() == "text/plain"))' \
  <<<"$mail") || fail "8: the mail has no readable text part: $(head -c 600 <<<"$mail")"
link=$(grep -o "$BASE_URL/password/reset?token=[A-Za-z0-9_-]*" <<<"$text" | head -n1)
[[ -n "$link" ]] || fail "8: the mail holds no reset link to $BASE_URL: $(head -c 600 <<<"$text")"
status=$(http_status "$link")
[[ "$status" == 200 ]] || fail "8: the mailed link answered $status, expected 200"
note "check 8: POST /password/forgot 200; the mailer delivered to the sink after ${i} s; its link answers 200"
phase "check 8: the mailer and a recovery mail"

# ---- 9. the pools as deploy/pools/ describes them ----
for pool in app auth; do
  want_workers=$(sed -n 's/^LOGIN_WORKERS=//p' "$ROOT/deploy/pools/$pool.env")
  want_nice=$(sed -n 's/^LOGIN_WORKER_NICE=//p' "$ROOT/deploy/pools/$pool.env")
  # The nice value of each worker (a live child of PID 1, the supervisor): field 19 of its stat.
  nices=$("$ENGINE" exec "$(cid "$pool")" sh -c 'for s in /proc/[0-9]*/stat; do
      read -r pid comm state ppid f5 f6 f7 f8 f9 f10 f11 f12 f13 f14 f15 f16 f17 f18 nice rest <"$s" 2>/dev/null \
        && [ "$ppid" = 1 ] && [ "$state" != Z ] && echo "$nice"
    done; exit 0')
  count=$(grep -c . <<<"$nices" || true)
  [[ "$count" == "$want_workers" ]] || fail "9: the $pool pool runs $count workers, its description $want_workers"
  others=$(grep -vx -- "$want_nice" <<<"$nices" || true)
  [[ -z "$others" ]] || fail "9: $pool workers at nice $(tr '\n' ' ' <<<"$others"), its description says $want_nice"
  note "check 9: the $pool pool runs $count workers at nice $want_nice, as deploy/pools/$pool.env says"
done
# nginx's hashing slots for the auth host: its workers plus the queue, from the same description.
slots=$(set -a && . "$ROOT/deploy/pools/auth.env" && echo $((LOGIN_WORKERS + LOGIN_HASH_QUEUE)))
conf=$("$ENGINE" exec "$(cid nginx)" cat /var/lib/login-nginx/nginx/nginx.conf)
grep -q "server auth:9000 max_fails=0 max_conns=$slots;" <<<"$conf" \
  || fail "9: nginx does not hand the auth pool $slots hashing requests: $(grep -o 'server auth:[^;]*;' <<<"$conf")"
note "check 9: nginx hands the auth pool $slots hashing requests (its workers + LOGIN_HASH_QUEUE)"
phase "check 9: the pools' description"

stack_down
phase "compose down -v"

echo
echo "test-containers: PASS ($ENGINE)"
echo "phase times:"
printf '  %s\n' "${PHASES[@]}"
echo "total: $((SECONDS)) s"
cat "$SUMMARY"
