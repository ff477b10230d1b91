import { checkBootstrap } from './cloud-init.js';
import type { HostBootstrap } from './types.js';

/*
 * The install script of a brought host (`byo`): what `curl -fsSL <API>/api/v1/install/<token> | sudo sh` runs on
 * a machine Wharf did not create. It does what cloud-init does for a cloud host — Docker, the agent, a service
 * that starts it with the host's one-time registration token — on any Linux with a POSIX sh. Only Wharf's own
 * values are written into it (the API's URL, the token, the agent's URL and checksum), each checked first; nothing a
 * user typed (the host's name stays out: the agent takes the machine's hostname).
 */

export interface InstallBootstrap extends HostBootstrap {
  /** SHA-256 (hex) of the agent file at `agentPackageUrl`: the script refuses any other file. */
  agentSha256: string;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Refuses values that could not be written into the script as they are (they come from Wharf, not users). */
export function checkInstallBootstrap(bootstrap: InstallBootstrap): void {
  checkBootstrap(bootstrap);
  if (!SHA256.test(bootstrap.agentSha256)) throw new Error('bootstrap agentSha256 is not a hex SHA-256');
}

/**
 * The script. Everything runs inside `main`, called on the last line: `sh` reading the script from a pipe has
 * parsed all of it before the first command runs, so a command that reads stdin cannot swallow the rest, and a
 * download cut short runs nothing. Overrides for tests and unusual machines (environment of `sh`):
 * `WHARF_PREFIX` (a directory the files go under instead of `/`; no systemd unit is written then),
 * `DOCKER_SOCK` (the engine's socket), `WHARF_ADVERTISE_ADDR` (the address the host's engine advertises in the
 * Swarm; default: the source address of the route to the API), `WHARF_NO_SYSTEMD=1`, `WHARF_NO_EDGE=1` (no Caddy).
 */
export function renderInstallScript(bootstrap: InstallBootstrap): string {
  checkInstallBootstrap(bootstrap);
  return `#!/bin/sh
# Wharf host installer, generated for one host. It installs Docker (when missing), Node.js (when missing or older
# than 20) and Caddy (the edge proxy), downloads the Wharf agent and checks its SHA-256, and starts the agent (a systemd service, or a
# background process where systemd does not run). The agent registers with the one-time token below, then dials
# out to Wharf; nothing listens for Wharf on this machine.
set -eu

WHARF_API_URL='${bootstrap.apiUrl}'
WHARF_JOIN_TOKEN='${bootstrap.registrationToken}'
AGENT_URL='${bootstrap.agentPackageUrl}'
AGENT_SHA256='${bootstrap.agentSha256}'
NODE_MAJOR=20

say() { printf 'wharf: %s\\n' "$*" >&2; }
die() { say "$*"; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

pkg_install() {
  if have apt-get; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null >&2 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" </dev/null >&2
  elif have dnf; then
    dnf install -y "$@" </dev/null >&2
  elif have yum; then
    yum install -y "$@" </dev/null >&2
  else
    return 1
  fi
}

sha256_of() {
  if have sha256sum; then sha256sum "$1" | cut -d' ' -f1
  elif have shasum; then shasum -a 256 "$1" | cut -d' ' -f1
  else openssl dgst -sha256 -r "$1" | cut -d' ' -f1
  fi
}

wait_for_socket() {
  i=0
  while [ ! -S "$DOCKER_SOCK" ]; do
    i=$((i + 1))
    [ "$i" -le 60 ] || die "the Docker engine did not start (no socket at $DOCKER_SOCK)"
    sleep 1
  done
}

ensure_docker() {
  if [ -S "$DOCKER_SOCK" ]; then
    say "Docker engine found ($DOCKER_SOCK)"
    return
  fi
  if ! have dockerd; then
    say "installing Docker"
    pkg_install docker.io || pkg_install docker || pkg_install moby-engine ||
      { curl -fsSL https://get.docker.com -o /tmp/get-docker.sh && sh /tmp/get-docker.sh </dev/null >&2; } ||
      die "could not install Docker: install it yourself, then get a new install command"
  fi
  if [ "$SYSTEMD" = 1 ]; then
    systemctl enable --now docker >&2
  else
    nohup dockerd >>"$PREFIX/var/log/dockerd.log" 2>&1 </dev/null &
  fi
  wait_for_socket
}

node_ok() {
  [ -n "$NODE" ] && [ "$("$NODE" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -ge "$NODE_MAJOR" ]
}

# Node.js's own build (the distribution's may be older than the agent needs), checked against Node's checksums.
install_node_from_nodejs_org() {
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) return 1 ;;
  esac
  base="https://nodejs.org/dist/latest-v$NODE_MAJOR.x"
  sums=$(curl -fsSL "$base/SHASUMS256.txt") || return 1
  file=$(printf '%s\\n' "$sums" | awk '{print $2}' | grep -E "^node-v[0-9.]+-linux-$arch\\.tar\\.gz$" | head -n 1)
  [ -n "$file" ] || return 1
  curl -fsSL --retry 5 -o "$AGENT_DIR/node.tar.gz" "$base/$file" || return 1
  [ "$(sha256_of "$AGENT_DIR/node.tar.gz")" = "$(printf '%s\\n' "$sums" | awk -v f="$file" '$2 == f {print $1}')" ] || return 1
  rm -rf "$AGENT_DIR/node" && mkdir -p "$AGENT_DIR/node"
  tar -xzf "$AGENT_DIR/node.tar.gz" -C "$AGENT_DIR/node" --strip-components 1 && rm -f "$AGENT_DIR/node.tar.gz"
  NODE="$AGENT_DIR/node/bin/node"
}

ensure_node() {
  NODE=$(command -v node || true)
  node_ok && return
  say "installing Node.js"
  pkg_install nodejs || true
  NODE=$(command -v node || true)
  node_ok && return
  install_node_from_nodejs_org || true
  node_ok || die "Node.js $NODE_MAJOR or newer is needed: install it, then get a new install command"
}

# The address this machine reaches Wharf from: the one its engine advertises to the cluster's other hosts.
advertise_addr() {
  if [ -n "\${WHARF_ADVERTISE_ADDR:-}" ]; then
    printf '%s' "$WHARF_ADVERTISE_ADDR"
    return
  fi
  api_host=$(printf '%s' "$WHARF_API_URL" | sed -e 's|^[a-z]*://||' -e 's|[/:].*$||')
  target=$(getent ahostsv4 "$api_host" 2>/dev/null | awk 'NR == 1 {print $1}' || true)
  case "$target" in '' | 127.*) target=1.1.1.1 ;; esac
  ip -4 route get "$target" 2>/dev/null | sed -n 's/.* src \\([0-9.]*\\).*/\\1/p' | head -n 1
}

# Caddy, the edge proxy the agent loads the cluster's routes into (admin API on loopback): without it the host runs
# apps but serves none of their traffic (WHARF_NO_EDGE=1: a server whose port 80 is someone else's).
ensure_edge() {
  EDGE=0
  if [ "\${WHARF_NO_EDGE:-0}" = 1 ]; then
    say "no edge proxy (WHARF_NO_EDGE=1): this host will run apps but not serve their traffic"
    return 0
  fi
  if ! have caddy; then
    say "installing Caddy (the edge proxy)"
    pkg_install caddy || { say "could not install Caddy: this host will run apps but not serve their traffic"; return 0; }
  fi
  if [ "$SYSTEMD" = 1 ]; then
    systemctl enable --now caddy >&2 || { say "Caddy did not start: this host will not serve traffic"; return 0; }
  elif ! curl -fsS -o /dev/null http://127.0.0.1:2019/config/ 2>/dev/null; then
    mkdir -p "$PREFIX/var/lib/caddy"
    (
      export HOME="$PREFIX/var/lib/caddy" XDG_CONFIG_HOME="$PREFIX/var/lib/caddy" XDG_DATA_HOME="$PREFIX/var/lib/caddy"
      exec nohup caddy run >>"$LOG_DIR/caddy.log" 2>&1 </dev/null
    ) &
  fi
  EDGE=1
}

install_agent() {
  say "downloading the Wharf agent"
  curl -fsSL --retry 5 -o "$AGENT_DIR/wharf-agent.mjs.new" "$AGENT_URL"
  if [ "$(sha256_of "$AGENT_DIR/wharf-agent.mjs.new")" != "$AGENT_SHA256" ]; then
    rm -f "$AGENT_DIR/wharf-agent.mjs.new"
    die "the downloaded agent does not match its SHA-256: not installed"
  fi
  mv -f "$AGENT_DIR/wharf-agent.mjs.new" "$AGENT_DIR/wharf-agent.mjs"
}

write_env() {
  addr=$(advertise_addr)
  printf '%s' "$addr" | grep -Eq '^[0-9A-Fa-f:.]+$' ||
    die "could not tell this machine's address (set WHARF_ADVERTISE_ADDR=<ip> for sh, and get a new install command)"
  umask 077
  cat >"$ENV_FILE" <<EOF
WHARF_API_URL=$WHARF_API_URL
WHARF_JOIN_TOKEN=$WHARF_JOIN_TOKEN
WHARF_AGENT_STATE=$STATE_DIR/state.json
WHARF_AGENT_HOST=1
WHARF_AGENT_ADDR=$addr
DOCKER_SOCK=$DOCKER_SOCK
EOF
  if [ "$EDGE" = 1 ]; then
    printf 'CADDY_ADMIN_URL=http://127.0.0.1:2019\\nWHARF_PROXY_LISTEN=:80\\n' >>"$ENV_FILE"
  else
    printf 'CADDY_ADMIN_URL=off\\n' >>"$ENV_FILE"
  fi
  umask 022
}

start_agent() {
  if [ "$SYSTEMD" = 1 ]; then
    cat >/etc/systemd/system/wharf-agent.service <<EOF
[Unit]
Description=Wharf agent
After=docker.service network-online.target
Wants=network-online.target

[Service]
EnvironmentFile=$ENV_FILE
ExecStart=$NODE $AGENT_DIR/wharf-agent.mjs
Restart=on-failure
RestartSec=5
# 2: bad configuration, 3: Wharf refused the credential (the host was removed): restarting cannot help
RestartPreventExitStatus=2 3

[Install]
WantedBy=multi-user.target
EOF
    systemctl daemon-reload >&2
    systemctl enable wharf-agent >&2
    systemctl restart wharf-agent >&2
    say "the agent runs as the systemd service wharf-agent (journalctl -u wharf-agent)"
  else
    (
      set -a
      . "$ENV_FILE"
      set +a
      exec nohup "$NODE" "$AGENT_DIR/wharf-agent.mjs" >>"$LOG_DIR/wharf-agent.log" 2>&1 </dev/null
    ) &
    say "the agent runs in the background (pid $!, log $LOG_DIR/wharf-agent.log)"
  fi
}

main() {
  PREFIX="\${WHARF_PREFIX:-}"
  DOCKER_SOCK="\${DOCKER_SOCK:-/var/run/docker.sock}"
  AGENT_DIR="$PREFIX/opt/wharf-agent"
  STATE_DIR="$PREFIX/var/lib/wharf-agent"
  LOG_DIR="$PREFIX/var/log"
  ENV_FILE="$PREFIX/etc/wharf-agent.env"
  SYSTEMD=0
  if [ -z "$PREFIX" ] && [ "\${WHARF_NO_SYSTEMD:-0}" != 1 ] && [ -d /run/systemd/system ]; then SYSTEMD=1; fi
  [ -n "$PREFIX" ] || [ "$(id -u)" = 0 ] || die "run it as root: curl -fsSL <command's URL> | sudo sh"
  have curl || pkg_install curl ca-certificates || die "curl is needed"
  mkdir -p "$AGENT_DIR" "$STATE_DIR" "$LOG_DIR" "$PREFIX/etc"
  if [ -f "$STATE_DIR/state.json" ]; then
    die "a Wharf agent is installed here already ($STATE_DIR/state.json): remove that host first"
  fi
  ensure_docker
  ensure_node
  ensure_edge
  install_agent
  write_env
  start_agent
  say "done: the host joins its cluster once the agent has registered (follow its state in Wharf)"
}

main "$@"
`;
}
