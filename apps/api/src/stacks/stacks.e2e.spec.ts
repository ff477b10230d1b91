import { appRoutes, deploymentRoutes, environmentRoutes, stackRoutes } from '@wharf/contracts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { composeObject } from '../../../../libs/compose/src/testing/compose-arbitraries.js';
import { anyText } from '../../../../libs/compose/src/testing/text-arbitraries.js';
import { type Account, signup, startTestApp, type TestApp } from '../../../../tests/support/app.js';
import { expectProblem, sharedCluster, TEST_IMAGE } from '../security/fixtures.js';

/*
 * A compose app's stack through the API: YAML and form views of one file, saving through either (the form keeps
 * what it does not show), problems at their lines that change nothing, environments and the diff; and, for any
 * input at all, an answer that is never a 500.
 */

const STACK = `# the shop
x-common: &common
  restart: always # keep it up

services:
  web:
    <<: *common
    image: ${TEST_IMAGE}
    ports: ["8080"]
    depends_on: [api]
    labels: { team: storefront }
  api:
    image: ${TEST_IMAGE}
    environment:
      MODE: production # from the form or not, this comment stays
`;

let t: TestApp;
let owner: Account;

beforeAll(async () => {
  t = await startTestApp();
  await sharedCluster(t.owner);
  owner = await signup(t, 'Stack Owner');
  const res = await t.call(appRoutes.create, {
    params: { tenant: owner.tenant.id },
    token: owner.accessToken,
    body: { name: 'shop', compose: STACK, deploy: false },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
});
afterAll(() => t?.close());

const params = () => ({ tenant: owner.tenant.id, app: 'shop' });
const getStack = () =>
  t.call<{ yaml: string; form: { services: { name: string; image?: string }[] }; graph: { layers: string[][] } }>(
    stackRoutes.get,
    { params: params(), token: owner.accessToken },
  );

describe('a compose app’s stack', () => {
  it('reads as the YAML as written, as a form, and as its dependency graph', async () => {
    const res = await getStack();
    expect(res.status).toBe(200);
    expect(res.body.yaml).toBe(STACK);
    expect(res.body.form.services.map((s) => [s.name, s.image])).toEqual([
      ['web', TEST_IMAGE],
      ['api', TEST_IMAGE],
    ]);
    expect(res.body.graph.layers).toEqual([['api'], ['web']]);
  });

  it('saves through the form, keeping comments, anchors and keys the form does not show', async () => {
    const form = (await getStack()).body.form;
    const image = TEST_IMAGE.replace(':v1', ':v2');
    const changed = { ...form, services: form.services.map((s) => (s.name === 'api' ? { ...s, image } : s)) };
    const res = await t.call<{ yaml: string }>(stackRoutes.save, {
      params: params(),
      token: owner.accessToken,
      body: { form: changed },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.yaml).toBe(STACK.replace(`  api:\n    image: ${TEST_IMAGE}`, `  api:\n    image: ${image}`));
  });

  it('refuses a file with problems, each at its line, and keeps the stored one', async () => {
    const before = (await getStack()).body.yaml;
    const broken = before.replace('    ports: ["8080"]', '    prots: ["8080"]').replace('depends_on: [api]', 'depends_on: [db]');
    const res = await t.call(stackRoutes.save, { params: params(), token: owner.accessToken, body: { yaml: broken } });
    const problem = expectProblem(res, 400, 'validation');
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'yaml.services.web.prots', code: 'unknown-key', line: 9, column: 5 }),
        expect.objectContaining({ code: 'reference', line: 10 }),
      ]),
    );
    expect((problem.errors ?? []).find((e) => e.code === 'unknown-key')?.message).toMatch(/did you mean "ports"/);
    expect((await getStack()).body.yaml).toBe(before);
    // validate answers the same problems without saving
    const checked = await t.call<{ ok: boolean; errors: { line: number }[] }>(stackRoutes.validate, {
      params: params(),
      token: owner.accessToken,
      body: { yaml: broken },
    });
    expect(checked.status).toBe(200);
    expect(checked.body.ok).toBe(false);
    expect(checked.body.errors.map((e) => e.line).sort((a, b) => a - b)).toEqual([9, 10]);
  });

  it('has environments with their own bindings, and a diff against what they run', async () => {
    const created = await t.call(environmentRoutes.create, {
      params: params(),
      token: owner.accessToken,
      body: { name: 'staging', bindings: { db: { kind: 'url', url: 'postgres://db.staging.example.test:5432/shop' } } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const taken = await t.call(environmentRoutes.create, {
      params: params(),
      token: owner.accessToken,
      body: { name: 'staging' },
    });
    expectProblem(taken, 409, 'conflict');
    const reserved = await t.call(environmentRoutes.create, {
      params: params(),
      token: owner.accessToken,
      body: { name: 'wharf-test-1' },
    });
    expectProblem(reserved, 400, 'validation');
    const list = await t.call<{ items: { name: string }[] }>(environmentRoutes.list, {
      params: params(),
      token: owner.accessToken,
    });
    expect(list.body.items.map((e) => e.name)).toEqual(['production', 'staging']);
    const diff = await t.call(environmentRoutes.diff, {
      params: { ...params(), environment: 'staging' },
      token: owner.accessToken,
    });
    expect(diff.status).toBe(200);
    expect(diff.body).toMatchObject({ from: null, services: { added: ['web', 'api'], removed: [], changed: [] } });
    const production = await t.call(environmentRoutes.remove, {
      params: { ...params(), environment: 'production' },
      token: owner.accessToken,
    });
    expectProblem(production, 409, 'conflict');
  });

  it('asks for a test service before it runs an integration stage', async () => {
    const res = await t.call(deploymentRoutes.create, {
      params: params(),
      token: owner.accessToken,
      body: { environment: 'production', test: true },
    });
    const problem = expectProblem(res, 400, 'validation');
    expect(problem.errors?.[0]).toMatchObject({ path: 'body.test', code: 'no_test_service' });
  });
});

describe('any input at all', () => {
  const allowed = new Set([200, 201, 400, 403, 409]);
  const runs = Number(process.env.COMPOSE_PROPERTY_RUNS ?? 40);

  it('never answers 500 to validate, save or create, whatever the text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          anyText,
          composeObject.map((doc) => stringify(doc) ?? ''),
        ),
        async (yaml) => {
          const body = { yaml: yaml.length > 0 ? yaml : ' ' };
          for (const res of [
            await t.call(stackRoutes.validate, { params: params(), token: owner.accessToken, body }),
            await t.call(stackRoutes.save, { params: params(), token: owner.accessToken, body }),
            await t.call(appRoutes.create, {
              params: { tenant: owner.tenant.id },
              token: owner.accessToken,
              body: { name: 'fuzzed', compose: body.yaml, deploy: false },
            }),
          ]) {
            expect(allowed.has(res.status), `${res.status} ${JSON.stringify(res.body).slice(0, 300)}`).toBe(true);
          }
          await t.owner.query(`delete from apps where tenant_id = $1 and slug = 'fuzzed'`, [owner.tenant.id]);
        },
      ),
      { numRuns: runs },
    );
  }, 120_000);
});
