import { type App, appRoutes, type Deployment, environmentRoutes } from '@wharf/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup } from '../support/app.js';
import { createApp, deploy, settled } from '../support/apps.js';
import { engine, ensureHttpImage } from '../support/engine.js';
import { type Platform, startPlatform } from '../support/workload.js';

/*
 * One compose file, two environments: production and staging bind the stack's external name `upstream` to
 * services of two different apps, and a container of each environment reaches its own.
 */
let p: Platform;
let owner: Account;

const SMALL = `deploy: { resources: { limits: { cpus: "0.05", memory: 16M } } }`;

beforeAll(async () => {
  p = await startPlatform();
  owner = await signup(p.t, 'Env Owner');
}, 120_000);
afterAll(async () => {
  await p?.stop();
}, 60_000);

/** What `GET /` of the bound upstream answers, asked from inside the environment's container (busybox nc). */
async function fromInside(environment: string): Promise<string> {
  const docker = engine();
  const containers = await docker.listContainers({
    filters: JSON.stringify({
      label: [`wharf.tenant=${owner.tenant.id}`, 'wharf.app=consumer', `wharf.environment=${environment}`],
      status: ['running'],
    }),
  });
  const id = containers[0]?.Id;
  if (!id) throw new Error(`no running container of consumer/${environment}`);
  const exec = await docker.getContainer(id).exec({
    Cmd: ['sh', '-c', 'printf "GET / HTTP/1.0\\r\\n\\r\\n" | nc -w 3 "$UPSTREAM_HOST" "$UPSTREAM_PORT"'],
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve());
    stream.on('error', reject);
  });
  return Buffer.concat(chunks).toString('utf8');
}

describe('environments bound to external resources', () => {
  it('reaches a different upstream from staging and from production, with one compose file', async () => {
    const [alpha, beta, consumerImage] = await Promise.all([
      ensureHttpImage('alpha', 'upstream alpha'),
      ensureHttpImage('beta', 'upstream beta'),
      ensureHttpImage('v1', 'hello v1'),
    ]);
    for (const [name, image] of [
      ['alpha', alpha],
      ['beta', beta],
    ] as const) {
      const made = await createApp(p.t, owner, { name, image, port: 8080, cpuMillis: 50, memoryMiB: 16 });
      expect((await settled(p.t, owner, name, made.deployment?.id ?? '')).status).toBe('live');
    }

    const compose = `services:
  app:
    image: ${consumerImage}
    x-wharf-external: [upstream]
    ${SMALL}
`;
    const res = await p.t.call<{ app: App; deployment: Deployment | null }>(appRoutes.create, {
      params: { tenant: owner.tenant.id },
      token: owner.accessToken,
      body: { name: 'consumer', compose, deploy: false },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);

    // production cannot deploy before it binds what the stack needs
    const unbound = await p.t.call(environmentRoutes.diff, {
      params: { tenant: owner.tenant.id, app: 'consumer', environment: 'production' },
      token: owner.accessToken,
    });
    expect(unbound.status).toBe(409);
    expect(JSON.stringify(unbound.body)).toMatch(/upstream/);

    const bindings = (app: string) => ({ upstream: { kind: 'service', app, service: 'web' } });
    const prod = await p.t.call(environmentRoutes.setBindings, {
      params: { tenant: owner.tenant.id, app: 'consumer', environment: 'production' },
      token: owner.accessToken,
      body: { bindings: bindings('alpha') },
    });
    expect(prod.status, JSON.stringify(prod.body)).toBe(200);
    const staging = await p.t.call(environmentRoutes.create, {
      params: { tenant: owner.tenant.id, app: 'consumer' },
      token: owner.accessToken,
      body: { name: 'staging', bindings: bindings('beta') },
    });
    expect(staging.status, JSON.stringify(staging.body)).toBe(201);
    expect(staging.body).toMatchObject({ name: 'staging', needs: [{ name: 'upstream', services: ['app'], bound: true }] });

    const diff = await p.t.call(environmentRoutes.diff, {
      params: { tenant: owner.tenant.id, app: 'consumer', environment: 'staging' },
      token: owner.accessToken,
    });
    expect(diff.status, JSON.stringify(diff.body)).toBe(200);
    expect(diff.body).toMatchObject({ from: null, services: { added: ['app'], removed: [], changed: [] } });

    for (const environment of ['production', 'staging']) {
      const d = await settled(p.t, owner, 'consumer', (await deploy(p.t, owner, 'consumer', { environment })).id);
      expect(d.status, d.reason ?? '').toBe('live');
      expect(d.environment).toBe(environment);
    }
    expect(await fromInside('production')).toContain('upstream alpha');
    expect(await fromInside('staging')).toContain('upstream beta');
  }, 300_000);
});
