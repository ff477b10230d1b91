#!/usr/bin/env bash
# The second command: run every test against real PostgreSQL, Redis and Chromium. Installs what it needs.
# Extra arguments go to vitest (e.g. `npm test -- --project api`).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

ensure_node
load_env
ensure_packages
ensure_postgres
ensure_redis
ensure_chromium
ensure_docker
ensure_registry
ensure_static_busybox
ensure_caddy
ensure_git_tools --with-sshd
ensure_build_base_images
ensure_isolation_firewall
build_all

log "type-checking the tests and the dashboard"
(cd "$ROOT" && npx tsc -p tsconfig.tests.json && npx tsc -p apps/web/tsconfig.json --noEmit && npx tsc -p apps/web/e2e/tsconfig.json) \
  || die "type errors"

log "lint and format check"
(cd "$ROOT" && npx biome check --reporter=summary . >"$WHARF_HOME/logs/lint.log" 2>&1) || { tail -60 "$WHARF_HOME/logs/lint.log"; die "lint failed"; }

log "tests"
export WHARF_TEST_RUN="r$$"
results="$WHARF_HOME/test-results.json"
rm -f "$results"
set +e
(cd "$ROOT" && npx vitest run --reporter=default --reporter=json --outputFile.json="$results" "$@")
status=$?
set -e
if [ -f "$results" ]; then
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
  ' "$results"
fi
exit "$status"
