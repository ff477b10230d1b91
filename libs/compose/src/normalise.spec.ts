import type { ServiceSpec } from '@wharf/engine';
import { describe, expect, it } from 'vitest';
import { compileCompose } from './compile.js';
import { pendingBuildImage } from './normalise-build.js';
import type { CompileOptions, CompileResult } from './types.js';

/** Compiles a one-service file (`web`, image nginx, the given lines) and returns the service or the issues. */
function web(lines: string[], options: CompileOptions = {}) {
  const r = compileCompose(['services:', '  web:', '    image: nginx', ...lines.map((l) => `    ${l}`)].join('\n'), options);
  return {
    r,
    service: (r.ok ? r.stack.services[0] : undefined) as ServiceSpec,
    errors: r.ok ? [] : r.errors,
    warnings: r.warnings,
  };
}
const paths = (r: CompileResult) => (r.ok ? [] : r.errors.map((e) => [e.code, e.path, e.line]));

describe('service names and images', () => {
  it('needs DNS labels as service names, and says compose allows more', () => {
    const r = compileCompose('services:\n  my_app:\n    image: nginx\n');
    expect(r.ok ? [] : r.errors).toEqual([
      expect.objectContaining({
        code: 'type',
        path: 'services.my_app',
        line: 2,
        message: expect.stringContaining('(compose allows "_", "." and capitals; Wharf service names are DNS names)'),
      }),
    ]);
  });

  it('expands short image names', () => {
    expect(web([]).service.image).toBe('docker.io/library/nginx:latest');
    const r = compileCompose(`services:\n  a:\n    image: ghcr.io/acme/api@sha256:${'a'.repeat(64)}\n`);
    expect(r.ok && r.stack.services[0]?.image).toBe(`ghcr.io/acme/api@sha256:${'a'.repeat(64)}`);
  });

  it('needs an image or a build; a build runs the image its build made, pending until then', () => {
    expect(paths(compileCompose('services:\n  web:\n    user: x\n'))).toEqual([['type', 'services.web', 2]]);
    const file = 'services:\n  web:\n    image: shop/web\n    build: {context: web, target: prod, args: [A=1, B]}\n';
    const pending = compileCompose(file, { variables: { B: '2' } });
    expect(pending.ok).toBe(true);
    if (!pending.ok) return;
    expect(pending.builds).toEqual({ web: { context: 'web', target: 'prod', args: { A: '1', B: '2' } } });
    expect(pending.stack.services[0]?.image).toBe(pendingBuildImage('web'));
    const digest = `127.0.0.1:5000/t/shop/web:abc@sha256:${'0'.repeat(64)}`;
    const built = compileCompose(file, { builtImages: { web: digest } });
    expect(built.ok && built.stack.services[0]?.image).toBe(digest);
  });

  it('reports an image reference the engine cannot parse, at the image', () => {
    const r = compileCompose('services:\n  web:\n    image: "Not A/Ref"\n');
    expect(r.ok ? [] : r.errors).toEqual([
      expect.objectContaining({
        code: 'type',
        path: 'services.web.image',
        line: 3,
        message: expect.stringContaining('not a full image reference'),
      }),
    ]);
  });
});

describe('command and entrypoint', () => {
  it('splits a string into words without a shell', () => {
    const { service } = web([`command: sh -c 'echo "$$HOME" && sleep 1' --flag="a b" c\\ d`, 'entrypoint: ["/tini", "--"]']);
    expect(service.command).toEqual(['sh', '-c', 'echo "$HOME" && sleep 1', '--flag=a b', 'c d']);
    expect(service.entrypoint).toEqual(['/tini', '--']);
  });

  it('reports an unclosed quote', () => {
    expect(web(['command: echo "oops']).errors[0]).toMatchObject({
      code: 'type',
      path: 'services.web.command',
      message: 'services.web.command: cannot split "echo \\"oops" into words: unterminated double quote',
    });
  });

  it('takes numbers in a list as words', () => {
    expect(web(['command: [sleep, 10]']).service.command).toEqual(['sleep', '10']);
  });
});

