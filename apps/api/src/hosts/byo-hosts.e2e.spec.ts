import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  agentRoutes,
  type CreatedHost,
  type Host,
  hostRoutes,
  type InstallCommand,
  installRoutes,
  PROBLEM_BASE,
} from '@wharf/contracts';
import type { JobQueues } from '@wharf/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup, startTestApp, type TestApp } from '../../../../tests/support/app.js';
import { join } from '../../../../tests/support/tenants.js';
import { QUEUES } from '../core/tokens.js';
import { expectProblem } from '../security/fixtures.js';

/**
 * Brought hosts (`byo`) through the API: adding one answers its one-time install command (once: never in reads),
 * the command's URL serves the install script once (404 after, and for any other token), the script's
 * registration token registers the agent (its address and size recorded), a fresh command can be issued while the
 * host waits for its agent. Roles and tenants as for every host route. The script run for real on a machine:
 * tests/workloads/byo-host.e2e.spec.ts.
 */

const PUBLIC_URL = 'http://203.0.113.7:4000';
const ENGINE = { version: '27.5.1', apiVersion: '1.41', os: 'Debian GNU/Linux 12', swarmNodeId: '' };
const ROOT = path.resolve(import.meta.dirname, '../../../..');

let t: TestApp;
let agentSha256: string;

beforeAll(async () => {
  // the agent file the scripts name (built by apps/agent's `npm run build`; made here after a bare `tsc -b`)
  if (!existsSync(path.join(ROOT, 'apps/agent/dist/bundle/wharf-agent.mjs')))
    execFileSync(process.execPath, ['apps/agent/scripts/bundle.mjs'], { cwd: ROOT, stdio: 'inherit' });
  t = await startTestApp({ API_PUBLIC_URL: PUBLIC_URL });
});
afterAll(() => t?.close());

async function team(plan: 'team' | 'free' = 'team') {
  const owner = await signup(t, 'Bo Brought');
  await t.owner.query('update tenants set plan_id = $2 where id = $1', [owner.tenant.id, plan]);
  const c = await t.owner.query<{ id: string }>(
    `insert into clusters (tenant_id, name, kind, domain, proxy_port) values ($1, 'own', 'dedicated', 'own.example.test', 443) returning id`,
    [owner.tenant.id],
  );
  return { owner, cluster: c.rows[0]?.id ?? '' };
}

const add = (owner: Account, cluster: string, body: Record<string, unknown>) =>
  t.call<CreatedHost>(hostRoutes.create, {
    params: { tenant: owner.tenant.id, clusterId: cluster },
    token: owner.accessToken,
    body,
  });
const reissue = (caller: Account, tenant: string, cluster: string, hostId: string) =>
  t.call<InstallCommand>(hostRoutes.installCommand, {
    params: { tenant, clusterId: cluster, hostId },
    token: caller.accessToken,
  });
const tokenOf = (command: string) => /\/api\/v1\/install\/([^']+)'/.exec(command)?.[1] ?? '';
const fetchScript = (token: string) => t.call<string>(installRoutes.script, { params: { token } });
const registrationTokenOf = (script: string) => /^WHARF_JOIN_TOKEN='([^']+)'$/m.exec(script)?.[1] ?? '';

