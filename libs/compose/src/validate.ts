import type { Report } from './report.js';
import { type ObjectShape, SERVICE, type Shape, TOP } from './spec-keys.js';
import { suggestion } from './suggest.js';
import { childPath, isMap, isSeq, type YMap, type YValue } from './tree.js';
import { parseBytes, parseDuration } from './units.js';
import { asBool, asNumber, quote } from './values.js';

/*
 * Keys and types against the Compose Specification: an unknown key is an `unknown-key` error at the key (with a
 * suggestion), a value of the wrong type a `type` error saying what was expected, a number out of its bounds a
 * `range` error. Only the services that take part are checked (a service of an inactive profile may well be for
 * another tool).
 */

export function validateDocument(root: YMap, active: readonly string[], report: Report): void {
  checkObject(root, TOP, '', report, new Set(['services']));
  const services = root.get('services');
  if (services === undefined) {
    report.error('type', '', 'the file has no "services": a compose file needs at least one service');
    return;
  }
  if (!isMap(services)) {
    report.error('type', 'services', `services: expected a mapping of service names to services, got ${describeValue(services)}`);
    return;
  }
  if (services.size === 0) report.error('type', 'services', 'services: the file defines no service');
  for (const name of active) {
    const path = childPath('services', name);
    if (!/^[a-zA-Z0-9._-]+$/.test(name)) {
      report.error('type', path, `${path}: "${name}" is not a service name: letters, digits, ".", "_" and "-" only`);
    }
    checkShape(services.get(name) ?? null, SERVICE, path, report);
  }
}

/** Checks `value` against `shape`, reporting at `path`. */
export function checkShape(value: YValue, shape: Shape, path: string, report: Report): void {
  switch (shape.kind) {
    case 'any':
      return;
    case 'object':
      if (isMap(value)) checkObject(value, shape, path, report);
      else mismatch(value, shape, path, report);
      return;
    case 'list':
      if (!isSeq(value)) mismatch(value, shape, path, report);
      else for (const [i, item] of value.entries()) checkShape(item, shape.of, childPath(path, i), report);
      return;
    case 'dict':
      if (!isMap(value)) mismatch(value, shape, path, report);
      else for (const [k, v] of value) checkShape(v, shape.of, childPath(path, k), report);
      return;
    case 'either': {
      const fitting = shape.of.filter((s) => fits(value, s));
      if (fitting.length === 0) {
        mismatch(value, shape, path, report);
        return;
      }
      // several scalar shapes may fit a scalar: it is fine if any accepts it
      const first = fitting[0] as Shape;
      if (fitting.length > 1 && fitting.some((s) => scalarProblem(value, s) === undefined)) return;
      checkShape(value, first, path, report);
      return;
    }
    default: {
      const problem = scalarProblem(value, shape);
      if (problem) report.error(problem.code, path, `${path}: ${problem.message}`);
    }
  }
}

function checkObject(value: YMap, shape: ObjectShape, path: string, report: Report, skip = new Set<string>()): void {
  const known = Object.keys(shape.keys);
  for (const [key, v] of value) {
    const keyPath = childPath(path, key);
    const keyShape = Object.hasOwn(shape.keys, key) ? shape.keys[key] : undefined;
    if (keyShape !== undefined) {
      if (!skip.has(key)) checkShape(v, keyShape, keyPath, report);
    } else if (shape.wharf && key.startsWith('x-wharf-')) {
      const wharfShape = Object.hasOwn(shape.wharf, key) ? shape.wharf[key] : undefined;
      if (wharfShape) checkShape(v, wharfShape, keyPath, report);
      else report.error('unknown-key', keyPath, `"${key}" is not a Wharf extension${suggestion(key, Object.keys(shape.wharf))}`);
    } else if (!(shape.extensions && key.startsWith('x-'))) {
      const hint = suggestion(key, known);
      const valid = hint === '' && known.length <= 12 ? `; valid keys here: ${known.join(', ')}` : '';
      report.error('unknown-key', keyPath, `"${key}" is not a compose key here${hint}${valid}`);
    }
  }
  for (const key of shape.required ?? []) {
    if (!value.has(key)) report.error('type', path, `${path || 'the file'}: "${key}" is required here`);
  }
}

