import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normaliseRelativePath, RepoFiles } from './repo-files.js';
import { BuildPlanError } from './types.js';

describe('normaliseRelativePath', () => {
  it.each([
    ['Dockerfile', 'Dockerfile'],
    ['./Dockerfile', 'Dockerfile'],
    ['docker//web/../Dockerfile', 'docker/Dockerfile'],
    ['.', '.'],
    ['./', '.'],
    ['apps/web/', 'apps/web'],
    ['a/../b', 'b'],
  ])('normalises %j to %j', (input, expected) => {
    expect(normaliseRelativePath('context', input, 'the path')).toBe(expected);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['/etc/passwd', /relative to the repository root, not absolute/],
    ['..', /leads outside the repository/],
    ['../other/Dockerfile', /leads outside the repository/],
    ['a/../../b', /leads outside the repository/],
    ['Docker\0file', /NUL characters or line breaks/],
    ['Dockerfile\nFROM evil', /NUL characters or line breaks/],
    ['Dockerfile\r', /NUL characters or line breaks/],
    ['docker\\Dockerfile', /forward slashes/],
    ['a'.repeat(1025), /longer than 1024/],
  ])('refuses %j', (input, message) => {
    const refusal = () => normaliseRelativePath('dockerfilePath', input, 'the Dockerfile path');
    expect(refusal).toThrow(BuildPlanError);
    expect(refusal).toThrow(message);
    try {
      refusal();
    } catch (error) {
      expect((error as BuildPlanError).field).toBe('dockerfilePath');
    }
  });
});

describe('RepoFiles', () => {
  let outside: string;
  let root: string;

  beforeEach(async () => {
    outside = await mkdtemp(path.join(tmpdir(), 'wharf-repo-files-'));
    root = path.join(outside, 'repo');
    await mkdir(path.join(root, 'sub'), { recursive: true });
    await writeFile(path.join(outside, 'secret.txt'), 'outside\n');
    await writeFile(path.join(root, 'inside.txt'), 'inside\n');
    await writeFile(path.join(root, 'sub', 'big.txt'), 'x'.repeat(2048));
    await symlink('inside.txt', path.join(root, 'link-inside'));
    await symlink('sub', path.join(root, 'dir-link'));
    await symlink('../secret.txt', path.join(root, 'link-outside'));
    await symlink(outside, path.join(root, 'dir-outside'));
    await symlink('nowhere', path.join(root, 'dangling'));
  });

  afterEach(async () => {
    await rm(outside, { recursive: true, force: true });
  });

  it('reads files and follows links that stay inside (the positive control)', async () => {
    const files = await RepoFiles.open(root);
    expect(await files.readText('repository', 'inside.txt')).toBe('inside\n');
    expect(await files.readText('repository', 'link-inside')).toBe('inside\n');
    expect(await files.kind('context', 'dir-link')).toBe('directory');
    expect(await files.kind('context', 'sub/big.txt')).toBe('file');
    expect(await files.readText('repository', 'missing.txt')).toBeUndefined();
    expect(await files.kind('repository', 'inside.txt/below')).toBe('missing');
  });

  it('refuses links that lead outside the repository, for files and for directories on the way', async () => {
    const files = await RepoFiles.open(root);
    await expect(files.readText('dockerfilePath', 'link-outside')).rejects.toThrow(/leads outside the repository/);
    await expect(files.kind('context', 'dir-outside')).rejects.toThrow(/leads outside the repository/);
    await expect(files.readText('repository', 'dir-outside/secret.txt')).rejects.toThrow(/leads outside the repository/);
    // judged by where the path really leads: out and back in again is inside
    expect(await files.readText('repository', 'dir-outside/repo/inside.txt')).toBe('inside\n');
  });

  it('refuses a link to nothing and files over the size limit', async () => {
    const files = await RepoFiles.open(root);
    await expect(files.kind('dockerfilePath', 'dangling')).rejects.toThrow(/symbolic link to nothing/);
    await expect(files.readText('repository', 'sub/big.txt', 1024)).rejects.toThrow(/larger than 1024 bytes/);
    expect(await files.readText('repository', 'sub/big.txt', 4096)).toHaveLength(2048);
  });

  it('lists plain files and directories, and finds names nothing occupies', async () => {
    const files = await RepoFiles.open(root);
    expect(await files.list('repository', '.')).toEqual({ files: ['inside.txt'], directories: ['sub'] });
    expect(await files.freeName('.', ['inside.txt', 'dangling', 'Dockerfile'])).toBe('Dockerfile');
    await expect(files.freeName('.', ['inside.txt'])).rejects.toThrow(BuildPlanError);
  });

  it('refuses a repository directory that does not exist', async () => {
    await expect(RepoFiles.open(path.join(outside, 'nope'))).rejects.toThrow(/does not exist/);
  });
});
