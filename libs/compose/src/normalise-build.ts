import { at, type ServiceContext } from './normalise-context.js';
import { isMap } from './tree.js';
import { asString, listOrDict, quote } from './values.js';

/** A service's `build:`, as a builder needs it. Paths are relative to the repository root (the compose file's). */
export interface ServiceBuild {
  context: string;
  /** Relative to the context (compose's meaning); default `Dockerfile`. */
  dockerfile?: string;
  dockerfileInline?: string;
  target?: string;
  args: Record<string, string>;
}

const USED = new Set(['context', 'dockerfile', 'dockerfile_inline', 'target', 'args']);

/** The image a service that builds runs until a build gave it one: a deployment never gets this far without it. */
export function pendingBuildImage(service: string): string {
  return `wharf.invalid/build/${service}:pending`;
}

/**
 * `build: ./dir` or `build: {context, dockerfile, dockerfile_inline, target, args}` → ServiceBuild. The context must
 * be a directory of the app's repository (no URLs, no absolute paths, nothing above the root); the build keys the
 * builders do not use are reported as ignored.
 */
export function serviceBuild(ctx: ServiceContext): ServiceBuild | undefined {
  const raw = ctx.service.get('build');
  if (raw === undefined || raw === null) return undefined;
  const path = at(ctx, 'build');
  if (!isMap(raw)) {
    const context = asString(raw);
    return context === undefined ? undefined : checkContext(ctx, context, path) ? { context, args: {} } : undefined;
  }
  for (const key of raw.keys()) {
    if (!USED.has(key))
      ctx.report.warn('ignored', at(ctx, 'build', key), `${at(ctx, 'build', key)} is ignored by Wharf's builders`);
  }
  const context = asString(raw.get('context')) ?? '.';
  if (!checkContext(ctx, context, at(ctx, 'build', 'context'))) return undefined;
  const build: ServiceBuild = { context, args: {} };
  const dockerfile = asString(raw.get('dockerfile'));
  if (dockerfile !== undefined) build.dockerfile = dockerfile;
  const inline = asString(raw.get('dockerfile_inline'));
  if (inline !== undefined) build.dockerfileInline = inline;
  const target = asString(raw.get('target'));
  if (target !== undefined) build.target = target;
  for (const e of listOrDict(raw.get('args'), at(ctx, 'build', 'args'))) {
    const value = e.value ?? (Object.hasOwn(ctx.variables, e.key) ? ctx.variables[e.key] : undefined);
    if (value === undefined) {
      ctx.report.warn(
        'interpolation',
        e.path,
        `${e.path}: ${e.key} has no value and the environment has no variable ${e.key}; left out`,
      );
    } else build.args[e.key] = value;
  }
  return build;
}

function checkContext(ctx: ServiceContext, context: string, path: string): boolean {
  const parts = context.split('/');
  if (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(context) ||
    /^[^/]+@[^/]+:/.test(context) ||
    context.startsWith('/') ||
    parts.includes('..')
  ) {
    ctx.report.error(
      'unsupported',
      path,
      `${path}: ${quote(context)} is not a directory of the app's repository: Wharf builds from the app's git source`,
    );
    return false;
  }
  return true;
}
