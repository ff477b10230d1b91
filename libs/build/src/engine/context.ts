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
  /** Paths left out whatever `.dockerignore` says (with everything under them), e.g. a checkout's `.git`. */
  exclude?: readonly string[];
}

/** One thing in the build context, in walk order: parents before children, names in byte order. */
export type ContextEntry =
  | { kind: 'dir'; name: string; mode: number; mtimeNs: bigint /** excluded, walked for `!` exceptions */; ignored: boolean }
  | { kind: 'file'; name: string; abs: string; size: number; mode: number; mtimeNs: bigint }
  | { kind: 'symlink'; name: string; target: string; mode: number; mtimeNs: bigint };

/** A build context walked once: what is sent (by tar or a BuildKit session) and the Dockerfile the build uses. */
export interface BuildContext {
  entries: ContextEntry[];
  dockerfile: {
    /** Its path inside the context, slash-separated. */
    path: string;
    text: string;
    /** Written by Wharf (not the file at that path in the checkout, which it replaces in a tar). */
    injected: boolean;
  };
}

const inside = (root: string, p: string) => {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/** Go sorts directory entries by bytes; BuildKit checks that order. JavaScript's default sort is by UTF-16 units. */
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

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
 * Walks `dir` as the build context, honouring `dir/.dockerignore` with Docker's semantics (last match wins, `!`
 * exceptions, `**`). The Dockerfile and .dockerignore are always kept, as the Docker CLI does. Refuses symlinks
 * that point outside `dir` and contexts over `maxBytes` before anything is sent.
 */
export async function readContext(opts: ContextOptions): Promise<BuildContext> {
  const root = await realpath(opts.dir).catch(() => {
    throw new ContextError('not-found', `The build context ${opts.dir} does not exist.`);
  });
  const dockerfileName = path.posix.normalize(opts.dockerfile?.path ?? opts.dockerfilePath ?? 'Dockerfile');
  const patterns = await readIgnore(root);
  const rules = dockerignore.default().add(patterns);
  const hasExceptions = patterns.some((p) => p.startsWith('!'));
  const alwaysSent = new Set([dockerfileName, '.dockerignore']);
  const leftOut = new Set(opts.exclude ?? []);
  const excluded = (name: string) => !alwaysSent.has(name) && rules.ignores(name);

  const entries: ContextEntry[] = [];
  let total = 0;
  const walk = async (relDir: string): Promise<void> => {
    const names = (await readdir(path.join(root, relDir))).sort(byBytes);
    for (const base of names) {
      const name = relDir ? `${relDir}/${base}` : base;
      if ((opts.dockerfile && name === dockerfileName) || leftOut.has(name)) continue;
      const abs = path.join(root, name);
      const st = await lstat(abs, { bigint: true });
      const mode = Number(st.mode & 0o7777n);
      const mtimeNs = st.mtimeNs;
      if (st.isDirectory()) {
        const ignored = excluded(name);
        // an excluded directory is still walked when an exception may bring back something inside it
        if (ignored && !hasExceptions) continue;
        entries.push({ kind: 'dir', name, mode, mtimeNs, ignored });
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
        entries.push({ kind: 'symlink', name, target, mode, mtimeNs });
      } else if (st.isFile()) {
        total += Number(st.size);
        if (total > opts.maxBytes) {
          throw new ContextError('too-large', `The build context is larger than ${opts.maxBytes} bytes.`, name);
        }
        entries.push({ kind: 'file', name, abs, size: Number(st.size), mode, mtimeNs });
      }
      // sockets, FIFOs and devices are not sent, as with the Docker CLI
    }
  };
  await walk('');

  if (opts.dockerfile) {
    const text = opts.dockerfile.content;
    total += Buffer.byteLength(text);
    if (total > opts.maxBytes) {
      throw new ContextError('too-large', `The build context is larger than ${opts.maxBytes} bytes.`);
    }
    return { entries, dockerfile: { path: dockerfileName, text, injected: true } };
  }
  const entry = entries.find((e) => e.name === dockerfileName);
  if (entry?.kind !== 'file') {
    throw new ContextError('not-found', `The build context has no ${dockerfileName}.`, dockerfileName);
  }
  return { entries, dockerfile: { path: dockerfileName, text: await readFile(entry.abs, 'utf8'), injected: false } };
}

/**
 * The context as a tar stream for `POST /build` (the classic builder), one file open at a time, the Dockerfile
 * Wharf wrote at its path. When the consumer destroys the stream (the build was cancelled or refused), the tar and
 * the file being read are closed too.
 */
export function tarContext(context: BuildContext): Readable {
  const { entries, dockerfile } = context;
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
    if (dockerfile.injected) {
      await add({ name: dockerfile.path, mode: 0o644, mtime: new Date(0) }, Buffer.from(dockerfile.text));
    }
    for (const e of entries) {
      if (out.destroyed) return;
      const header = { name: e.name, mode: e.mode, mtime: new Date(Number(e.mtimeNs / 1_000_000n)), uid: 0, gid: 0 };
      if (e.kind === 'dir') {
        if (!e.ignored) await add({ ...header, type: 'directory' });
      } else if (e.kind === 'symlink') await add({ ...header, type: 'symlink', linkname: e.target });
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
