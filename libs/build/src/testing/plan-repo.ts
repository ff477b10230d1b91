import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect } from 'vitest';
import { planBuild } from '../plan/plan.js';
import { type BuildPlan, BuildPlanError, type BuildSettings, DEFAULT_BUILD_SETTINGS } from '../plan/types.js';

/* Repositories in temp directories for the build-plan tests, and planBuild over them. */

export const TEST_BASES = {
  node: 'registry.test/base/node:20',
  python: 'registry.test/base/python:3',
  go: 'registry.test/base/go:1.22',
  java: 'registry.test/base/java:17',
  static: 'registry.test/base/static:1',
};

export type RepoEntries = Record<string, string | { link: string }>;

const made: string[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A repository in a temp directory: path → text, or `{ link }` for a symbolic link. Beside it: `../secret.txt`. */
export async function repo(entries: RepoEntries): Promise<string> {
  const outside = await mkdtemp(path.join(tmpdir(), 'wharf-plan-'));
  made.push(outside);
  const root = path.join(outside, 'repo');
  await mkdir(root);
  await writeFile(path.join(outside, 'secret.txt'), 'outside the repository\n');
  for (const [name, entry] of Object.entries(entries)) {
    const file = path.join(root, name);
    await mkdir(path.dirname(file), { recursive: true });
    if (typeof entry === 'string') await writeFile(file, entry);
    else await symlink(entry.link, file);
  }
  return root;
}

export async function plan(entries: RepoEntries, overrides: Partial<BuildSettings> = {}): Promise<BuildPlan> {
  return planBuild(await repo(entries), { ...DEFAULT_BUILD_SETTINGS, ...overrides }, TEST_BASES);
}

/** The BuildPlanError planning refuses with (fails the test when it plans instead). */
export async function refusal(entries: RepoEntries, overrides: Partial<BuildSettings> = {}): Promise<BuildPlanError> {
  const error = await plan(entries, overrides).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BuildPlanError);
  return error as BuildPlanError;
}

export const pkg = (value: object) => JSON.stringify(value);
