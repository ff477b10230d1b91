import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileCompose } from './compile.js';
import { COMPOSE_SPEC_KEYS } from './spec-keys.js';
import { SUPPORT_TABLE, type SupportStatus } from './support.js';

const DOC = new URL('../../../docs/compose.md', import.meta.url);

/** A value of each key that is ignored, unsupported or a matter of policy, written as YAML. */
const SAMPLES: Record<string, string> = {
  'top.version': '"3.8"',
  'top.name': 'shop',
  'top.include': '[other.yml]',
  'top.models': '{llm: {model: ai/smollm2}}',

  'service.annotations': '{com.example.a: b}',
  'service.attach': 'false',
  'service.blkio_config': '{weight: 300}',
  'service.cap_add': '[NET_ADMIN]',
  'service.cgroup': 'private',
  'service.cgroup_parent': 'm-executor',
  'service.container_name': 'my-web',
  'service.cpu_count': '2',
  'service.cpu_percent': '50',
  'service.cpu_period': '100000',
  'service.cpu_quota': '50000',
  'service.cpu_rt_period': '1000',
  'service.cpu_rt_runtime': '950',
  'service.cpu_shares': '512',
  'service.cpuset': '"0-1"',
  'service.credential_spec': '{config: my-spec}',
  'service.develop': '{watch: [{path: ., action: rebuild}]}',
  'service.device_cgroup_rules': '["c 1:3 mr"]',
  'service.devices': '["/dev/fuse:/dev/fuse"]',
  'service.dns': '8.8.8.8',
  'service.dns_opt': '[use-vc]',
  'service.dns_search': 'example.com',
  'service.domainname': 'example.com',
  'service.env_file': '.env',
  'service.gpus': 'all',
  'service.group_add': '[mail]',
  'service.ipc': 'host',
  'service.isolation': 'default',
  'service.label_file': './labels',
  'service.logging': '{driver: json-file, options: {max-size: 10m}}',
  'service.mac_address': '"02:42:ac:11:65:43"',
  'service.mem_swappiness': '0',
  'service.memswap_limit': '1g',
  'service.models': '[llm]',
  'service.network_mode': 'host',
  'service.oom_kill_disable': 'true',
  'service.oom_score_adj': '500',
  'service.pid': 'host',
  'service.platform': 'linux/amd64',
  'service.post_start': '[{command: ./setup.sh}]',
  'service.pre_stop': '[{command: ./drain.sh}]',
  'service.privileged': 'true',
  'service.provider': '{type: model}',
  'service.pull_policy': 'always',
  'service.pull_refresh_after': '1h',
  'service.runtime': 'runc',
  'service.security_opt': '["seccomp:unconfined"]',
  'service.shm_size': '64m',
  'service.stdin_open': 'true',
  'service.storage_opt': '{size: 1G}',
  'service.sysctls': '{net.core.somaxconn: 1024}',
  'service.tty': 'true',
  'service.ulimits': '{nofile: {soft: 1024, hard: 2048}}',
  'service.use_api_socket': 'true',
  'service.userns_mode': 'host',
  'service.uts': 'host',
  'service.volumes_from': '[other]',
};

const EXPECTED_CODE: Record<Exclude<SupportStatus, 'supported'>, { code: string; severity: 'error' | 'warning' }> = {
  ignored: { code: 'ignored', severity: 'warning' },
  unsupported: { code: 'unsupported', severity: 'error' },
  policy: { code: 'policy', severity: 'error' },
};

/** The rows of the markdown table between the support-table markers: key → status. */
function docRows(): Map<string, string> {
  const text = readFileSync(DOC, 'utf8');
  const table = /<!-- support-table:start -->([\s\S]*)<!-- support-table:end -->/.exec(text)?.[1] ?? '';
  const rows = new Map<string, string>();
  for (const line of table.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const key = /^`(.+)`$/.exec(cells[1] ?? '')?.[1];
    if (key) rows.set(key, cells[2] ?? '');
  }
  return rows;
}

function compileWith(key: string, sample: string) {
  const [scope, name] = key.split('.') as ['top' | 'service', string];
  const lines =
    scope === 'top'
      ? [`${name}: ${sample}`, 'services:', '  web:', '    image: nginx']
      : ['services:', '  web:', '    image: nginx', `    ${name}: ${sample}`];
  return {
    result: compileCompose(lines.join('\n')),
    path: scope === 'top' ? name : `services.web.${name}`,
    line: scope === 'top' ? 1 : 4,
  };
}

describe('SUPPORT_TABLE', () => {
  it('has a row for every top-level and service-level key of the specification, and no other', () => {
    const specKeys = [
      ...COMPOSE_SPEC_KEYS.top.map((k) => `top.${k}`),
      ...COMPOSE_SPEC_KEYS.service.map((k) => `service.${k}`),
    ].sort();
    expect(Object.keys(SUPPORT_TABLE).sort()).toEqual(specKeys);
  });

  it('says something about every key', () => {
    for (const [key, support] of Object.entries(SUPPORT_TABLE)) expect(support.note.length, key).toBeGreaterThan(3);
  });

  it('is what docs/compose.md shows', () => {
    const rows = docRows();
    expect([...rows.keys()].sort()).toEqual(Object.keys(SUPPORT_TABLE).sort());
    for (const [key, support] of Object.entries(SUPPORT_TABLE)) expect(rows.get(key), key).toBe(support.status);
  });

  it('has a sample for every key that is not plainly supported', () => {
    const needed = Object.entries(SUPPORT_TABLE)
      .filter(([, s]) => s.status !== 'supported')
      .map(([k]) => k)
      .sort();
    expect(Object.keys(SAMPLES).sort()).toEqual(needed);
  });

  describe.each(Object.entries(SAMPLES))('%s', (key, sample) => {
    const status = SUPPORT_TABLE[key]?.status ?? 'supported';
    it(`is ${status}: the compiler says so at the key`, () => {
      if (status === 'supported') throw new Error(`${key} needs no sample`);
      const { result, path, line } = compileWith(key, sample);
      const { code, severity } = EXPECTED_CODE[status];
      const issues = severity === 'error' ? (result.ok ? [] : result.errors) : result.warnings;
      // at the key, or at the offending item of a list (`cap_add[0]`)
      const atKey = issues.filter((i) => i.path === path || i.path.startsWith(`${path}[`));
      expect(atKey).toContainEqual(expect.objectContaining({ code, severity, line }));
      if (status === 'ignored') expect(result.ok ? [] : result.errors).toEqual([]);
    });
  });
});
