import { describe, expect, it } from 'vitest';
import type { EngineNode, EngineService, EngineTask } from '../docker/engine-types.js';
import { adminListenOf, buildCaddyConfig, proxyRoutes } from './caddy-config.js';

const CLUSTER = '6f1c1c5e-0d55-4f55-9a59-2d7f7b9f0c11';
const labels = (extra: Record<string, string>) => ({ 'wharf.managed-by': 'wharf', 'wharf.cluster': CLUSTER, ...extra });

function service(id: string, name: string, extra: Record<string, string>): EngineService {
  return { ID: id, Version: { Index: 1 }, Spec: { Name: name, Labels: labels(extra) } };
}

function task(serviceId: string, port: number | undefined, state = 'running', desired = 'running', node = 'n1'): EngineTask {
  return {
    ID: `${serviceId}-${port}-${state}`,
    ServiceID: serviceId,
    NodeID: node,
    DesiredState: desired,
    Spec: {},
    Status: {
      State: state,
      PortStatus: port ? { Ports: [{ Protocol: 'tcp', TargetPort: 8080, PublishedPort: port, PublishMode: 'host' }] } : {},
    },
  };
}

const nodes: EngineNode[] = [
  { ID: 'n1', Status: { State: 'ready', Addr: '10.0.0.1' } },
  { ID: 'n2', Status: { State: 'ready', Addr: '0.0.0.0' }, ManagerStatus: { Addr: '10.0.0.2:2377' } },
];
const route = { 'wharf.route.host': 'web.app.t.wharf.localhost', 'wharf.route.port': '8080' };

describe('proxyRoutes', () => {
  it('routes each running task of a routed service at its node address and published port', () => {
    const routes = proxyRoutes(
      CLUSTER,
      [service('s1', 'web', route)],
      [
        task('s1', 32001),
        task('s1', 32002, 'running', 'running', 'n2'),
        task('s1', 32003, 'starting'),
        task('s1', 32004, 'running', 'shutdown'),
        task('s1', undefined),
      ],
      nodes,
    );
    expect(routes).toEqual([
      { host: 'web.app.t.wharf.localhost', service: 'web', upstreams: ['10.0.0.1:32001', '10.0.0.2:32002'] },
    ]);
  });

  it('keeps a routed service with no running task (503) and ignores unrouted and foreign services', () => {
    const foreign = service('s3', 'other', { ...route, 'wharf.route.host': 'x.localhost' });
    foreign.Spec.Labels['wharf.cluster'] = 'another';
    const routes = proxyRoutes(
      CLUSTER,
      [service('s1', 'web', route), service('s2', 'db', {}), foreign],
      [task('s2', 32010), task('s3', 32011)],
      nodes,
    );
    expect(routes).toEqual([{ host: 'web.app.t.wharf.localhost', service: 'web', upstreams: [] }]);
  });

  it('gives a host to one service only, the first by name', () => {
    const routes = proxyRoutes(CLUSTER, [service('s2', 'b', route), service('s1', 'a', route)], [], nodes);
    expect(routes.map((r) => r.service)).toEqual(['a']);
  });
});

describe('buildCaddyConfig', () => {
  const config = buildCaddyConfig({
    adminListen: '127.0.0.1:2019',
    listen: ':8088',
    routes: [
      { host: 'a.localhost', service: 'a', upstreams: ['10.0.0.1:32001', '10.0.0.1:32002'] },
      { host: 'b.localhost', service: 'b', upstreams: [] },
    ],
  });
  const server = (config.apps as { http: { servers: Record<string, { routes: unknown[] } & Record<string, unknown>> } }).http
    .servers.wharf;

  it('keeps the admin listener and listens on the edge address without automatic HTTPS', () => {
    expect(config.admin).toEqual({ listen: '127.0.0.1:2019' });
    expect(server?.listen).toEqual([':8088']);
    expect(server?.automatic_https).toEqual({ disable: true });
  });

  it('reverse-proxies with retries across upstreams, answers 503 without replicas and 404 for unknown hosts', () => {
    expect(server?.routes).toEqual([
      {
        match: [{ host: ['a.localhost'] }],
        handle: [
          expect.objectContaining({
            handler: 'reverse_proxy',
            upstreams: [{ dial: '10.0.0.1:32001' }, { dial: '10.0.0.1:32002' }],
            load_balancing: expect.objectContaining({ try_duration: '5s', try_interval: '100ms' }),
          }),
        ],
        terminal: true,
      },
      {
        match: [{ host: ['b.localhost'] }],
        handle: [expect.objectContaining({ handler: 'static_response', status_code: 503, body: 'no running replicas\n' })],
        terminal: true,
      },
      { handle: [expect.objectContaining({ handler: 'static_response', status_code: 404 })] },
    ]);
  });

  it('is deterministic', () => {
    const again = buildCaddyConfig({
      adminListen: '127.0.0.1:2019',
      listen: ':8088',
      routes: [
        { host: 'a.localhost', service: 'a', upstreams: ['10.0.0.1:32001', '10.0.0.1:32002'] },
        { host: 'b.localhost', service: 'b', upstreams: [] },
      ],
    });
    expect(JSON.stringify(again)).toBe(JSON.stringify(config));
  });
});

describe('adminListenOf', () => {
  it('takes host and port of the admin URL', () => {
    expect(adminListenOf('http://127.0.0.1:2019')).toBe('127.0.0.1:2019');
    expect(adminListenOf('http://localhost:2999/')).toBe('localhost:2999');
    expect(adminListenOf('http://[::1]:2019')).toBe('[::1]:2019');
  });
});
