import {
  adminClusterRoutes,
  adminRoutes,
  apiTokenRoutes,
  appRoutes,
  auditRoutes,
  authRoutes,
  deploymentRoutes,
  invitationRoutes,
  memberRoutes,
  type Problem,
  type RouteContract,
  tenantRoutes,
  variableRoutes,
} from '@wharf/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, PASSWORD, signup, startTestApp, type TestApp } from '../../../../tests/support/app.js';
import { expectProblem, join, sharedCluster, snapshot, TEST_IMAGE } from './fixtures.js';

/**
 * Bad input gets a clear 4xx problem document and changes nothing (ARCHITECTURE.md, rule 6). The whole batch runs
 * against this file's own database, which is snapshotted (row counts and an md5 of every table) before and after.
 */

// placeholders in path params, replaced by real ids once the accounts exist
const TENANT = '<tenant>';
const MEMBER = '<member>';

const NUL = 'nul\u0000name';
const NEWLINE = 'two\nlines';
const TEN_KB = 'x'.repeat(10 * 1024);
const TRAVERSAL = '../../etc/passwd';
const SQLISH = "'; drop table users; --";
const CRLF_EMAIL = 'victim@example.test\r\nBcc: everyone@example.test';
const TWO_MB = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) });
/** An app this file's tenant could create (it has no cluster, but every case below is refused before that matters). */
const APP = { name: 'web', image: TEST_IMAGE, port: 8080, replicas: 1, cpuMillis: 100, memoryMiB: 32 };

interface BadCase {
  name: string;
  route: RouteContract;
  params?: Record<string, string>;
  body?: unknown;
  payload?: string;
  contentType?: string;
  status: number;
  kind: string;
  /** For validation errors: exactly the field paths the `errors` list names. */
  fields?: string[];
}

/** The endpoints under test, each with a body it would accept, used to show that one bad part is enough. */
const ENDPOINTS: { route: RouteContract; params?: Record<string, string>; valid: Record<string, unknown>; required: string[] }[] =
  [
    {
      route: authRoutes.signup,
      valid: { email: 'new@example.test', password: PASSWORD, name: 'New' },
      required: ['email', 'password', 'name'],
    },
    { route: authRoutes.login, valid: { email: 'new@example.test', password: PASSWORD }, required: ['email', 'password'] },
    { route: tenantRoutes.create, valid: { name: 'Team', slug: 'a-team' }, required: ['name'] },
    { route: tenantRoutes.update, params: { tenant: TENANT }, valid: { name: 'Renamed' }, required: ['name'] },
    {
      route: invitationRoutes.create,
      params: { tenant: TENANT },
      valid: { email: 'invitee@example.test', role: 'developer' },
      required: ['email', 'role'],
    },
    { route: memberRoutes.update, params: { tenant: TENANT, userId: MEMBER }, valid: { role: 'viewer' }, required: ['role'] },
    { route: apiTokenRoutes.create, params: { tenant: TENANT }, valid: { name: 'ci' }, required: ['name'] },
    { route: invitationRoutes.accept, valid: { token: `winv_${'a'.repeat(43)}` }, required: ['token'] },
    { route: appRoutes.create, params: { tenant: TENANT }, valid: APP, required: ['name'] },
  ];

const invalid = (route: RouteContract, name: string, input: Partial<BadCase>, ...fields: string[]): BadCase => ({
  route,
  name: `${route.id}: ${name}`,
  status: 400,
  kind: 'validation',
  fields,
  ...input,
});

