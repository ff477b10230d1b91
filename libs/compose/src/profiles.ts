import type { Report } from './report.js';
import { childPath, isMap, isSeq, type YMap } from './tree.js';
import type { CompileOptions } from './types.js';
import { asBool, asMap, asString, stringList } from './values.js';

/*
 * Which services take part: a service with `profiles` only when one of them is active (`options.profiles` and
 * `COMPOSE_PROFILES`; `*` activates all), a service without always. The test service (`x-wharf-test: true`, or a
 * service in the `test` profile) takes part in the `test` stage only, whatever the active profiles.
 */

export const TEST_PROFILE = 'test';

export interface Selection {
  /** Names of the services that take part, in file order. */
  active: string[];
  /** The test service, when the file has one. */
  test?: string;
}

export function activeProfiles(options: CompileOptions): Set<string> {
  const out = new Set(options.profiles ?? []);
  for (const p of (options.variables?.COMPOSE_PROFILES ?? '').split(',')) {
    if (p.trim() !== '') out.add(p.trim());
  }
  return out;
}

export function selectServices(services: YMap, options: CompileOptions, report: Report): Selection {
  const profiles = activeProfiles(options);
  const stage = options.stage ?? 'deploy';
  const tests: string[] = [];
  const why = new Map<string, string>();
  const active: string[] = [];
  for (const [name, service] of services) {
    if (!isMap(service)) {
      active.push(name); // validation reports it
      continue;
    }
    const own = stringList(service.get('profiles'), '').map((p) => p.value);
    if (asBool(service.get('x-wharf-test')) === true || own.includes(TEST_PROFILE)) {
      tests.push(name);
      if (tests.length > 1) {
        report.error(
          'reference',
          childPath('services', name),
          `services.${name}: only one test service is allowed, and "${tests[0]}" is already one (x-wharf-test: true or profile "${TEST_PROFILE}")`,
        );
        why.set(name, 'a second test service');
      } else if (stage === 'test') {
        active.push(name);
      } else {
        why.set(name, 'the test service, which runs in the test stage only');
      }
      continue;
    }
    if (own.length === 0 || profiles.has('*') || own.some((p) => profiles.has(p))) active.push(name);
    else why.set(name, `not active (its profiles: ${own.join(', ')}; active profiles: ${[...profiles].join(', ') || 'none'})`);
  }
  checkReferences(services, active, why, report);
  return { active, ...(tests[0] !== undefined ? { test: tests[0] } : {}) };
}

/** An active service that needs a service that does not take part is an error naming both. */
function checkReferences(services: YMap, active: readonly string[], why: ReadonlyMap<string, string>, report: Report): void {
  for (const name of active) {
    const service = asMap(services.get(name));
    if (!service) continue;
    const base = childPath('services', name);
    const needs: { target: string; path: string; required: boolean }[] = [];
    const deps = service.get('depends_on');
    if (isSeq(deps)) {
      for (const d of stringList(deps, childPath(base, 'depends_on')))
        needs.push({ target: d.value, path: d.path, required: true });
    } else if (isMap(deps)) {
      for (const [target, spec] of deps) {
        const required = asBool(asMap(spec)?.get('required')) ?? true;
        needs.push({ target, path: childPath(childPath(base, 'depends_on'), target), required });
      }
    }
    for (const link of stringList(service.get('links'), childPath(base, 'links'))) {
      needs.push({ target: link.value.split(':')[0] ?? '', path: link.path, required: true });
    }
    const mode = asString(service.get('network_mode'));
    if (mode?.startsWith('service:')) {
      needs.push({ target: mode.slice('service:'.length), path: childPath(base, 'network_mode'), required: true });
    }
    for (const need of needs) {
      const reason = why.get(need.target);
      if (reason === undefined || !need.required) continue;
      report.error('reference', need.path, `${need.path}: "${name}" needs "${need.target}", which is ${reason}`);
    }
  }
}
