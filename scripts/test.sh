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
results="$WHARF_HOME/test-results.json"
rm -f "$results" "$WHARF_HOME"/test-results-*.json
# one vitest run: its own run id (names of its databases, bridges, state) and its JSON report
vitest_run() {
  local name=$1; shift
  (cd "$ROOT" && WHARF_TEST_RUN="r$$$name" npx vitest run --reporter=default --reporter=json \
    --outputFile.json="$WHARF_HOME/test-results-$name.json" "$@")
}
set +e
if [ $# -gt 0 ]; then
  vitest_run all "$@"
  status=$?
else
  # Two runs side by side, as the suites spend most of their time waiting on engines, databases and the browser:
  # the browser suites (a whole stack of their own) in the background, the rest in the foreground. Within each
  # run, the files that deploy or drive the browser still go one at a time.
  browser_log="$WHARF_HOME/logs/tests-browser.log"
  vitest_run b --project browser >"$browser_log" 2>&1 &
  browser=$!
  vitest_run a --project unit --project api --project workloads
  status=$?
  wait "$browser" || status=1
  log "browser suites (also in $browser_log)"
  cat "$browser_log"
fi
set -e
node "$ROOT/scripts/lib/merge-test-results.mjs" "$results" "$WHARF_HOME"/test-results-*.json || status=1
exit "$status"
