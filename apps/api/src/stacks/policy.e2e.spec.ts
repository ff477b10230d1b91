import { POLICY_RULES, type PolicyRule } from '@wharf/compose';
import { adminClusterRoutes, adminRoutes, appRoutes, auditRoutes, clusterPolicyRoutes, stackRoutes } from '@wharf/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup, startTestApp, type TestApp } from '../../../../tests/support/app.js';
import { join } from '../../../../tests/support/tenants.js';
import { expectProblem, platformAdmin, sharedCluster, TEST_IMAGE } from '../security/fixtures.js';

/*
 * The compose policy at the API: on the shared cluster every rule refuses the file, naming the key, its line and
 * the rule; on a dedicated cluster of the tenant, an owner relaxes named rules (audited, owners only) and the same
 * file passes the policy.
 */

/** One offending line per rule, at line 4 of the file (`services:` / `app:` / `image:` / this). */
const OFFENDERS: Record<PolicyRule, string> = {
  privileged: 'privileged: true',
  'host-network': 'network_mode: host',
  'service-network': 'network_mode: "service:helper"',
  'host-pid': 'pid: host',
  'host-ipc': 'ipc: host',
  'host-userns': 'userns_mode: host',
  'bind-mounts': 'volumes: ["/srv/data:/data"]',
  'docker-socket': 'volumes: ["/var/run/docker.sock:/var/run/docker.sock"]',
  devices: 'devices: ["/dev/fuse:/dev/fuse"]',
  'cap-add': 'cap_add: [SYS_ADMIN]',
  'security-opt': 'security_opt: ["seccomp:unconfined"]',
  sysctls: 'sysctls: { net.core.somaxconn: "1024" }',
};
/** Rules Swarm services can honour once relaxed (the others pass the policy but Swarm cannot run them). */
const SWARM_CAN = new Set<PolicyRule>(['host-network', 'bind-mounts', 'docker-socket', 'cap-add', 'sysctls']);

const file = (rule: PolicyRule) => `services:
  app:
    image: ${TEST_IMAGE}
    ${OFFENDERS[rule]}
  helper:
    image: ${TEST_IMAGE}
`;

interface FieldError {
  path: string;
  code: string;
  message: string;
  line?: number;
  rule?: string;
}

let t: TestApp;
let owner: Account;
let admin: Account;
let dedicated = '';

