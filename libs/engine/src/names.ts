import { createHash } from 'node:crypto';
import { DnsLabel, ObjectName } from './service-parts.js';

/*
 * Deterministic engine object names. The agent finds objects by label, but names are what the engine keeps
 * unique, so two different (tenant, app, environment, object) must never get the same name, and the same one must
 * always get the same name (a retried deploy finds what the first attempt made).
 *
 * Readable form: `<tenant key>--<app>--<environment>[--<more>]`, where the tenant key is the tenant id's 128 bits
 * in base 36 (25 characters) and no part contains `--`, so the form is injective. Every kind has a fixed number
 * of parts (at least three), so its readable names contain at least two `--`.
 * When that is longer than 63 characters: `<readable prefix>--<20 hex of SHA-256 over all parts>`, which contains
 * exactly one `--` and so never equals a readable name; two hashed names collide only with an 80-bit hash collision.
 * Changing this scheme renames (and so strands) every object already on an engine.
 */

export const MAX_NAME_LENGTH = 63;
const HASH_HEX = 20;

/** Which environment of which app of which tenant. */
export interface EnvironmentRef {
  /** The tenant's id (a UUID), not its slug: slugs can change, names must not. */
  tenantId: string;
  /** App slug. */
  app: string;
  /** Environment slug. */
  environment: string;
}

export class InvalidNameError extends Error {
  override readonly name = 'InvalidNameError';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// App and environment slugs (contracts' Slug may start with a digit) — the part that matters here: no `--`.
const SLUG = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** The tenant id as 25 base-36 characters (injective over UUIDs). */
export function tenantKey(tenantId: string): string {
  if (!UUID.test(tenantId)) throw new InvalidNameError(`tenant id is not a UUID: ${JSON.stringify(tenantId)}`);
  return BigInt(`0x${tenantId.replaceAll('-', '')}`)
    .toString(36)
    .padStart(25, '0');
}

function slug(what: string, value: string): string {
  if (value.length > 63 || !SLUG.test(value) || value.includes('--')) {
    throw new InvalidNameError(`${what} is not a slug: ${JSON.stringify(value)}`);
  }
  return value;
}

function checked(what: string, schema: typeof DnsLabel | typeof ObjectName, value: string): string {
  if (!schema.safeParse(value).success) throw new InvalidNameError(`${what} is not a valid name: ${JSON.stringify(value)}`);
  return value;
}

function build(env: EnvironmentRef, more: string[]): string {
  const parts = [tenantKey(env.tenantId), slug('app', env.app), slug('environment', env.environment), ...more];
  const readable = parts.join('--');
  if (readable.length <= MAX_NAME_LENGTH) return readable;
  const hash = createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, HASH_HEX);
  const prefix = parts
    .slice(1)
    .join('-')
    .slice(0, MAX_NAME_LENGTH - HASH_HEX - 2)
    .replace(/[-_.]+$/, '');
  return `${prefix}--${hash}`;
}

/** Swarm service name (a DNS label, ≤ 63 characters). */
export function serviceName(env: EnvironmentRef, service: string): string {
  return build(env, [checked('service', DnsLabel, service)]);
}

/** The environment's own overlay network, which every service of the environment joins. */
export function environmentNetworkName(env: EnvironmentRef): string {
  return build(env, []);
}

/** Overlay network for a network the stack declares. */
export function stackNetworkName(env: EnvironmentRef, network: string): string {
  return build(env, ['net', checked('network', ObjectName, network)]);
}

/** Engine volume for a named volume of the stack (per environment: staging never mounts production's data). */
export function volumeName(env: EnvironmentRef, volume: string): string {
  return build(env, ['vol', checked('volume', ObjectName, volume)]);
}

/**
 * First 16 hex of SHA-256 over the scope and value. Swarm secrets and configs are immutable, so the name carries
 * the content: a changed value is a new object, and the service update swaps the reference.
 */
export function contentHash(env: EnvironmentRef, kind: 'secret' | 'config', name: string, value: string | Uint8Array): string {
  return createHash('sha256')
    .update(JSON.stringify(['wharf', kind, env.tenantId, env.app, env.environment, name]))
    .update('\0')
    .update(value)
    .digest('hex')
    .slice(0, 16);
}

/** Swarm secret name for the stack secret `name` holding `value`. */
export function secretName(env: EnvironmentRef, name: string, value: string | Uint8Array): string {
  return build(env, ['sec', checked('secret', ObjectName, name), contentHash(env, 'secret', name, value)]);
}

/** Swarm config name for the stack config `name` holding `value`. */
export function configName(env: EnvironmentRef, name: string, value: string | Uint8Array): string {
  return build(env, ['cfg', checked('config', ObjectName, name), contentHash(env, 'config', name, value)]);
}

/**
 * The public host name of a service on its cluster's edge proxy: `<service>.<app>.<tenant slug>.<cluster domain>`.
 * The API shows it as the app's URL and the worker labels the service with it, so both come from here.
 */
export function routeHost(parts: {
  service: string;
  app: string;
  tenantSlug: string;
  domain: string;
  /** Production (the default) has no label of its own; other environments add theirs after the service. */
  environment?: string;
}): string {
  const env = parts.environment && parts.environment !== 'production' ? `.${parts.environment}` : '';
  return `${parts.service}${env}.${parts.app}.${parts.tenantSlug}.${parts.domain}`;
}
