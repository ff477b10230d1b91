#!/usr/bin/env bash
# The first command: bring up the whole platform on this machine, from a fresh clone. Safe to run again.
#   installs npm packages; makes sure PostgreSQL and Redis run (installing them from Debian's packages if absent);
#   applies migrations; builds; (re)starts the API and the dashboard; creates the platform admin; prints the URLs.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

ensure_node
load_env
ensure_packages
ensure_postgres
ensure_redis
build_all
migrate_db

stop_service() {
  local pidfile="$WHARF_HOME/run/$1.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$(cat "$pidfile")" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$pidfile"
}

start_service() { # name dir command...
  local name="$1" dir="$2"; shift 2
  stop_service "$name"
  # the service detaches from this script's output, so callers piping it (`up.sh | tail`) see it end
  (cd "$dir" || exit 1; nohup "$@" >>"$WHARF_HOME/logs/$name.log" 2>&1 </dev/null & echo $! >"$WHARF_HOME/run/$name.pid")
}

wait_http() { # name url — ready means answering, from the process just started (not a stale one on the port)
  local pid; pid="$(cat "$WHARF_HOME/run/$1.pid")"
  for _ in $(seq 150); do
    kill -0 "$pid" 2>/dev/null || { tail -20 "$WHARF_HOME/logs/$1.log"; die "$1 exited (log: $WHARF_HOME/logs/$1.log)"; }
    curl -fsS -o /dev/null "$2" 2>/dev/null && return
    sleep 0.2
  done
  tail -20 "$WHARF_HOME/logs/$1.log"
  die "$1 did not come up at $2 (log: $WHARF_HOME/logs/$1.log)"
}

log "starting the API on :$API_PORT"
start_service api "$ROOT" node apps/api/dist/main.js
wait_http api "$API_URL/readyz"

log "starting the dashboard on :$WEB_PORT"
start_service web "$ROOT/apps/web" env API_URL="$API_URL" PORT="$WEB_PORT" "$ROOT/node_modules/.bin/next" start -p "$WEB_PORT"
wait_http web "http://127.0.0.1:$WEB_PORT/login"

log "platform admin"
node "$ROOT/apps/api/dist/cli.js" create-admin

cat <<MSG

  Wharf is up.
    Dashboard  $PUBLIC_URL
    API        $API_URL/api/v1   (OpenAPI: $API_URL/api/openapi.json)
    Logs       $WHARF_HOME/logs/     Stop: bash scripts/down.sh

MSG
