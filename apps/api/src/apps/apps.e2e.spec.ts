import {
  type App,
  appRoutes,
  type Deployment,
  deploymentRoutes,
  type Problem,
  ROLES,
  type Role,
  type RouteOutput,
  tenantRoutes,
  type Usage,
  type Variable,
  variableRoutes,
} from '@wharf/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, type CallResult, signup, startTestApp, type TestApp } from '../../../../tests/support/app.js';
import { addMember } from '../../../../tests/support/tenants.js';
import { expectProblem, sharedCluster, snapshot, TEST_IMAGE } from '../security/fixtures.js';

/*
 * Apps without an engine: what the API itself promises about secrets, quota admission and its own refusals. The
 * shared cluster is a bare row (no agent), so deployments stay queued; nothing here needs them to run.
 */
type CreatedApp = RouteOutput<typeof appRoutes.create>;
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  await sharedCluster(t.owner);
});
afterAll(() => t?.close());

const small = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  image: TEST_IMAGE,
  port: 8080,
  replicas: 1,
  cpuMillis: 100,
  memoryMiB: 32,
  ...extra,
});

async function create(who: Account, body: Record<string, unknown>): Promise<CallResult<CreatedApp>> {
  return t.call<CreatedApp>(appRoutes.create, { params: { tenant: who.tenant.id }, token: who.accessToken, body });
}

