import { adminRoutes, HostSweep } from '@wharf/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup, startTestApp, type TestApp } from '../../../../tests/support/app.js';
import { platformAdmin } from '../security/fixtures.js';

/** The leak sweeps' reports, as platform admins read them (the sweep itself: apps/worker/src/hosts/host-sweep*). */

let t: TestApp;
let admin: Account;
beforeAll(async () => {
  t = await startTestApp();
  admin = await platformAdmin(t);
});
afterAll(() => t?.close());

const REGION = {
  provider: 'local',
  cloudAccountId: null,
  tenantId: null,
  region: 'local',
  seen: 2,
  deleted: [{ machineId: 'local-0123456789', hostId: '3f0c9b1e-0000-4000-8000-000000000000', reason: 'unknown-host' }],
  errors: [],
};

describe('GET /admin/host-sweeps', () => {
  it('lists the sweeps newest first, a page at a time; only platform admins may', async () => {
    for (const minutes of [30, 20, 10]) {
      await t.owner.query(
        `insert into host_sweeps (started_at, finished_at, regions_swept, machines_seen, machines_deleted, errors, regions)
         values (now() - make_interval(mins => $1), now() - make_interval(mins => $1) + interval '3 seconds', 4, 2, 1, 0, $2)`,
        [minutes, JSON.stringify([REGION])],
      );
    }
    const first = await t.call(adminRoutes.listHostSweeps, { token: admin.accessToken, query: { limit: 2 } });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.items).toHaveLength(2);
    for (const sweep of first.body.items) expect(HostSweep.parse(sweep)).toEqual(sweep);
    expect(first.body.items[0]).toMatchObject({
      regionsSwept: 4,
      machinesSeen: 2,
      machinesDeleted: 1,
      errors: 0,
      regions: [REGION],
    });
    const second = await t.call(adminRoutes.listHostSweeps, {
      token: admin.accessToken,
      query: { limit: 2, cursor: first.body.nextCursor },
    });
    expect(second.body).toMatchObject({ items: [expect.any(Object)], nextCursor: null });
    const started = [...first.body.items, ...second.body.items].map((s: HostSweep) => s.startedAt);
    expect(started).toEqual([...started].sort().reverse());

    const user = await signup(t);
    expect((await t.call(adminRoutes.listHostSweeps, { token: user.accessToken })).status).toBe(403);
  });
});