describe('environment', () => {
  it('reads lists and mappings of any scalar', () => {
    expect(web(['environment: [A=1, B=x=y, C=]']).service.env).toEqual({ A: '1', B: 'x=y', C: '' });
    expect(web(['environment: {A: 1, B: true, C: "s", D: 1.5}']).service.env).toEqual({ A: '1', B: 'true', C: 's', D: '1.5' });
  });

  it('takes a value-less name from the variables, or leaves it out with a warning', () => {
    const { service, warnings } = web(['environment:', '  - TOKEN', '  - MISSING', '  - EMPTY'], {
      variables: { TOKEN: 't', EMPTY: '' },
    });
    expect(service.env).toEqual({ TOKEN: 't', EMPTY: '' });
    expect(warnings).toEqual([
      expect.objectContaining({
        line: 6,
        path: 'services.web.environment[1]',
        message: 'services.web.environment[1]: MISSING has no value and the environment has no variable MISSING; left out',
      }),
    ]);
  });

  it('refuses names the engine cannot pass, at the entry', () => {
    expect(web(['environment:', '  A.B: x']).errors).toEqual([
      expect.objectContaining({
        path: 'services.web.environment["A.B"]',
        line: 5,
        message: expect.stringContaining('not accepted as a key'),
      }),
    ]);
  });
});

describe('ports', () => {
  it('reads the short syntax, expands ranges and warns about host ports', () => {
    const { service, warnings } = web(['ports: [80, "8443:443", "127.0.0.1:5353:53/udp", "3000-3002", "[::1]:9000:9000"]']);
    expect(service.ports).toEqual([
      { containerPort: 80, protocol: 'tcp', http: true },
      { containerPort: 443, protocol: 'tcp', http: false },
      { containerPort: 53, protocol: 'udp', http: false },
      { containerPort: 3000, protocol: 'tcp', http: false },
      { containerPort: 3001, protocol: 'tcp', http: false },
      { containerPort: 3002, protocol: 'tcp', http: false },
      { containerPort: 9000, protocol: 'tcp', http: false },
    ]);
    expect(warnings.map((w) => w.path)).toEqual(['services.web.ports[1]', 'services.web.ports[2]', 'services.web.ports[4]']);
    expect(warnings[0]?.message).toBe(
      'services.web.ports[1]: host port 8443 is ignored: Wharf routes HTTP through its edge proxy, and other ports are reachable inside the environment',
    );
  });

  it('reads the long syntax', () => {
    const { service } = web([
      'ports:',
      '  - {target: 53, protocol: udp, published: "53"}',
      '  - {target: 8080, published: 80, mode: host, app_protocol: http}',
    ]);
    expect(service.ports).toEqual([
      { containerPort: 53, protocol: 'udp', http: false },
      { containerPort: 8080, protocol: 'tcp', http: true },
    ]);
  });

  it('takes x-wharf-http as the HTTP port, adding it when it is not listed, and false for none', () => {
    expect(web(['ports: ["80:80", "9000"]', 'x-wharf-http: 9000']).service.ports.filter((p) => p.http)).toEqual([
      { containerPort: 9000, protocol: 'tcp', http: true },
    ]);
    expect(web(['x-wharf-http: 3000']).service.ports).toEqual([{ containerPort: 3000, protocol: 'tcp', http: true }]);
    expect(web(['ports: ["80:80"]', 'x-wharf-http: false']).service.ports).toEqual([
      { containerPort: 80, protocol: 'tcp', http: false },
    ]);
  });

  it('takes the first tcp port of `ports` (published on a port the engine picks), never an exposed one', () => {
    expect(web(['ports: ["53:53/udp", "3000"]']).service.ports.find((p) => p.http)?.containerPort).toBe(3000);
    expect(web(['ports: ["53:53/udp"]', 'expose: [80]']).service.ports.some((p) => p.http)).toBe(false);
    expect(web(['ports: ["3000"]', 'x-wharf-http: false']).service.ports.some((p) => p.http)).toBe(false);
  });

  it('turns expose into unpublished ports, and lists a port once', () => {
    expect(web(['ports: ["8080:80"]', 'expose: [80, "9090", "7000-7001/udp"]']).service.ports).toEqual([
      { containerPort: 80, protocol: 'tcp', http: true },
      { containerPort: 9090, protocol: 'tcp', http: false, publish: false },
      { containerPort: 7000, protocol: 'udp', http: false, publish: false },
      { containerPort: 7001, protocol: 'udp', http: false, publish: false },
    ]);
  });

  it('refuses malformed ports, other protocols and too many ports', () => {
    expect(web(['ports: ["80:abc"]']).errors[0]?.message).toBe(
      'services.web.ports[0]: "80:abc": "abc" is not a port or a port range (such as 80 or 3000-3005); expected [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL], such as "8080:80" or "127.0.0.1:53:53/udp"',
    );
    expect(web(['ports: ["9000:70000"]']).errors[0]).toMatchObject({
      code: 'range',
      path: 'services.web.ports[0]',
      message: 'services.web.ports[0]: "9000:70000": port 70000 is out of range (1-65535)',
    });
    expect(web(['ports: ["80/sctp"]']).errors[0]?.message).toBe(
      'services.web.ports[0]: protocol "sctp" is not supported; expected tcp or udp',
    );
    expect(web(['ports: ["3000-3100"]']).errors[0]).toMatchObject({
      code: 'range',
      path: 'services.web.ports',
      message: 'services.web.ports: at most 32 ports (got 65)',
    });
  });
});

