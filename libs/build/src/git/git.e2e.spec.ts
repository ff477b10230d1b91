import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitServer, startGitServer } from '../../../../tests/support/git-server.js';
import { type Sshd, startSshd } from '../../../../tests/support/sshd.js';
import { generateDeployKey } from './deploy-key.js';
import { GitError } from './errors.js';
import { fetchSource, resolveRef } from './fetch.js';
import type { GitAuth } from './run.js';

// Against a real `git http-backend` and a real sshd (Debian: git, openssh-server, openssh-client).
const NONE: GitAuth = { kind: 'none' };
const common = { timeoutMs: 20_000, allowInsecureHttp: true };
let work: string;
let server: GitServer;
let dirs = 0;
const freshDir = () => join(work, `checkout-${++dirs}`);
const files = async (dir: string) => (await readdir(dir)).filter((f) => f !== '.git').sort();

async function gitError(promise: Promise<unknown>): Promise<GitError> {
  const err = await promise.then(
    () => new Error('expected a GitError'),
    (e: unknown) => e,
  );
  if (!(err instanceof GitError)) throw err;
  return err;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'wharf-git-e2e-'));
  server = await startGitServer();
  await server.createRepo('app');
});
afterAll(async () => {
  await server?.close();
  await rm(work, { recursive: true, force: true });
});

describe('fetchSource over https (http in tests)', () => {
  let first: string;
  let second: string;
  beforeAll(async () => {
    first = await server.push('app', { 'a.txt': 'one\n' }, { message: 'first commit' });
    second = await server.push('app', { 'b.txt': 'two\n' }, { message: 'second commit' });
  });

  it('fetches a branch and reports its commit', async () => {
    const dir = freshDir();
    const got = await fetchSource({ ...common, url: server.repoUrl('app'), branch: 'main', dir, auth: NONE });
    expect(got).toEqual({ commit: second, subject: 'second commit', author: 'Wharf Test <test@wharf.invalid>' });
    expect(await files(dir)).toEqual(['a.txt', 'b.txt']);
    expect(await resolveRef(server.repoUrl('app'), { branch: 'main' }, NONE, common)).toBe(second);
  });

  it('fetches an older commit exactly', async () => {
    const dir = freshDir();
    const got = await fetchSource({ ...common, url: server.repoUrl('app'), commit: first, branch: 'main', dir, auth: NONE });
    expect(got.commit).toBe(first);
    expect(await files(dir)).toEqual(['a.txt']);
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('one\n');
  });

  it('falls back to the branch history when the server refuses commits by id', async () => {
    const strict = await startGitServer({ protocolV2: false, allowShaWant: false });
    try {
      await strict.createRepo('app');
      const old = await strict.push('app', { 'a.txt': 'one\n' });
      await strict.push('app', { 'b.txt': 'two\n' });
      const url = strict.repoUrl('app');
      const direct = await gitError(fetchSource({ ...common, url, commit: old, dir: freshDir(), auth: NONE }));
      expect(direct.kind).toBe('commit-not-found');
      const dir = freshDir();
      const got = await fetchSource({ ...common, url, commit: old, branch: 'main', dir, auth: NONE });
      expect(got.commit).toBe(old);
      expect(await files(dir)).toEqual(['a.txt']);
    } finally {
      await strict.close();
    }
  });

  it('names what was missing', async () => {
    const url = server.repoUrl('app');
    const commit = randomBytes(20).toString('hex');
    expect((await gitError(fetchSource({ ...common, url, commit, dir: freshDir(), auth: NONE }))).kind).toBe('commit-not-found');
    const branch = await gitError(fetchSource({ ...common, url, branch: 'nope', dir: freshDir(), auth: NONE }));
    expect(branch.kind).toBe('ref-not-found');
    expect((await gitError(resolveRef(url, { branch: 'nope' }, NONE, common))).kind).toBe('ref-not-found');
    const repo = await gitError(
      fetchSource({ ...common, url: server.repoUrl('missing'), branch: 'main', dir: freshDir(), auth: NONE }),
    );
    expect(repo.kind, repo.detail).toBe('repository-not-found');
  });
});

