import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { BuildPlanError, type BuildPlanField } from './types.js';

/*
 * Reading a checked-out repository that its owner controls: every path is relative, normalised, and must stay
 * inside the repository after symbolic links are followed (a `package.json` linked to `/etc/shadow` must not end
 * up in a Dockerfile or a message). Reads are bounded in size.
 */

const MAX_PATH_LENGTH = 1024;
/** The most of one file (a Dockerfile, package.json, Procfile…) that planning reads. */
export const MAX_TEXT_BYTES = 1024 * 1024;

/**
 * A path relative to the repository root, normalised with POSIX separators, without a trailing slash (`.` for the
 * root). Refuses absolute paths, `..` escapes, NUL, line breaks and backslashes.
 */
export function normaliseRelativePath(field: BuildPlanField, value: string, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new BuildPlanError(field, `${what} is empty`);
  if (value.length > MAX_PATH_LENGTH) throw new BuildPlanError(field, `${what} is longer than ${MAX_PATH_LENGTH} characters`);
  if (/[\0\r\n]/.test(value)) throw new BuildPlanError(field, `${what} must not contain NUL characters or line breaks`);
  if (value.includes('\\')) throw new BuildPlanError(field, `${what} must use forward slashes: ${JSON.stringify(value)}`);
  if (value.startsWith('/')) {
    throw new BuildPlanError(field, `${what} must be relative to the repository root, not absolute: ${JSON.stringify(value)}`);
  }
  const normalised = path.posix.normalize(value).replace(/\/+$/, '') || '.';
  if (normalised === '..' || normalised.startsWith('../')) {
    throw new BuildPlanError(field, `${what} leads outside the repository: ${JSON.stringify(value)}`);
  }
  return normalised;
}

export type EntryKind = 'file' | 'directory' | 'other' | 'missing';

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** The files of one checked-out repository, seen only through paths that stay inside it. */
export class RepoFiles {
  private constructor(private readonly root: string) {}

  static async open(root: string): Promise<RepoFiles> {
    let real: string;
    try {
      real = await realpath(root);
    } catch (error) {
      if (isMissing(error)) throw new BuildPlanError('repository', `the repository directory does not exist: ${root}`);
      throw error;
    }
    if (!(await stat(real)).isDirectory()) throw new BuildPlanError('repository', `not a directory: ${root}`);
    return new RepoFiles(real);
  }

  /** `rel` (already normalised) joined to another relative path, normalised again. */
  static join(rel: string, name: string): string {
    return path.posix.normalize(path.posix.join(rel, name));
  }

  private inside(real: string): boolean {
    return real === this.root || this.root === path.sep || real.startsWith(this.root + path.sep);
  }

  /** The real path of `rel`, or undefined when nothing is there. Throws when a link leads outside or nowhere. */
  private async resolve(field: BuildPlanField, rel: string): Promise<string | undefined> {
    const abs = path.join(this.root, rel);
    try {
      const real = await realpath(abs);
      if (!this.inside(real)) {
        throw new BuildPlanError(field, `${rel} is (or is under) a symbolic link that leads outside the repository`);
      }
      return real;
    } catch (error) {
      if (error instanceof BuildPlanError || !isMissing(error)) throw error;
      const own = await lstat(abs).catch((e: unknown) => {
        if (isMissing(e)) return undefined;
        throw e;
      });
      if (own?.isSymbolicLink()) throw new BuildPlanError(field, `${rel} is a symbolic link to nothing`);
      return undefined;
    }
  }

  async kind(field: BuildPlanField, rel: string): Promise<EntryKind> {
    const real = await this.resolve(field, rel);
    if (real === undefined) return 'missing';
    const s = await stat(real);
    return s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other';
  }

  async isFile(field: BuildPlanField, rel: string): Promise<boolean> {
    return (await this.kind(field, rel)) === 'file';
  }

  /** The text of the file `rel`, or undefined when there is none. Refuses files over `maxBytes`. */
  async readText(field: BuildPlanField, rel: string, maxBytes = MAX_TEXT_BYTES): Promise<string | undefined> {
    const real = await this.resolve(field, rel);
    if (real === undefined) return undefined;
    const handle = await open(real, 'r');
    try {
      const s = await handle.stat();
      if (!s.isFile()) throw new BuildPlanError(field, `${rel} is not a file`);
      if (s.size > maxBytes) throw new BuildPlanError(field, `${rel} is larger than ${maxBytes} bytes`);
      const buffer = Buffer.alloc(s.size);
      const { bytesRead } = await handle.read(buffer, 0, s.size, 0);
      return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  }

  /** The names in directory `rel` that are plain files (`files`) and plain directories (`directories`), sorted. */
  async list(field: BuildPlanField, rel: string): Promise<{ files: string[]; directories: string[] }> {
    const real = await this.resolve(field, rel);
    if (real === undefined || !(await stat(real)).isDirectory()) return { files: [], directories: [] };
    const entries = await readdir(real, { withFileTypes: true });
    const names = (keep: (e: (typeof entries)[number]) => boolean) =>
      entries
        .filter(keep)
        .map((e) => e.name)
        .sort();
    return { files: names((e) => e.isFile()), directories: names((e) => e.isDirectory()) };
  }

  /** The first of `candidates` (names relative to directory `rel`) that nothing in the repository occupies. */
  async freeName(rel: string, candidates: readonly string[]): Promise<string> {
    for (const name of candidates) {
      const taken = await lstat(path.join(this.root, rel, name)).then(
        () => true,
        (e: unknown) => {
          if (isMissing(e)) return false;
          throw e;
        },
      );
      if (!taken) return name;
    }
    throw new BuildPlanError('dockerfilePath', `the context ${rel} already has files named ${candidates.join(', ')}`);
  }
}
