import type { ColumnType } from 'kysely';
import type { TenantId } from './schema.js';

/** A service's CPU and memory on one engine at one time, as its agent sampled them (see the migration). */
export interface ServiceStatsTable {
  tenantId: TenantId;
  appId: string;
  environment: string;
  service: string;
  /** The Swarm node id of the engine the figures are from. */
  node: string;
  at: ColumnType<Date, Date | undefined, never>;
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  tasks: number;
}

export interface StatsTables {
  serviceStats: ServiceStatsTable;
}