async function created(who: Account, body: Record<string, unknown>): Promise<CreatedApp> {
  const res = await create(who, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function used(who: Account): Promise<Record<string, number>> {
  const res = await t.call<Usage>(tenantRoutes.usage, { params: { tenant: who.tenant.id }, token: who.accessToken });
  expect(res.status).toBe(200);
  return Object.fromEntries(res.body.quotas.map((q) => [q.key, q.used]));
}

async function override(who: Account, limits: Record<string, number>): Promise<void> {
  for (const [key, value] of Object.entries(limits)) {
    await t.owner.query('insert into tenant_quota_overrides (tenant_id, quota_key, limit_value) values ($1, $2, $3)', [
      who.tenant.id,
      key,
      value,
    ]);
  }
}

function expectQuotaExceeded(res: CallResult, quota: string): void {
  const problem = expectProblem(res, 403, 'quota-exceeded') as Problem & { quota?: string };
  expect(problem.quota).toBe(quota);
}

describe('secrets', () => {
  let owner: Account;
  const members = {} as Record<Role, Account>;
  const SECRET = 'sk_live_do-not-show-this-0123456789';
  let app: App;

  beforeAll(async () => {
    owner = await signup(t, 'Sam Secret');
    await override(owner, { members: 10 });
    members.owner = owner;
    for (const role of ROLES.filter((r) => r !== 'owner')) members[role] = await addMember(t, owner, owner.tenant.id, role);
    const res = await created(owner, small('vault', { env: { GREETING: 'hello' }, secrets: { API_KEY: SECRET } }));
    app = res.app;
  });

  const params = () => ({ tenant: owner.tenant.id, app: app.id });

  it('are masked in variables.list (plain variables are not), for every role', async () => {
    for (const role of ROLES) {
      const res = await t.call<{ items: Variable[] }>(variableRoutes.list, {
        params: params(),
        token: members[role].accessToken,
      });
      expect(res.status).toBe(200);
      expect(res.body.items.map(({ key, secret, value }) => ({ key, secret, value }))).toEqual([
        { key: 'API_KEY', secret: true, value: null },
        { key: 'GREETING', secret: false, value: 'hello' },
      ]);
      expect(JSON.stringify(res.body)).not.toContain(SECRET);
    }
  });

  it('appear in no app or deployment response, and are stored sealed', async () => {
    const token = owner.accessToken;
    const responses: CallResult[] = [
      await create(owner, small('vault-2', { secrets: { API_KEY: SECRET } })),
      await t.call(appRoutes.list, { params: { tenant: owner.tenant.id }, token }),
      await t.call(appRoutes.get, { params: params(), token }),
      await t.call(appRoutes.update, { params: params(), token, body: { displayName: 'Vault' } }),
      await t.call(appRoutes.scale, { params: params(), token, body: { replicas: 2 } }),
      await t.call(appRoutes.stop, { params: params(), token }),
      await t.call(appRoutes.start, { params: params(), token }),
      await t.call(variableRoutes.set, { params: { ...params(), key: 'OTHER' }, token, body: { value: SECRET, secret: true } }),
      await t.call(deploymentRoutes.create, { params: params(), token, body: {} }),
      await t.call(deploymentRoutes.list, { params: params(), token }),
    ];
    expect(responses.map((r) => r.status)).toEqual([201, 200, 200, 200, 200, 200, 200, 200, 202, 200]);
    expect(responses.filter((r) => JSON.stringify(r.body).includes(SECRET)).map((r) => JSON.stringify(r.body))).toEqual([]);
    const set = responses[7]?.body as Variable;
    expect(set).toMatchObject({ key: 'OTHER', secret: true, value: null });

    // at rest: sealed variables, and deployment specs that name the secret but do not hold it
    const rows = await t.owner.query<{ text: string }>(
      `select row_to_json(v)::text as text from app_variables v where tenant_id = $1
        union all select row_to_json(d)::text from deployments d where tenant_id = $1`,
      [owner.tenant.id],
    );
    expect(rows.rows.length).toBeGreaterThan(2);
    expect(rows.rows.filter((r) => r.text.includes(SECRET))).toEqual([]);
    const spec = await t.owner.query<{ spec: { services: { env: Record<string, string> }[] } }>(
      'select spec from deployments where tenant_id = $1 and app_id = $2 order by revision desc limit 1',
      [owner.tenant.id, app.id],
    );
    expect(spec.rows[0]?.spec.services[0]?.env).toMatchObject({ API_KEY_FILE: '/run/secrets/API_KEY', GREETING: 'hello' });
  });

  it('are revealed to owners and admins, refused (403) to developers and viewers, and every attempt is audited', async () => {
    const answers: Record<string, unknown> = {};
    for (const role of ROLES) {
      const res = await t.call<Variable>(variableRoutes.reveal, {
        params: { ...params(), key: 'API_KEY' },
        token: members[role].accessToken,
      });
      answers[role] = res.status === 200 ? [res.status, res.body.value] : [res.status, (res.body as unknown as Problem).type];
    }
    expect(answers).toEqual({
      owner: [200, SECRET],
      admin: [200, SECRET],
      developer: [403, expect.stringMatching(/\/forbidden$/)],
      viewer: [403, expect.stringMatching(/\/forbidden$/)],
    });

    const audit = await t.owner.query<{ actor_id: string; outcome: string; status: number; target: string }>(
      `select actor_id, outcome, status, target from audit_events where tenant_id = $1 and action = 'variables.reveal'`,
      [owner.tenant.id],
    );
    const byActor = Object.fromEntries(audit.rows.map((r) => [r.actor_id, r]));
    expect(audit.rows).toHaveLength(4);
    for (const role of ROLES) {
      const allowed = role === 'owner' || role === 'admin';
      expect(byActor[members[role].user.id], role).toMatchObject({
        outcome: allowed ? 'success' : 'denied',
        status: allowed ? 200 : 403,
        target: `app=${app.id},key=API_KEY`,
      });
    }
    expect(JSON.stringify(audit.rows)).not.toContain(SECRET);
  });

  it('a variable that does not exist is 404, also for reveal', async () => {
    const res = await t.call(variableRoutes.reveal, { params: { ...params(), key: 'NOPE' }, token: owner.accessToken });
    expectProblem(res, 404, 'not-found');
  });
});

describe('quota admission', () => {
  it('20 concurrent creates of 100 millicores against a limit of 1000: exactly 10 are admitted', async () => {
    const owner = await signup(t, 'Rachel Race');
    await override(owner, { cpuMillis: 1000, services: 100 });

    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => create(owner, small(`race-${i}`))));

    expect(results.filter((r) => r.status === 201)).toHaveLength(10);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(10);
    for (const r of refused) expectQuotaExceeded(r, 'cpuMillis');
    expect(await used(owner)).toMatchObject({ cpuMillis: 1000, memoryMiB: 320, services: 10 });
    const rows = await t.owner.query('select 1 from apps where tenant_id = $1', [owner.tenant.id]);
    expect(rows.rowCount).toBe(10);
  });

  describe('with the CPU quota full', () => {
    let owner: Account;
    const app = (name: string) => ({ tenant: owner.tenant.id, app: name });

    beforeAll(async () => {
      owner = await signup(t, 'Fiona Full');
      await override(owner, { cpuMillis: 300, services: 100 });
      await created(owner, small('one', { replicas: 2 }));
      await created(owner, small('two'));
      expect(await used(owner)).toMatchObject({ cpuMillis: 300 });
    });

    it('scaling beyond the quota is 403 and changes nothing; scaling down is always admitted', async () => {
      const before = await snapshot(t.owner);
      const res = await t.call(appRoutes.scale, { params: app('two'), token: owner.accessToken, body: { replicas: 2 } });
      expectQuotaExceeded(res, 'cpuMillis');
      // the refusal's audit event is the one new row
      const after = await snapshot(t.owner);
      expect(Object.keys(after).filter((k) => after[k] !== before[k])).toEqual(['audit_events']);

      const down = await t.call<App>(appRoutes.scale, { params: app('one'), token: owner.accessToken, body: { replicas: 1 } });
      expect(down.status).toBe(200);
      expect(down.body.replicas).toBe(1);
      expect(await used(owner)).toMatchObject({ cpuMillis: 200 });
      const up = await t.call<App>(appRoutes.scale, { params: app('one'), token: owner.accessToken, body: { replicas: 2 } });
      expect(up.status).toBe(200);
      expect(await used(owner)).toMatchObject({ cpuMillis: 300 });
    });

    it('a bigger CPU size is admitted against the quota too', async () => {
      const res = await t.call(appRoutes.update, { params: app('two'), token: owner.accessToken, body: { cpuMillis: 200 } });
      expectQuotaExceeded(res, 'cpuMillis');
      expect((await t.call<App>(appRoutes.get, { params: app('two'), token: owner.accessToken })).body.cpuMillis).toBe(100);
    });

    it('stop releases CPU and memory; start re-admits them (and is refused while they are used by another app)', async () => {
      const stopped = await t.call<App>(appRoutes.stop, { params: app('two'), token: owner.accessToken });
      expect(stopped.status).toBe(200);
      expect(stopped.body).toMatchObject({ stopped: true, status: 'stopped', replicas: 1 });
      expect(await used(owner)).toMatchObject({ cpuMillis: 200, memoryMiB: 64, services: 2 });

      // the freed CPU is taken by a new app, so starting again does not fit
      await created(owner, small('three', { deploy: false }));
      expectQuotaExceeded(await t.call(appRoutes.start, { params: app('two'), token: owner.accessToken }), 'cpuMillis');
      expect((await t.call<App>(appRoutes.get, { params: app('two'), token: owner.accessToken })).body.stopped).toBe(true);

      const removed = await t.call(appRoutes.remove, { params: app('three'), token: owner.accessToken });
      expect(removed.status).toBe(204);
      const started = await t.call<App>(appRoutes.start, { params: app('two'), token: owner.accessToken });
      expect(started.status).toBe(200);
      expect(started.body).toMatchObject({ stopped: false, replicas: 1 });
      expect(await used(owner)).toMatchObject({ cpuMillis: 300, memoryMiB: 96, services: 2 });
    });
  });

  it('delete releases the services count', async () => {
    const owner = await signup(t, 'Sid Services');
    await override(owner, { services: 2 });
    await created(owner, small('a1'));
    await created(owner, small('a2'));
    expectQuotaExceeded(await create(owner, small('a3')), 'services');
    expect(await used(owner)).toMatchObject({ services: 2 });

    const res = await t.call(appRoutes.remove, { params: { tenant: owner.tenant.id, app: 'a1' }, token: owner.accessToken });
    expect(res.status).toBe(204);
    expect(await used(owner)).toMatchObject({ services: 1, cpuMillis: 100 });
    const gone = await t.call(appRoutes.get, { params: { tenant: owner.tenant.id, app: 'a1' }, token: owner.accessToken });
    expectProblem(gone, 404, 'not-found');
    await created(owner, small('a3'));
    expectQuotaExceeded(await create(owner, small('a4')), 'services');

    // the name of a deleted app is free again
    await t.call(appRoutes.remove, { params: { tenant: owner.tenant.id, app: 'a3' }, token: owner.accessToken });
    await created(owner, small('a1', { deploy: false }));
    expect(await used(owner)).toMatchObject({ services: 2 });
  });
});

