import { createReadStream, type ReadStream } from 'node:fs';
import { lstat, readdir, readFile, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import dockerignore from '@balena/dockerignore';
import { pack as tarPack } from 'tar-stream';
import { ContextError } from './errors.js';

export interface ContextOptions {
  /** The directory to send (a checkout). */
  dir: string;
  /** Injects (or replaces) the Dockerfile at this context path: generated build plans. */
  dockerfile?: { path: string; content: string };
  /** Where the Dockerfile already in `dir` is, when it is not injected. Default `Dockerfile`. */
  dockerfilePath?: string;
  /** The most file bytes the context may hold. */
  maxBytes: number;
}

type Entry =
  | { kind: 'dir'; name: string; mode: number; mtime: Date }
  | { kind: 'file'; name: string; abs: string; size: number; mode: number; mtime: Date }
  | { kind: 'symlink'; name: string; target: string; mode: number; mtime: Date };

/** The Dockerfile each packed stream carries, so buildImage can vet it without reading the tar again. */
const packedDockerfiles = new WeakMap<Readable, string>();

/** The Dockerfile text that packContext put into this stream (undefined for streams it did not make). */
export function packedDockerfile(context: Readable): string | undefined {
  return packedDockerfiles.get(context);
}

const inside = (root: string, p: string) => {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/** Reads .dockerignore the way Docker does: one pattern a line, `#` comments, blank lines skipped. */
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

/**
 * Packs `dir` as a tar stream for `POST /build`, honouring `dir/.dockerignore` with Docker's semantics (last match
 * wins, `!` exceptions, `**`). The Dockerfile and .dockerignore are always sent, as the Docker CLI does. Refuses
 * symlinks that point outside `dir` and contexts over `maxBytes` before any byte is streamed.
 */
export async function packContext(opts: ContextOptions): Promise<Readable> {
  const root = await realpath(opts.dir).catch(() => {
    throw new ContextError('not-found', `The build context ${opts.dir} does not exist.`);
  });
  const dockerfileName = path.posix.normalize(opts.dockerfile?.path ?? opts.dockerfilePath ?? 'Dockerfile');
  const patterns = await readIgnore(root);
  const rules = dockerignore.default().add(patterns);
  const hasExceptions = patterns.some((p) => p.startsWith('!'));
  const alwaysSent = new Set([dockerfileName, '.dockerignore']);
  const excluded = (name: string) => !alwaysSent.has(name) && rules.ignores(name);

  const entries: Entry[] = [];
  let total = 0;
  const walk = async (relDir: string): Promise<void> => {
    const names = (await readdir(path.join(root, relDir))).sort();
    for (const base of names) {
      const name = relDir ? `${relDir}/${base}` : base;
      if (opts.dockerfile && name === dockerfileName) continue;
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
          throw new ContextError('symlink-escape', `${name} is a symlink to ${target}, outside the build context.`, name);
        }
        entries.push({ kind: 'symlink', name, target, mode, mtime: st.mtime });
      } else if (st.isFile()) {
        total += st.size;
        if (total > opts.maxBytes) {
          throw new ContextError('too-large', `The build context is larger than ${opts.maxBytes} bytes.`, name);
        }
        entries.push({ kind: 'file', name, abs, size: st.size, mode, mtime: st.mtime });
      }
      // sockets, FIFOs and devices are not sent, as with the Docker CLI
    }
  };
  await walk('');

  let dockerfileText: string;
  if (opts.dockerfile) {
    dockerfileText = opts.dockerfile.content;
    total += Buffer.byteLength(dockerfileText);
    if (total > opts.maxBytes) {
      throw new ContextError('too-large', `The build context is larger than ${opts.maxBytes} bytes.`);
    }
  } else {
    const entry = entries.find((e) => e.name === dockerfileName);
    if (entry?.kind !== 'file') {
      throw new ContextError('not-found', `The build context has no ${dockerfileName}.`, dockerfileName);
    }
    dockerfileText = await readFile(entry.abs, 'utf8');
  }

  const out = streamTar(entries, opts.dockerfile && { ...opts.dockerfile, path: dockerfileName });
  packedDockerfiles.set(out, dockerfileText);
  return out;
}

/**
 * Writes the entries as a tar into a stream, one file open at a time. When the consumer destroys the stream (the
 * build was cancelled or refused), the tar and the file being read are closed too.
 */
function streamTar(entries: Entry[], injected?: { path: string; content: string }): PassThrough {
  const out = new PassThrough();
  const tar = tarPack();
  let reading: ReadStream | undefined;
  const add = (header: Parameters<typeof tar.entry>[0], body?: Buffer) =>
    new Promise<void>((resolve, reject) => {
      const done = (err?: Error | null) => (err ? reject(err) : resolve());
      if (body) tar.entry(header, body, done);
      else tar.entry(header, done);
    });
  const write = async () => {
    if (injected) {
      await add({ name: injected.path, mode: 0o644, mtime: new Date(0) }, Buffer.from(injected.content));
    }
    for (const e of entries) {
      if (out.destroyed) return;
      const header = { name: e.name, mode: e.mode, mtime: e.mtime, uid: 0, gid: 0 };
      if (e.kind === 'dir') await add({ ...header, type: 'directory' });
      else if (e.kind === 'symlink') await add({ ...header, type: 'symlink', linkname: e.target });
      else {
        await new Promise<void>((resolve, reject) => {
          const sink = tar.entry({ ...header, type: 'file', size: e.size }, (err) => (err ? reject(err) : resolve()));
          reading = createReadStream(e.abs).on('error', reject);
          reading.pipe(sink);
        });
      }
    }
    tar.finalize();
  };
  out.on('close', () => tar.destroy());
  write().catch((e: Error) => {
    reading?.destroy();
    out.destroy(e);
  });
  tar.on('error', (e: Error) => out.destroy(e));
  tar.pipe(out);
  return out;
}
