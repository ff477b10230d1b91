import { FINAL_BUILD_STATUSES } from '@wharf/contracts';
import { sql } from 'kysely';
import type { PlatformScope, TenantScope } from '../database.js';
import { afterCursor, decodeCursor, toPage } from '../pagination.js';
import type { UserId } from '../schema.js';
import type { BuildKind, BuildRow, BuildStatus, BuildTrigger } from '../schema-builds.js';

const FINAL: BuildStatus[] = [...FINAL_BUILD_STATUSES];

export interface NewBuild {
  appId: string;
  kind: BuildKind;
  trigger: BuildTrigger;
  region: string;
  repository: string | null;
  branch: string | null;
  commit: string | null;
  environments: string[];
  createdBy: UserId | null;
}

/** Builds of apps, their logs and uploaded archives, and the webhook deliveries already seen. */
export class BuildsRepository {
  /** A new build numbered after the app's last one (call with the app row locked). */
  async create(scope: TenantScope, b: NewBuild): Promise<BuildRow> {
    return scope.trx
      .insertInto('builds')
      .values((eb) => ({
        tenantId: scope.tenantId,
        ...b,
        number: eb
          .selectFrom('builds')
          .select(sql<number>`coalesce(max(number), 0) + 1`.as('next'))
          .where('tenantId', '=', scope.tenantId)
          .where('appId', '=', b.appId),
      }))
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async list(scope: TenantScope, appId: string, page: { limit: number; cursor?: string | undefined }) {
    const after = decodeCursor(page.cursor);
    let q = scope.trx
      .selectFrom('builds')
      .selectAll()
      .where('tenantId', '=', scope.tenantId)
      .where('appId', '=', appId)
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit + 1);
    if (after) q = q.where(afterCursor('createdAt', 'id', after, 'desc'));
    return toPage(await q.execute(), page.limit, (r) => ({ at: r.createdAt, id: r.id }));
  }

