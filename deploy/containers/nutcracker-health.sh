#!/bin/bash
# Health check of the nutcracker image: AUTH, then PING, on twemproxy's port (22121), answered by
# twemproxy itself. RESP arrays, since twemproxy takes no inline commands; the image has no redis-cli.
set -euo pipefail
password=$(<"${REDIS_PASSWORD_FILE:?}")
exec 3<>/dev/tcp/127.0.0.1/"${NUTCRACKER_PORT:-22121}"
printf '*2\r\n$4\r\nAUTH\r\n$%d\r\n%s\r\n*1\r\n$4\r\nPING\r\n' "${#password}" "$password" >&3
read -t 2 -r auth <&3
read -t 2 -r ping <&3
[[ "$auth" == +OK* && "$ping" == +PONG* ]] || { echo "nutcracker-health: AUTH: $auth PING: $ping" >&2; exit 1; }
