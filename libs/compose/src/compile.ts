import { StackSpec } from '@wharf/engine';
import { reportEngineIssues } from './engine-issues.js';
import { resolveExtends } from './extends.js';
import { dependencyGraph, findDependencyCycle } from './graph.js';
import { interpolateDocument } from './interpolate.js';
import { normaliseStack } from './normalise.js';
import { parseYaml } from './parse.js';
import { enforcePolicy } from './policy.js';
import { type Selection, selectServices } from './profiles.js';
import { Report } from './report.js';
import { reportSupport } from './support.js';
import { isMap, SourceMap, type YMap } from './tree.js';
import type { CompiledStack, CompileOptions, CompileResult, ComposeIssue } from './types.js';
import { validateDocument } from './validate.js';

/*
 * compose YAML → Wharf's stack model: size check → parse → interpolate → extends → profiles → validate → policy →
 * normalise → dependency graph → the engine model's own checks. As many problems as possible are collected in one
 * pass; nothing throws (an unexpected exception becomes an `internal` issue: a bug to fix, never the user's fault).
 */

export const DEFAULT_FILE = 'docker-compose.yml';

export function compileCompose(source: string, options: CompileOptions = {}): CompileResult {
  const map = new SourceMap(options.file ?? DEFAULT_FILE);
  const report = new Report(map);
  try {
    const compiled = compile(source, options, map, report);
    if (compiled && !report.failed) return { ok: true, warnings: byPosition(report.warnings), ...compiled };
  } catch (e) {
    internal(report, e);
  }
  return { ok: false, errors: byPosition(report.errors), warnings: byPosition(report.warnings) };
}

function internal(report: Report, e: unknown): void {
  report.errorAt(
    'internal',
    1,
    1,
    `internal error of the compose compiler (a bug, not your file): ${e instanceof Error ? e.message : String(e)}`,
  );
}

/** Issues in the order of the file (stable: issues at one place keep the order they were found in). */
function byPosition(issues: ComposeIssue[]): ComposeIssue[] {
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => a.issue.line - b.issue.line || a.issue.column - b.issue.column || a.i - b.i)
    .map((x) => x.issue);
}

/**
 * The policy violations of a compose file on a cluster (`code: 'policy'` issues), on their own: what
 * `compileCompose` would refuse by policy, without the rest of its checks.
 */
export function checkPolicy(source: string, options: CompileOptions = {}): ComposeIssue[] {
  const map = new SourceMap(options.file ?? DEFAULT_FILE);
  const report = new Report(map);
  try {
    const front = frontHalf(source, options, map, report);
    if (front) enforcePolicy(front.services, front.selection.active, options.cluster, report);
  } catch (e) {
    internal(report, e);
  }
  return byPosition(report.errors.filter((e) => e.code === 'policy' || e.code === 'internal'));
}

interface Front {
  root: YMap;
  services: YMap;
  selection: Selection;
}

/** Parse, interpolate, resolve `extends`, select the active services. */
function frontHalf(source: string, options: CompileOptions, map: SourceMap, report: Report): Front | undefined {
  if (!parseYaml(source, map, report)) return undefined;
  const root = map.root;
  if (!isMap(root)) {
    const what = root === null ? 'the file is empty' : 'the file is not a mapping of top-level keys';
    report.error('type', '', `${what}: a compose file has "services:" at the top`);
    return undefined;
  }
  interpolateDocument(root, options.variables ?? {}, report);
  const declared = root.get('services');
  const services: YMap = isMap(declared) ? declared : new Map();
  resolveExtends(services, map, report);
  const selection = selectServices(services, options, report);
  return { root, services, selection };
}

function compile(source: string, options: CompileOptions, map: SourceMap, report: Report): CompiledStack | undefined {
  const front = frontHalf(source, options, map, report);
  if (!front) return undefined;
  const { root, services, selection } = front;
  validateDocument(root, selection.active, report);
  reportSupport(root, selection.active, report);
  enforcePolicy(services, selection.active, options.cluster, report);
  const normalised = normaliseStack({ root, services, selection, options, report });

  const cycle = findDependencyCycle(normalised.stack.services.map((s) => ({ name: s.name, dependsOn: s.dependsOn ?? [] })));
  if (cycle) {
    const first = normalised.edges.get(cycle[0] ?? '')?.find((e) => e.service === cycle[1]);
    report.error('cycle', first?.path ?? 'services', `depends_on cycle: ${cycle.join(' → ')}`);
  }

  const parsed = StackSpec.safeParse(normalised.stack);
  if (!parsed.success) {
    reportEngineIssues(parsed.error.issues, normalised.origins, normalised.stack, report);
    if (!report.failed) report.error('internal', '', 'the engine refused the stack without saying where (a bug)');
    return undefined;
  }
  if (report.failed) return undefined;
  return {
    stack: parsed.data,
    graph: dependencyGraph(parsed.data.services),
    externals: normalised.externals,
    secrets: normalised.secrets,
    configs: normalised.configs,
    builds: normalised.builds,
    ...(selection.test !== undefined ? { test: selection.test } : {}),
    locate: (path) => map.locate(path),
  };
}
