import { z } from 'zod';
import { Timestamp, Uuid } from './common.js';

/*
 * The leak sweep's reports (platform admins only): every so often the host workers list the machines carrying
 * Wharf's tags in each connected cloud account and region (and on the local provider) and terminate those no live
 * host of the database owns.
 */

/**
 * Why the sweep terminated a machine: its `wharf:host` tag names no host (`unknown-host`), a host of another tenant
 * than the tag or the account says (`other-tenant`), or a host that ended (`host-terminated`, `host-failed`).
 */
export const SWEEP_REASONS = ['unknown-host', 'other-tenant', 'host-terminated', 'host-failed'] as const;
export type SweepReason = (typeof SWEEP_REASONS)[number];

export const SweptRegion = z.object({
  provider: z.enum(['local', 'aws', 'aliyun']),
  /** Null for the worker's local provider. */
  cloudAccountId: Uuid.nullable(),
  /** The tenant the account belongs to (null: local). */
  tenantId: Uuid.nullable(),
  /** `*` when the account's regions could not be listed. */
  region: z.string(),
  /** Machines carrying Wharf's tags the listing answered. */
  seen: z.number().int(),
  deleted: z.array(z.object({ machineId: z.string(), hostId: z.string(), reason: z.enum(SWEEP_REASONS) })),
  /** A listing that failed (nothing of the region is deleted then), or deletes the provider refused. */
  errors: z.array(z.string()),
});
export type SweptRegion = z.infer<typeof SweptRegion>;

export const HostSweep = z.object({
  id: Uuid,
  startedAt: Timestamp,
  finishedAt: Timestamp,
  /** Every account and region listed (or tried). */
  regionsSwept: z.number().int(),
  machinesSeen: z.number().int(),
  machinesDeleted: z.number().int(),
  errors: z.number().int(),
  /** The regions where machines were seen or something failed (empty ones are only counted). */
  regions: z.array(SweptRegion),
});
export type HostSweep = z.infer<typeof HostSweep>;