describe('health checks', () => {
  it('reads every form of test', () => {
    expect(web(['healthcheck: {test: "curl -f localhost"}']).service.healthcheck).toMatchObject({
      type: 'command',
      command: ['/bin/sh', '-c', 'curl -f localhost'],
    });
    expect(web(['healthcheck: {test: [CMD, curl, -f, localhost]}']).service.healthcheck).toMatchObject({
      command: ['curl', '-f', 'localhost'],
    });
    expect(web(['healthcheck: {test: [CMD-SHELL, "pg_isready -U app"]}']).service.healthcheck).toMatchObject({
      command: ['/bin/sh', '-c', 'pg_isready -U app'],
    });
    expect(web(['healthcheck: {test: [NONE]}']).service.healthcheck).toEqual({ type: 'none' });
    expect(web(['healthcheck: {disable: true}']).service.healthcheck).toEqual({ type: 'none' });
  });

  it('converts the timings', () => {
    expect(
      web(['healthcheck: {test: "true", interval: 1m30s, timeout: 2s, start_period: 500ms, retries: 5}']).service.healthcheck,
    ).toEqual({
      type: 'command',
      command: ['/bin/sh', '-c', 'true'],
      intervalMs: 90_000,
      timeoutMs: 2000,
      startPeriodMs: 500,
      retries: 5,
    });
  });

  it('refuses timings out of the engine range, saying the bound', () => {
    expect(web(['healthcheck: {test: "true", interval: 500ms}']).errors).toEqual([
      expect.objectContaining({
        code: 'range',
        path: 'services.web.healthcheck.interval',
        line: 4,
        message: 'services.web.healthcheck.interval: 500ms is too short; a health check interval is at least 1s',
      }),
    ]);
    expect(web(['healthcheck: {test: "true", timeout: 2h}']).errors[0]?.message).toContain('is at most 1h');
  });

  it('refuses a test list without its kind', () => {
    expect(web(['healthcheck: {test: [curl, localhost]}']).errors[0]).toMatchObject({ path: 'services.web.healthcheck.test' });
  });
});

