import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { CliError } from './errors.js';
import { packSource } from './pack.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A temp dir with these files (a trailing `/` makes a directory). */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'wharf-cli-pack-'));
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

/** The archive's entries: name → content (files), `<dir>` or `-> target`. */
async function entries(archive: Buffer): Promise<Record<string, string>> {
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
  Readable.from([gunzipSync(archive)]).pipe(ex);
  await done;
  return out;
}

describe('packSource', () => {
  it('honours .dockerignore with exceptions, ** and anchored patterns; never sends .git', async () => {
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
        '/tmp/',
        'secret.txt',
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
      'secret.txt': 'no',
      '.git/HEAD': 'ref: refs/heads/main',
      'vendor/.git/config': 'x',
      'empty/': '',
    });
    const packed = await packSource(dir);
    const files = await entries(packed.archive);
    expect(Object.keys(files).sort()).toEqual(
      [
        '.dockerignore',
        'Dockerfile',
        'app.js',
        'docs/README.md',
        'empty',
        'keep.log',
        'src',
        'src/deep',
        'src/deep/main.js',
        'src/tmp',
        'src/tmp/y',
        'vendor',
      ].sort(),
    );
    expect(files['keep.log']).toBe('kept');
    expect(files['src/deep/main.js']).toBe('main');
    expect(packed.files).toBe(7);
    expect(packed.archive[0]).toBe(0x1f);
    expect(packed.archive[1]).toBe(0x8b);
  });

  it('sends the Dockerfile and .dockerignore even when they are ignored, as Docker does', async () => {
    const dir = tree({ Dockerfile: 'FROM x', '.dockerignore': '*\n', 'a.txt': 'a' });
    expect(Object.keys(await entries((await packSource(dir)).archive)).sort()).toEqual(['.dockerignore', 'Dockerfile']);
  });

  it('keeps symlinks inside the directory and refuses ones pointing outside', async () => {
    const dir = tree({ 'real.txt': 'r', 'sub/': '' });
    symlinkSync('real.txt', path.join(dir, 'link.txt'));
    symlinkSync('../real.txt', path.join(dir, 'sub/up.txt'));
    expect(await entries((await packSource(dir)).archive)).toMatchObject({
      'link.txt': '-> real.txt',
      'sub/up.txt': '-> ../real.txt',
    });

    symlinkSync('/etc/passwd', path.join(dir, 'passwd'));
    await expect(packSource(dir)).rejects.toThrow(/passwd is a symlink to \/etc\/passwd, outside/);
    // …unless it is ignored
    writeFileSync(path.join(dir, '.dockerignore'), 'passwd\n');
    await expect(packSource(dir)).resolves.toBeDefined();

    const outside = tree({});
    symlinkSync('../../', path.join(outside, 'up'));
    await expect(packSource(outside)).rejects.toBeInstanceOf(CliError);
  });

  it('refuses an archive over the limit and a directory that is not one', async () => {
    const dir = tree({});
    writeFileSync(path.join(dir, 'big.bin'), randomBytes(64 * 1024));
    await expect(packSource(dir, 1024)).rejects.toThrow(/over/);
    await expect(packSource(path.join(dir, 'nope'))).rejects.toThrow(/not a directory/);
  });
});
