import { sql } from 'kysely';
import type { PlatformScope, TenantScope } from '../database.js';
import { afterCursor, decodeCursor, toPage } from '../pagination.js';
import type { DeploymentEventRow, DeploymentRow, DeploymentStatus, TestResult, UserId } from '../schema.js';

export const ACTIVE_DEPLOYMENT_STATUSES: DeploymentStatus[] = ['preparing', 'testing', 'rolling_out'];
export const FINAL_DEPLOYMENT_STATUSES: DeploymentStatus[] = ['live', 'failed', 'rolled_back', 'cancelled'];

/** Deployments (immutable revisions of an app) and their event log. */
export class DeploymentsRepository {
  /** A new revision of the app (call with the app row locked, so revisions are gap-free and unique). */
  async create(
    scope: TenantScope,
    d: {
      appId: string;
      environment: string;
      spec: unknown;
      secretsSealed: string | null;
      configs: Record<string, string>;
      testSpec?: unknown;
      rollbackOf: string | null;
      buildId?: string | null;
      createdBy: UserId | null;
    },
  ): Promise<DeploymentRow> {
    return scope.trx
      .insertInto('deployments')
      .values((eb) => ({
        tenantId: scope.tenantId,
        appId: d.appId,
        environment: d.environment,
        revision: eb
          .selectFrom('deployments')
          .select(sql<number>`coalesce(max(revision), 0) + 1`.as('next'))
          .where('tenantId', '=', scope.tenantId)
          .where('appId', '=', d.appId),
        spec: JSON.stringify(d.spec),
        secretsSealed: d.secretsSealed,
        configs: JSON.stringify(d.configs),
        testSpec: d.testSpec === undefined ? null : JSON.stringify(d.testSpec),
        rollbackOf: d.rollbackOf,
        buildId: d.buildId ?? null,
        createdBy: d.createdBy,
      }))
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async list(scope: TenantScope, appId: string, page: { limit: number; cursor?: string | undefined }, environment?: string) {
    const after = decodeCursor(page.cursor);
    let q = scope.trx
      .selectFrom('deployments')
      .selectAll()
      .where('tenantId', '=', scope.tenantId)
      .where('appId', '=', appId)
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit + 1);
    if (after) q = q.where(afterCursor('createdAt', 'id', after, 'desc'));
    if (environment !== undefined) q = q.where('environment', '=', environment);
    return toPage(await q.execute(), page.limit, (r) => ({ at: r.createdAt, id: r.id }));
  }

