# Shell helpers shared by scripts/stack.sh and test/multihost/hosts.sh: messages, process checks,
# PostgreSQL as its own user, permissions, the pools' description. Source it after setting LIB_NAME
# (the message prefix); STOP_TIMEOUT (10) bounds wait_gone.

STOP_TIMEOUT=${STOP_TIMEOUT:-10}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

say() { printf '%s\n' "$*"; }
die() { printf '%s: error: %s\n' "$LIB_NAME" "$*" >&2; exit 1; }
warn() { printf '%s: warning: %s\n' "$LIB_NAME" "$*" >&2; }

abspath() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$PWD" "$1" ;;
  esac
}

is_root() { ((EUID == 0)); }

# Runs a PostgreSQL server command; the server refuses to run as root, so root hands it to the postgres user.
as_pg() {
  if is_root; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# A process counts as alive unless it is gone or a zombie (PID 1 here may reap orphans late).
proc_alive() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ -n "$state" && "$state" != Z* ]]
}

group_alive() {
  ps -e -o pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { found = 1 } END { exit !found }'
}

pid_alive() {
  local pidfile=$1 pid
  [[ -s "$pidfile" ]] || return 1
  pid=$(head -n1 "$pidfile")
  [[ "$pid" =~ ^[0-9]+$ ]] && proc_alive "$pid"
}

# Waits for a process (and, when it leads one, its process group) to exit; SIGKILL after STOP_TIMEOUT seconds.
wait_gone() {
  local pid=$1 name=$2 group=${3:-} i
  for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
    if [[ -n "$group" ]]; then
      group_alive "$pid" || return 0
    else
      proc_alive "$pid" || return 0
    fi
    sleep 0.1
  done
  warn "$name did not stop within ${STOP_TIMEOUT}s, killing it"
  if [[ -n "$group" ]]; then
    kill -KILL -- "-$pid" 2>/dev/null || true
  else
    kill -KILL "$pid" 2>/dev/null || true
  fi
}

# Root runs servers as other users: give them search permission on every parent of a directory they need.
ensure_reachable() {
  local user=$1 dir=$2 d
  is_root || return 0
  runuser -u "$user" -- test -x "$dir" 2>/dev/null && return 0
  d=$dir
  while [[ "$d" != / ]]; do
    if [[ -z "$(find "$d" -maxdepth 0 -perm -o=x)" ]]; then
      warn "granting others search permission on $d so that $user can reach $dir"
      chmod o+x "$d"
    fi
    d=$(dirname "$d")
  done
}

tail_log() {
  local file=$1
  if [[ -f "$file" ]]; then
    printf -- '--- last lines of %s ---\n' "$file" >&2
    tail -n 30 "$file" >&2
  fi
}

# The worker pools' one description: deploy/pools/app.env and auth.env (what compose and systemd
# read too).
POOLS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../deploy/pools" && pwd)

# pool_env POOL: sets POOL_ENV to the settings of the pool's description, as NAME=value words for env.
pool_env() {
  local file=$POOLS_DIR/$1.env line
  [[ -r "$file" ]] || die "no description of the $1 pool: $file is missing"
  POOL_ENV=()
  while IFS= read -r line; do
    [[ "$line" =~ ^[A-Z_][A-Z0-9_]*= ]] && POOL_ENV+=("$line")
  done <"$file"
}

# pool_setting POOL NAME: prints NAME's value in the pool's description (dies when it has none).
pool_setting() {
  local line
  pool_env "$1"
  for line in "${POOL_ENV[@]}"; do
    [[ "${line%%=*}" != "$2" ]] || { printf '%s\n' "${line#*=}"; return 0; }
  done
  die "$POOLS_DIR/$1.env sets no $2"
}

# hash_slots AUTH_WORKERS: the password-hashing requests nginx hands one auth host (its HASH_SLOTS):
# one per worker plus the queue, LOGIN_HASH_QUEUE (the caller's, else the auth pool's description).
hash_slots() {
  printf '%s\n' $(($1 + ${LOGIN_HASH_QUEUE:-$(pool_setting auth LOGIN_HASH_QUEUE)}))
}
