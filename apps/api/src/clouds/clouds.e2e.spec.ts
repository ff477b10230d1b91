import { randomBytes } from 'node:crypto';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { cloudAccountRoutes, PROBLEM_BASE } from '@wharf/contracts';
import { AAD, Keyring } from '@wharf/crypto';
import type { Database } from '@wharf/db';
import { awsProvider } from '@wharf/providers';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Account, signup, startTestApp, type TestApp } from '../../../../tests/support/app.js';
import { ALIYUN_KEY, AWS_KEY, awsRoleArn, offlineProviderFactory } from '../../../../tests/support/clouds.js';
import { DATABASE, KEYRING } from '../core/tokens.js';
import type { ProviderFactory } from './provider-factory.js';
import { rotateMasterKey } from './rotate-master-key.js';

/**
 * Connecting cloud accounts through the API, verified by the real AWS adapter (libs/providers) whose STS calls
 * answer from recorded responses (aws-sdk-client-mock); Aliyun accounts go through the offline test adapter.
 */
const sts = mockClient(STSClient);

/** The real adapters; an STS call the test did not record would go to a closed local port, never to AWS. */
const recorded: ProviderFactory = {
  create(provider, credentials) {
    if (provider !== 'aws') return offlineProviderFactory().create(provider, credentials);
    return awsProvider(
      credentials.kind === 'role'
        ? credentials
        : { kind: 'keys', accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secret },
      {
        endpoint: 'http://127.0.0.1:9',
        maxAttempts: 1,
        sourceCredentials: async () => ({ accessKeyId: 'AKIAPLATFORM00000000', secretAccessKey: 'platform-secret-000000000000' }),
      },
    );
  },
};

function stsFailure(code: string, message: string, status = 403): STSServiceException {
  const error = new STSServiceException({ name: code, $fault: 'client', $metadata: { httpStatusCode: status }, message });
  return Object.assign(error, { Code: code });
}

const USER_ARN = 'arn:aws:iam::210987654321:user/wharf-ci';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { providerFactory: recorded });
});
afterAll(async () => {
  sts.restore();
  await t?.close();
});
beforeEach(() => {
  sts.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: '210987654321', Arn: USER_ARN, UserId: 'AIDAEXAMPLE' });
});

async function connect(owner: Account, body: Record<string, unknown>) {
  return t.call(cloudAccountRoutes.create, { params: { tenant: owner.tenant.id }, token: owner.accessToken, body });
}

async function rowCount(tenant: string): Promise<number> {
  const res = await t.owner.query('select count(*)::int as n from cloud_accounts where tenant_id = $1', [tenant]);
  return res.rows[0].n;
}

describe('connecting an AWS account with an access key', () => {
  it('verifies it, stores the secret envelope-sealed to the row, and never shows it', async () => {
    const owner = await signup(t);
    const tenant = owner.tenant.id;
    const created = await connect(owner, { provider: 'aws', name: 'Production', ...AWS_KEY });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      provider: 'aws',
      name: 'Production',
      auth: 'keys',
      roleArn: null,
      accessKeyId: 'AKIA…MPLE',
      identity: { account: '210987654321', principal: USER_ARN },
      verifiedAt: expect.any(String),
      createdAt: expect.any(String),
      createdBy: { id: owner.user.id, name: owner.user.name },
    });
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);

    const params = { tenant, accountId: created.body.id };
    const list = await t.call(cloudAccountRoutes.list, { params: { tenant }, token: owner.accessToken });
    const got = await t.call(cloudAccountRoutes.get, { params, token: owner.accessToken });
    expect(list.body.items).toEqual([created.body]);
    expect(got.body).toEqual(created.body);
    for (const res of [created, list, got]) {
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(AWS_KEY.secretAccessKey);
      expect(text).not.toContain(AWS_KEY.accessKeyId);
    }

    // at rest: envelope-sealed under MASTER_KEY, bound to the tenant and this row
    const row = await t.owner.query('select secret_sealed, access_key_id from cloud_accounts where id = $1', [created.body.id]);
    const sealed: string = row.rows[0].secret_sealed;
    expect(sealed).not.toContain(AWS_KEY.secretAccessKey);
    expect(sealed).not.toContain(Buffer.from(AWS_KEY.secretAccessKey).toString('base64url'));
    const keyring = Keyring.fromBase64(process.env.MASTER_KEY ?? '');
    expect(keyring.open(sealed, AAD.cloudAccount(tenant, created.body.id))).toBe(AWS_KEY.secretAccessKey);
    expect(() => keyring.open(sealed, AAD.cloudAccount(tenant, '00000000-0000-4000-8000-000000000000'))).toThrow();

    expect((await t.call(cloudAccountRoutes.remove, { params, token: owner.accessToken })).status).toBe(204);
    expect((await t.call(cloudAccountRoutes.get, { params, token: owner.accessToken })).status).toBe(404);
    expect((await t.call(cloudAccountRoutes.remove, { params, token: owner.accessToken })).status).toBe(404);
    expect(await rowCount(tenant)).toBe(0);
  });

  it('answers 422 with the adapter’s words at the key fields when AWS refuses the key, and stores nothing', async () => {
    const owner = await signup(t);
    sts
      .on(GetCallerIdentityCommand)
      .rejects(stsFailure('InvalidClientTokenId', 'The security token included in the request is invalid.'));
    const res = await connect(owner, { provider: 'aws', name: 'Wrong key', ...AWS_KEY });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: `${PROBLEM_BASE}verification-failed`, status: 422, reason: 'auth' });
    expect(res.body.detail).toEqual(expect.any(String));
    expect(res.body.detail.length).toBeGreaterThan(10);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.accessKeyId', 'body.secretAccessKey']);
    expect(res.body.errors[0]).toMatchObject({ message: res.body.detail, code: 'provider_auth' });
    expect(JSON.stringify(res.body)).not.toContain(AWS_KEY.secretAccessKey);
    expect(await rowCount(owner.tenant.id)).toBe(0);
  });
});