  async find(scope: TenantScope, appId: string, id: string): Promise<DeploymentRow | undefined> {
    return scope.trx
      .selectFrom('deployments')
      .selectAll()
      .where('tenantId', '=', scope.tenantId)
      .where('appId', '=', appId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** The specs of several deployments (views that show what runs). */
  async specs(scope: TenantScope, ids: readonly string[]): Promise<Map<string, unknown>> {
    if (ids.length === 0) return new Map();
    const rows = await scope.trx
      .selectFrom('deployments')
      .select(['id', 'spec'])
      .where('tenantId', '=', scope.tenantId)
      .where('id', 'in', ids)
      .execute();
    return new Map(rows.map((r) => [r.id, r.spec]));
  }

  /** The newest deployment of an environment (its stack is what the environment runs or is about to). */
  async latest(scope: TenantScope, appId: string, environment: string): Promise<DeploymentRow | undefined> {
    return scope.trx
      .selectFrom('deployments')
      .selectAll()
      .where('tenantId', '=', scope.tenantId)
      .where('appId', '=', appId)
      .where('environment', '=', environment)
      .orderBy('revision', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async get(scope: TenantScope, id: string, lock = false): Promise<DeploymentRow | undefined> {
    const q = scope.trx.selectFrom('deployments').selectAll().where('tenantId', '=', scope.tenantId).where('id', '=', id);
    return (lock ? q.forUpdate() : q).executeTakeFirst();
  }

  /** Deployments of the tenant now preparing or rolling out (the `concurrentDeploys` quota). */
  async countActive(scope: TenantScope): Promise<number> {
    const row = await scope.trx
      .selectFrom('deployments')
      .select(sql<number>`count(*)`.as('n'))
      .where('tenantId', '=', scope.tenantId)
      .where('status', 'in', ACTIVE_DEPLOYMENT_STATUSES)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** A deployment of the app's environment (of any environment without one) preparing or rolling out, but `except`. */
  async activeFor(
    scope: TenantScope,
    appId: string,
    environment: string | undefined,
    except: string,
  ): Promise<DeploymentRow | undefined> {
    let q = scope.trx
      .selectFrom('deployments')
      .selectAll()
      .where('tenantId', '=', scope.tenantId)
      .where('appId', '=', appId)
      .where('status', 'in', ACTIVE_DEPLOYMENT_STATUSES)
      .where('id', '!=', except);
    if (environment !== undefined) q = q.where('environment', '=', environment);
    return q.executeTakeFirst();
  }

  /** Moves a deployment to a new status (with an event); a final status is never left. */
  async transition(
    scope: TenantScope,
    id: string,
    status: DeploymentStatus,
    message: string,
    reason: string | null = null,
  ): Promise<DeploymentRow | undefined> {
    const final = FINAL_DEPLOYMENT_STATUSES.includes(status);
    const row = await scope.trx
      .updateTable('deployments')
      .set({
        status,
        ...(reason !== null ? { reason } : {}),
        ...(status === 'preparing' ? { startedAt: new Date() } : {}),
        ...(final ? { finishedAt: new Date() } : {}),
      })
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .where('status', 'not in', FINAL_DEPLOYMENT_STATUSES)
      .returningAll()
      .executeTakeFirst();
    if (row) await this.event(scope, id, 'status', message);
    return row;
  }

  /**
   * Deployments still `queued` after `olderThanMs` across tenants: their job may never have reached the queue (the
   * API process died between committing and enqueueing). Enqueueing again is harmless: the job id is fixed.
   */
  async staleQueued(scope: PlatformScope, olderThanMs: number): Promise<Pick<DeploymentRow, 'tenantId' | 'id'>[]> {
    return scope.trx
      .selectFrom('deployments')
      .select(['tenantId', 'id'])
      .where('status', '=', 'queued')
      .where('createdAt', '<', new Date(Date.now() - olderThanMs))
      .limit(1000)
      .execute();
  }

  async recordTest(scope: TenantScope, id: string, result: TestResult): Promise<void> {
    await scope.trx
      .updateTable('deployments')
      .set({ testResult: JSON.stringify(result) })
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .execute();
  }

  /** Deployments of a cluster's apps running their integration stage, across tenants (their stacks are not orphans). */
  async testingOnCluster(scope: PlatformScope, clusterId: string): Promise<{ tenantId: string; id: string; app: string }[]> {
    return scope.trx
      .selectFrom('deployments as d')
      .innerJoin('apps as a', (j) => j.onRef('a.tenantId', '=', 'd.tenantId').onRef('a.id', '=', 'd.appId'))
      .select(['d.tenantId', 'd.id', 'a.slug as app'])
      .where('a.clusterId', '=', clusterId)
      .where('d.status', '=', 'testing')
      .execute();
  }

  async requestCancel(scope: TenantScope, id: string): Promise<DeploymentRow | undefined> {
    return scope.trx
      .updateTable('deployments')
      .set({ cancelRequested: true })
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .where('status', 'not in', FINAL_DEPLOYMENT_STATUSES)
      .returningAll()
      .executeTakeFirst();
  }

  async event(scope: TenantScope, deploymentId: string, kind: 'status' | 'log', message: string): Promise<void> {
    await scope.trx
      .insertInto('deploymentEvents')
      .values({ tenantId: scope.tenantId, deploymentId, kind, message: message.slice(0, 4000) })
      .execute();
  }

  async events(scope: TenantScope, deploymentId: string, afterSeq = 0): Promise<DeploymentEventRow[]> {
    return scope.trx
      .selectFrom('deploymentEvents')
      .selectAll()
      .where('tenantId', '=', scope.tenantId)
      .where('deploymentId', '=', deploymentId)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(1000)
      .execute();
  }
}
