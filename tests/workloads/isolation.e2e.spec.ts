import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup } from '../support/app.js';
import { createApp, settled, until } from '../support/apps.js';
import { engine, ensureHttpImage } from '../support/engine.js';
import { type Platform, startPlatform } from '../support/workload.js';

/*
 * Runtime isolation on a shared cluster: each tenant environment has its own overlay network; a container of tenant A
 * cannot open a connection to a container of tenant B (not over any overlay, not through B's published host port),
 * nor to the host's services; A's own containers reach each other (positive control). Every container runs with CPU,
 * memory and pids limits, unprivileged, with no-new-privileges, and without the Docker socket.
 */
let p: Platform;
let a: Account;
let b: Account;
const docker = engine();

beforeAll(async () => {
  p = await startPlatform();
  const image = await ensureHttpImage('v1', 'hello v1');
  [a, b] = [await signup(p.t, 'Tenant A'), await signup(p.t, 'Tenant B')];
  const [ca, cb] = await Promise.all([
    createApp(p.t, a, { name: 'alpha', image, port: 8080, replicas: 2, cpuMillis: 100, memoryMiB: 32 }),
    createApp(p.t, b, { name: 'beta', image, port: 8080, replicas: 1, cpuMillis: 100, memoryMiB: 32 }),
  ]);
  for (const [who, app, d] of [
    [a, 'alpha', ca.deployment?.id],
    [b, 'beta', cb.deployment?.id],
  ] as const) {
    const done = await settled(p.t, who, app, d ?? '');
    expect(done.status, done.reason ?? '').toBe('live');
  }
}, 150_000);
afterAll(async () => p?.stop(), 60_000);

async function containersOf(tenantId: string, app: string): Promise<Docker.ContainerInspectInfo[]> {
  const list = await docker.listContainers({
    filters: JSON.stringify({ label: [`wharf.tenant=${tenantId}`, `wharf.app=${app}`], status: ['running'] }),
  });
  return Promise.all(list.map((c) => docker.getContainer(c.Id).inspect()));
}

/** Runs argv in the container (no shell) and returns its exit code and output. */
async function exec(container: Docker.ContainerInspectInfo, cmd: string[]): Promise<{ code: number; out: string }> {
  const e = await docker.getContainer(container.Id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await e.start({ hijack: true, stdin: false });
  let out = '';
  stream.on('data', (d: Buffer) => {
    out += d.toString('utf8');
  });
  await new Promise((resolve) => stream.on('end', resolve));
  const info = await e.inspect();
  return { code: info.ExitCode ?? -1, out };
}

const connect = (c: Docker.ContainerInspectInfo, host: string, port: number) =>
  exec(c, ['nc', '-w', '2', host, String(port), '-e', 'true']);

function overlayIp(c: Docker.ContainerInspectInfo): string {
  const nets = Object.entries(c.NetworkSettings.Networks).filter(([name]) => name !== 'docker_gwbridge' && name !== 'ingress');
  const ip = nets[0]?.[1].IPAddress;
  if (!ip) throw new Error(`no overlay address on ${c.Name}`);
  return ip;
}

describe('runtime isolation between tenants on one cluster', () => {
  it("lets A's containers reach each other over their environment's network (positive control)", async () => {
    const [a1, a2] = await containersOf(a.tenant.id, 'alpha');
    if (!a1 || !a2) throw new Error('alpha should run two containers');
    expect((await connect(a1, overlayIp(a2), 8080)).code).toBe(0);
    // the service's name resolves on its network
    expect((await connect(a1, 'web', 8080)).code).toBe(0);
  }, 30_000);

  it("keeps A out of B's containers, B's published port, and the host", async () => {
    const [a1] = await containersOf(a.tenant.id, 'alpha');
    const [b1] = await containersOf(b.tenant.id, 'beta');
    if (!a1 || !b1) throw new Error('containers missing');
    // B's overlay address
    expect((await connect(a1, overlayIp(b1), 8080)).code).not.toBe(0);
    // B's published host port, through the gateway of the bridge that publishes it
    const gwbridge = await docker.getNetwork('docker_gwbridge').inspect();
    const gateway = gwbridge.IPAM?.Config?.[0]?.Gateway as string;
    const [task] = await docker.listTasks({
      filters: JSON.stringify({ label: [`wharf.tenant=${b.tenant.id}`], 'desired-state': ['running'] }),
    });
    const published = (task as { Status?: { PortStatus?: { Ports?: { PublishedPort: number }[] } } })?.Status?.PortStatus
      ?.Ports?.[0]?.PublishedPort;
    expect(published).toBeGreaterThan(0);
    expect((await connect(a1, gateway, Number(published))).code).not.toBe(0);
    // …while the host itself does reach it (so the refusal above is the firewall, not a dead port)
    const { viaProxy } = await import('../support/apps.js');
    await until('B answers through its URL', async () => {
      const r = await viaProxy(p.cluster.proxyPort, `web.beta.${b.tenant.slug}.${p.cluster.domain}`).catch(() => undefined);
      return r?.status === 200;
    });
    // Postgres and Redis on the host
    for (const port of [5432, 6379]) expect((await connect(a1, gateway, port)).code).not.toBe(0);
    // no Docker socket inside
    expect((await exec(a1, ['ls', '/var/run/docker.sock'])).code).not.toBe(0);
  }, 60_000);

  it('runs every container limited, unprivileged and with no-new-privileges', async () => {
    for (const c of [...(await containersOf(a.tenant.id, 'alpha')), ...(await containersOf(b.tenant.id, 'beta'))]) {
      expect(c.HostConfig.NanoCpus).toBe(100_000_000);
      expect(c.HostConfig.Memory).toBe(32 * 1024 * 1024);
      expect(c.HostConfig.PidsLimit).toBeGreaterThan(0);
      expect(c.HostConfig.Privileged).toBe(false);
      expect((await exec(c, ['cat', '/proc/self/status'])).out).toMatch(/NoNewPrivs:\s+1/);
    }
  }, 30_000);
});
