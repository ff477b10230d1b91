import { registryRoutes } from '@wharf/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup } from '../support/app.js';
import { createApp, hostOf, settled, waitServing } from '../support/apps.js';
import { ensureHttpImage, type PrivateRegistry, pushTo, startPrivateRegistry } from '../support/engine.js';
import { type Platform, startPlatform } from '../support/workload.js';

/*
 * Images from a private registry: the tenant's stored login (sealed at rest) goes with the deploy command to the
 * agent, which pulls with it. Without the login the deployment fails with the engine's reason.
 */
let p: Platform;
let registry: PrivateRegistry;
let owner: Account;
let stranger: Account;
let image: string;

beforeAll(async () => {
  p = await startPlatform();
  registry = await startPrivateRegistry();
  image = await pushTo(await ensureHttpImage('v1', 'hello v1'), registry, 'private/httpd:v1');
  [owner, stranger] = [await signup(p.t, 'Private Owner'), await signup(p.t, 'No Login')];
  const res = await p.t.call(registryRoutes.create, {
    params: { tenant: owner.tenant.id },
    token: owner.accessToken,
    body: { server: registry.addr, username: registry.username, password: registry.password },
  });
  expect(res.status).toBe(201);
}, 120_000);
afterAll(async () => {
  await p?.stop();
  await registry?.stop();
}, 60_000);

describe('private registries', () => {
  it('pulls with the tenant’s stored login', async () => {
    const created = await createApp(p.t, owner, { name: 'private', image, port: 8080, cpuMillis: 50, memoryMiB: 16 });
    const done = await settled(p.t, owner, 'private', created.deployment?.id ?? '');
    expect(done.status, done.reason ?? '').toBe('live');
    await waitServing(p.cluster.proxyPort, hostOf(created.app), 'hello v1');
  }, 120_000);

  it('fails visibly for a tenant without a login for that registry', async () => {
    const created = await createApp(p.t, stranger, { name: 'private', image, port: 8080, cpuMillis: 50, memoryMiB: 16 });
    const done = await settled(p.t, stranger, 'private', created.deployment?.id ?? '', 120_000);
    expect(done.status).toBe('failed');
    expect(done.reason).toMatch(/no basic auth|unauthorized|authentication|denied|No such image|pull/i);
  }, 150_000);
});
