import type { z } from 'zod';
import type { Report } from './report.js';
import { isScalar } from './tree.js';
import { quote } from './values.js';

/*
 * What the engine model still refuses after normalisation (a reserved label, an image reference it cannot parse, a
 * value past its bounds), reported at the compose path the refused field came from. An issue at or below a path
 * that already has an error is left out: it is the same problem seen twice.
 */

type Issue = z.core.$ZodIssue;

/** Engine refinements the dependency graph reports as cycles already. */
const GRAPH_REPORTS = ['dependency cycle', 'a service cannot depend on itself'];

const CONSTRAINT_HINT =
  'use node.id, node.hostname, node.role, node.platform.os, node.platform.arch, node.labels.<name> or engine.labels.<name> with == or !=';

export function reportEngineIssues(
  issues: readonly Issue[],
  origins: ReadonlyMap<string, string>,
  input: unknown,
  report: Report,
): void {
  for (const issue of issues) {
    if (issue.code === 'custom' && GRAPH_REPORTS.some((m) => issue.message.startsWith(m))) continue;
    const path = issue.path.map(String);
    const composePath = origin(path, origins);
    if (report.coveredByError(composePath)) continue;
    // "at least one service" says nothing new when the services are refused for reasons of their own
    if (issue.code === 'too_small' && path.length === 1 && report.failed) continue;
    const value = valueAt(input, issue.path);
    const got = isScalar(value) && value !== null && issue.code !== 'invalid_key' ? ` (got ${quote(value)})` : '';
    const { code, message } = describe(issue, path, value);
    report.error(code, composePath, `${composePath}: ${message}${got}`);
  }
}

/** The compose path of the longest prefix of an engine path that has one. */
function origin(path: readonly string[], origins: ReadonlyMap<string, string>): string {
  for (let k = path.length; k > 0; k--) {
    const found = origins.get(path.slice(0, k).join('.'));
    if (found !== undefined) return found;
  }
  return path[0] === 'services' ? 'services' : '';
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

function describe(
  issue: Issue,
  path: readonly string[],
  value: unknown,
): { code: 'type' | 'range' | 'reference'; message: string } {
  const field = path.at(-1) ?? '';
  switch (issue.code) {
    case 'invalid_key': {
      const inner = issue.issues[0]?.message ?? 'not a valid key';
      return { code: 'type', message: `${quote(field)} is not accepted as a key: ${inner}` };
    }
    case 'too_big':
    case 'too_small': {
      const limit = Number(issue.code === 'too_big' ? issue.maximum : issue.minimum);
      const bound = issue.code === 'too_big' ? `at most ${limit}` : `at least ${limit}`;
      if (Array.isArray(value)) {
        const noun = Object.hasOwn(LIST_NOUNS, field) ? LIST_NOUNS[field] : field || 'entries';
        return { code: 'range', message: `${bound} ${noun} (got ${value.length})` };
      }
      const unit = issue.origin === 'string' ? (limit === 1 ? ' character' : ' characters') : '';
      return { code: 'range', message: `${fieldName(path)} must be ${bound}${unit}` };
    }
    case 'custom':
      if (issue.message.startsWith('unknown ')) return { code: 'reference', message: issue.message };
      return { code: 'type', message: issue.message };
    case 'invalid_format': {
      const hint = path.includes('constraints') ? `; ${CONSTRAINT_HINT}` : '';
      return { code: 'type', message: `${issue.message}${hint}` };
    }
    default:
      return { code: 'type', message: issue.message };
  }
}

const FIELD_NAMES: Record<string, string> = {
  cpuMillis: 'the CPU amount (in thousandths of a CPU)',
  memoryMiB: 'the memory (in MiB)',
  pids: 'the PIDs limit',
  replicas: 'the number of replicas',
  containerPort: 'a port',
};

const LIST_NOUNS: Record<string, string> = {
  command: 'arguments',
  entrypoint: 'arguments',
  dependsOn: 'dependencies',
  extraHosts: 'extra hosts',
  capAdd: 'capabilities',
  capDrop: 'capabilities',
  bindMounts: 'bind mounts',
  tmpfs: 'tmpfs mounts',
};

function fieldName(path: readonly string[]): string {
  const field = path.at(-1) ?? '';
  if (Object.hasOwn(FIELD_NAMES, field)) return FIELD_NAMES[field] ?? field;
  return field === '' ? 'the value' : field;
}
