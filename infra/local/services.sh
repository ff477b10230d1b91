# Brings up the services Wharf needs on a fresh Debian/Ubuntu machine: PostgreSQL (with the owner and app roles
# and the database), Redis (noeviction, persistence on) and, for browser tests, Chromium. Sourced by
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