const CASES: BadCase[] = [
  // an app is an image or a compose file, and a compose file is checked line by line before anything is stored
  invalid(appRoutes.create, 'neither image nor compose', { params: { tenant: TENANT }, body: { name: 'nothing' } }, 'body.image'),
  invalid(
    appRoutes.create,
    'both image and compose',
    { params: { tenant: TENANT }, body: { ...APP, compose: 'services: {}' } },
    'body.image',
    'body.port',
    'body.replicas',
    'body.cpuMillis',
    'body.memoryMiB',
  ),
  invalid(
    appRoutes.create,
    'compose: not YAML',
    { params: { tenant: TENANT }, body: { name: 'stack', compose: 'services:\n  web: [\n' } },
    'yaml',
  ),
  invalid(
    appRoutes.create,
    'compose: unknown key',
    {
      params: { tenant: TENANT },
      body: { name: 'stack', compose: `services:\n  web:\n    image: ${APP.image}\n    prots: ["80"]\n` },
    },
    'yaml.services.web.prots',
  ),
  invalid(
    appRoutes.create,
    'compose: over 512 KiB',
    { params: { tenant: TENANT }, body: { name: 'stack', compose: `# ${'x'.repeat(600 * 1024)}\nservices: {}` } },
    'body.compose',
  ),
  // the same five refusals for every endpoint
  ...ENDPOINTS.flatMap(({ route, params, valid, required }): BadCase[] => [
    { route, params, name: `${route.id}: malformed JSON`, payload: '{"a":', status: 400, kind: 'malformed-body' },
    { route, params, name: `${route.id}: 2 MB body`, payload: TWO_MB, status: 413, kind: 'payload-too-large' },
    {
      route,
      params,
      name: `${route.id}: text/plain`,
      payload: JSON.stringify(valid),
      contentType: 'text/plain',
      status: 415,
      kind: 'unsupported-media-type',
    },
    invalid(route, 'unknown field', { params, body: { ...valid, evil: true } }, 'body.evil'),
    invalid(route, 'missing required fields', { params, body: {} }, ...required.map((f) => `body.${f}`)),
  ]),
  // wrong types, hostile names and privilege fields smuggled into bodies
  invalid(
    authRoutes.signup,
    'wrong types',
    { body: { email: 42, password: true, name: ['x'] } },
    'body.email',
    'body.password',
    'body.name',
  ),
  invalid(authRoutes.signup, 'NUL in name', { body: { email: 'n@example.test', password: PASSWORD, name: NUL } }, 'body.name'),
  invalid(
    authRoutes.signup,
    'newline in name',
    { body: { email: 'n@example.test', password: PASSWORD, name: NEWLINE } },
    'body.name',
  ),
  invalid(authRoutes.signup, '10 kB name', { body: { email: 'n@example.test', password: PASSWORD, name: TEN_KB } }, 'body.name'),
  invalid(authRoutes.signup, 'CRLF in email', { body: { email: CRLF_EMAIL, password: PASSWORD, name: 'N' } }, 'body.email'),
  invalid(
    authRoutes.signup,
    'isPlatformAdmin',
    { body: { email: 'n@example.test', password: PASSWORD, name: 'N', isPlatformAdmin: true } },
    'body.isPlatformAdmin',
  ),
  invalid(authRoutes.login, 'wrong types', { body: { email: [], password: 1 } }, 'body.email', 'body.password'),
  invalid(authRoutes.login, 'CRLF in email', { body: { email: CRLF_EMAIL, password: 'whatever' } }, 'body.email'),
  invalid(authRoutes.login, '10 kB email', { body: { email: `${TEN_KB}@example.test`, password: 'whatever' } }, 'body.email'),
  invalid(tenantRoutes.create, 'path traversal in slug', { body: { name: 'T', slug: TRAVERSAL } }, 'body.slug'),
  invalid(tenantRoutes.create, 'SQL in slug', { body: { name: 'T', slug: SQLISH } }, 'body.slug'),
  invalid(tenantRoutes.create, 'NUL in name', { body: { name: NUL } }, 'body.name'),
  invalid(tenantRoutes.create, '10 kB name', { body: { name: TEN_KB } }, 'body.name'),
  invalid(tenantRoutes.create, 'wrong type', { body: { name: 5 } }, 'body.name'),
  invalid(tenantRoutes.create, 'planId', { body: { name: 'T', planId: 'business' } }, 'body.planId'),
  invalid(tenantRoutes.update, 'newline in name', { params: { tenant: TENANT }, body: { name: NEWLINE } }, 'body.name'),
  invalid(tenantRoutes.update, 'status', { params: { tenant: TENANT }, body: { name: 'N', status: 'active' } }, 'body.status'),
  invalid(
    invitationRoutes.create,
    'CRLF in email',
    { params: { tenant: TENANT }, body: { email: CRLF_EMAIL, role: 'viewer' } },
    'body.email',
  ),
  invalid(
    invitationRoutes.create,
    'unknown role',
    { params: { tenant: TENANT }, body: { email: 'i@example.test', role: 'root' } },
    'body.role',
  ),
  ...['72', 0, 1e9, 1.5].map((hours) =>
    invalid(
      invitationRoutes.create,
      `expiresInHours ${JSON.stringify(hours)}`,
      { params: { tenant: TENANT }, body: { email: 'i@example.test', role: 'viewer', expiresInHours: hours } },
      'body.expiresInHours',
    ),
  ),
  invalid(
    memberRoutes.update,
    'unknown role',
    { params: { tenant: TENANT, userId: MEMBER }, body: { role: 'superuser' } },
    'body.role',
  ),
  invalid(
    memberRoutes.update,
    'email',
    { params: { tenant: TENANT, userId: MEMBER }, body: { role: 'owner', email: 'x@example.test' } },
    'body.email',
  ),
  invalid(apiTokenRoutes.create, 'empty name', { params: { tenant: TENANT }, body: { name: '' } }, 'body.name'),
  invalid(apiTokenRoutes.create, 'blank name', { params: { tenant: TENANT }, body: { name: '   ' } }, 'body.name'),
  invalid(apiTokenRoutes.create, 'NUL in name', { params: { tenant: TENANT }, body: { name: NUL } }, 'body.name'),
  invalid(apiTokenRoutes.create, 'userId', { params: { tenant: TENANT }, body: { name: 'ci', userId: MEMBER } }, 'body.userId'),
  ...[0, 'never', 366].map((days) =>
    invalid(
      apiTokenRoutes.create,
      `expiresInDays ${JSON.stringify(days)}`,
      { params: { tenant: TENANT }, body: { name: 'ci', expiresInDays: days } },
      'body.expiresInDays',
    ),
  ),
  invalid(invitationRoutes.accept, 'short token', { body: { token: 'abc' } }, 'body.token'),
  invalid(invitationRoutes.accept, '10 kB token', { body: { token: TEN_KB } }, 'body.token'),
  invalid(invitationRoutes.accept, 'number token', { body: { token: 123456789012345 } }, 'body.token'),
  invalid(invitationRoutes.accept, 'role', { body: { token: `winv_${'a'.repeat(43)}`, role: 'owner' } }, 'body.role'),
  // apps: image references, sizes and names the engine would refuse (or worse, accept) never reach the database
  ...Object.entries({
    image: ['UPPER/Case', 'nginx:', 'a b', 'x'.repeat(600)],
    port: [0, 70000, '80'],
    replicas: [-1, 101, 1.5],
    cpuMillis: [5, 'lots'],
    memoryMiB: [1],
    name: ['../etc', 'a--b', 'Ünïcode', 'x'.repeat(64)],
    command: ['nginx -g daemon off;'],
  }).flatMap(([field, values]) =>
    values.map((value) =>
      invalid(
        appRoutes.create,
        `${field} ${JSON.stringify(value).slice(0, 40)}`,
        { params: { tenant: TENANT }, body: { ...APP, [field]: value } },
        `body.${field}`,
      ),
    ),
  ),
  // hostile path params (pathOf() URL-encodes them, so they stay inside their segment)
  ...[TRAVERSAL, '..%2F..', SQLISH, NUL].flatMap((evil) => [
    invalid(
      tenantRoutes.update,
      `tenant ${JSON.stringify(evil)}`,
      { params: { tenant: evil }, body: { name: 'N' } },
      'params.tenant',
    ),
    invalid(
      memberRoutes.update,
      `userId ${JSON.stringify(evil)}`,
      { params: { tenant: TENANT, userId: evil }, body: { role: 'viewer' } },
      'params.userId',
    ),
    invalid(memberRoutes.remove, `userId ${JSON.stringify(evil)}`, { params: { tenant: TENANT, userId: evil } }, 'params.userId'),
    invalid(
      invitationRoutes.revoke,
      `invitationId ${JSON.stringify(evil)}`,
      { params: { tenant: TENANT, invitationId: evil } },
      'params.invitationId',
    ),
    invalid(
      apiTokenRoutes.revoke,
      `tokenId ${JSON.stringify(evil)}`,
      { params: { tenant: TENANT, tokenId: evil } },
      'params.tokenId',
    ),
    invalid(
      appRoutes.scale,
      `app ${JSON.stringify(evil)}`,
      { params: { tenant: TENANT, app: evil }, body: { replicas: 1 } },
      'params.app',
    ),
    invalid(
      variableRoutes.set,
      `key ${JSON.stringify(evil)}`,
      { params: { tenant: TENANT, app: 'web', key: evil }, body: { value: 'v' } },
      'params.key',
    ),
    invalid(
      deploymentRoutes.cancel,
      `deploymentId ${JSON.stringify(evil)}`,
      { params: { tenant: TENANT, app: 'web', deploymentId: evil } },
      'params.deploymentId',
    ),
  ]),
  // admin routes as a non-admin: refused before their input is even looked at (but only well-formed JSON gets that far)
  ...[
    { route: adminRoutes.changePlan, body: { planId: 'business' } },
    { route: adminRoutes.changePlan, body: { planId: 'enterprise', evil: 1 } },
    { route: adminRoutes.setOverrides, body: { overrides: { members: 1000 } } },
    { route: adminRoutes.suspend, body: { reason: SQLISH } },
    { route: adminRoutes.resume, body: undefined },
  ].map(
    ({ route, body }, i): BadCase => ({
      route,
      name: `${route.id} as a non-admin #${i}`,
      params: { tenantId: TENANT },
      body,
      status: 403,
      kind: 'forbidden',
    }),
  ),
  ...(
    [
      { route: adminClusterRoutes.create, params: {}, body: { name: 'eu-1', domain: 'eu.example.test', proxyPort: 8443 } },
      { route: adminClusterRoutes.create, params: {}, body: { name: SQLISH, domain: TRAVERSAL, proxyPort: -1 } },
      { route: adminClusterRoutes.issueJoinToken, params: { clusterId: TENANT }, body: undefined },
      { route: adminClusterRoutes.revokeAgent, params: { clusterId: TENANT, agentId: MEMBER }, body: undefined },
    ] as { route: RouteContract; params: Record<string, string>; body: unknown }[]
  ).map(
    ({ route, params, body }, i): BadCase => ({
      route,
      name: `${route.id} as a non-admin #${i}`,
      params,
      body,
      status: 403,
      kind: 'forbidden',
    }),
  ),
  {
    route: adminRoutes.suspend,
    name: 'admin suspend: malformed JSON',
    params: { tenantId: TENANT },
    payload: '{"a":',
    status: 400,
    kind: 'malformed-body',
  },
  {
    route: adminRoutes.changePlan,
    name: 'admin change-plan: 2 MB body',
    params: { tenantId: TENANT },
    payload: TWO_MB,
    status: 413,
    kind: 'payload-too-large',
  },
];

