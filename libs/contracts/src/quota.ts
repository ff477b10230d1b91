/**
 * Every quota Wharf admits against. A limit is a non-negative integer; usage is computed from the
 * tables at admission time. Keys are persisted in plans and overrides: renaming one is a migration.
 */
export const QUOTA_KEYS = [
  'members',
  'apiTokens',
  'services',
  'cpuMillis',
  'memoryMiB',
  'volumeGiB',
  'concurrentBuilds',
  'concurrentDeploys',
  'buildMinutesPerMonth',
  'dedicatedHosts',
  'hostVcpus',
  'clusters',
] as const;
export type QuotaKey = (typeof QUOTA_KEYS)[number];
export type QuotaLimits = Record<QuotaKey, number>;

export const QUOTA_DESCRIPTIONS: Record<QuotaKey, { label: string; unit: string }> = {
  members: { label: 'Members (seats)', unit: 'seats' },
  apiTokens: { label: 'Active API tokens', unit: 'tokens' },
  services: { label: 'Services', unit: 'services' },
  cpuMillis: { label: 'CPU', unit: 'millicores' },
  memoryMiB: { label: 'Memory', unit: 'MiB' },
  volumeGiB: { label: 'Volumes', unit: 'GiB' },
  concurrentBuilds: { label: 'Concurrent builds', unit: 'builds' },
  concurrentDeploys: { label: 'Concurrent deploys', unit: 'deploys' },
  buildMinutesPerMonth: { label: 'Build minutes this month', unit: 'minutes' },
  dedicatedHosts: { label: 'Dedicated hosts', unit: 'hosts' },
  hostVcpus: { label: 'vCPUs of dedicated hosts', unit: 'vCPUs' },
  clusters: { label: 'Dedicated clusters', unit: 'clusters' },
};

export const PLAN_IDS = ['free', 'team', 'business'] as const;
export type PlanId = (typeof PLAN_IDS)[number];

/** Seeded plans. `free` follows the free tier of the early Docker clouds. */
export const SEEDED_PLANS: Record<PlanId, { name: string; limits: QuotaLimits }> = {
  free: {
    name: 'Free',
    limits: {
      members: 3,
      apiTokens: 5,
      services: 4,
      cpuMillis: 2_000,
      memoryMiB: 4_096,
      volumeGiB: 5,
      concurrentBuilds: 1,
      concurrentDeploys: 1,
      buildMinutesPerMonth: 300,
      dedicatedHosts: 0,
      hostVcpus: 0,
      clusters: 0,
    },
  },
  team: {
    name: 'Team',
    limits: {
      members: 25,
      apiTokens: 50,
      services: 50,
      cpuMillis: 32_000,
      memoryMiB: 65_536,
      volumeGiB: 200,
      concurrentBuilds: 4,
      concurrentDeploys: 4,
      buildMinutesPerMonth: 3_000,
      dedicatedHosts: 20,
      hostVcpus: 160,
      clusters: 5,
    },
  },
  business: {
    name: 'Business',
    limits: {
      members: 250,
      apiTokens: 500,
      services: 500,
      cpuMillis: 256_000,
      memoryMiB: 524_288,
      volumeGiB: 2_000,
      concurrentBuilds: 16,
      concurrentDeploys: 16,
      buildMinutesPerMonth: 30_000,
      dedicatedHosts: 200,
      hostVcpus: 1_600,
      clusters: 50,
    },
  },
};