  async find(scope: TenantScope, appId: string, id: string): Promise<BuildRow | undefined> {
    return scope.trx
      .selectFrom('builds')
      .selectAll()
      .where('tenantId', '=', scope.tenantId)
      .where('appId', '=', appId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async get(scope: TenantScope, id: string, lock = false): Promise<BuildRow | undefined> {
    const q = scope.trx.selectFrom('builds').selectAll().where('tenantId', '=', scope.tenantId).where('id', '=', id);
    return (lock ? q.forUpdate() : q).executeTakeFirst();
  }

  /** The app's newest build that produced an image. */
  async latestSucceeded(scope: TenantScope, appId: string): Promise<BuildRow | undefined> {
    return scope.trx
      .selectFrom('builds')
      .selectAll()
      .where('tenantId', '=', scope.tenantId)
      .where('appId', '=', appId)
      .where('status', '=', 'succeeded')
      .orderBy('number', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** The tenant's builds running now (the `concurrentBuilds` quota). */
  async countRunning(scope: TenantScope): Promise<number> {
    const row = await scope.trx
      .selectFrom('builds')
      .select(sql<number>`count(*)`.as('n'))
      .where('tenantId', '=', scope.tenantId)
      .where('status', '=', 'running')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The tenant's unfinished builds (queued or running): a cap keeps one tenant from filling the queues. */
  async countUnfinished(scope: TenantScope): Promise<number> {
    const row = await scope.trx
      .selectFrom('builds')
      .select(sql<number>`count(*)`.as('n'))
      .where('tenantId', '=', scope.tenantId)
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Build minutes used this calendar month (UTC): each build counts its started minutes, and a build running now
   * counts the time it has run so far.
   */
  async minutesThisMonth(scope: TenantScope): Promise<number> {
    const row = await scope.trx
      .selectFrom('builds')
      .select(
        sql<number>`coalesce(sum(ceil(greatest(
          case when status = 'running' then extract(epoch from now() - started_at) else billed_seconds end, 0) / 60.0)), 0)`.as(
          'minutes',
        ),
      )
      .where('tenantId', '=', scope.tenantId)
      .where('startedAt', '>=', sql<Date>`date_trunc('month', now() at time zone 'utc') at time zone 'utc'`)
      .executeTakeFirstOrThrow();
    return Number(row.minutes);
  }

  /** Moves a build to a new status; a final status is never left. Undefined when the build had already ended. */
  async transition(
    scope: TenantScope,
    id: string,
    status: BuildStatus,
    fields: Partial<Pick<BuildRow, 'reason' | 'image' | 'digest' | 'commit' | 'commitSubject'>> & {
      plan?: unknown;
      images?: Record<string, string>;
    } = {},
  ): Promise<BuildRow | undefined> {
    const final = FINAL.includes(status);
    const { plan, images, ...rest } = fields;
    return scope.trx
      .updateTable('builds')
      .set({
        status,
        ...rest,
        ...(plan !== undefined ? { plan: JSON.stringify(plan) } : {}),
        ...(images !== undefined ? { images: JSON.stringify(images) } : {}),
        ...(status === 'running' ? { startedAt: new Date() } : {}),
        ...(final
          ? {
              finishedAt: new Date(),
              billedSeconds: sql<number>`case when started_at is null then 0
                else ceil(extract(epoch from now() - started_at))::int end`,
            }
          : {}),
      })
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .where('status', 'not in', FINAL)
      .returningAll()
      .executeTakeFirst();
  }

  /** Records what the build found out along the way (plan, commit) without changing its status. */
  async record(
    scope: TenantScope,
    id: string,
    fields: Partial<Pick<BuildRow, 'commit' | 'commitSubject' | 'image' | 'digest'>> & { plan?: unknown },
  ): Promise<void> {
    const { plan, ...rest } = fields;
    await scope.trx
      .updateTable('builds')
      .set({ ...rest, ...(plan !== undefined ? { plan: JSON.stringify(plan) } : {}) })
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .execute();
  }

  /** Flags an unfinished build for cancellation; undefined when it had already ended. */
  async requestCancel(scope: TenantScope, id: string): Promise<BuildRow | undefined> {
    return scope.trx
      .updateTable('builds')
      .set({ cancelRequested: true })
      .where('tenantId', '=', scope.tenantId)
      .where('id', '=', id)
      .where('status', 'not in', FINAL)
      .returningAll()
      .executeTakeFirst();
  }

  /** Appends log text; `seq` is the chunk's number (a chunk written twice after a retry is kept once). */
  async appendLog(scope: TenantScope, buildId: string, seq: number, text: string): Promise<void> {
    await scope.trx
      .insertInto('buildLogs')
      .values({ tenantId: scope.tenantId, buildId, seq, text })
      .onConflict((oc) => oc.columns(['tenantId', 'buildId', 'seq']).doNothing())
      .execute();
  }

  /** Log chunks after `afterSeq` in order. */
  async logs(scope: TenantScope, buildId: string, afterSeq = -1): Promise<{ seq: number; text: string }[]> {
    return scope.trx
      .selectFrom('buildLogs')
      .select(['seq', 'text'])
      .where('tenantId', '=', scope.tenantId)
      .where('buildId', '=', buildId)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .execute();
  }

  async lastLogSeq(scope: TenantScope, buildId: string): Promise<number> {
    const row = await scope.trx
      .selectFrom('buildLogs')
      .select(sql<number>`coalesce(max(seq), -1)`.as('seq'))
      .where('tenantId', '=', scope.tenantId)
      .where('buildId', '=', buildId)
      .executeTakeFirstOrThrow();
    return Number(row.seq);
  }

  async putUpload(scope: TenantScope, buildId: string, archive: Buffer): Promise<void> {
    await scope.trx.insertInto('buildUploads').values({ tenantId: scope.tenantId, buildId, archive }).execute();
  }

  async upload(scope: TenantScope, buildId: string): Promise<Buffer | undefined> {
    const row = await scope.trx
      .selectFrom('buildUploads')
      .select('archive')
      .where('tenantId', '=', scope.tenantId)
      .where('buildId', '=', buildId)
      .executeTakeFirst();
    return row?.archive;
  }

  async dropUpload(scope: TenantScope, buildId: string): Promise<void> {
    await scope.trx.deleteFrom('buildUploads').where('tenantId', '=', scope.tenantId).where('buildId', '=', buildId).execute();
  }

  /** Records a webhook delivery; false when the app has seen this delivery id before (a replay). */
  async recordDelivery(scope: TenantScope, appId: string, deliveryId: string): Promise<boolean> {
    const row = await scope.trx
      .insertInto('webhookDeliveries')
      .values({ tenantId: scope.tenantId, appId, deliveryId })
      .onConflict((oc) => oc.columns(['tenantId', 'appId', 'deliveryId']).doNothing())
      .returning('deliveryId')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Builds of every tenant still queued after `olderThanMs` (their job may never have reached the queue). */
  async staleQueued(scope: PlatformScope, olderThanMs: number): Promise<Pick<BuildRow, 'tenantId' | 'id' | 'region'>[]> {
    return scope.trx
      .selectFrom('builds')
      .select(['tenantId', 'id', 'region'])
      .where('status', '=', 'queued')
      .where('createdAt', '<', new Date(Date.now() - olderThanMs))
      .orderBy('createdAt')
      .limit(1000)
      .execute();
  }
}
