import type { HostBootstrap } from './types.js';

/*
 * The cloud-init user data of a cloud host (aws, aliyun): Docker and Caddy (the edge proxy, which the agent
 * configures through its admin API on loopback) from the distribution's packages, the agent (its one-file bundle,
 * which the API serves) from its package URL, a
 * systemd unit that starts it with its one-time registration token. The agent dials out to the API; nothing listens
 * for the control plane on the host (the edge serves apps on port 80).
 */

const TOKEN = /^[A-Za-z0-9_-]{16,200}$/;

/** Refuses values that could not be written into the unit file as they are (they come from Wharf, not users). */
export function checkBootstrap(bootstrap: HostBootstrap): void {
  for (const [name, value] of [
    ['apiUrl', bootstrap.apiUrl],
    ['agentPackageUrl', bootstrap.agentPackageUrl],
  ] as const) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new Error(`bootstrap ${name} is not a URL`);
    }
    if (!/^https?:$/.test(url.protocol) || /[\s"'\\$`]/.test(value))
      throw new Error(`bootstrap ${name} is not a plain http(s) URL`);
  }
  if (!TOKEN.test(bootstrap.registrationToken)) throw new Error('bootstrap registrationToken has unexpected characters');
}

/** `#cloud-config` user data that makes the machine a Wharf host. */
export function renderCloudInit(bootstrap: HostBootstrap): string {
  checkBootstrap(bootstrap);
  return [
    '#cloud-config',
    'package_update: true',
    'packages: [docker.io, caddy, nodejs, curl, ca-certificates]',
    'write_files:',
    '  - path: /etc/wharf-agent.env',
    "    permissions: '0600'",
    '    content: |',
    `      WHARF_API_URL=${bootstrap.apiUrl}`,
    `      WHARF_JOIN_TOKEN=${bootstrap.registrationToken}`,
    '      WHARF_AGENT_STATE=/var/lib/wharf-agent/state.json',
    '      WHARF_AGENT_HOST=1',
    '      DOCKER_SOCK=/var/run/docker.sock',
    '      CADDY_ADMIN_URL=http://127.0.0.1:2019',
    '      WHARF_PROXY_LISTEN=:80',
    '  - path: /etc/systemd/system/wharf-agent.service',
    "    permissions: '0644'",
    '    content: |',
    '      [Unit]',
    '      Description=Wharf agent',
    '      After=docker.service network-online.target',
    '      Requires=docker.service',
    '      [Service]',
    '      EnvironmentFile=/etc/wharf-agent.env',
    '      ExecStart=/usr/bin/node /opt/wharf-agent/wharf-agent.mjs',
    '      Restart=always',
    '      RestartSec=5',
    '      [Install]',
    '      WantedBy=multi-user.target',
    'runcmd:',
    '  - [systemctl, enable, --now, docker, caddy]',
    '  - [mkdir, -p, /opt/wharf-agent, /var/lib/wharf-agent]',
    `  - [curl, -fsSL, --retry, '5', -o, /opt/wharf-agent/wharf-agent.mjs, '${bootstrap.agentPackageUrl}']`,
    '  - [systemctl, daemon-reload]',
    '  - [systemctl, enable, --now, wharf-agent]',
    '',
  ].join('\n');
}
