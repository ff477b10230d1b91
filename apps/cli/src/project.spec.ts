import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Deployment } from './api-types.js';
import { rollbackTarget } from './commands/rollback.js';
import { rememberApp, resolveApp, slugify } from './project.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
/** An empty directory called `name` (in a temp dir). */
const project = (name: string) => {
  const parent = mkdtempSync(path.join(tmpdir(), 'wharf-cli-project-'));
  dirs.push(parent);
  mkdirSync(path.join(parent, name));
  return path.join(parent, name);
};

describe('the app a command acts on', () => {
  it('slugifies directory names into valid app names', () => {
    expect(slugify('My Shop_v2')).toBe('my-shop-v2');
    expect(slugify('--Café--')).toBe('cafe');
    expect(slugify('x')).toBe('app-x');
    expect(slugify('___')).toBe('app-x');
    expect(slugify(`${'a'.repeat(39)}-b`)).toBe('a'.repeat(39));
  });

  it('is --app, else .wharf.json, else the directory name; the first deploy writes .wharf.json once', async () => {
    const dir = project('My Project');
    expect(await resolveApp(undefined, dir)).toEqual({ app: 'my-project', from: 'dir' });
    expect(await rememberApp(dir, 'shop')).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, '.wharf.json'), 'utf8'))).toEqual({ app: 'shop' });
    expect(await resolveApp(undefined, dir)).toEqual({ app: 'shop', from: 'file' });
    expect(await rememberApp(dir, 'other')).toBe(false);
    expect(await resolveApp('cli-node', dir)).toEqual({ app: 'cli-node', from: 'flag' });
    await expect(resolveApp('Bad_Name', dir)).rejects.toThrow(/not an app name/);
  });
});

describe('rollbackTarget', () => {
  const d = (id: string, status: Deployment['status']) => ({ id, status }) as Deployment;

  it('is the first live deployment after the current one, newest first', () => {
    const list = [d('5', 'failed'), d('4', 'live'), d('3', 'rolled_back'), d('2', 'live'), d('1', 'live')];
    expect(rollbackTarget(list, '4')?.id).toBe('2');
    // without a known current one: skip the first live one
    expect(rollbackTarget(list, null)?.id).toBe('2');
    expect(rollbackTarget(list, '2')?.id).toBe('1');
    expect(rollbackTarget(list, '1')).toBeUndefined();
    expect(rollbackTarget([d('1', 'failed')], null)).toBeUndefined();
  });
});
