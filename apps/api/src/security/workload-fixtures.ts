import { randomBytes } from 'node:crypto';
import { AAD, SecretBox } from '@wharf/crypto';
import { imageAppStack } from '@wharf/engine';
import type pg from 'pg';
import { buildWorkload } from './build-fixtures.js';
import type { World } from './fixtures.js';

/** The workload part of the security suites' worlds: a shared cluster, apps, variables, deployments (rows inserted). */

/** A short random suffix for names a test makes. */
export const tag = () => randomBytes(4).toString('hex');
/** Whether the query finds a row (a probe's check of its change). */
export const exists = async (db: pg.Pool, sql: string, args: unknown[]) => ((await db.query(sql, args)).rowCount ?? 0) > 0;

/** An image of the test registry (tests/support/engine.ts builds it; nothing here pulls it). */
export const TEST_IMAGE = '127.0.0.1:5000/wharf-test/httpd:v1';

/** The oldest shared cluster (where apps go by default), inserted when the database has none yet. */
export async function sharedCluster(db: pg.Pool): Promise<string> {
  // `on conflict do nothing`: the unique (tenant, name) index makes concurrent first calls insert one row
  await db.query(
    `insert into clusters (name, kind, domain, proxy_port)
     select 'shared', 'shared', 'wharf.localhost', 8088 where not exists (select 1 from clusters where kind = 'shared')
     on conflict do nothing`,
  );
  const row = await db.query<{ id: string }>(`select id from clusters where kind = 'shared' order by created_at, id limit 1`);
  const id = row.rows[0]?.id;
  if (!id) throw new Error('setup: no shared cluster');
  return id;
}

let box: SecretBox | undefined;
/** The API's secret box (the same MASTER_KEY), to seal values the API must be able to open. */
export function secretBox(): SecretBox {
  const key = process.env.MASTER_KEY;
  if (!key) throw new Error('MASTER_KEY is not set: run the tests through `npm test` (scripts/test.sh)');
  box ??= SecretBox.fromBase64(key);
  return box;
}

/** An app row of the tenant in the cluster, inserted directly (no admission, no deployment). */
export async function insertApp(
  db: pg.Pool,
  tenantId: string,
  clusterId: string,
  app: { slug: string; stopped?: boolean; replicas?: number; cpuMillis?: number; memoryMiB?: number },
): Promise<string> {
  const replicas = app.replicas ?? 1;
  const cpu = app.cpuMillis ?? 100;
  const memory = app.memoryMiB ?? 32;
  const row = await db.query<{ id: string }>(
    `insert into apps (tenant_id, slug, name, cluster_id, image, http_port, replicas, cpu_millis, memory_mib, stopped)
     values ($1, $2, $2, $3, $4, 8080, $5, $6, $7, $8) returning id`,
    [tenantId, app.slug, clusterId, TEST_IMAGE, replicas, cpu, memory, app.stopped ?? false],
  );
  const id = row.rows[0]?.id;
  if (!id) throw new Error('setup: app not inserted');
  await db.query(
    `insert into app_environments (tenant_id, app_id, name, services, cpu_millis, memory_mib)
     values ($1, $2, 'production', 1, $3, $4)`,
    [tenantId, id, cpu * replicas, memory * replicas],
  );
  return id;
}

/** The workload part of a world: a running app with a plain and a secret variable and two deployments, a stopped app. */
export async function workload(
  db: pg.Pool,
  tenantId: string,
): Promise<
  Pick<World, 'cluster' | 'app' | 'stoppedApp' | 'variables' | 'deployments' | 'composeApp' | 'dedicatedCluster' | 'sourceApp'>
