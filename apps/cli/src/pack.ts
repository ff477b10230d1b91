import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import { createGzip } from 'node:zlib';
import dockerignore from '@balena/dockerignore';
import { pack as tarPack } from 'tar-stream';
import { CliError } from './errors.js';

/*
 * The directory as the archive `wharf deploy` uploads: the same walk as the builders' context packer
 * (libs/build/src/engine/context.ts: .dockerignore rules, symlinks kept inside), written again here on purpose —
 * the CLI installs on its own from npm and cannot depend on the workspace's libraries.
 */

/** The largest archive the API takes (`MAX_UPLOAD_BYTES` of the contracts). */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

type Entry =
  | { kind: 'dir'; name: string; mode: number; mtime: Date }
  | { kind: 'file'; name: string; abs: string; size: number; mode: number; mtime: Date }
  | { kind: 'symlink'; name: string; target: string; mode: number; mtime: Date };

export interface Packed {
  /** The gzip'd tar. */
  archive: Buffer;
  files: number;
  /** Bytes of the files before compression. */
  bytes: number;
}

const inside = (root: string, p: string) => {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/** `.dockerignore` as Docker reads it: one pattern a line, `#` comments and blank lines skipped. */
async function readIgnore(dir: string): Promise<string[]> {
  const text = await readFile(path.join(dir, '.dockerignore'), 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return '';
    throw e;
  });
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** The entries `dir` sends: `.dockerignore` applied (last match wins, `!` exceptions, `**`), `.git` never. */
export async function listSource(dir: string, maxBytes = Number.POSITIVE_INFINITY): Promise<Entry[]> {
  const root = await realpath(dir);
  const patterns = await readIgnore(root);
  const rules = dockerignore.default().add(patterns);
  const hasExceptions = patterns.some((p) => p.startsWith('!'));
  // Docker sends these two even when ignored; the builder reads them
  const alwaysSent = new Set(['Dockerfile', '.dockerignore']);
  const excluded = (name: string) => !alwaysSent.has(name) && rules.ignores(name);

  const entries: Entry[] = [];
  let total = 0;
  const walk = async (relDir: string): Promise<void> => {
    for (const base of (await readdir(path.join(root, relDir))).sort()) {
      if (base === '.git') continue;
      const name = relDir ? `${relDir}/${base}` : base;
      const abs = path.join(root, name);
      const st = await lstat(abs);
      const mode = st.mode & 0o7777;
      if (st.isDirectory()) {
        const skip = excluded(name);
        // an excluded directory is still walked when an exception may bring back something inside it
        if (skip && !hasExceptions) continue;
        if (!skip) entries.push({ kind: 'dir', name, mode, mtime: st.mtime });
        await walk(name);
        continue;
      }
      if (excluded(name)) continue;
      if (st.isSymbolicLink()) {
        const target = await readlink(abs);
        const resolved = await realpath(abs).catch(() => path.resolve(path.dirname(abs), target));
        if (!inside(root, resolved)) {
          throw new CliError(`${name} is a symlink to ${target}, outside ${dir}: remove it or add it to .dockerignore.`);
        }
        entries.push({ kind: 'symlink', name, target, mode, mtime: st.mtime });
      } else if (st.isFile()) {
        total += st.size;
        if (total > maxBytes) {
          throw new CliError(`The source is larger than ${maxBytes / 1024 / 1024} MiB: list large files in .dockerignore.`);
        }
        entries.push({ kind: 'file', name, abs, size: st.size, mode, mtime: st.mtime });
      }
      // sockets, FIFOs and devices are not sent
    }
  };
  await walk('');
  return entries;
}

/** Packs `dir` as a gzip'd tar (see listSource); refuses archives over `maxBytes`. */
export async function packSource(dir: string, maxBytes = MAX_UPLOAD_BYTES): Promise<Packed> {
  const stat = await lstat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) throw new CliError(`${dir} is not a directory.`);
  const entries = await listSource(dir);
  const tar = tarPack();
  const gzip = createGzip();
  const chunks: Buffer[] = [];
  let size = 0;
  const collected = new Promise<void>((resolve, reject) => {
    gzip.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        gzip.destroy(new CliError(`The packed source is over ${maxBytes / 1024 / 1024} MiB: list large files in .dockerignore.`));
      } else chunks.push(c);
    });
    gzip.on('end', resolve);
    gzip.on('error', reject);
    tar.on('error', reject);
  });
  tar.pipe(gzip);

  const add = (header: Parameters<typeof tar.entry>[0]) =>
    new Promise<void>((resolve, reject) => tar.entry(header, (err) => (err ? reject(err) : resolve())));
  const writing = (async () => {
    for (const e of entries) {
      if (gzip.destroyed) return;
      const header = { name: e.name, mode: e.mode, mtime: e.mtime, uid: 0, gid: 0 };
      if (e.kind === 'dir') await add({ ...header, type: 'directory' });
      else if (e.kind === 'symlink') await add({ ...header, type: 'symlink', linkname: e.target });
      else {
        await new Promise<void>((resolve, reject) => {
          const sink = tar.entry({ ...header, type: 'file', size: e.size }, (err) => (err ? reject(err) : resolve()));
          createReadStream(e.abs).on('error', reject).pipe(sink);
        });
      }
    }
    tar.finalize();
  })();
  await Promise.all([writing, collected]);
  const files = entries.filter((e) => e.kind === 'file');
  return { archive: Buffer.concat(chunks), files: files.length, bytes: files.reduce((n, e) => n + e.size, 0) };
}
