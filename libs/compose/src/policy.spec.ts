import { describe, expect, it } from 'vitest';
import { checkPolicy, compileCompose } from './compile.js';
import { isDockerSocket } from './policy.js';
import { POLICY_RULES, type PolicyRule } from './types.js';

const EVERYTHING = [
  'services:', // 1
  '  app:',
  '    image: nginx',
  '    privileged: true',
  '    pid: host', // 5
  '    ipc: host',
  '    userns_mode: host',
  '    devices: ["/dev/fuse:/dev/fuse"]',
  '    cap_add: [CHOWN, NET_ADMIN, cap_sys_admin]',
  '    security_opt: ["seccomp:unconfined", "no-new-privileges:true", "apparmor=unconfined", "label:disable"]', // 10
  '    sysctls: {net.core.somaxconn: "1024"}',
  '    volumes:',
  '      - ./data:/data',
  '      - /var/run/docker.sock:/var/run/docker.sock',
  '      - type: bind', // 15
  '        source: /srv/www',
  '        target: /www',
  '      - named:/named',
  '  net:',
  '    image: nginx', // 20
  '    network_mode: host',
  '  side:',
  '    image: nginx',
  '    network_mode: "service:net"',
  '  sock:', // 25
  '    image: docker',
  '    use_api_socket: true',
  'volumes:',
  '  named: {}',
].join('\n');

/** rule, path, line of every violation in EVERYTHING. */
const VIOLATIONS: [PolicyRule, string, number][] = [
  ['privileged', 'services.app.privileged', 4],
  ['host-pid', 'services.app.pid', 5],
  ['host-ipc', 'services.app.ipc', 6],
  ['host-userns', 'services.app.userns_mode', 7],
  ['devices', 'services.app.devices', 8],
  ['cap-add', 'services.app.cap_add[1]', 9],
  ['cap-add', 'services.app.cap_add[2]', 9],
  ['security-opt', 'services.app.security_opt[0]', 10],
  ['security-opt', 'services.app.security_opt[2]', 10],
  ['security-opt', 'services.app.security_opt[3]', 10],
  ['sysctls', 'services.app.sysctls', 11],
  ['bind-mounts', 'services.app.volumes[0]', 13],
  ['docker-socket', 'services.app.volumes[1]', 14],
  ['bind-mounts', 'services.app.volumes[2]', 15],
  ['host-network', 'services.net.network_mode', 21],
  ['service-network', 'services.side.network_mode', 24],
  ['docker-socket', 'services.sock.use_api_socket', 27],
];

describe('policy on a shared cluster', () => {
  const r = compileCompose(EVERYTHING);
  const policy = r.ok ? [] : r.errors.filter((e) => e.code === 'policy');

  it('refuses every rule at the offending key', () => {
    expect(r.ok).toBe(false);
    expect(policy.map((e) => [e.rule, e.path, e.line])).toEqual(VIOLATIONS);
    expect(new Set(policy.map((e) => e.rule))).toEqual(new Set(POLICY_RULES));
  });

  it('says what and which rule, path first', () => {
    const message = (path: string) => policy.find((e) => e.path === path)?.message;
    expect(message('services.app.privileged')).toBe(
      'services.app.privileged: privileged containers are not allowed on a shared cluster (rule "privileged")',
    );
    expect(message('services.app.cap_add[1]')).toMatch(
      /^services\.app\.cap_add\[1\]: capability "NET_ADMIN" is not allowed on a shared cluster \(rule "cap-add"\); allowed everywhere: CHOWN, /,
    );
    expect(message('services.app.volumes[0]')).toBe(
      'services.app.volumes[0]: bind mounts of host paths ("./data") are not allowed on a shared cluster (rule "bind-mounts"); use a named volume',
    );
    expect(message('services.app.volumes[1]')).toContain('the Docker socket ("/var/run/docker.sock")');
    expect(message('services.net.network_mode')).toContain(`the host's network (network_mode "host")`);
  });

  it('reports the socket instead of a bind mount for the same entry', () => {
    expect(policy.filter((e) => e.path === 'services.app.volumes[1]').map((e) => e.rule)).toEqual(['docker-socket']);
  });

  it('lets the safe capabilities and other security options through', () => {
    expect(policy.some((e) => e.path === 'services.app.cap_add[0]')).toBe(false);
    expect(r.warnings).toContainEqual(
      expect.objectContaining({ code: 'ignored', path: 'services.app.security_opt[1]', line: 10 }),
    );
  });

  it('enforces every rule on a shared cluster even when "relaxed" lists it', () => {
    expect(checkPolicy(EVERYTHING, { cluster: { shared: true, relaxed: [...POLICY_RULES] } })).toHaveLength(VIOLATIONS.length);
  });
});