describe('connecting an AWS account by role', () => {
  it("assumes the role with the tenant's ExternalId and records whom it reached", async () => {
    const owner = await signup(t);
    const tenant = owner.tenant.id;
    const setup = await t.call(cloudAccountRoutes.setup, { params: { tenant }, token: owner.accessToken });
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIAEXAMPLEASSUMED01',
        SecretAccessKey: 'assumed-secret-0000000000000000',
        SessionToken: 'session-token',
        Expiration: new Date(Date.now() + 3600_000),
      },
    });
    const assumed = 'arn:aws:sts::123456789012:assumed-role/WharfHosts/wharf-hosts';
    sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: assumed });

    const roleArn = awsRoleArn('WharfHosts');
    const res = await connect(owner, { provider: 'aws', name: 'Staging', roleArn });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      auth: 'role',
      roleArn,
      accessKeyId: null,
      identity: { account: '123456789012', principal: assumed },
    });
    const calls = sts.commandCalls(AssumeRoleCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toMatchObject({ RoleArn: roleArn, ExternalId: setup.body.externalId });
    const row = await t.owner.query('select secret_sealed, access_key_id from cloud_accounts where id = $1', [res.body.id]);
    expect(row.rows).toEqual([{ secret_sealed: null, access_key_id: null }]);
  });

  it('answers 422 at roleArn when the role cannot be assumed', async () => {
    const owner = await signup(t);
    sts
      .on(AssumeRoleCommand)
      .rejects(
        stsFailure('AccessDenied', 'User: arn:aws:iam::000000000000:user/wharf is not authorized to perform: sts:AssumeRole'),
      );
    const res = await connect(owner, { provider: 'aws', name: 'Not trusted', roleArn: awsRoleArn() });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body).toMatchObject({ type: `${PROBLEM_BASE}verification-failed`, reason: 'auth' });
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.roleArn']);
    expect(await rowCount(owner.tenant.id)).toBe(0);
  });
});

describe('connecting an Aliyun account', () => {
  it('seals the AccessKey secret the same way', async () => {
    const owner = await signup(t);
    const res = await connect(owner, { provider: 'aliyun', name: 'Hangzhou', ...ALIYUN_KEY });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ provider: 'aliyun', auth: 'keys', accessKeyId: 'LTAI…0001' });
    expect(JSON.stringify(res.body)).not.toContain(ALIYUN_KEY.accessKeySecret);
    const row = await t.owner.query('select secret_sealed from cloud_accounts where id = $1', [res.body.id]);
    const keyring = Keyring.fromBase64(process.env.MASTER_KEY ?? '');
    expect(keyring.open(row.rows[0].secret_sealed, AAD.cloudAccount(owner.tenant.id, res.body.id))).toBe(
      ALIYUN_KEY.accessKeySecret,
    );
  });
});

