import { QUOTA_KEYS, QuotaExceededError, type QuotaKey, type QuotaLimits, type QuotaUsage } from '@wharf/contracts';
import type { TenantScope } from './database.js';
import { ApiTokensRepository } from './repositories/api-tokens.repository.js';
import { AppsRepository } from './repositories/apps.repository.js';
import { BuildsRepository } from './repositories/builds.repository.js';
import { ClustersRepository } from './repositories/clusters.repository.js';
import { DeploymentsRepository } from './repositories/deployments.repository.js';
import { HostsRepository } from './repositories/hosts.repository.js';
import { MembershipsRepository } from './repositories/memberships.repository.js';
import { TenantsRepository } from './repositories/tenants.repository.js';

/** Counts a tenant's current use of one quota from the tables, inside the admission transaction. */
export type UsageCounter = (scope: TenantScope) => Promise<number>;

const memberships = new MembershipsRepository();
const apiTokens = new ApiTokensRepository();
const tenants = new TenantsRepository();
const apps = new AppsRepository();
const deployments = new DeploymentsRepository();
const builds = new BuildsRepository();
const hosts = new HostsRepository();
const clusters = new ClustersRepository();
/** Until the feature that consumes a quota exists, nothing can use it. */
const nothingYet: UsageCounter = async () => 0;

const COUNTERS: Record<QuotaKey, UsageCounter> = {
  members: (s) => memberships.count(s),
  apiTokens: (s) => apiTokens.countActive(s),
  services: async (s) => (await apps.usage(s)).services,
  cpuMillis: async (s) => (await apps.usage(s)).cpuMillis,
  memoryMiB: async (s) => (await apps.usage(s)).memoryMiB,
  volumeGiB: nothingYet,
  concurrentBuilds: (s) => builds.countRunning(s),
  concurrentDeploys: (s) => deployments.countActive(s),
  buildMinutesPerMonth: (s) => builds.minutesThisMonth(s),
  dedicatedHosts: async (s) => (await hosts.usage(s)).hosts,
  hostVcpus: async (s) => (await hosts.usage(s)).vcpus,
  clusters: (s) => clusters.countDedicated(s),
};

export interface EffectiveLimits {
  limits: QuotaLimits;
  planLimits: QuotaLimits;
  overridden: Set<QuotaKey>;
}

/** The tenant's plan limits with its admin overrides applied. */
export async function effectiveLimits(scope: TenantScope): Promise<EffectiveLimits> {
  const [plan, overrides] = await Promise.all([
    scope.trx
      .selectFrom('tenants as t')
      .innerJoin('plans as p', 'p.id', 't.planId')
      .select('p.limits')
      .where('t.id', '=', scope.tenantId)
      .executeTakeFirstOrThrow(),
    scope.trx
      .selectFrom('tenantQuotaOverrides')
      .select(['quotaKey', 'limitValue'])
      .where('tenantId', '=', scope.tenantId)
      .execute(),
  ]);
  const planLimits = { ...plan.limits };
  const limits = { ...plan.limits };
  const overridden = new Set<QuotaKey>();
  for (const o of overrides) {
    if ((QUOTA_KEYS as readonly string[]).includes(o.quotaKey)) {
      limits[o.quotaKey as QuotaKey] = Number(o.limitValue);
      overridden.add(o.quotaKey as QuotaKey);
    }
  }
  for (const key of QUOTA_KEYS) {
    planLimits[key] ??= 0;
    limits[key] ??= 0;
  }
  return { limits, planLimits, overridden };
}

/**
 * Quota admission: locks the tenant row (so concurrent admissions for one tenant serialise), counts current use
 * from the tables and refuses with QuotaExceededError when `used + requested > limit`. Call it in the same
 * transaction that records the change, before recording it.
 */
export async function admit(scope: TenantScope, requested: Partial<Record<QuotaKey, number>>): Promise<void> {
  await tenants.lock(scope);
  const { limits } = await effectiveLimits(scope);
  for (const [key, amount] of Object.entries(requested) as [QuotaKey, number][]) {
    if (amount <= 0) continue;
    const used = await COUNTERS[key](scope);
    if (used + amount > limits[key]) throw new QuotaExceededError(key, limits[key], used, amount);
  }
}

/** Every quota's limit and current use. */
export async function usageReport(scope: TenantScope): Promise<QuotaUsage[]> {
  const { limits, planLimits, overridden } = await effectiveLimits(scope);
  const used = await Promise.all(QUOTA_KEYS.map((key) => COUNTERS[key](scope)));
  return QUOTA_KEYS.map((key, i) => ({
    key,
    limit: limits[key],
    used: used[i] ?? 0,
    planLimit: planLimits[key],
    overridden: overridden.has(key),
  }));
}
