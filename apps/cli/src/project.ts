import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CliError, UsageError } from './errors.js';

/** `.wharf.json` in a project directory: which app it deploys to (written by the first `wharf deploy`). */
export const PROJECT_FILE = '.wharf.json';

const SLUG = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** A directory name as an app name: lowercase, runs of anything else as one hyphen, 2–40 characters. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug.length >= 2 ? slug : `app-${slug || 'x'}`.replace(/-+$/, '');
}

export function checkAppName(name: string): string {
  if (name.length < 2 || name.length > 40 || !SLUG.test(name) || name.includes('--')) {
    throw new UsageError(`"${name}" is not an app name: 2–40 lowercase letters, digits and single hyphens`);
  }
  return name;
}

export async function readProjectFile(dir: string): Promise<{ app?: string } | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, PROJECT_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const parsed = JSON.parse(text) as { app?: unknown };
    return typeof parsed.app === 'string' ? { app: parsed.app } : {};
  } catch {
    throw new CliError(`${path.join(dir, PROJECT_FILE)} is not valid JSON.`);
  }
}

/** The app a command acts on: `--app`, else `.wharf.json`'s, else the directory's name. */
export async function resolveApp(flag: string | undefined, dir: string): Promise<{ app: string; from: 'flag' | 'file' | 'dir' }> {
  if (flag) return { app: checkAppName(flag), from: 'flag' };
  const project = await readProjectFile(dir);
  if (project?.app) return { app: checkAppName(project.app), from: 'file' };
  return { app: slugify(path.basename(path.resolve(dir))), from: 'dir' };
}

/** Remembers the app in `.wharf.json` unless the file names one already. */
export async function rememberApp(dir: string, app: string): Promise<boolean> {
  const project = await readProjectFile(dir);
  if (project?.app) return false;
  await writeFile(path.join(dir, PROJECT_FILE), `${JSON.stringify({ ...project, app }, null, 2)}\n`);
  return true;
}