describe('what is refused before any provider is asked', () => {
  it('malformed ARNs and keys, mixed or missing credentials, unknown fields and oversized values: 400 at the field', async () => {
    const owner = await signup(t);
    const cases: [string, Record<string, unknown>, string[]][] = [
      ['not an ARN', { provider: 'aws', name: 'a', roleArn: 'WharfHosts' }, ['body.roleArn']],
      ['short account', { provider: 'aws', name: 'a', roleArn: 'arn:aws:iam::1234:role/x' }, ['body.roleArn']],
      ['user, not role', { provider: 'aws', name: 'a', roleArn: 'arn:aws:iam::123456789012:user/x' }, ['body.roleArn']],
      ['other partition', { provider: 'aws', name: 'a', roleArn: 'arn:aws-xx:iam::123456789012:role/x' }, ['body.roleArn']],
      ['aliyun ARN on aws', { provider: 'aws', name: 'a', roleArn: 'acs:ram::1234567890123456:role/x' }, ['body.roleArn']],
      ['aws ARN on aliyun', { provider: 'aliyun', name: 'a', roleArn: awsRoleArn() }, ['body.roleArn']],
      ['bad key id', { provider: 'aws', name: 'a', ...AWS_KEY, accessKeyId: 'AKIA123' }, ['body.accessKeyId']],
      ['lowercase key id', { provider: 'aws', name: 'a', ...AWS_KEY, accessKeyId: 'akiaiosfodnn7example' }, ['body.accessKeyId']],
      [
        'aliyun key on aws',
        { provider: 'aws', name: 'a', accessKeyId: ALIYUN_KEY.accessKeyId, secretAccessKey: 'x'.repeat(40) },
        ['body.accessKeyId'],
      ],
      [
        'aws secret field on aliyun',
        { provider: 'aliyun', name: 'a', accessKeyId: ALIYUN_KEY.accessKeyId, secretAccessKey: 'x'.repeat(40) },
        ['body.secretAccessKey', 'body.accessKeySecret'],
      ],
      ['key without secret', { provider: 'aws', name: 'a', accessKeyId: AWS_KEY.accessKeyId }, ['body.secretAccessKey']],
      ['role and key', { provider: 'aws', name: 'a', roleArn: awsRoleArn(), ...AWS_KEY }, ['body.roleArn']],
      ['neither', { provider: 'aws', name: 'a' }, ['body.roleArn']],
      ['unknown provider', { provider: 'gcp', name: 'a', roleArn: awsRoleArn() }, ['body.provider']],
      ['unknown field', { provider: 'aws', name: 'a', roleArn: awsRoleArn(), sessionToken: 'x' }, ['body.sessionToken']],
      ['empty name', { provider: 'aws', name: ' ', roleArn: awsRoleArn() }, ['body.name']],
      ['long name', { provider: 'aws', name: 'n'.repeat(101), roleArn: awsRoleArn() }, ['body.name']],
      [
        '10 KB ARN',
        { provider: 'aws', name: 'a', roleArn: `arn:aws:iam::123456789012:role/${'r'.repeat(10_240)}` },
        ['body.roleArn'],
      ],
      ['10 KB secret', { provider: 'aws', name: 'a', ...AWS_KEY, secretAccessKey: 's'.repeat(10_240) }, ['body.secretAccessKey']],
      [
        'secret with spaces',
        { provider: 'aws', name: 'a', ...AWS_KEY, secretAccessKey: 'with spaces in the secret' },
        ['body.secretAccessKey'],
      ],
    ];
    for (const [label, body, fields] of cases) {
      const res = await connect(owner, body);
      expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.type, label).toBe(`${PROBLEM_BASE}validation`);
      expect(
        res.body.errors.map((e: { path: string }) => e.path),
        label,
      ).toEqual(fields);
    }
    const huge = await t.call(cloudAccountRoutes.create, {
      params: { tenant: owner.tenant.id },
      token: owner.accessToken,
      payload: JSON.stringify({ provider: 'aws', name: 'a', roleArn: 'r'.repeat(2 * 1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
    expect(sts.calls()).toHaveLength(0);
    expect(await rowCount(owner.tenant.id)).toBe(0);
  });

  it('a second account of the same name: 409, without asking the provider again', async () => {
    const owner = await signup(t);
    expect((await connect(owner, { provider: 'aws', name: 'Prod', ...AWS_KEY })).status).toBe(201);
    const again = await connect(owner, { provider: 'aws', name: 'Prod', roleArn: awsRoleArn() });
    expect(again.status).toBe(409);
    expect(again.body.type).toBe(`${PROBLEM_BASE}conflict`);
    expect(sts.calls()).toHaveLength(1);
    // names are per tenant
    const other = await signup(t);
    expect((await connect(other, { provider: 'aws', name: 'Prod', ...AWS_KEY })).status).toBe(201);
  });
});

describe('the setup wizard', () => {
  it("gives the tenant's ExternalId (stable, one per tenant) inside a trust policy for Wharf's AWS account", async () => {
    const a = await signup(t);
    const b = await signup(t);
    const setupOf = (owner: Account) =>
      t.call(cloudAccountRoutes.setup, { params: { tenant: owner.tenant.id }, token: owner.accessToken });
    const first = await setupOf(a);
    const second = await setupOf(a);
    const other = await setupOf(b);
    expect(first.status).toBe(200);
    expect(first.body.externalId).toMatch(/^wharf-[0-9a-f]{32}$/);
    expect(second.body.externalId).toBe(first.body.externalId);
    expect(other.body.externalId).not.toBe(first.body.externalId);

    const trust = first.body.aws.trustPolicy.Statement[0];
    expect(trust).toMatchObject({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::000000000000:root' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': first.body.externalId } },
    });
    const actions = (doc: { Statement: { Action: string | string[] }[] }) =>
      new Set(doc.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
    expect([...actions(first.body.aws.permissionsPolicy)].sort()).toEqual(
      [
        'RunInstances',
        'TerminateInstances',
        'DescribeInstances',
        'DescribeRegions',
        'DescribeInstanceTypes',
        'DescribeImages',
        'CreateTags',
        'CreateSecurityGroup',
        'AuthorizeSecurityGroupIngress',
        'DescribeSecurityGroups',
        'DescribeSubnets',
        'DescribeVpcs',
      ]
        .map((a) => `ec2:${a}`)
        .sort(),
    );
    const run = first.body.aws.permissionsPolicy.Statement.find((s: { Sid?: string }) => s.Sid === 'RunTaggedInstances');
    expect(run.Condition).toEqual({ Null: { 'aws:RequestTag/wharf:tenant': 'false' } });
    expect([...actions(first.body.aliyun.ramPolicy)].sort()).toEqual(
      [
        'RunInstances',
        'DeleteInstances',
        'DescribeInstances',
        'DescribeRegions',
        'DescribeInstanceTypes',
        'DescribeImages',
        'CreateSecurityGroup',
        'AuthorizeSecurityGroup',
        'DescribeSecurityGroups',
        'DescribeVSwitches',
        'TagResources',
      ]
        .map((a) => `ecs:${a}`)
        .sort(),
    );
  });
});

describe('rotate-master-key', () => {
  it('re-wraps every sealed secret under the new MASTER_KEY, in batches, and is safe to run again', async () => {
    // its own database: the rotation walks every tenant's accounts
    const before = await startTestApp();
    const keyA = process.env.MASTER_KEY ?? '';
    const keyB = randomBytes(32).toString('base64');
    try {
      const owner = await signup(before);
      const secrets = new Map<string, string>();
      for (let i = 0; i < 5; i++) {
        const secret = `secret-${i}-${randomBytes(12).toString('hex')}`;
        const res = await before.call(cloudAccountRoutes.create, {
          params: { tenant: owner.tenant.id },
          token: owner.accessToken,
          body: { provider: 'aws', name: `keys ${i}`, ...AWS_KEY, secretAccessKey: secret },
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        secrets.set(res.body.id, secret);
      }
      const role = await before.call(cloudAccountRoutes.create, {
        params: { tenant: owner.tenant.id },
        token: owner.accessToken,
        body: { provider: 'aws', name: 'role', roleArn: awsRoleArn() },
      });
      expect(role.status).toBe(201);

      // the API restarted with MASTER_KEY=B MASTER_KEYS_PREVIOUS=A, as the CLI boots it
      const after = await startTestApp({ MASTER_KEY: keyB, MASTER_KEYS_PREVIOUS: keyA }, { database: before.db });
      try {
        const db = after.app.get<Database>(DATABASE);
        const keyring = after.app.get<Keyring>(KEYRING);
        expect(await rotateMasterKey(db, keyring, 2)).toEqual({ rewrapped: 5, current: 0, skipped: 0 });
        expect(await rotateMasterKey(db, keyring, 2)).toEqual({ rewrapped: 0, current: 5, skipped: 0 });
      } finally {
        await after.close();
      }

      const onlyB = Keyring.fromBase64(keyB);
      const onlyA = Keyring.fromBase64(keyA);
      const rows = await before.owner.query<{ id: string; tenant_id: string; secret_sealed: string }>(
        'select id, tenant_id, secret_sealed from cloud_accounts where secret_sealed is not null',
      );
      expect(rows.rows).toHaveLength(5);
      for (const row of rows.rows) {
        const aad = AAD.cloudAccount(row.tenant_id, row.id);
        expect(Keyring.keyIdOf(row.secret_sealed)).toBe(onlyB.currentId);
        expect(onlyB.open(row.secret_sealed, aad)).toBe(secrets.get(row.id));
        expect(() => onlyA.open(row.secret_sealed, aad)).toThrow();
      }
    } finally {
      await before.close();
    }
  });
});
