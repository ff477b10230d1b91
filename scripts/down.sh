#!/usr/bin/env bash
# Stops what scripts/up.sh started (dashboard, agent, edge proxy, worker, API). PostgreSQL, Redis, the Docker
# engine and the registry keep running, and so do the apps on the local cluster.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
for name in web agent caddy worker api; do
  pidfile="$WHARF_HOME/run/$name.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    log "stopping $name"
    kill "$(cat "$pidfile")"
  fi
  rm -f "$pidfile"
done