/** Whether the value has the JSON type the shape is about (a mapping for an object, a list for a list…). */
function fits(value: YValue, shape: Shape): boolean {
  switch (shape.kind) {
    case 'any':
      return true;
    case 'null':
      return value === null;
    case 'object':
    case 'dict':
      return isMap(value);
    case 'list':
      return isSeq(value);
    case 'either':
      return shape.of.some((s) => fits(value, s));
    default:
      return value !== null && !isMap(value) && !isSeq(value);
  }
}

type Problem = { code: 'type' | 'range'; message: string } | undefined;

function scalarProblem(value: YValue, shape: Shape): Problem {
  const expected = (): Problem => ({ code: 'type', message: `expected ${describe(shape)}, got ${describeValue(value)}` });
  if (value === null || isMap(value) || isSeq(value)) return shape.kind === 'null' && value === null ? undefined : expected();
  switch (shape.kind) {
    case 'string':
      return undefined;
    case 'boolean':
      return asBool(value) === undefined ? expected() : undefined;
    case 'number':
    case 'integer': {
      const n = asNumber(value);
      if (n === undefined || (shape.kind === 'integer' && !Number.isInteger(n))) return expected();
      if ((shape.min !== undefined && n < shape.min) || (shape.max !== undefined && n > shape.max)) {
        return { code: 'range', message: `${n} is out of range; expected ${bounds(shape.min, shape.max)}` };
      }
      return undefined;
    }
    case 'duration':
      if (value === 0) return undefined;
      return typeof value === 'string' && parseDuration(value) !== undefined ? undefined : expected();
    case 'bytes':
      return (typeof value === 'string' || typeof value === 'number') && parseBytes(value) !== undefined ? undefined : expected();
    case 'enum': {
      const s = String(value);
      if (shape.values.includes(s)) return undefined;
      return {
        code: 'type',
        message: `${quote(s)} is not one of ${shape.values.map((v) => `"${v}"`).join(', ')}${suggestion(s, shape.values)}`,
      };
    }
    default:
      return expected();
  }
}

function bounds(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `${min} to ${max}`;
  return min !== undefined ? `at least ${min}` : `at most ${max}`;
}

function mismatch(value: YValue, shape: Shape, path: string, report: Report): void {
  report.error('type', path, `${path}: expected ${describe(shape)}, got ${describeValue(value)}`);
}

/** What a shape expects, for messages: `a list of strings`, `a duration such as 10s or 1m30s`, … */
export function describe(shape: Shape): string {
  switch (shape.kind) {
    case 'any':
      return 'any value';
    case 'null':
      return 'nothing';
    case 'string':
      return 'a string';
    case 'number':
      return shape.min === 0 ? 'a number of at least 0' : 'a number';
    case 'integer':
      return 'an integer';
    case 'boolean':
      return 'true or false';
    case 'duration':
      return 'a duration such as 10s or 1m30s';
    case 'bytes':
      return 'a size such as 512m or 1g';
    case 'enum':
      return `one of ${shape.values.map((v) => `"${v}"`).join(', ')}`;
    case 'list':
      return `a list of ${plural(shape.of)}`;
    case 'dict':
    case 'object':
      return 'a mapping';
    case 'either': {
      const parts = [...new Set(shape.of.filter((s) => s.kind !== 'null').map(describe))];
      return parts.length <= 1 ? (parts[0] ?? 'nothing') : `${parts.slice(0, -1).join(', ')} or ${parts.at(-1)}`;
    }
  }
}

function plural(shape: Shape): string {
  switch (shape.kind) {
    case 'string':
      return 'strings';
    case 'integer':
    case 'number':
      return 'numbers';
    case 'object':
    case 'dict':
      return 'mappings';
    case 'either':
      return [...new Set(shape.of.map(plural))].join(' or ');
    default:
      return 'values';
  }
}

export function describeValue(value: YValue): string {
  if (value === null) return 'nothing (an empty value)';
  if (isMap(value)) return 'a mapping';
  if (isSeq(value)) return 'a list';
  if (typeof value === 'string') return `the string ${quote(value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  return `${value}`;
}
