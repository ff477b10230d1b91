import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { engine, ensureHttpImage, REGISTRY } from '../support/engine.js';

/**
 * The ground the deploy engine stands on, checked for real: the engine is in Swarm mode, images build without a
 * registry to pull from and round-trip through the local registry, and a service with `dnsrr` and a host-mode port
 * without a published number is reachable on the ephemeral port its task reports — the routing Wharf uses where
 * there is no ingress mesh (ENVIRONMENT.md).
 */
const docker = engine();
const created: string[] = [];
afterAll(async () => {
  for (const id of created)
    await docker
      .getService(id)
      .remove()
      .catch(() => undefined);
});

function httpGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end('GET / HTTP/1.0\r\nHost: x\r\n\r\n'));
    let data = '';
    socket.setTimeout(2000, () => socket.destroy(new Error('timeout')));
    socket.on('data', (d) => {
      data += d;
    });
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}

describe('local engine and registry', () => {
  it('runs in Swarm mode with a registry answering on its address', async () => {
    const info = await docker.info();
    expect(info.Swarm.LocalNodeState).toBe('active');
    const res = await fetch(`http://${REGISTRY}/v2/`);
    expect(res.status).toBe(200);
  });

  it('serves a service on the ephemeral host port of its task (dnsrr, host mode, no published port)', async () => {
    const image = await ensureHttpImage('smoke', 'hello from swarm');
    const tags = (await (await fetch(`http://${REGISTRY}/v2/wharf-test/httpd/tags/list`)).json()) as { tags: string[] };
    expect(tags.tags).toContain('smoke');
    const service = await docker.createService({
      Name: `wharf-smoke-${process.pid}`,
      Labels: { 'wharf.test': 'smoke' },
      TaskTemplate: {
        ContainerSpec: { Image: image },
        Resources: { Limits: { NanoCPUs: 100_000_000, MemoryBytes: 32 * 1024 * 1024 } },
      },
      Mode: { Replicated: { Replicas: 1 } },
      EndpointSpec: { Mode: 'dnsrr', Ports: [{ Protocol: 'tcp', TargetPort: 8080, PublishMode: 'host' }] },
    });
    created.push(service.id);
    let port: number | undefined;
    for (let i = 0; i < 100 && !port; i++) {
      const tasks = await docker.listTasks({ filters: JSON.stringify({ service: [service.id], 'desired-state': ['running'] }) });
      const running = tasks.find((t) => t.Status?.State === 'running');
      port = running?.Status?.PortStatus?.Ports?.[0]?.PublishedPort;
      if (!port) await new Promise((r) => setTimeout(r, 200));
    }
    expect(port).toBeGreaterThan(0);
    let body = '';
    for (let i = 0; i < 25 && !body.includes('hello'); i++) {
      body = await httpGet(port as number).catch(() => '');
      if (!body.includes('hello')) await new Promise((r) => setTimeout(r, 200));
    }
    expect(body).toMatch(/^HTTP\/1\.[01] 200/);
    expect(body).toContain('hello from swarm');
  });
});