describe('a cached checkout (reuse)', () => {
  let url: string;
  let one: string;
  let two: string;
  beforeAll(async () => {
    await server.createRepo('cache');
    url = server.repoUrl('cache');
    one = await server.push('cache', { 'same.txt': 'same\n', 'a.txt': '1\n' });
    two = await server.push('cache', { 'a.txt': '2\n', 'new.txt': 'n\n' });
  });
  const mtime = async (file: string) => (await stat(file, { bigint: true })).mtimeNs;

  it('is brought to each commit in place: unchanged files keep their times, the rest follows the commit', async () => {
    const dir = freshDir();
    await fetchSource({ ...common, url, commit: one, dir, reuse: true, auth: NONE });
    const sameAt = await mtime(join(dir, 'same.txt'));
    await writeFile(join(dir, 'leftover.tmp'), 'x');
    await writeFile(join(dir, 'same.txt'), 'edited'); // what a killed build may leave: put back

    const log: string[] = [];
    const got = await fetchSource({ ...common, url, commit: two, dir, reuse: true, auth: NONE, onLog: (l) => log.push(l) });
    expect(got.commit).toBe(two);
    expect(await files(dir)).toEqual(['a.txt', 'new.txt', 'same.txt']);
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('2\n');
    expect(await readFile(join(dir, 'same.txt'), 'utf8')).toBe('same\n');
    expect(log.join('\n')).not.toContain('afresh');

    const untouched = await mtime(join(dir, 'same.txt'));
    await fetchSource({ ...common, url, commit: one, dir, reuse: true, auth: NONE });
    expect(await files(dir)).toEqual(['a.txt', 'same.txt']);
    expect(await mtime(join(dir, 'same.txt'))).toBe(untouched);
    expect(untouched).not.toBe(sameAt); // the control: a file that was rewritten has a new time

    // without `reuse`, a directory that is not empty is refused
    const refused = await gitError(fetchSource({ ...common, url, commit: two, dir, auth: NONE }));
    expect(refused.kind).toBe('invalid-input');
  });

  it('is fetched afresh when a killed build left it broken', async () => {
    const dir = freshDir();
    await fetchSource({ ...common, url, commit: one, dir, reuse: true, auth: NONE });
    await writeFile(join(dir, '.git', 'index.lock'), '');
    const log: string[] = [];
    const got = await fetchSource({ ...common, url, commit: two, dir, reuse: true, auth: NONE, onLog: (l) => log.push(l) });
    expect(got.commit).toBe(two);
    expect(await files(dir)).toEqual(['a.txt', 'new.txt', 'same.txt']);
    expect(log).toContainEqual(expect.stringContaining('fetching afresh'));
  });
});