beforeAll(async () => {
  t = await startTestApp();
  await sharedCluster(t.owner);
  owner = await signup(t, 'Policy Owner');
  admin = await platformAdmin(t);
  // room for every file of the suite (two services each): the policy, not the quota, is what is tested here
  const roomy = await t.call(adminRoutes.setOverrides, {
    token: admin.accessToken,
    params: { tenantId: owner.tenant.id },
    body: { overrides: { services: 200, cpuMillis: 100_000, memoryMiB: 100_000 } },
  });
  expect(roomy.status, JSON.stringify(roomy.body)).toBe(200);
  const created = await t.call<{ cluster: { id: string; name: string; kind: string } }>(adminClusterRoutes.create, {
    token: admin.accessToken,
    body: { name: `own-${owner.tenant.slug}`, domain: 'own.example.test', proxyPort: 443, tenantId: owner.tenant.id },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(created.body.cluster.kind).toBe('dedicated');
  dedicated = created.body.cluster.id;
});
afterAll(() => t?.close());

const createApp = (name: string, compose: string, cluster?: string) =>
  t.call(appRoutes.create, {
    params: { tenant: owner.tenant.id },
    token: owner.accessToken,
    body: { name, compose, deploy: false, ...(cluster ? { cluster } : {}) },
  });

const relax = (rules: string[], token = owner.accessToken) =>
  t.call(clusterPolicyRoutes.set, {
    params: { tenant: owner.tenant.id, cluster: dedicated },
    token,
    body: { relaxed: rules },
  });

describe('compose policy', () => {
  it.each(POLICY_RULES)('refuses %s on the shared cluster, with the key and its line', async (rule) => {
    const before = await t.owner.query('select count(*)::int as n from apps where tenant_id = $1', [owner.tenant.id]);
    const res = await createApp(`p-${rule}`, file(rule));
    const problem = expectProblem(res, 400, 'validation');
    const errors = problem.errors as FieldError[];
    const hit = errors.find((e) => e.code === 'policy' && e.rule === rule);
    expect(hit, JSON.stringify(errors)).toBeDefined();
    expect(hit?.line).toBe(4);
    expect(hit?.path).toMatch(/^yaml\.services\.app\./);
    expect(hit?.message).toContain(rule);
    const after = await t.owner.query('select count(*)::int as n from apps where tenant_id = $1', [owner.tenant.id]);
    expect(after.rows).toEqual(before.rows);
  });

  it.each(POLICY_RULES)('allows %s on a dedicated cluster once its owner relaxed the rule', async (rule) => {
    // not relaxed: refused there too
    expect((await relax([])).status).toBe(200);
    const refused = await createApp(`d-${rule}`, file(rule), dedicated);
    expect(((expectProblem(refused, 400, 'validation').errors as FieldError[]) ?? []).some((e) => e.rule === rule)).toBe(true);

    const relaxed = await relax([rule]);
    expect(relaxed.status, JSON.stringify(relaxed.body)).toBe(200);
    expect(relaxed.body).toMatchObject({ policyRelaxed: [rule] });
    const res = await createApp(`d-${rule}`, file(rule), dedicated);
    if (SWARM_CAN.has(rule)) {
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const stack = await t.call<{ issues: FieldError[] }>(stackRoutes.get, {
        params: { tenant: owner.tenant.id, app: `d-${rule}` },
        token: owner.accessToken,
      });
      expect(stack.body.issues.filter((i) => i.code === 'policy')).toEqual([]);
    } else {
      // the policy lets it through; what is left is Swarm's own limit, said as such
      const errors = expectProblem(res, 400, 'validation').errors as FieldError[];
      expect(
        errors.filter((e) => e.code === 'policy'),
        JSON.stringify(errors),
      ).toEqual([]);
      expect(
        errors.some((e) => e.code === 'unsupported' && /Swarm/.test(e.message)),
        JSON.stringify(errors),
      ).toBe(true);
    }
  });

  it('lets only owners relax a policy, audits it, and never on a shared cluster', async () => {
    const adminMember = await signup(t, 'Tenant Admin');
    await join(t, owner, owner.tenant.id, adminMember, 'admin');
    const denied = await relax(['privileged'], adminMember.accessToken);
    expectProblem(denied, 403, 'forbidden');

    const shared = await t.call(clusterPolicyRoutes.set, {
      params: { tenant: owner.tenant.id, cluster: 'shared' },
      token: owner.accessToken,
      body: { relaxed: ['privileged'] },
    });
    expectProblem(shared, 409, 'conflict');
    const unknown = await relax(['everything']);
    expectProblem(unknown, 400, 'validation');

    expect((await relax(['sysctls', 'cap-add'])).status).toBe(200);
    const audit = await t.call<{ items: { action: string; target: string; outcome: string }[] }>(auditRoutes.list, {
      params: { tenant: owner.tenant.id },
      token: owner.accessToken,
      query: { limit: 50 },
    });
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({
        action: 'clusters.policy',
        outcome: 'success',
        target: expect.stringMatching(/relaxed=cap-add,sysctls/),
      }),
    );
    expect(audit.body.items).toContainEqual(expect.objectContaining({ action: 'clusters.policy', outcome: 'denied' }));
  });

  it('refuses replicas or resources beyond quota, pointing at the services that ask for them', async () => {
    const small = await signup(t, 'Free Plan');
    const before = await t.owner.query('select count(*)::int as n from apps where tenant_id = $1', [small.tenant.id]);
    const res = await t.call(appRoutes.create, {
      params: { tenant: small.tenant.id },
      token: small.accessToken,
      body: {
        name: 'greedy',
        deploy: false,
        compose: `services:
  web:
    image: ${TEST_IMAGE}
  worker:
    image: ${TEST_IMAGE}
    deploy:
      replicas: 8
      resources: { limits: { cpus: "1" } }
`,
      },
    });
    const problem = expectProblem(res, 403, 'quota-exceeded');
    expect(problem).toMatchObject({ quota: 'cpuMillis', limit: 2000, requested: 8500 });
    expect((problem.errors as FieldError[])[0]).toMatchObject({
      path: 'yaml.services.worker.deploy',
      line: 6,
      message: 'worker: 8 × 1000 = 8000 millicores',
    });
    const after = await t.owner.query('select count(*)::int as n from apps where tenant_id = $1', [small.tenant.id]);
    expect(after.rows).toEqual(before.rows);
  });
});