let t: TestApp;
let owner: Account;
let member: Account;

beforeAll(async () => {
  t = await startTestApp();
  owner = await signup(t, 'Olive Owner');
  member = await signup(t, 'Milo Member');
  await join(t, owner, owner.tenant.id, member, 'developer');
  await sharedCluster(t.owner);
});
afterAll(() => t?.close());

function resolve(params: Record<string, string> = {}): Record<string, string> {
  const real: Record<string, string> = { [TENANT]: owner.tenant.id, [MEMBER]: member.user.id };
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, real[v] ?? v]));
}

async function send(c: BadCase) {
  const body: unknown =
    typeof c.body === 'object' && c.body ? JSON.parse(JSON.stringify(c.body).replaceAll(MEMBER, member.user.id)) : c.body;
  return t.call(c.route, {
    params: resolve(c.params),
    ...(c.route.auth === 'public' ? {} : { token: owner.accessToken }),
    ...(c.payload !== undefined ? { payload: c.payload } : body !== undefined ? { body } : {}),
    ...(c.contentType ? { headers: { 'content-type': c.contentType } } : {}),
  });
}

describe('bad input to mutating endpoints', () => {
  let before: Record<string, string>;
  beforeAll(async () => {
    before = await snapshot(t.owner);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const res = await send(c);
    const problem: Problem = expectProblem(res, c.status, c.kind);
    if (c.fields) {
      const paths = (problem.errors ?? []).map((e) => e.path);
      expect([...new Set(paths)].sort()).toEqual([...c.fields].sort());
      for (const e of problem.errors ?? []) expect(e).toMatchObject({ message: expect.any(String), code: expect.any(String) });
    }
  });

  it('changed nothing: every table has the same rows as before the batch', async () => {
    expect(await snapshot(t.owner)).toEqual(before);
  });

  it('positive control: the snapshot does see a change that valid input makes', async () => {
    const res = await t.call(tenantRoutes.update, {
      params: { tenant: owner.tenant.id },
      token: owner.accessToken,
      body: { name: 'Valid' },
    });
    expect(res.status).toBe(200);
    expect(await snapshot(t.owner)).not.toEqual(before);
  });
});

