import { mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { type ContextOptions, readContext, tarContext } from './context.js';
import { ContextError } from './errors.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A temp dir with these files (a trailing `/` makes a directory). */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'wharf-ctx-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    const abs = path.join(dir, name);
    if (name.endsWith('/')) mkdirSync(abs, { recursive: true });
    else {
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    }
  }
  return dir;
}

/** The tar's entries: name → content (files), `<dir>` or `-> target`. */
async function entries(stream: Readable): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const ex = extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (header, body, next) => {
      const chunks: Buffer[] = [];
      body.on('data', (c: unknown) => chunks.push(c as Buffer));
      body.on('end', () => {
        out[header.name] =
          header.type === 'directory'
            ? '<dir>'
            : header.type === 'symlink'
              ? `-> ${header.linkname}`
              : Buffer.concat(chunks).toString();
        next();
      });
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  stream.pipe(ex);
  await done;
  return out;
}

/** The context as the classic builder gets it. */
const packContext = async (opts: ContextOptions): Promise<Readable> => tarContext(await readContext(opts));

describe('readContext and tarContext', () => {
  it('honours .dockerignore with exceptions, ** and nested directories', async () => {
    const dir = tree({
      Dockerfile: 'FROM x',
      '.dockerignore': [
        '# comment',
        '',
        '**/*.log',
        '!keep.log',
        'node_modules',
        'docs',
        '!docs/README.md',
        'Dockerfile',
        '/tmp/',
      ].join('\n'),
      'app.js': 'js',
      'debug.log': 'x',
      'keep.log': 'kept',
      'src/deep/err.log': 'x',
      'src/deep/main.js': 'main',
      'node_modules/a/index.js': 'x',
      'docs/guide.md': 'x',
      'docs/README.md': 'readme',
      'tmp/x': 'x',
      'src/tmp/y': 'y',
      'empty/': '',
    });
    const context = await readContext({ dir, maxBytes: 1_000_000 });
    expect(context.dockerfile).toEqual({ path: 'Dockerfile', text: 'FROM x', injected: false });
    // walked for the `!docs/README.md` exception, not sent itself
    expect(context.entries.find((e) => e.name === 'docs')).toMatchObject({ kind: 'dir', ignored: true });
    expect(await entries(tarContext(context))).toEqual({
      '.dockerignore': expect.any(String),
      Dockerfile: 'FROM x', // always sent, as the Docker CLI does
      'app.js': 'js',
      'keep.log': 'kept',
      'docs/README.md': 'readme', // re-included from inside an excluded directory
      empty: '<dir>',
      src: '<dir>',
      'src/deep': '<dir>',
      'src/deep/main.js': 'main',
      'src/tmp': '<dir>',
      'src/tmp/y': 'y', // `/tmp/` is anchored at the root
    });
  });

  it('injects a generated Dockerfile in place of the one in the directory', async () => {
    const dir = tree({ Dockerfile: 'FROM old', 'a.txt': 'a' });
    const context = await readContext({
      dir,
      maxBytes: 1000,
      dockerfile: { path: 'Dockerfile', content: 'FROM generated' },
    });
    expect(context.dockerfile).toEqual({ path: 'Dockerfile', text: 'FROM generated', injected: true });
    expect(context.entries.map((e) => e.name)).toEqual(['a.txt']);
    expect(await entries(tarContext(context))).toEqual({ Dockerfile: 'FROM generated', 'a.txt': 'a' });
  });

  it('leaves out what `exclude` names, and everything under it, whatever .dockerignore says', async () => {
    const dir = tree({
      Dockerfile: 'FROM scratch',
      '.dockerignore': '!.git\n',
      '.git/HEAD': 'ref',
      '.git/objects/ab/cdef': 'object',
      'src/.git/kept': 'a nested .git is the source’s own',
      'a.txt': 'a',
    });
    const context = await readContext({ dir, maxBytes: 1000, exclude: ['.git'] });
    expect(context.entries.map((e) => e.name)).toEqual([
      '.dockerignore',
      'Dockerfile',
      'a.txt',
      'src',
      'src/.git',
      'src/.git/kept',
    ]);
    // the control: without it, the directory is sent
    const all = await readContext({ dir, maxBytes: 1000 });
    expect(all.entries.map((e) => e.name)).toContain('.git/objects/ab/cdef');
  });

  it('sends symlinks that stay inside the context as links', async () => {
    const dir = tree({ Dockerfile: 'FROM x', 'real/file': 'f' });
    symlinkSync('real/file', path.join(dir, 'link'));
    symlinkSync(path.join(dir, 'real'), path.join(dir, 'abs-inside'));
    expect(await entries(await packContext({ dir, maxBytes: 1000 }))).toMatchObject({
      link: '-> real/file',
      'abs-inside': `-> ${path.join(dir, 'real')}`,
    });
  });

  it('refuses a symlink that points outside the context, even through another link', async () => {
    const dir = tree({ Dockerfile: 'FROM x', 'sub/': '' });
    symlinkSync('../../etc/passwd', path.join(dir, 'sub', 'escape'));
    await expect(readContext({ dir, maxBytes: 1000 })).rejects.toMatchObject({
      kind: 'symlink-escape',
      path: 'sub/escape',
    });

    const other = tree({ Dockerfile: 'FROM x', '.dockerignore': 'hop' });
    symlinkSync('/etc', path.join(other, 'hop'));
    symlinkSync('hop/passwd', path.join(other, 'via'));
    await expect(readContext({ dir: other, maxBytes: 1000 })).rejects.toBeInstanceOf(ContextError);
  });

  it('does not look at an escaping symlink that .dockerignore excludes', async () => {
    const dir = tree({ Dockerfile: 'FROM x', '.dockerignore': 'outside' });
    symlinkSync('/etc', path.join(dir, 'outside'));
    expect(Object.keys(await entries(await packContext({ dir, maxBytes: 1000 })))).toEqual(['.dockerignore', 'Dockerfile']);
  });

  it('refuses a context larger than maxBytes, counting only what is sent', async () => {
    const dir = tree({ Dockerfile: 'FROM x', big: 'x'.repeat(2000), '.dockerignore': 'ignored', ignored: 'y'.repeat(5000) });
    await expect(readContext({ dir, maxBytes: 1000 })).rejects.toMatchObject({ kind: 'too-large' });
    await expect(readContext({ dir, maxBytes: 3000 })).resolves.toBeDefined();
  });

  it('needs a Dockerfile unless one is injected', async () => {
    const dir = tree({ 'a.txt': 'a' });
    await expect(readContext({ dir, maxBytes: 1000 })).rejects.toMatchObject({ kind: 'not-found' });
    await expect(readContext({ dir: path.join(dir, 'nope'), maxBytes: 1000 })).rejects.toMatchObject({
      kind: 'not-found',
    });
    const custom = tree({ 'build/Containerfile': 'FROM y' });
    const context = await readContext({ dir: custom, maxBytes: 1000, dockerfilePath: 'build/Containerfile' });
    expect(context.dockerfile).toMatchObject({ path: 'build/Containerfile', text: 'FROM y' });
  });

  it('walks names in byte order, as Go does (BuildKit checks the order)', async () => {
    // UTF-16 order puts U+FF5E before U+1F600 (a surrogate pair); UTF-8 bytes put it after
    const dir = tree({ Dockerfile: 'FROM x', 'a.txt': '', 'a/b': '', '\u{1F600}': '', '\uFF5E': '', B: '' });
    expect((await readContext({ dir, maxBytes: 1000 })).entries.map((e) => e.name)).toEqual([
      'B',
      'Dockerfile',
      'a',
      'a/b',
      'a.txt',
      '\uFF5E',
      '\u{1F600}',
    ]);
  });

  it('closes the files it reads when the consumer destroys the stream', async () => {
    const dir = tree({ Dockerfile: 'FROM x', big: 'x'.repeat(4_000_000) });
    const stream = await packContext({ dir, maxBytes: 10_000_000 });
    stream.once('data', () => stream.destroy());
    await new Promise((resolve) => stream.on('close', resolve));
    const open = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === path.join(dir, 'big');
        } catch {
          return false; // closed while we looked
        }
      });
    for (let i = 0; i < 50 && open().length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(open()).toEqual([]);
  });
});
