import { StackSpec } from '@wharf/engine';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compileCompose } from './index.js';
import { composeObject, options, validCompose } from './testing/compose-arbitraries.js';
import { anyText } from './testing/text-arbitraries.js';
import { type CompileOptions, type CompileResult, type ComposeIssue, POLICY_RULES } from './types.js';

/*
 * Properties of compileCompose over inputs nobody would write on purpose: it never throws, every issue points at a
 * real place in the file, a file it accepts gives a stack the engine model accepts, and the same input always gives
 * the same result.
 */

const FILE = 'docker-compose.yml';

// ---------------------------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------------------------

/** `stringify(undefined)` gives undefined, not a string. */
const toYaml = (doc: unknown): string => stringify(doc) ?? '';

function compile(source: string, opts: Omit<CompileOptions, 'file'> = {}): CompileResult {
  return compileCompose(source, { ...opts, file: FILE });
}

function checkIssue(i: ComposeIssue): void {
  expect(i.file).toBe(FILE);
  expect(Number.isInteger(i.line) && i.line >= 1, `line of ${JSON.stringify(i)}`).toBe(true);
  expect(Number.isInteger(i.column) && i.column >= 1, `column of ${JSON.stringify(i)}`).toBe(true);
  expect(typeof i.code).toBe('string');
  expect(typeof i.path).toBe('string');
  expect(typeof i.message).toBe('string');
  if (i.code === 'policy') expect(POLICY_RULES).toContain(i.rule);
}

/** What every result must satisfy, whatever the input. */
function checkResult(result: CompileResult): void {
  expect(typeof result.ok).toBe('boolean');
  for (const w of result.warnings) {
    checkIssue(w);
    expect(w.severity).toBe('warning');
  }
  if (!result.ok) {
    expect(result.errors.length, 'a refused file says why').toBeGreaterThan(0);
    // compileCompose turns its own exceptions into an `internal` error: for this property, that is a throw
    const internal = result.errors.filter((e) => e.code === 'internal');
    expect(internal, 'an internal error of the compiler').toEqual([]);
    for (const e of result.errors) {
      checkIssue(e);
      expect(e.severity).toBe('error');
    }
    return;
  }
  const parsed = StackSpec.safeParse(result.stack);
  expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 5))).toBe(true);
  expect([...result.graph.order].sort()).toEqual(result.stack.services.map((s) => s.name).sort());
  const where = result.locate('services');
  expect(where.line).toBeGreaterThanOrEqual(1);
  expect(where.column).toBeGreaterThanOrEqual(1);
}

/** The result without `locate` (a function), for comparing two results. */
function plain(result: CompileResult): unknown {
  if (!result.ok) return result;
  const { locate: _locate, ...rest } = result;
  return rest;
}

/** Runs per property; `COMPOSE_PROPERTY_RUNS=5000` for a deeper search. */
const RUNS = Number(process.env.COMPOSE_PROPERTY_RUNS ?? 150);

// CPU-bound: a loaded machine (two cores shared with other runs) needs more than vitest's 5 s default
describe('compileCompose properties', { timeout: 60_000 }, () => {
  it('never throws on arbitrary text, and locates every issue', () => {
    fc.assert(
      fc.property(anyText, (source) => {
        checkResult(compile(source));
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('never throws on arbitrary YAML documents', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4, withNullPrototype: false }), options, (doc, opts) => {
        checkResult(compile(toYaml(doc), opts));
      }),
      { numRuns: RUNS },
    );
  });

  it('accepts only stacks the engine model accepts, for compose-shaped documents', () => {
    const outcomes = { ok: 0, refused: 0 };
    fc.assert(
      fc.property(composeObject, options, (doc, opts) => {
        const result = compile(toYaml(doc), opts);
        checkResult(result);
        outcomes[result.ok ? 'ok' : 'refused']++;
      }),
      { numRuns: RUNS * 2 },
    );
    // the generator reaches both sides (fast-check may replay a shrunk case, so only a floor is checked)
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it('compiles valid compose documents to the stack they describe', () => {
    fc.assert(
      fc.property(validCompose, ({ doc, services }) => {
        const result = compile(toYaml(doc), { cluster: { shared: true } });
        checkResult(result);
        expect(result.ok, result.ok ? '' : JSON.stringify(result.errors)).toBe(true);
        if (!result.ok) return;
        expect(result.stack.services.map((s) => s.name).sort()).toEqual(services.map((s) => s.name).sort());
        for (const want of services) {
          const got = result.stack.services.find((s) => s.name === want.name);
          expect(got?.env).toEqual(want.env);
          expect(got?.replicas).toBe(want.replicas);
          expect(got?.ports.map((p) => p.containerPort)).toEqual(want.ports);
          expect(got?.dependsOn.map((d) => d.service)).toEqual(want.dependsOn);
        }
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyText,
          composeObject.map((d) => toYaml(d)),
        ),
        options,
        (source, opts) => {
          expect(plain(compile(source, opts))).toEqual(plain(compile(source, opts)));
        },
      ),
      { numRuns: RUNS },
    );
  });
});