describe('policy on a dedicated cluster', () => {
  it('enforces the rules that are not relaxed, saying the owner can relax them', () => {
    const issues = checkPolicy(EVERYTHING, { cluster: { shared: false, relaxed: ['privileged'] } });
    expect(issues).toHaveLength(VIOLATIONS.length - 1);
    expect(issues[0]?.message).toBe(
      'services.app.pid: the host\'s PID namespace (pid: host) is not allowed on this cluster unless its owner relaxes the rule (rule "host-pid")',
    );
  });

  it('allows each rule after relaxation', () => {
    expect(checkPolicy(EVERYTHING, { cluster: { shared: false, relaxed: [...POLICY_RULES] } })).toEqual([]);
    for (const rule of POLICY_RULES) {
      const left = checkPolicy(EVERYTHING, { cluster: { shared: false, relaxed: [rule] } });
      expect(
        left.some((e) => e.rule === rule),
        rule,
      ).toBe(false);
    }
  });

  it('refuses what Swarm services cannot run, even when allowed', () => {
    const r = compileCompose(EVERYTHING, { cluster: { shared: false, relaxed: [...POLICY_RULES] } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.filter((e) => e.code === 'policy')).toEqual([]);
    expect(r.errors.map((e) => [e.code, e.path, e.line])).toEqual([
      ['unsupported', 'services.app.privileged', 4],
      ['unsupported', 'services.app.pid', 5],
      ['unsupported', 'services.app.ipc', 6],
      ['unsupported', 'services.app.userns_mode', 7],
      ['unsupported', 'services.app.devices', 8],
      ['unsupported', 'services.app.security_opt[0]', 10],
      ['unsupported', 'services.app.security_opt[2]', 10],
      ['unsupported', 'services.app.security_opt[3]', 10],
      ['unsupported', 'services.app.volumes[0]', 13], // a relative host path means nothing on a cluster
      ['unsupported', 'services.side.network_mode', 24],
    ]);
    expect(r.errors[0]?.message).toBe('services.app.privileged: Swarm services cannot run privileged containers');
  });

  it('maps what Swarm can express onto the service', () => {
    const source = [
      'services:',
      '  app:',
      '    image: nginx',
      '    cap_add: [CHOWN, NET_ADMIN]',
      '    sysctls: [net.core.somaxconn=1024]',
      '    volumes:',
      '      - /srv/www:/www:ro',
      '      - /var/run/docker.sock:/var/run/docker.sock',
      '  net:',
      '    image: nginx',
      '    network_mode: host',
      '  agent:',
      '    image: docker',
      '    use_api_socket: true',
    ].join('\n');
    const relaxed: PolicyRule[] = ['bind-mounts', 'docker-socket', 'host-network', 'sysctls', 'cap-add'];
    const r = compileCompose(source, { cluster: { shared: false, relaxed } });
    expect(r.ok ? [] : r.errors).toEqual([]);
    if (!r.ok) return;
    const [app, net, agent] = r.stack.services;
    expect(app).toMatchObject({
      capAdd: ['CAP_CHOWN', 'CAP_NET_ADMIN'],
      volumes: [],
      host: {
        bindMounts: [
          { source: '/srv/www', target: '/www', readOnly: true },
          { source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: false },
        ],
        sysctls: { 'net.core.somaxconn': '1024' },
        network: false,
      },
    });
    expect(net?.host).toMatchObject({ network: true, bindMounts: [] });
    expect(agent?.host?.bindMounts).toEqual([
      { source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: false },
    ]);
  });

  it('keeps the socket refused when only bind mounts are relaxed', () => {
    const issues = checkPolicy('services:\n  a:\n    image: x\n    volumes: ["/run/docker.sock:/s", "/srv:/srv"]\n', {
      cluster: { shared: false, relaxed: ['bind-mounts'] },
    });
    expect(issues.map((e) => [e.rule, e.path])).toEqual([['docker-socket', 'services.a.volumes[0]']]);
  });
});

describe('policy details', () => {
  it('recognises the socket and the directories that contain it', () => {
    for (const p of [
      '/var/run/docker.sock',
      '/run/docker.sock',
      '/var/run',
      '/run/',
      '/',
      '/var',
      '//var//run/./docker.sock',
      '/home/u/.docker/run/docker.sock',
    ]) {
      expect(isDockerSocket(p), p).toBe(true);
    }
    for (const p of ['/srv/data', '/var/lib/app', '/running']) expect(isDockerSocket(p), p).toBe(false);
  });

  it('checks active services only', () => {
    expect(
      checkPolicy('services:\n  a:\n    image: x\n  dbg:\n    image: x\n    privileged: true\n    profiles: [debug]\n'),
    ).toEqual([]);
    expect(
      checkPolicy('services:\n  dbg:\n    image: x\n    privileged: true\n    profiles: [debug]\n', { profiles: ['debug'] }),
    ).toHaveLength(1);
  });

  it('does not check quota', () => {
    const r = compileCompose(
      'services:\n  a:\n    image: x\n    deploy: {replicas: 50, resources: {limits: {cpus: "32", memory: 128g}}}\n',
    );
    expect(r.ok).toBe(true);
  });

  it('refuses namespace modes Swarm cannot share and ignores harmless ones', () => {
    const r = compileCompose(
      'services:\n  a:\n    image: x\n    pid: "service:b"\n    ipc: shareable\n    network_mode: none\n  b:\n    image: x\n',
    );
    expect(r.ok ? [] : r.errors.map((e) => [e.code, e.path])).toEqual([
      ['unsupported', 'services.a.pid'],
      ['unsupported', 'services.a.network_mode'],
    ]);
    expect(r.warnings.map((w) => [w.code, w.path])).toEqual([['ignored', 'services.a.ipc']]);
  });
});