> {
  const cluster = await sharedCluster(db);
  const slug = `web-${tag()}`;
  const appId = await insertApp(db, tenantId, cluster, { slug });
  const stoppedSlug = `idle-${tag()}`;
  const stoppedId = await insertApp(db, tenantId, cluster, { slug: stoppedSlug, stopped: true });
  const plain = { key: `PLAIN_${tag().toUpperCase()}`, value: `plain-${tag()}` };
  const secret = { key: `SECRET_${tag().toUpperCase()}`, value: `s3cret-${tag()}` };
  await db.query(
    `insert into app_variables (tenant_id, app_id, environment, key, secret, value) values ($1, $2, 'production', $3, false, $4)`,
    [tenantId, appId, plain.key, plain.value],
  );
  await db.query(
    `insert into app_variables (tenant_id, app_id, environment, key, secret, value_sealed) values ($1, $2, 'production', $3, true, $4)`,
    [tenantId, appId, secret.key, secretBox().seal(secret.value, AAD.variable(tenantId, appId, secret.key))],
  );
  const spec = imageAppStack({
    service: 'web',
    image: TEST_IMAGE,
    httpPort: 8080,
    command: null,
    healthcheck: null,
    replicas: 1,
    cpuMillis: 100,
    memoryMiB: 32,
    env: { [plain.key]: plain.value },
    secretKeys: [secret.key],
  });
  const secretsSealed = secretBox().seal(JSON.stringify({ [secret.key]: secret.value }), AAD.deploymentSecrets(tenantId, appId));
  const deployment = async (revision: number, status: 'live' | 'queued') => {
    const row = await db.query<{ id: string }>(
      `insert into deployments (tenant_id, app_id, environment, revision, status, spec, secrets_sealed, started_at, finished_at)
       values ($1, $2, 'production', $3, $4, $5, $6, $7, $7) returning id`,
      [tenantId, appId, revision, status, JSON.stringify(spec), secretsSealed, status === 'live' ? new Date() : null],
    );
    const id = row.rows[0]?.id;
    if (!id) throw new Error('setup: deployment not inserted');
    return id;
  };
  const live = await deployment(1, 'live');
  const queued = await deployment(2, 'queued');
  await db.query(
    `update app_environments set current_deployment_id = $3, status = 'running'
     where tenant_id = $1 and app_id = $2 and name = 'production'`,
    [tenantId, appId, live],
  );
  return {
    cluster: { id: cluster },
    ...(await stackWorkload(db, tenantId, cluster)),
    ...(await buildWorkload(db, tenantId, cluster)),
    app: { id: appId, slug },
    stoppedApp: { id: stoppedId, slug: stoppedSlug },
    variables: { plain, secret },
    deployments: { live, queued },
  };
}

/** A compose app with a staging environment next to production, and a dedicated cluster of the tenant. */
export const COMPOSE_FILE = `# the world's stack
services:
  web:
    image: ${TEST_IMAGE}
    ports: ["8080"]
`;

async function stackWorkload(
  db: pg.Pool,
  tenantId: string,
  clusterId: string,
): Promise<Pick<World, 'composeApp' | 'dedicatedCluster'>> {
  const slug = `stack-${tag()}`;
  const app = await db.query<{ id: string }>(
    `insert into apps (tenant_id, slug, name, cluster_id, kind, compose) values ($1, $2, $2, $3, 'compose', $4) returning id`,
    [tenantId, slug, clusterId, COMPOSE_FILE],
  );
  const id = app.rows[0]?.id;
  if (!id) throw new Error('setup: compose app not inserted');
  for (const name of ['production', 'staging']) {
    await db.query(`insert into app_environments (tenant_id, app_id, name) values ($1, $2, $3)`, [tenantId, id, name]);
  }
  const cluster = await db.query<{ id: string }>(
    `insert into clusters (tenant_id, name, kind, domain, proxy_port) values ($1, $2, 'dedicated', 'own.example.test', 443)
     returning id`,
    [tenantId, `own-${tag()}`],
  );
  const dedicated = cluster.rows[0]?.id;
  if (!dedicated) throw new Error('setup: dedicated cluster not inserted');
  return { composeApp: { id, slug, environment: 'staging' }, dedicatedCluster: { id: dedicated } };
}
