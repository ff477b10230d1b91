import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { StackSpec } from '@wharf/engine';
import { describe, expect, it } from 'vitest';
import { compileCompose } from './index.js';
import type { CompileOptions, CompileResult, ComposeIssue, DependencyGraph, ExternalNeed, ValueSource } from './types.js';

/*
 * The corpus: one directory per compose file people really write (`corpus/<nn>-<slug>/docker-compose.yml`), with
 * what it must compile to in `expected.json`. A file that compiles lists the parts of the stack that matter
 * (matched with `toMatchObject`, services by name); a file that is refused lists the errors that must be reported,
 * at their lines, and nothing else is allowed to be reported unless it says `allowOtherErrors`.
 */

interface ExpectedIssue {
  code: string;
  line: number;
  column?: number;
  path?: string;
  rule?: string;
  /** Substrings the message must contain (case-insensitive). */
  messageIncludes?: string | string[];
}

interface ExpectedStack {
  services: ({ name: string } & Record<string, unknown>)[];
  [key: string]: unknown;
}

interface ExpectedBase {
  options?: Omit<CompileOptions, 'file'>;
  /** Warnings that must be reported; `[]` means none at all. */
  warnings?: ExpectedIssue[];
}

interface ExpectedOk extends ExpectedBase {
  stack: ExpectedStack;
  graph?: Partial<DependencyGraph>;
  externals?: ExternalNeed[];
  secrets?: Record<string, ValueSource>;
  configs?: Record<string, ValueSource>;
  test?: string;
}

interface ExpectedErrors extends ExpectedBase {
  errors: ExpectedIssue[];
  allowOtherErrors?: boolean;
}

type Expected = ExpectedOk | ExpectedErrors;

const CORPUS = fileURLToPath(new URL('../corpus/', import.meta.url));
const FILE = 'docker-compose.yml';

const fixtures = readdirSync(CORPUS, { withFileTypes: true })
  .filter((d) => d.isDirectory() && /^\d+-/.test(d.name))
  .map((d) => d.name)
  .sort();

function load(name: string): { source: string; expected: Expected } {
  const source = readFileSync(`${CORPUS}${name}/${FILE}`, 'utf8');
  const expected = JSON.parse(readFileSync(`${CORPUS}${name}/expected.json`, 'utf8')) as Expected;
  return { source, expected };
}

function compile(name: string): { result: CompileResult; expected: Expected } {
  const { source, expected } = load(name);
  return { result: compileCompose(source, { file: FILE, ...expected.options }), expected };
}

const show = (issues: readonly ComposeIssue[]) =>
  issues
    .map((i) => `  ${i.severity} ${i.code}${i.rule ? `/${i.rule}` : ''} ${i.line}:${i.column} ${i.path}: ${i.message}`)
    .join('\n') || '  (none)';

function matches(issue: ComposeIssue, want: ExpectedIssue): boolean {
  if (issue.code !== want.code || issue.line !== want.line) return false;
  if (want.column !== undefined && issue.column !== want.column) return false;
  if (want.path !== undefined && issue.path !== want.path) return false;
  if (want.rule !== undefined && issue.rule !== want.rule) return false;
  const parts = want.messageIncludes === undefined ? [] : [want.messageIncludes].flat();
  return parts.every((p) => issue.message.toLowerCase().includes(p.toLowerCase()));
}

function expectIssues(actual: readonly ComposeIssue[], wanted: readonly ExpectedIssue[], what: string): void {
  for (const want of wanted) {
    const found = actual.some((i) => matches(i, want));
    expect(found, `expected ${what} ${JSON.stringify(want)} among:\n${show(actual)}`).toBe(true);
  }
}

function expectWellLocated(issues: readonly ComposeIssue[]): void {
  for (const i of issues) {
    expect(i.file).toBe(FILE);
    expect(Number.isInteger(i.line) && i.line >= 1, `line of ${JSON.stringify(i)}`).toBe(true);
    expect(Number.isInteger(i.column) && i.column >= 1, `column of ${JSON.stringify(i)}`).toBe(true);
    expect(i.message.length).toBeGreaterThan(0);
  }
}

const sortedLayers = (layers: readonly (readonly string[])[]) => layers.map((l) => [...l].sort());

describe('compose corpus', () => {
  it('has the fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(45);
    const errorCases = fixtures.filter((f) => 'errors' in load(f).expected);
    expect(errorCases.length).toBeGreaterThanOrEqual(15);
  });

  it.each(fixtures)('%s', (name) => {
    const { result, expected } = compile(name);
    expectWellLocated(result.warnings);
    if (expected.warnings) {
      if (expected.warnings.length === 0) expect(result.warnings, `unexpected warnings:\n${show(result.warnings)}`).toEqual([]);
      else expectIssues(result.warnings, expected.warnings, 'warning');
    }

    if ('errors' in expected) {
      expect(result.ok, 'the file should be refused').toBe(false);
      if (result.ok) return;
      expectWellLocated(result.errors);
      expect(result.errors.every((e) => e.severity === 'error')).toBe(true);
      expectIssues(result.errors, expected.errors, 'error');
      if (!expected.allowOtherErrors) {
        const allowed = new Set(expected.errors.map((e) => e.code));
        const extra = result.errors.filter((e) => !allowed.has(e.code));
        expect(extra, `unexpected errors:\n${show(extra)}`).toEqual([]);
      }
      return;
    }

    expect(result.ok, `the file should compile; errors:\n${result.ok ? '' : show(result.errors)}`).toBe(true);
    if (!result.ok) return;
    const parsed = StackSpec.safeParse(result.stack);
    expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues, null, 2)).toBe(true);

    const { services, ...rest } = expected.stack;
    expect(result.stack.services.map((s) => s.name).sort()).toEqual(services.map((s) => s.name).sort());
    for (const want of services) {
      const got = result.stack.services.find((s) => s.name === want.name);
      expect(got, `service ${want.name}`).toMatchObject(want);
    }
    expect(result.stack).toMatchObject(rest);

    if (expected.graph) {
      const { order, layers, edges } = expected.graph;
      if (order) expect(result.graph.order).toEqual(order);
      if (layers) expect(sortedLayers(result.graph.layers)).toEqual(sortedLayers(layers));
      if (edges) {
        expect(result.graph.edges).toHaveLength(edges.length);
        expect(result.graph.edges).toEqual(expect.arrayContaining(edges.map((e) => expect.objectContaining(e))));
      }
    }
    // every service comes after what it depends on, whatever the fixture says
    const position = new Map(result.graph.order.map((n, i) => [n, i]));
    for (const s of result.stack.services) {
      for (const d of s.dependsOn) expect(position.get(d.service) ?? -1).toBeLessThan(position.get(s.name) ?? -1);
    }
    if (expected.externals) {
      expect(result.externals).toHaveLength(expected.externals.length);
      expect(result.externals).toEqual(expect.arrayContaining(expected.externals));
    }
    if (expected.secrets) expect(result.secrets).toEqual(expected.secrets);
    if (expected.configs) expect(result.configs).toEqual(expected.configs);
    if (expected.test !== undefined) expect(result.test).toBe(expected.test);
  });
});
