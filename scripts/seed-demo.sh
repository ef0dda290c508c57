#!/usr/bin/env bash
# Ensures the demo accounts admin1 and user1 exist in a running stack's database (development only).
#
# Environment: PG_PORT (5433), LOGIN_BIN (build/fcgi-app/login-fcgi), DEMO_PASSWORD (demo-pass-123).
# Existing accounts are left as they are: running it again changes nothing.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_PORT=${PG_PORT:-5433}
LOGIN_BIN=${LOGIN_BIN:-$ROOT/build/fcgi-app/login-fcgi}
DEMO_PASSWORD=${DEMO_PASSWORD:-demo-pass-123}

PSQL=(psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d login -v ON_ERROR_STOP=1)

# username|display name|email|roles
demo_users=(
  "admin1|Admin One|admin1@example.com|{admin}"
  "user1|User One|user1@example.com|{user}"
)

[[ -x "$LOGIN_BIN" ]] || { echo "seed: $LOGIN_BIN not found or not executable (run make build)" >&2; exit 1; }

for entry in "${demo_users[@]}"; do
  IFS='|' read -r username display_name email roles <<<"$entry"
  exists=$("${PSQL[@]}" -tA -v username="$username" <<'SQL'
SELECT count(*) FROM users WHERE lower(username) = lower(:'username');
SQL
  )
  if [[ "$exists" != 0 ]]; then
    echo "seed: $username already present"
    continue
  fi
  # Hashed by the app itself, so the demo hash always has the format and parameters the app verifies.
  hash=$(printf '%s' "$DEMO_PASSWORD" | "$LOGIN_BIN" hash-password)
  [[ -n "$hash" && "$hash" != *$'\n'* ]] || { echo "seed: $LOGIN_BIN hash-password printed no single line" >&2; exit 1; }
  "${PSQL[@]}" -v username="$username" -v display_name="$display_name" -v email="$email" \
    -v roles="$roles" -v hash="$hash" <<'SQL'
INSERT INTO users (username, display_name, email, password_hash, roles)
VALUES (:'username', :'display_name', :'email', :'hash', :'roles')
ON CONFLICT ((lower(username))) DO NOTHING;
SQL
  echo "seed: created $username"
done

# The demo API client for the company's other systems (development only: a well-known token).
DEMO_CLIENT=reporting
DEMO_CLIENT_TOKEN=${DEMO_CLIENT_TOKEN:-dev-reporting-token-0123456789abcdef}
client_exists=$("${PSQL[@]}" -tA -v name="$DEMO_CLIENT" <<'SQL'
SELECT count(*) FROM api_clients WHERE name = :'name';
SQL
)
if [[ "$client_exists" != 0 ]]; then
  echo "seed: API client $DEMO_CLIENT already present"
else
  LOGIN_DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/login" \
  LOGIN_REDIS_URL="redis://127.0.0.1:${REDIS_PORT:-6380}/0" \
    "$LOGIN_BIN" client create "$DEMO_CLIENT" --scope users:read --token "$DEMO_CLIENT_TOKEN" >/dev/null
  echo "seed: created API client $DEMO_CLIENT (scope users:read)"
fi
