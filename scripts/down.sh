#!/usr/bin/env bash
# Stops what scripts/up.sh started (the API and the dashboard). PostgreSQL and Redis keep running.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
for name in web api; do
  pidfile="$WHARF_HOME/run/$name.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    log "stopping $name"
    kill "$(cat "$pidfile")"
  fi
  rm -f "$pidfile"
done