describe('hostile text that is valid is stored as data, not run', () => {
  it('a tenant named like an SQL injection is created with exactly that name, and the users table is still there', async () => {
    const res = await t.call(tenantRoutes.create, { token: owner.accessToken, body: { name: SQLISH } });
    expect(res.status).toBe(201);
    const row = await t.owner.query('select name from tenants where id = $1', [res.body.id]);
    expect(row.rows).toEqual([{ name: SQLISH }]);
    expect((await t.owner.query('select count(*)::int as n from users')).rows[0].n).toBeGreaterThanOrEqual(2);
  });
});

describe('bugs found by this suite (each test states the rule it holds the API to)', () => {
  it('names with bidirectional overrides (U+202E, "Trojan Source" spoofing) are refused like other control characters', async () => {
    const before = await snapshot(t.owner);
    const spoof = 'invoice\u202Efdp.exe';
    const attempts = [
      await t.call(tenantRoutes.create, { token: owner.accessToken, body: { name: spoof } }),
      await t.call(tenantRoutes.update, { params: { tenant: owner.tenant.id }, token: owner.accessToken, body: { name: spoof } }),
      await t.call(apiTokenRoutes.create, {
        params: { tenant: owner.tenant.id },
        token: owner.accessToken,
        body: { name: spoof },
      }),
    ];
    expect(attempts.map((r) => [r.status, (r.body as Problem).errors?.[0]?.path])).toEqual([
      [400, 'body.name'],
      [400, 'body.name'],
      [400, 'body.name'],
    ]);
    expect(await snapshot(t.owner)).toEqual(before);
  });

  it('refusals by the router (over-long path parameter, broken percent-encoding) are problem documents too', async () => {
    const answers = [];
    for (const url of [`/api/v1/tenants/${'a'.repeat(10 * 1024)}`, `/api/v1/tenants/${owner.tenant.id}/members/%E0%A4%A`]) {
      const res = await t.app.inject({
        method: 'PATCH',
        url,
        headers: { authorization: `Bearer ${owner.accessToken}`, 'content-type': 'application/json' },
        payload: '{"role":"viewer"}',
      });
      answers.push({ status: res.statusCode, type: String(res.headers['content-type']) });
    }
    expect(answers).toEqual([
      { status: 414, type: expect.stringMatching(/^application\/problem\+json/) },
      { status: 400, type: expect.stringMatching(/^application\/problem\+json/) },
    ]);
  });

  it('a forged list cursor is a 400 on query.cursor, never a 500', async () => {
    const forge = (at: string, id: string) => Buffer.from(JSON.stringify([at, id])).toString('base64url');
    const cursors = {
      'id of 36 hyphens': forge('2026-01-01T00:00:00Z', '-'.repeat(36)),
      'year -200000': forge('-200000-01-01T00:00:00Z', '00000000-0000-4000-8000-000000000000'),
    };
    const answers: Record<string, unknown> = {};
    const expected: Record<string, unknown> = {};
    for (const route of [memberRoutes.list, auditRoutes.list, apiTokenRoutes.list, invitationRoutes.list, appRoutes.list]) {
      for (const [name, cursor] of Object.entries(cursors)) {
        const res = await t.call(route, { params: { tenant: owner.tenant.id }, token: owner.accessToken, query: { cursor } });
        answers[`${route.id}, ${name}`] = [res.status, (res.body as Problem).errors?.map((e) => e.path)];
        expected[`${route.id}, ${name}`] = [400, ['query.cursor']];
      }
    }
    expect(answers).toEqual(expected);
  });

  it('a size refusal carries its figures, so that a client can word it in its own language', async () => {
    const res = await t.call(tenantRoutes.create, { token: owner.accessToken, body: { name: '' } });
    expect(res.status).toBe(400);
    expect((res.body as Problem).errors).toEqual([
      expect.objectContaining({ path: 'body.name', code: 'too_small', params: { origin: 'string', minimum: 1 } }),
    ]);
  });
});
