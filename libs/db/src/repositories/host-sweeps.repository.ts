import type { SweptRegion } from '@wharf/contracts';
import type { Selectable } from 'kysely';
import type { PlatformScope } from '../database.js';
import { afterCursor, decodeCursor, toPage } from '../pagination.js';
import type { HostSweepsTable } from '../schema-hosts.js';

export type HostSweepRow = Selectable<HostSweepsTable>;
export type NewHostSweep = Omit<HostSweepRow, 'id'>;

/** Reports older than this are dropped when a new one is recorded (a sweep runs every few minutes). */
const KEEP_DAYS = 30;

/** The leak sweep's reports: platform data (row-level security admits the platform scope only). */
export class HostSweepsRepository {
  /** Records a sweep, and drops the reports older than the retention. */
  async record(scope: PlatformScope, sweep: NewHostSweep): Promise<HostSweepRow> {
    await scope.trx
      .deleteFrom('hostSweeps')
      .where('startedAt', '<', new Date(Date.now() - KEEP_DAYS * 86_400_000))
      .execute();
    return scope.trx
      .insertInto('hostSweeps')
      .values({ ...sweep, regions: JSON.stringify(sweep.regions satisfies SweptRegion[]) })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** The sweeps, newest first. */
  async list(scope: PlatformScope, page: { limit: number; cursor?: string | undefined }) {
    const after = decodeCursor(page.cursor);
    let q = scope.trx
      .selectFrom('hostSweeps')
      .selectAll()
      .orderBy('startedAt', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit + 1);
    if (after) q = q.where(afterCursor('startedAt', 'id', after, 'desc'));
    return toPage(await q.execute(), page.limit, (r) => ({ at: r.startedAt, id: r.id }));
  }
}
