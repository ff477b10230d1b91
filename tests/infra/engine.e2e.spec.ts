import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { engine, ensureHttpImage, REGISTRY } from '../support/engine.js';
import { freePort, waitFor } from '../support/stack.js';

/**
 * The ground the deploy engine stands on, checked for real: the engine is in Swarm mode, images build without a
 * registry to pull from and round-trip through the local registry, and a service with `dnsrr` and a host-mode port
 * without a published number is reachable on the ephemeral port its task reports — the routing Wharf uses where
 * there is no ingress mesh (ENVIRONMENT.md) — directly, and through Caddy configured over its admin API with a route
 * by host name, the way the edge proxy will be.
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

/** GET / on 127.0.0.1:port with a given Host header; resolves with "<status> <body>". */
function httpGet(port: number, host = 'localhost'): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host }, timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve(`${res.statusCode} ${body}`));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
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
    expect(body).toMatch(/^200 /);
    expect(body).toContain('hello from swarm');

    // …and through an edge proxy configured over its admin API, routing by host name to the task's port
    const [admin, edge] = [await freePort(), await freePort()];
    const dir = mkdtempSync(path.join(tmpdir(), 'wharf-caddy-'));
    const boot = path.join(dir, 'boot.json');
    writeFileSync(boot, JSON.stringify({ admin: { listen: `127.0.0.1:${admin}` } }));
    const caddy = spawn('caddy', ['run', '--config', boot], {
      stdio: 'ignore',
      env: { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
    });
    try {
      await waitFor(`http://127.0.0.1:${admin}/config/`);
      const config = {
        admin: { listen: `127.0.0.1:${admin}` },
        apps: {
          http: {
            servers: {
              edge: {
                listen: [`127.0.0.1:${edge}`],
                automatic_https: { disable: true },
                routes: [
                  {
                    match: [{ host: ['web.smoke.acme.wharf.localhost'] }],
                    handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: `127.0.0.1:${port}` }] }],
                  },
                ],
              },
            },
          },
        },
      };
      const load = await fetch(`http://127.0.0.1:${admin}/load`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(config),
      });
      expect(load.status).toBe(200);
      expect(await httpGet(edge, 'web.smoke.acme.wharf.localhost')).toContain('hello from swarm');
      // an unknown host is not routed to any service
      expect(await httpGet(edge, 'other.wharf.localhost')).not.toContain('hello from swarm');
    } finally {
      caddy.kill('SIGTERM');
    }
  });
});