describe('deploy and resources', () => {
  it('reads replicas and the job mode, and refuses global modes', () => {
    expect(web(['deploy: {replicas: 3}']).service.replicas).toBe(3);
    expect(web(['scale: 2']).service.replicas).toBe(2);
    expect(web(['deploy: {mode: replicated-job, replicas: 2}']).service).toMatchObject({ mode: 'job', replicas: 2 });
    expect(web(['deploy: {mode: global}']).errors).toEqual([
      expect.objectContaining({
        code: 'unsupported',
        path: 'services.web.deploy.mode',
        message: expect.stringContaining('mode "global" is not supported'),
      }),
    ]);
    expect(web(['deploy: {replicas: 500}']).errors[0]).toMatchObject({ code: 'range', path: 'services.web.deploy.replicas' });
  });

  it('converts CPU and memory in every notation', () => {
    expect(
      web(['deploy: {resources: {limits: {cpus: "0.5", memory: 512M, pids: 100}, reservations: {cpus: 0.25, memory: 1g}}}'])
        .errors,
    ).toEqual([
      expect.objectContaining({
        path: 'services.web.deploy.resources.reservations.memory',
        message: expect.stringContaining('must not exceed the limit'),
      }),
    ]);
    expect(
      web(['deploy: {resources: {limits: {cpus: "2", memory: 2g}, reservations: {cpus: 0.25, memory: 1gb}}}']).service.resources,
    ).toEqual({
      limits: { cpuMillis: 2000, memoryMiB: 2048, pids: 512 },
      reservations: { cpuMillis: 250, memoryMiB: 1024 },
    });
    expect(web(['cpus: 1.5', 'mem_limit: 268435456', 'mem_reservation: 64m', 'pids_limit: -1']).service.resources).toEqual({
      limits: { cpuMillis: 1500, memoryMiB: 256, pids: 65_536 },
      reservations: { cpuMillis: 0, memoryMiB: 64 },
    });
  });

  it('prefers deploy.resources and says the other setting is ignored', () => {
    const { service, warnings } = web(['cpus: 1', 'deploy: {resources: {limits: {cpus: "0.5"}}}']);
    expect(service.resources.limits.cpuMillis).toBe(500);
    expect(warnings[0]).toMatchObject({
      path: 'services.web.cpus',
      message: 'services.web.cpus is ignored: services.web.deploy.resources.limits.cpus is given too',
    });
  });

  it('maps restart and restart_policy', () => {
    expect(web(['restart: "no"']).service.restart.condition).toBe('none');
    expect(web(['restart: always']).service.restart.condition).toBe('any');
    expect(web(['restart: unless-stopped']).service.restart.condition).toBe('any');
    expect(web(['restart: on-failure:3']).service.restart).toMatchObject({ condition: 'on-failure', maxAttempts: 3 });
    expect(
      web(['deploy: {restart_policy: {condition: on-failure, delay: 10s, max_attempts: 4, window: 2m}}']).service.restart,
    ).toEqual({
      condition: 'on-failure',
      delayMs: 10_000,
      maxAttempts: 4,
      windowMs: 120_000,
    });
    expect(web(['restart: sometimes']).errors[0]?.message).toContain('is not a restart policy');
  });

  it('maps update_config and placement', () => {
    const { service, warnings } = web([
      'deploy:',
      '  update_config: {parallelism: 2, delay: 10s, order: stop-first, failure_action: pause, monitor: 30s, max_failure_ratio: 0.1}',
      '  rollback_config: {parallelism: 1}',
      '  placement: {constraints: ["node.role == worker", "node.labels.region==eu"], max_replicas_per_node: 1, preferences: [{spread: node.labels.az}]}',
    ]);
    expect(service.update).toEqual({
      parallelism: 2,
      delayMs: 10_000,
      order: 'stop-first',
      failureAction: 'pause',
      monitorMs: 30_000,
      maxFailureRatio: 0.1,
    });
    expect(service.placement).toEqual({ constraints: ['node.role == worker', 'node.labels.region==eu'], maxReplicasPerNode: 1 });
    expect(warnings.map((w) => w.path)).toEqual([
      'services.web.deploy.rollback_config',
      'services.web.deploy.placement.preferences',
    ]);
  });

  it('refuses placement constraints the engine does not know, at the constraint', () => {
    expect(web(['deploy: {placement: {constraints: ["node.ip == 10.0.0.1"]}}']).errors).toEqual([
      expect.objectContaining({
        code: 'type',
        path: 'services.web.deploy.placement.constraints[0]',
        message: expect.stringMatching(/not a placement constraint; use node\.id, .* \(got "node\.ip == 10\.0\.0\.1"\)$/),
      }),
    ]);
  });

  it('merges labels and deploy.labels, refusing reserved prefixes', () => {
    expect(web(['labels: [a=1, b]', 'deploy: {labels: {c: "3", a: "2"}}']).service.labels).toEqual({ a: '2', b: '', c: '3' });
    expect(web(['labels: {wharf.tenant: x}']).errors).toEqual([
      expect.objectContaining({
        path: 'services.web.labels["wharf.tenant"]',
        message: expect.stringContaining('this label prefix is reserved'),
      }),
    ]);
  });
});

describe('plain settings', () => {
  it('map onto the engine fields', () => {
    const { service } = web([
      'user: 1000:1000',
      'working_dir: /app',
      'hostname: web-1',
      'stop_signal: SIGINT',
      'read_only: true',
      'init: false',
      'stop_grace_period: 1m',
      'extra_hosts: ["db.local:10.0.0.5", "cache=10.0.0.6", "v6:[::1]"]',
      'cap_drop: [ALL]',
      'cap_add: [NET_BIND_SERVICE]',
      'tmpfs: ["/run", "/tmp:size=64m,mode=1777"]',
    ]);
    expect(service).toMatchObject({
      user: '1000:1000',
      workingDir: '/app',
      hostname: 'web-1',
      stopSignal: 'SIGINT',
      readOnlyRootfs: true,
      init: false,
      stopGracePeriodMs: 60_000,
      extraHosts: [
        { host: 'db.local', ip: '10.0.0.5' },
        { host: 'cache', ip: '10.0.0.6' },
        { host: 'v6', ip: '::1' },
      ],
      capDrop: ['ALL'],
      capAdd: ['CAP_NET_BIND_SERVICE'],
      tmpfs: [{ target: '/run' }, { target: '/tmp', sizeMiB: 64 }],
    });
    expect(web(['extra_hosts: {db: 10.0.0.5, multi: [10.0.0.1, 10.0.0.2]}']).service.extraHosts).toHaveLength(3);
  });

  it('reports what the engine refuses at the compose key', () => {
    expect(paths(web(['working_dir: app', 'hostname: Web_1', 'extra_hosts: ["gw:host-gateway"]']).r)).toEqual([
      ['type', 'services.web.working_dir', 4],
      ['type', 'services.web.hostname', 5],
      ['unsupported', 'services.web.extra_hosts[0]', 6],
    ]);
  });
});
