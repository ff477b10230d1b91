import { AAD } from '@wharf/crypto';
import type pg from 'pg';
import type { Probe, World } from './fixtures.js';
import { exists, secretBox, tag } from './workload-fixtures.js';

/* The source-built part of the security suites' worlds, and the probes of the source, build and git routes. */

/**
 * An app built from source (production tracks `main`) with its source, a queued build (the target of
 * builds.cancel), and a GitHub connection of the tenant (its API is not reachable in these suites).
 */
export async function buildWorkload(db: pg.Pool, tenantId: string, clusterId: string): Promise<Pick<World, 'sourceApp'>> {
  const slug = `src-${tag()}`;
  const app = await db.query<{ id: string }>(
    `insert into apps (tenant_id, slug, name, cluster_id, kind, http_port, replicas, cpu_millis, memory_mib)
     values ($1, $2, $2, $3, 'source', 8080, 1, 100, 32) returning id`,
    [tenantId, slug, clusterId],
  );
  const id = app.rows[0]?.id;
  if (!id) throw new Error('setup: source app not inserted');
  await db.query(
    `insert into app_environments (tenant_id, app_id, name, branch, services, cpu_millis, memory_mib)
     values ($1, $2, 'production', 'main', 1, 100, 32)`,
    [tenantId, id],
  );
  const hookId = `hook${tag()}${tag()}${tag()}`;
  await db.query(
    `insert into app_sources (tenant_id, app_id, repository, auth, region, settings, hook_id, hook_secret_sealed)
     values ($1, $2, 'https://git.example.test/team/app.git', 'none', 'global', '{}', $3, $4)`,
    [tenantId, id, hookId, secretBox().seal(`secret-${tag()}`, AAD.hookSecret(tenantId, id))],
  );
  const build = await db.query<{ id: string }>(
    `insert into builds (tenant_id, app_id, number, kind, trigger, region, repository, branch, environments)
     values ($1, $2, 1, 'git', 'manual', 'global', 'https://git.example.test/team/app.git', 'main', '{production}')
     returning id`,
    [tenantId, id],
  );
  const finished = await db.query<{ id: string }>(
    `insert into builds (tenant_id, app_id, number, kind, trigger, region, status, reason, started_at, finished_at)
     values ($1, $2, 2, 'upload', 'cli', 'global', 'failed', 'the fixture failed', now(), now()) returning id`,
    [tenantId, id],
  );
  await db.query(`insert into build_logs (tenant_id, build_id, seq, text) values ($1, $2, 0, 'step 1\n')`, [
    tenantId,
    finished.rows[0]?.id,
  ]);
  const account = `octo-${tag()}`;
  const connection = await db.query<{ id: string }>(
    `insert into git_connections (tenant_id, provider, account, token_sealed) values ($1, 'github', $2, $3) returning id`,
    [tenantId, account, secretBox().seal('ghp_fixture', AAD.gitConnection(tenantId, 'github', account))],
  );
  return {
    sourceApp: {
      id,
      slug,
      build: build.rows[0]?.id ?? '',
      finishedBuild: finished.rows[0]?.id ?? '',
      connection: connection.rows[0]?.id ?? '',
      hook: hookId,
    },
  };
}

/** The hosting APIs are unreachable here: an allowed caller gets the provider's outage, after the permission check. */
const UNREACHABLE = { status: 409, kind: 'conflict' };

export const BUILD_REQUESTS: Record<string, (w: World, tenant: string) => Probe> = {
  'source.get': (w, tenant) => ({ params: { tenant, app: w.sourceApp.id } }),
  'source.set': (w, tenant) => {
    const repo = `https://git.example.test/team/${tag()}.git`;
    return {
      params: { tenant, app: w.sourceApp.id },
      body: { repository: repo, tracking: { production: 'main' } },
      changed: (db) => exists(db, 'select 1 from app_sources where app_id = $1 and repository = $2', [w.sourceApp.id, repo]),
    };
  },
  'source.rotate-webhook': (w, tenant) => {
    const asked = new Date();
    return {
      params: { tenant, app: w.sourceApp.id },
      changed: (db) => exists(db, 'select 1 from app_sources where app_id = $1 and updated_at >= $2', [w.sourceApp.id, asked]),
    };
  },
  'builds.list': (w, tenant) => ({ params: { tenant, app: w.sourceApp.id }, query: { limit: 10 } }),
  'builds.create': (w, tenant) => {
    const branch = `feature-${tag()}`;
    return {
      params: { tenant, app: w.sourceApp.id },
      body: { branch },
      changed: (db) => exists(db, 'select 1 from builds where app_id = $1 and branch = $2', [w.sourceApp.id, branch]),
    };
  },
  // a JSON body on the upload route is refused after the permission check
  'builds.upload': (w, tenant) => ({
    params: { tenant, app: w.sourceApp.id },
    allowedAnswer: { status: 400, kind: 'validation' },
  }),
  'builds.get': (w, tenant) => ({ params: { tenant, app: w.sourceApp.id, build: w.sourceApp.build } }),
  // a finished build's log stream ends at once
  'builds.logs': (w, tenant) => ({ params: { tenant, app: w.sourceApp.id, build: w.sourceApp.finishedBuild } }),
  'builds.cancel': (w, tenant) => ({
    params: { tenant, app: w.sourceApp.id, build: w.sourceApp.build },
    changed: (db) => exists(db, `select 1 from builds where id = $1 and cancel_requested`, [w.sourceApp.build]),
  }),
  'git-connections.list': (_, tenant) => ({ params: { tenant } }),
  // the token is checked with the provider first: unreachable here, so nothing is created
  'git-connections.create': (_, tenant) => ({
    params: { tenant },
    body: { provider: 'github', token: 'ghp_not_checked' },
    allowedAnswer: UNREACHABLE,
  }),
  'git-connections.delete': (w, tenant) => ({
    params: { tenant, connection: w.sourceApp.connection },
    changed: async (db) => !(await exists(db, 'select 1 from git_connections where id = $1', [w.sourceApp.connection])),
  }),
  'git-connections.repositories': (w, tenant) => ({
    params: { tenant, connection: w.sourceApp.connection },
    allowedAnswer: UNREACHABLE,
  }),
  'git-connections.branches': (w, tenant) => ({
    params: { tenant, connection: w.sourceApp.connection },
    query: { repository: 'team/app' },
    allowedAnswer: UNREACHABLE,
  }),
};
