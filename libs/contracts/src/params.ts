import { z } from 'zod';
import { Slug, TenantRef, Uuid } from './common.js';

/* Path and query parameters shared by the app, stack and build contracts. */

/** An environment's name: a DNS label of up to 32 characters (it becomes part of engine names and host names). */
export const EnvironmentName = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[a-z](?:[a-z0-9-]*[a-z0-9])?$/, 'lowercase letters, digits and hyphens, starting with a letter')
  .refine((s) => !s.includes('--'), 'must not contain "--"')
  .refine((s) => !s.startsWith('wharf-'), 'names starting with "wharf-" are reserved (integration tests run there)');
export const DEFAULT_ENVIRONMENT = 'production';

export const AppParams = z.strictObject({ tenant: TenantRef, app: z.union([Uuid, Slug]) });
