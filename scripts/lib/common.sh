# Shared by scripts/up.sh and scripts/test.sh: make sure what Wharf needs is installed and running.
# Idempotent: every function checks before it acts. Nothing here takes user input.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WHARF_HOME="${WHARF_HOME:-$ROOT/.wharf}"
export NEXT_TELEMETRY_DISABLED=1 NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
mkdir -p "$WHARF_HOME/logs" "$WHARF_HOME/run"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

APT_UPDATED=
apt_install() {
  command -v apt-get >/dev/null || die "need $* but apt-get is not available: install them and re-run"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq >/dev/null; APT_UPDATED=1; fi
  log "installing $* (Debian packages)"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

rand_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

# Configuration: .wharf/env holds generated secrets and defaults, written once. Values already set in the
# environment win over the file, so any variable can be overridden per run.
load_env() {
  local f="$WHARF_HOME/env"
  if [ ! -f "$f" ]; then
    log "writing $f (generated secrets; keep it private)"
    umask 077
    cat >"$f" <<ENV
: "\${DATABASE_OWNER_PASSWORD:=$(rand_hex 16)}"
: "\${DATABASE_APP_PASSWORD:=$(rand_hex 16)}"
: "\${DATABASE_HOST:=127.0.0.1}"
: "\${DATABASE_PORT:=5432}"
: "\${DATABASE_NAME:=wharf}"
: "\${DATABASE_OWNER_ROLE:=wharf_owner}"
: "\${DATABASE_APP_ROLE:=wharf_app}"
: "\${REDIS_URL:=redis://127.0.0.1:6379/0}"
: "\${JWT_SECRET:=$(rand_hex 32)}"
: "\${MASTER_KEY:=$(head -c 32 /dev/urandom | base64 | tr -d '\n')}"
: "\${API_PORT:=4000}"
: "\${WEB_PORT:=3000}"
ENV
    umask 022
  fi
  set -a
  # shellcheck disable=SC1090
  . "$f"
  : "${DATABASE_URL:=postgres://$DATABASE_APP_ROLE:$DATABASE_APP_PASSWORD@$DATABASE_HOST:$DATABASE_PORT/$DATABASE_NAME}"
  : "${DATABASE_OWNER_URL:=postgres://$DATABASE_OWNER_ROLE:$DATABASE_OWNER_PASSWORD@$DATABASE_HOST:$DATABASE_PORT/$DATABASE_NAME}"
  : "${PUBLIC_URL:=http://localhost:$WEB_PORT}"
  : "${API_URL:=http://127.0.0.1:$API_PORT}"
  # the local cluster: its edge proxy (Caddy) and the domain its apps get URLs under
  : "${PROXY_PORT:=8000}"
  : "${CADDY_ADMIN_PORT:=2019}"
  : "${CLUSTER_DOMAIN:=wharf.localhost}"
  set +a
}

ensure_node() {
  command -v node >/dev/null || apt_install nodejs npm
  local major; major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 20 ] || die "Node.js >= 20.19 is required (found $(node -v))"
}

ensure_packages() {
  local stamp="$ROOT/node_modules/.wharf-lock-hash" want
  want="$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "installing npm packages"
    # `npm install`, not `npm ci`: vite lists a Windows-only optional dependency that the registry does not serve,
    # which `npm ci` counts as the lock being out of sync; install honours the lock all the same
    (cd "$ROOT" && npm install --no-audit --no-fund --loglevel=error)
    sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1 >"$stamp"
  fi
}

# PostgreSQL, Redis and Chromium on this machine: infra/local/services.sh
source "$ROOT/infra/local/services.sh"
# Base images for the Dockerfiles Wharf writes (builds from source): scripts/lib/build-images.sh
source "$ROOT/scripts/lib/build-images.sh"

build_all() {
  log "building"
  (cd "$ROOT" && npx nx run-many -t build --outputStyle=static) >"$WHARF_HOME/logs/build.log" 2>&1 \
    || { tail -40 "$WHARF_HOME/logs/build.log"; die "build failed (full log: $WHARF_HOME/logs/build.log)"; }
}

migrate_db() {
  log "applying migrations"
  (cd "$ROOT" && node libs/db/dist/src/cli.js migrate latest)
}