describe('refusals', () => {
  let owner: Account;
  beforeAll(async () => {
    owner = await signup(t, 'Rita Refusal');
    await created(owner, small('taken'));
  });

  it('a second app with the same name is 409, and nothing of it is kept', async () => {
    const before = await t.owner.query('select count(*)::int as n from apps where tenant_id = $1', [owner.tenant.id]);
    const res = await create(owner, small('taken', { env: { X: '1' } }));
    expectProblem(res, 409, 'conflict');
    const after = await t.owner.query('select count(*)::int as n from apps where tenant_id = $1', [owner.tenant.id]);
    expect(after.rows).toEqual(before.rows);
    expect(await used(owner)).toMatchObject({ services: 1, cpuMillis: 100 });
  });

  it('PATCH with an empty body is 400 and changes nothing', async () => {
    const before = await snapshot(t.owner);
    const res = await t.call(appRoutes.update, {
      params: { tenant: owner.tenant.id, app: 'taken' },
      token: owner.accessToken,
      body: {},
    });
    expectProblem(res, 400, 'validation');
    expect(await snapshot(t.owner)).toEqual(before);
  });

  it('a deployment of another app is not found through this one', async () => {
    const other = await created(owner, small('other'));
    const res = await t.call<Deployment>(deploymentRoutes.get, {
      params: { tenant: owner.tenant.id, app: 'taken', deploymentId: other.deployment?.id ?? '' },
      token: owner.accessToken,
    });
    expectProblem(res, 404, 'not-found');
  });
});