describe('token auth', () => {
  const token = `tok-${randomBytes(12).toString('hex')}`;
  let secured: GitServer;
  beforeAll(async () => {
    secured = await startGitServer({ token });
    await secured.createRepo('private');
    await secured.push('private', { 'secret.txt': 'x' });
  });
  afterAll(() => secured.close());

  it('fetches with the right token (positive control)', async () => {
    const auth: GitAuth = { kind: 'token', token };
    const got = await fetchSource({ ...common, url: secured.repoUrl('private'), branch: 'main', dir: freshDir(), auth });
    expect(got.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it.each<[string, GitAuth]>([
    ['no token', NONE],
    ['a wrong token', { kind: 'token', token: `wrong-${token}` }],
  ])('refuses %s with an auth error that does not contain the token', async (_, auth) => {
    const logs: string[] = [];
    const url = secured.repoUrl('private');
    const err = await gitError(
      fetchSource({ ...common, url, branch: 'main', dir: freshDir(), auth, onLog: (l) => logs.push(l) }),
    );
    expect(err.kind).toBe('auth');
    const b64 = auth.kind === 'token' ? Buffer.from(`x-access-token:${auth.token}`).toString('base64') : 'none';
    for (const text of [err.message, err.detail ?? '', err.stack ?? '', ...logs]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(b64);
    }
    expect((await gitError(resolveRef(url, { branch: 'main' }, auth, common))).kind).toBe('auth');
  });
});

describe('deploy keys over a real sshd', () => {
  const key = generateDeployKey('wharf e2e deploy key');
  let sshd: Sshd;
  beforeAll(async () => {
    sshd = await startSshd({ authorizedKey: key.publicKey, repoRoot: server.root });
  });
  afterAll(() => sshd?.close());

  const ourTempDirs = async () => (await readdir(tmpdir())).filter((d) => /^wharf-git-[A-Za-z0-9]{6}$/.test(d)).sort();

  it('fetches with the authorised key, checking the host key', async () => {
    const before = await ourTempDirs();
    const auth: GitAuth = { kind: 'ssh', privateKey: key.privateKey, knownHosts: `${sshd.hostKeyLine}\n` };
    const got = await fetchSource({ ...common, url: sshd.sshUrl('app'), branch: 'main', dir: freshDir(), auth });
    expect(got.commit).toBe(await resolveRef(server.repoUrl('app'), { branch: 'main' }, NONE, common));
    expect(await resolveRef(sshd.sshUrl('app'), { branch: 'main' }, auth, common)).toBe(got.commit);
    // without known_hosts the first key is accepted (accept-new)
    const tofu: GitAuth = { kind: 'ssh', privateKey: key.privateKey };
    expect(await resolveRef(sshd.sshUrl('app'), { branch: 'main' }, tofu, common)).toBe(got.commit);
    expect(await ourTempDirs()).toEqual(before); // the key files are gone
  });

  it('refuses a key that is not authorised, and a host key that does not match', async () => {
    const stranger: GitAuth = { kind: 'ssh', privateKey: generateDeployKey('stranger').privateKey };
    const err = await gitError(
      fetchSource({ ...common, url: sshd.sshUrl('app'), branch: 'main', dir: freshDir(), auth: stranger }),
    );
    expect(err.kind).toBe('auth');
    const other = generateDeployKey('').publicKey.split(' ').slice(0, 2).join(' ');
    const spoofed: GitAuth = { kind: 'ssh', privateKey: key.privateKey, knownHosts: `[127.0.0.1]:${sshd.port} ${other}\n` };
    expect((await gitError(resolveRef(sshd.sshUrl('app'), { branch: 'main' }, spoofed, common))).kind).toBe('host-key');
  });
});

describe('timeouts and cancellation', () => {
  // a server that accepts connections and never answers: git hangs until we kill it
  let blackhole: Server;
  const sockets = new Set<Socket>();
  let url: string;
  beforeAll(async () => {
    blackhole = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
      s.resume(); // read, so that the peer going away is noticed
    });
    await new Promise<void>((ok) => blackhole.listen(0, '127.0.0.1', ok));
    const address = blackhole.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hang.git`;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((ok) => blackhole.close(ok));
  });

  const gitProcessesFor = async (needle: string) => {
    const found: string[] = [];
    for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      if (cmdline.includes(needle)) found.push(pid);
    }
    return found;
  };

  it('kills git when the timeout passes', async () => {
    const started = Date.now();
    const err = await gitError(fetchSource({ ...common, timeoutMs: 1000, url, branch: 'main', dir: freshDir(), auth: NONE }));
    expect(err.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect.poll(() => gitProcessesFor(url)).toEqual([]);
    await expect.poll(() => sockets.size).toBe(0);
  });

  it('never puts the token on a command line', async () => {
    const token = `argv-${randomBytes(12).toString('hex')}`;
    const pending = gitError(
      fetchSource({ ...common, timeoutMs: 1500, url, branch: 'main', dir: freshDir(), auth: { kind: 'token', token } }),
    );
    await expect.poll(() => gitProcessesFor(url)).not.toEqual([]); // git is running against the URL...
    expect(await gitProcessesFor(token)).toEqual([]); // ...and no process has the token in its argv
    expect((await pending).kind).toBe('timeout');
  });

  it('kills git when the signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 500);
    const err = await gitError(resolveRef(url, { branch: 'main' }, NONE, { ...common, signal: controller.signal }));
    expect(err.kind).toBe('cancelled');
    await expect.poll(() => gitProcessesFor(url)).toEqual([]);
  });
});

describe('hostile input never reaches a shell', () => {
  const marker = join(tmpdir(), `wharf-pwned-${randomBytes(6).toString('hex')}`);
  const touch = `touch ${marker}`;
  const hostileUrls = [
    `; ${touch}`,
    `$(${touch})`,
    `\`${touch}\``,
    `--upload-pack=${touch}`,
    `-oProxyCommand=${touch}`,
    `ssh://-oProxyCommand=${touch.replace(' ', '%20')}/repo`,
    `git@-oProxyCommand=touch:${marker}`,
    `ext::sh -c touch% ${marker}`,
    `ext::sh -c ${touch}`,
    'file:///etc',
    marker,
    `https://example.com/repo\n--upload-pack=${touch}`,
    `https://example.com/repo%0a--upload-pack=${touch.replace(' ', '%20')}`,
    'https://user:pass@example.com/repo.git',
  ];
  const hostileRefs = [`$(${touch})`, `--upload-pack=${touch}`, `main\n${touch}`, `main;${touch}`, 'main..x', 'main@{0}'];

  it.each(hostileUrls)('refuses the URL %j before running git', async (url) => {
    const dir = freshDir();
    const err = await gitError(fetchSource({ ...common, url, branch: 'main', dir, auth: NONE }));
    expect(err.kind).toBe('invalid-input');
    expect((await gitError(resolveRef(url, { branch: 'main' }, NONE, common))).kind).toBe('invalid-input');
    expect(existsSync(dir)).toBe(false);
  });

  it.each(hostileRefs)('refuses the branch or commit %j before running git', async (ref) => {
    const url = server.repoUrl('app');
    const dir = freshDir();
    expect((await gitError(fetchSource({ ...common, url, commit: ref, dir, auth: NONE }))).kind).toBe('invalid-input');
    expect((await gitError(fetchSource({ ...common, url, branch: ref, dir, auth: NONE }))).kind).toBe('invalid-input');
    expect((await gitError(resolveRef(url, { branch: ref }, NONE, common))).kind).toBe('invalid-input');
    expect(existsSync(dir)).toBe(false);
  });

  // valid git branch names that look like shell: fetched like any other name, never interpreted
  it.each([`a$(touch\${IFS}${marker})b`, `\`touch\${IFS}${marker}\``, `x;touch\${IFS}${marker}|y&z`])(
    'fetches the shell-looking branch %j inertly',
    async (branch) => {
      const commit = await server.push('app', { 'branch.txt': branch }, { branch });
      const dir = freshDir();
      const got = await fetchSource({ ...common, url: server.repoUrl('app'), branch, dir, auth: NONE });
      expect(got.commit).toBe(commit);
      expect(await readFile(join(dir, 'branch.txt'), 'utf8')).toBe(branch);
      expect(await resolveRef(server.repoUrl('app'), { branch }, NONE, common)).toBe(commit);
    },
  );

  afterAll(() => {
    expect(existsSync(marker)).toBe(false);
  });
});