describe('POST …/hosts {provider: "byo"}', () => {
  it('records the host bootstrapping (202) and answers its install command once', async () => {
    const { owner, cluster } = await team();
    const before = Date.now();
    const res = await add(owner, cluster, { provider: 'byo', name: 'my-box' });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({
      provider: 'byo',
      name: 'my-box',
      state: 'bootstrapping',
      region: 'byo',
      instanceType: null,
      vcpus: null,
      machineId: null,
    });
    const { command, expiresAt } = res.body.install ?? { command: '', expiresAt: '' };
    expect(command).toMatch(/^curl -fsSL 'http:\/\/203\.0\.113\.7:4000\/api\/v1\/install\/wharfi_[A-Za-z0-9_-]{43}' \| sudo sh$/);
    const ttl = new Date(expiresAt).getTime() - before;
    expect(ttl).toBeGreaterThan(3_590_000);
    expect(ttl).toBeLessThan(3_660_000);
    // the token is stored hashed only, and reads never show the command again
    const row = await t.owner.query('select registration_token_hash from hosts where id = $1', [res.body.id]);
    expect(row.rows[0].registration_token_hash).not.toContain(tokenOf(command));
    const params = { tenant: owner.tenant.id, clusterId: cluster, hostId: res.body.id };
    const one = await t.call<Host>(hostRoutes.get, { params, token: owner.accessToken });
    expect(one.body).not.toHaveProperty('install');
    expect(JSON.stringify(one.body)).not.toContain(tokenOf(command));
    const list = await t.call<{ items: Host[] }>(hostRoutes.list, { params, token: owner.accessToken });
    expect(JSON.stringify(list.body)).not.toContain(tokenOf(command));
    // the worker waits for the agent
    const queues = t.app.get<JobQueues>(QUEUES);
    expect(await queues.queue('host').getJob(`host-provision-${res.body.id}`)).toBeDefined();
    // a region is a label of the tenant's
    const labelled = await add(owner, cluster, { provider: 'byo', name: 'rack-2', region: 'office-1' });
    expect(labelled.body).toMatchObject({ region: 'office-1', state: 'bootstrapping' });
  });

  it('refuses hostile names and fields a brought host has not (400), recording nothing', async () => {
    const { owner, cluster } = await team();
    for (const name of ['Web', "a';id;'", '$(id)', '`id`', 'a b', '-x', 'x'.repeat(64), '', 'a\nb']) {
      const res = await add(owner, cluster, { provider: 'byo', name });
      expect(res.status, name).toBe(400);
      expect(res.body).toMatchObject({ type: `${PROBLEM_BASE}validation` });
    }
    for (const extra of [{ instanceType: 't3.small' }, { cloudAccountId: '00000000-0000-4000-8000-000000000000' }, { zone: 'a' }])
      expect((await add(owner, cluster, { provider: 'byo', name: 'x', ...extra })).status, JSON.stringify(extra)).toBe(400);
    expect((await add(owner, cluster, { provider: 'byo', name: 'x', region: '$(id)' })).status).toBe(400);
    expect((await t.owner.query('select 1 from hosts where cluster_id = $1', [cluster])).rowCount).toBe(0);
  });

  it('is admitted against dedicatedHosts (the free plan has none), counting no vCPUs until the agent says', async () => {
    const free = await team('free');
    const refused = await add(free.owner, free.cluster, { provider: 'byo', name: 'x' });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ type: `${PROBLEM_BASE}quota-exceeded`, quota: 'dedicatedHosts', requested: 1 });

    const { owner, cluster } = await team();
    await t.owner.query(
      `insert into tenant_quota_overrides (tenant_id, quota_key, limit_value) values ($1, 'dedicatedHosts', 2), ($1, 'hostVcpus', 0)`,
      [owner.tenant.id],
    );
    expect((await add(owner, cluster, { provider: 'byo', name: 'a' })).status).toBe(202);
    expect((await add(owner, cluster, { provider: 'byo', name: 'b' })).status).toBe(202);
    const third = await add(owner, cluster, { provider: 'byo', name: 'c' });
    expect(third.body).toMatchObject({ quota: 'dedicatedHosts', limit: 2, used: 2 });
  });
});

