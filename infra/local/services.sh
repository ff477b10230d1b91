# Brings up the services Wharf needs on a fresh Debian/Ubuntu machine: PostgreSQL (with the owner and app roles
# and the database), Redis (noeviction, persistence on), the Docker engine in Swarm mode and a local registry, and,
# for tests, Chromium and a static busybox. Sourced by
# scripts/lib/common.sh, which provides log/die/apt_install/as_root and the DATABASE_* / REDIS_URL settings.
# Idempotent: each function checks before it acts.

psql_super() {
  if psql -h "$DATABASE_HOST" -p "$DATABASE_PORT" -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
    psql -h "$DATABASE_HOST" -p "$DATABASE_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q "$@"
  else
    (cd / && as_root runuser -u postgres -- psql -p "$DATABASE_PORT" -d postgres -v ON_ERROR_STOP=1 -q "$@")
  fi
}

ensure_postgres() {
  if ! command -v pg_ctlcluster >/dev/null; then apt_install postgresql; fi
  if ! pg_isready -q -h "$DATABASE_HOST" -p "$DATABASE_PORT"; then
    log "starting PostgreSQL"
    local v; v="$(ls /etc/postgresql | sort -V | tail -1)"
    as_root pg_ctlcluster --skip-systemctl-redirect "$v" main start || die "could not start PostgreSQL $v"
    for _ in $(seq 50); do pg_isready -q -h "$DATABASE_HOST" -p "$DATABASE_PORT" && break; sleep 0.2; done
  fi
  # The owner role owns the schema and runs migrations; the app role is what the API and workers connect as:
  # neither superuser nor owner, so row-level security applies to it.
  psql_super -v owner="$DATABASE_OWNER_ROLE" -v app="$DATABASE_APP_ROLE" \
    -v owner_pw="$DATABASE_OWNER_PASSWORD" -v app_pw="$DATABASE_APP_PASSWORD" -v dbname="$DATABASE_NAME" <<'SQL'
select format('create role %I login', :'owner') where not exists (select from pg_roles where rolname = :'owner') \gexec
select format('create role %I login', :'app') where not exists (select from pg_roles where rolname = :'app') \gexec
alter role :"owner" with login createdb nosuperuser password :'owner_pw';
alter role :"app" with login nosuperuser nocreatedb nocreaterole nobypassrls password :'app_pw';
select format('create database %I owner %I', :'dbname', :'owner') where not exists (select from pg_database where datname = :'dbname') \gexec
SQL
}

ensure_redis() {
  if redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1; then return; fi
  command -v redis-server >/dev/null || apt_install redis-server
  log "starting Redis"
  mkdir -p "$WHARF_HOME/redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --dir "$WHARF_HOME/redis" --appendonly yes \
    --maxmemory-policy noeviction --logfile "$WHARF_HOME/logs/redis.log"
  for _ in $(seq 50); do redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1 && return; sleep 0.1; done
  die "Redis did not start (see $WHARF_HOME/logs/redis.log)"
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] || apt_install chromium
}


# ── Docker engine (Swarm mode) and a local registry: the embedded cluster and the platform registry ──────────────────
DOCKER_SOCK="${DOCKER_SOCK:-/var/run/docker.sock}"
REGISTRY_ADDR="${REGISTRY_ADDR:-127.0.0.1:5000}"

docker_api() { curl -fsS --unix-socket "$DOCKER_SOCK" "http://docker/v1.41$1"; }