describe('deployment events (Server-Sent Events)', () => {
  it('a cancelled deployment replays its events and ends the stream; Last-Event-ID resumes after an event', async () => {
    const owner = await signup(t, 'Eve Events');
    const { deployment } = await created(owner, small('stream'));
    if (!deployment) throw new Error('no deployment');
    const params = { tenant: owner.tenant.id, app: 'stream', deploymentId: deployment.id };
    const cancelled = await t.call<Deployment>(deploymentRoutes.cancel, { params, token: owner.accessToken });
    expect(cancelled.status).toBe(202);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelRequested: true });
    expectProblem(await t.call(deploymentRoutes.cancel, { params, token: owner.accessToken }), 409, 'conflict');

    const res = await t.call<string>(deploymentRoutes.events, { params, token: owner.accessToken });
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^text\/event-stream/);
    const events = res.body.split('\n\n').filter(Boolean);
    expect(events.map((e) => e.match(/^event: (.*)$/m)?.[1])).toEqual(['status', 'status', 'end']);
    expect(events[2]).toContain('data: {"status":"cancelled"}');
    const firstId = events[0]?.match(/^id: (\d+)$/m)?.[1] ?? '';
    expect(firstId).toMatch(/^\d+$/);

    const resumed = await t.call<string>(deploymentRoutes.events, {
      params,
      token: owner.accessToken,
      headers: { 'last-event-id': firstId },
    });
    expect(
      resumed.body
        .split('\n\n')
        .filter(Boolean)
        .map((e) => e.match(/^event: (.*)$/m)?.[1]),
    ).toEqual(['status', 'end']);
  });
});
