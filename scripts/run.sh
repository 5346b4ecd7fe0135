#!/usr/bin/env bash
# Starts Frontdesk for a first look: migrate, load the demo once (printing every demo sign-in),
# serve on FRONTDESK_HOST:FRONTDESK_PORT (127.0.0.1:8000 unless set).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

for app in frontend widget; do
  if [ -f "$app/package.json" ]; then
    (cd "$app" && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build)
  fi
done

HOST="${FRONTDESK_HOST:-127.0.0.1}"
PORT="${FRONTDESK_PORT:-8000}"
# Links the server writes (sign-in, files, the widget) point where it listens unless told otherwise.
export FRONTDESK_PUBLIC_URL="${FRONTDESK_PUBLIC_URL:-http://$HOST:$PORT}"

"$BIN/frontdesk" migrate
"$BIN/frontdesk" demo --if-new
exec "$BIN/frontdesk" serve --host "$HOST" --port "$PORT"
