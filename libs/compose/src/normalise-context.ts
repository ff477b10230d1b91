import type { ClusterPolicy } from './policy.js';
import type { Report } from './report.js';
import { childPath, type YMap, type YValue } from './tree.js';
import { formatDuration, parseDuration } from './units.js';
import { asString } from './values.js';

/*
 * What the normalisers of one service share: the service, where it is, where issues go, and where each engine
 * field comes from.
 */

export interface ServiceContext {
  readonly name: string;
  readonly service: YMap;
  /** The service's path: `services.web`. */
  readonly base: string;
  readonly report: Report;
  readonly variables: Readonly<Record<string, string>>;
  readonly cluster: ClusterPolicy | undefined;
  /** The images builds made for services that build (service → `image@digest`). */
  readonly builtImages: Readonly<Record<string, string>>;
  /** Records that the engine field `field` (relative to the service, `ports.0`) comes from compose path `path`. */
  origin(field: string, path: string): void;
}

/** The path of a key (or nested keys) of the service: `at(ctx, 'deploy', 'replicas')`. */
export const at = (ctx: ServiceContext, ...keys: string[]): string => keys.reduce<string>((p, k) => childPath(p, k), ctx.base);

export const HOUR = 3_600_000;

export interface Timing {
  min?: number;
  max: number;
  what: string;
}

/** A duration in whole milliseconds, with its bounds checked (`range` error). */
export function durationMs(v: YValue | undefined, path: string, report: Report, bounds: Timing): number | undefined {
  const text = asString(v);
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined) return undefined; // validation reported it
  const rounded = Math.round(ms);
  if (bounds.min !== undefined && rounded < bounds.min) {
    report.error('range', path, `${path}: ${text} is too short; ${bounds.what} is at least ${formatDuration(bounds.min)}`);
    return undefined;
  }
  if (rounded > bounds.max) {
    report.error('range', path, `${path}: ${text} is too long; ${bounds.what} is at most ${formatDuration(bounds.max)}`);
    return undefined;
  }
  return rounded;
}