ensure_docker() {
  command -v dockerd >/dev/null || apt_install docker.io
  if ! docker_api /_ping >/dev/null 2>&1; then
    log "starting the Docker engine"
    # a pid file left by an engine that was killed stops the next one from starting
    if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then as_root rm -f /var/run/docker.pid; fi
    # no-new-privileges for every container by default: Swarm service specs of this engine cannot ask for it
    as_root sh -c "nohup dockerd --no-new-privileges --log-level=warn >>'$WHARF_HOME/logs/dockerd.log' 2>&1 &"
    for _ in $(seq 100); do docker_api /_ping >/dev/null 2>&1 && break; sleep 0.2; done
    docker_api /_ping >/dev/null 2>&1 || die "the Docker engine did not start (see $WHARF_HOME/logs/dockerd.log)"
  fi
  if [ "$(docker_api /info | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).Swarm.LocalNodeState))')" != active ]; then
    log "initialising Swarm mode on the local engine"
    curl -fsS --unix-socket "$DOCKER_SOCK" -H 'content-type: application/json' \
      -d '{"ListenAddr":"127.0.0.1:2377","AdvertiseAddr":"127.0.0.1:2377"}' http://docker/v1.41/swarm/init >/dev/null
  fi
}

ensure_registry() {
  if curl -fsS "http://$REGISTRY_ADDR/v2/" >/dev/null 2>&1; then return; fi
  command -v docker-registry >/dev/null || apt_install docker-registry
  log "starting the local registry on $REGISTRY_ADDR"
  mkdir -p "$WHARF_HOME/registry/data"
  cat >"$WHARF_HOME/registry/config.yml" <<YML
version: 0.1
log: { level: warn }
storage:
  filesystem: { rootdirectory: $WHARF_HOME/registry/data }
  delete: { enabled: true }
http: { addr: $REGISTRY_ADDR }
YML
  nohup docker-registry serve "$WHARF_HOME/registry/config.yml" >>"$WHARF_HOME/logs/registry.log" 2>&1 </dev/null &
  for _ in $(seq 50); do curl -fsS "http://$REGISTRY_ADDR/v2/" >/dev/null 2>&1 && return; sleep 0.2; done
  die "the registry did not start (see $WHARF_HOME/logs/registry.log)"
}

# A static busybox: the tiny test images are `FROM scratch` plus this one binary (no base image to pull).
ensure_static_busybox() {
  if [ -x /usr/bin/busybox ] && ! ldd /usr/bin/busybox >/dev/null 2>&1; then return; fi
  apt_install busybox-static
}

# git for the builders (they clone users' repositories); ssh for repositories reached with a deploy key. The tests
# also run a real sshd (and `git http-backend`) of their own as the git servers builds fetch from.
ensure_git_tools() {
  command -v git >/dev/null || apt_install git
  command -v ssh >/dev/null || apt_install openssh-client
  if [ "${1:-}" = --with-sshd ] && [ ! -x /usr/sbin/sshd ]; then apt_install openssh-server; fi
}

# Caddy, the edge proxy: configured as JSON through its admin API (Debian's caddy 2.6).
ensure_caddy() {
  command -v caddy >/dev/null || apt_install caddy
}

# Runtime isolation on a shared cluster's hosts (idempotent):
# - a container may not open connections to the host itself: the published ports of other tenants' tasks, Postgres,
#   Redis, the Docker API (INPUT);
# - nor, through the host, to private and link-local addresses: other tenants' overlay networks (Swarm's pool is
#   10.0.0.0/8), the datacenter's private network, the cloud's metadata service (DOCKER-USER, which Docker keeps
#   first in FORWARD).
# Containers still answer connections (replies are ESTABLISHED) and reach the public internet.
PRIVATE_RANGES="10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 100.64.0.0/10 169.254.0.0/16"
ensure_isolation_firewall() {
  command -v iptables >/dev/null || apt_install iptables
  local bridge range
  for bridge in docker_gwbridge docker0; do
    as_root iptables -C INPUT -i "$bridge" -m conntrack --ctstate NEW -j DROP 2>/dev/null \
      || as_root iptables -I INPUT -i "$bridge" -m conntrack --ctstate NEW -j DROP
    for range in $PRIVATE_RANGES; do
      as_root iptables -C DOCKER-USER -i "$bridge" -d "$range" -m conntrack --ctstate NEW -j DROP 2>/dev/null \
        || as_root iptables -I DOCKER-USER -i "$bridge" -d "$range" -m conntrack --ctstate NEW -j DROP
    done
  done
}
