import type { SweptRegion } from '@wharf/contracts';
import {
  CloudAccountsRepository,
  type Database,
  type HostSweepRow,
  HostSweepsRepository,
  HostsRepository,
  type TenantId,
} from '@wharf/db';
import type { Logger } from 'pino';
import type { SweepProviders } from './host-machines.js';
import { errorMessage, type HostLookup, regionReport, sweepTarget } from './host-sweep.js';

/** Accounts read from the database at a time. */
const ACCOUNTS_PAGE = 200;

/**
 * `host.sweep` (scheduled, every HOSTS_SWEEP_INTERVAL_MS): lists the machines carrying Wharf's tags on the worker's
 * local provider and in every region of every connected cloud account (all tenants), terminates those no live host
 * of the database owns (`leakReason`), and records and logs what it did. What cannot be listed is reported, and
 * nothing of it is deleted; a delete the provider refuses is reported and tried again by the next sweep.
 */
export class HostSweepProcessor {
  private readonly hosts = new HostsRepository();
  private readonly accounts = new CloudAccountsRepository();
  private readonly sweeps = new HostSweepsRepository();

  constructor(
    private readonly db: Database,
    private readonly machines: SweepProviders,
    private readonly log: Logger,
  ) {}

  async sweep(): Promise<HostSweepRow> {
    const startedAt = new Date();
    const lookup: HostLookup = (ids) => this.db.withPlatform((p) => this.hosts.sweepLookup(p, ids));
    const regions: SweptRegion[] = [];
    const local = { kind: 'local', cloudAccountId: null, tenantId: null } as const;
    try {
      regions.push(...(await sweepTarget({ ...local, provider: this.machines.localProvider(), identity: null }, lookup)));
    } catch (err) {
      regions.push(regionReport(local, '*', [errorMessage(err)]));
    }
    for (let page = await this.accountPage(); page.length > 0; page = await this.accountPage(page.at(-1))) {
      for (const account of page) regions.push(...(await this.sweepAccount(account, lookup)));
    }
    const kept = regions.filter((r) => r.seen > 0 || r.errors.length > 0);
    // logged before the report is stored: a terminated machine is told even if the database refuses the report
    for (const r of kept) {
      const where = { provider: r.provider, cloudAccountId: r.cloudAccountId, tenantId: r.tenantId, region: r.region };
      for (const d of r.deleted) this.log.warn({ ...where, ...d }, 'leaked machine terminated');
      for (const error of r.errors) this.log.warn({ ...where, error }, 'leak sweep: region not swept in full');
    }
    const row = await this.db.withPlatform((p) =>
      this.sweeps.record(p, {
        startedAt,
        finishedAt: new Date(),
        regionsSwept: regions.length,
        machinesSeen: sum(regions, (r) => r.seen),
        machinesDeleted: sum(regions, (r) => r.deleted.length),
        errors: sum(regions, (r) => r.errors.length),
        regions: kept,
      }),
    );
    const { regionsSwept, machinesSeen, machinesDeleted, errors } = row;
    this.log.info({ sweepId: row.id, regionsSwept, machinesSeen, machinesDeleted, errors }, 'leak sweep done');
    return row;
  }

  private accountPage(after?: { tenantId: string; id: string }) {
    return this.db.withPlatform((p) => this.accounts.sweepPage(p, ACCOUNTS_PAGE, after));
  }

  private async sweepAccount(
    account: { tenantId: TenantId; id: string; provider: 'aws' | 'aliyun'; identityAccount: string },
    lookup: HostLookup,
  ): Promise<SweptRegion[]> {
    const ref = { kind: account.provider, cloudAccountId: account.id, tenantId: account.tenantId };
    try {
      // the account's secret is opened under its own tenant's scope
      const provider = await this.db.withTenant(account.tenantId, null, (s) => this.machines.accountProvider(s, account.id));
      if (!provider) return []; // removed since the page was read
      return await sweepTarget({ ...ref, provider, identity: account.identityAccount }, lookup);
    } catch (err) {
      return [regionReport(ref, '*', [errorMessage(err)])];
    }
  }
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((n, item) => n + of(item), 0);
}
