import type { ServiceForm, StackForm } from './form.schema.js';

/*
 * Comparing forms the way the file sees them: keyed collections (services, environment, depends_on, top-level
 * volumes) are sets, whose order `applyForm` does not change for entries already in the file.
 */

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  return [...keys].every((key) => deepEqual(ra[key], rb[key]));
}

function byKey<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  return [...items].sort((x, y) => (keyOf(x) < keyOf(y) ? -1 : keyOf(x) > keyOf(y) ? 1 : 0));
}

/** A service with its keyed lists in a fixed order. */
export function canonicalService(service: ServiceForm): ServiceForm {
  return {
    ...service,
    environment: byKey(service.environment, (e) => e.key),
    dependsOn: byKey(service.dependsOn, (d) => d.service),
  };
}

export function canonicalForm(form: StackForm): StackForm {
  return {
    services: byKey(form.services, (s) => s.name).map(canonicalService),
    volumes: byKey(form.volumes, (v) => v),
  };
}

export function sameService(a: ServiceForm, b: ServiceForm): boolean {
  return deepEqual(canonicalService(a), canonicalService(b));
}

/** Whether two forms describe the same stack (keyed collections compared as sets). */
export function sameForm(a: StackForm, b: StackForm): boolean {
  return deepEqual(canonicalForm(a), canonicalForm(b));
}
