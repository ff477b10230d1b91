#!/usr/bin/env bash
# The first command: bring up the whole platform on this machine, from a fresh clone. Safe to run again.
#   installs npm packages; makes sure PostgreSQL and Redis run (installing them from Debian's packages if absent);
#   starts the Docker engine in Swarm mode, a registry (127.0.0.1:5000) and Caddy; applies migrations; builds;
#   (re)starts the API, the worker, the dashboard, and the local cluster's edge proxy and agent; creates the
#   platform admin; prints the URLs.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

ensure_node
load_env
ensure_packages
ensure_postgres
ensure_redis
ensure_docker
ensure_registry
ensure_caddy
ensure_git_tools
ensure_build_base_images
ensure_isolation_firewall
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

log "starting the worker"
# hosts of the `local` provider (network namespaces on the bridge wharfbr0, 10.213.0.0/24) reach the API and the
# registry, which listen on loopback, through relays the worker opens on the bridge's own address
local_gateway="${HOSTS_LOCAL_SUBNET:-10.213.0.0/24}"; local_gateway="${local_gateway%.0/24}.1"
start_service worker "$ROOT" env \
  HOSTS_LOCAL_RELAYS="${HOSTS_LOCAL_RELAYS-$API_PORT=127.0.0.1:$API_PORT,5000=127.0.0.1:5000}" \
  HOSTS_AGENT_API_URL="${HOSTS_AGENT_API_URL:-http://$local_gateway:$API_PORT}" \
  HOSTS_LOCAL_REGISTRY="${HOSTS_LOCAL_REGISTRY:-$local_gateway:5000}" \
  node apps/worker/dist/main.js

log "the local cluster: edge proxy on :$PROXY_PORT, agent on the local engine"
mkdir -p "$WHARF_HOME/cluster"
echo "{\"admin\":{\"listen\":\"127.0.0.1:$CADDY_ADMIN_PORT\"}}" >"$WHARF_HOME/cluster/caddy.json"
start_service caddy "$WHARF_HOME/cluster" caddy run --config "$WHARF_HOME/cluster/caddy.json"
registered="$(node "$ROOT/apps/api/dist/cli.js" register-cluster local "$CLUSTER_DOMAIN" "$PROXY_PORT")"
join_token=""
# a registered agent keeps its credential in agent.json; a new one joins with a fresh one-time token
[ -f "$WHARF_HOME/cluster/agent.json" ] || join_token="$(sed -n 's/^join-token=//p' <<<"$registered")"
start_service agent "$ROOT" env WHARF_API_URL="$API_URL" WHARF_JOIN_TOKEN="$join_token" \
  WHARF_AGENT_STATE="$WHARF_HOME/cluster/agent.json" WHARF_AGENT_NAME=local \
  CADDY_ADMIN_URL="http://127.0.0.1:$CADDY_ADMIN_PORT" WHARF_PROXY_LISTEN=":$PROXY_PORT" node apps/agent/dist/main.js

log "platform admin"
node "$ROOT/apps/api/dist/cli.js" create-admin

cat <<MSG

  Wharf is up.
    Dashboard  $PUBLIC_URL
    API        $API_URL/api/v1   (OpenAPI: $API_URL/api/openapi.json)
    Apps       http://<service>.<app>.<tenant>.$CLUSTER_DOMAIN:$PROXY_PORT   (cluster "local", this machine's engine)
    Logs       $WHARF_HOME/logs/     Stop: bash scripts/down.sh

MSG