describe('GET /api/v1/install/{token}', () => {
  it('serves the install script once; its registration token registers the host’s agent', async () => {
    const { owner, cluster } = await team();
    const created = await add(owner, cluster, { provider: 'byo', name: 'box' });
    const token = tokenOf(created.body.install?.command ?? '');

    const agent = await t.call<string>(installRoutes.agentPackage, {});
    expect(agent.status).toBe(200);
    agentSha256 = createHash('sha256').update(agent.body).digest('hex');
    expect(agent.headers['x-wharf-sha256']).toBe(agentSha256);

    const res = await fetchScript(token);
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^text\/x-shellscript/);
    expect(res.headers['cache-control']).toBe('no-store');
    const script = res.body;
    expect(() => execFileSync('sh', ['-n'], { input: script })).not.toThrow();
    expect(script).toContain(`WHARF_API_URL='${PUBLIC_URL}'`);
    expect(script).toContain(`AGENT_URL='${PUBLIC_URL}/api/v1/agent/wharf-agent.mjs'`);
    expect(script).toContain(`AGENT_SHA256='${agentSha256}'`);
    // nothing the user typed is in it
    expect(script).not.toContain('box');

    // once per token: the second fetch, and the registration token used as an install token, are 404s
    expectProblem(await fetchScript(token), 404, 'not-found');
    const registration = registrationTokenOf(script);
    expect(registration).toMatch(/^wharfj_/);
    expectProblem(await fetchScript(registration), 404, 'not-found');
    // nor is the install token a join token
    expect((await t.call(agentRoutes.register, { body: { joinToken: token, name: 'x', engine: ENGINE } })).status).toBe(400);

    const registered = await t.call(agentRoutes.register, {
      body: {
        joinToken: registration,
        name: 'box',
        engine: ENGINE,
        machine: { advertiseAddr: '192.0.2.10', cpus: 4, memoryBytes: 8 * 1024 ** 3 },
      },
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const host = await t.call<Host>(hostRoutes.get, {
      params: { tenant: owner.tenant.id, clusterId: cluster, hostId: created.body.id },
      token: owner.accessToken,
    });
    expect(host.body).toMatchObject({ state: 'joining', privateIp: '192.0.2.10', vcpus: 4, memoryMib: 8192 });
    // the host has its agent: no new command
    expectProblem(await reissue(owner, owner.tenant.id, cluster, created.body.id), 409, 'conflict');
  });

  it('404s unknown, malformed and expired tokens alike', async () => {
    const { owner, cluster } = await team();
    const created = await add(owner, cluster, { provider: 'byo', name: 'late' });
    const token = tokenOf(created.body.install?.command ?? '');
    await t.owner.query(`update hosts set registration_expires_at = now() - interval '1 second' where id = $1`, [
      created.body.id,
    ]);
    for (const bad of [token, `wharfi_${'A'.repeat(43)}`, 'x', '..%2F..%2Fetc%2Fpasswd', 'wharfi_; rm -rf /'])
      expect((await t.call(installRoutes.script, { params: { token: bad } })).status, bad).toBe(404);
  });
});

describe('POST …/hosts/{h}/install-command', () => {
  it('issues a fresh command (the previous one stops working) for owners and admins only', async () => {
    const { owner, cluster } = await team();
    const created = await add(owner, cluster, { provider: 'byo', name: 'again' });
    const first = tokenOf(created.body.install?.command ?? '');
    const [admin, developer, viewer] = [await signup(t, 'Ada Admin'), await signup(t, 'Dev Eloper'), await signup(t, 'Vi Ewer')];
    await join(t, owner, owner.tenant.id, admin, 'admin');
    await join(t, owner, owner.tenant.id, developer, 'developer');
    await join(t, owner, owner.tenant.id, viewer, 'viewer');
    for (const caller of [developer, viewer])
      expectProblem(await reissue(caller, owner.tenant.id, cluster, created.body.id), 403, 'forbidden');
    const byDeveloper = await t.call(hostRoutes.create, {
      params: { tenant: owner.tenant.id, clusterId: cluster },
      token: developer.accessToken,
      body: { provider: 'byo', name: 'dev-box' },
    });
    expectProblem(byDeveloper, 403, 'forbidden');
    // the refused calls changed nothing: the first command still works…
    const again = await reissue(admin, owner.tenant.id, cluster, created.body.id);
    expect(again.status).toBe(200);
    // …until a new one is issued
    expectProblem(await fetchScript(first), 404, 'not-found');
    expect((await fetchScript(tokenOf(again.body.command))).status).toBe(200);
  });

  it("answers 404 to another tenant (the owner's same call works) and 409 for a host that is not waiting", async () => {
    const a = await team();
    const b = await team();
    const created = await add(a.owner, a.cluster, { provider: 'byo', name: 'mine' });
    for (const [tenant, clusterId] of [
      [b.owner.tenant.id, b.cluster],
      [b.owner.tenant.id, a.cluster],
      [a.owner.tenant.id, a.cluster],
    ] as const)
      expect((await reissue(b.owner, tenant, clusterId, created.body.id)).status).toBe(404);
    expect((await reissue(a.owner, a.owner.tenant.id, a.cluster, created.body.id)).status).toBe(200);

    const local = await add(a.owner, a.cluster, { provider: 'local', region: 'local', instanceType: 'local.small', name: 'lo' });
    expect(local.status).toBe(202);
    expect(local.body).not.toHaveProperty('install');
    expectProblem(await reissue(a.owner, a.owner.tenant.id, a.cluster, local.body.id), 409, 'conflict');
  });

  it('ends a host whose agent never registered at once when removed; its command no longer works', async () => {
    const { owner, cluster } = await team();
    const created = await add(owner, cluster, { provider: 'byo', name: 'never-ran' });
    const token = tokenOf(created.body.install?.command ?? '');
    const removed = await t.call<Host>(hostRoutes.remove, {
      params: { tenant: owner.tenant.id, clusterId: cluster, hostId: created.body.id },
      token: owner.accessToken,
    });
    expect(removed.status).toBe(202);
    expect(removed.body).toMatchObject({ state: 'terminated', terminatedAt: expect.any(String) });
    expect((await fetchScript(token)).status).toBe(404);
    // positive control: a host still waiting serves its script
    const waiting = await add(owner, cluster, { provider: 'byo', name: 'waiting' });
    expect((await fetchScript(tokenOf(waiting.body.install?.command ?? ''))).status).toBe(200);
  });
});
