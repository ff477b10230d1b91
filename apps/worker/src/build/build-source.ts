import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { fetchSource, type GitAuth } from '@wharf/build';
import { AAD, type SecretBox } from '@wharf/crypto';
import { type AppSourceRow, type BuildRow, SourcesRepository, type TenantScope } from '@wharf/db';

/** What is wrong with a build's source (a removed connection, a bad upload): the build fails with it. */
export class SourceError extends Error {}

/** How the builder reaches the app's repository, with the secrets opened (never logged: the caller masks them). */
export async function sourceAuth(box: SecretBox, scope: TenantScope, source: AppSourceRow): Promise<GitAuth> {
  const t = scope.tenantId;
  switch (source.auth) {
    case 'none':
      return { kind: 'none' };
    case 'token':
      return { kind: 'token', token: box.open(source.tokenSealed ?? '', AAD.sourceToken(t, source.appId)) };
    case 'ssh':
      return { kind: 'ssh', privateKey: box.open(source.deployKeySealed ?? '', AAD.deployKey(t, source.appId)) };
    case 'connection': {
      const connection = source.connectionId ? await new SourcesRepository().connection(scope, source.connectionId) : undefined;
      if (!connection) throw new SourceError('the git connection of the app’s source was removed');
      const token = box.open(connection.tokenSealed, AAD.gitConnection(t, connection.provider, connection.account));
      // GitHub and GitLab take any user name with a token; Gitee wants the account's own
      return { kind: 'token', token, ...(connection.provider === 'gitee' ? { username: connection.account } : {}) };
    }
  }
}

export interface FetchOptions {
  dir: string;
  /** `dir` may hold the app's previous checkout, to update in place. */
  reuse: boolean;
  auth: GitAuth;
  allowInsecureHttp: boolean;
  timeoutMs: number;
  signal: AbortSignal;
  onLog: (line: string) => void;
}

/** Checks the build's source out into `dir`: the repository at the exact commit, or the uploaded archive. */
export async function checkout(
  build: BuildRow,
  upload: () => Promise<Buffer | undefined>,
  opts: FetchOptions,
): Promise<{ commit: string | null; subject: string | null }> {
  if (build.kind === 'upload') {
    const archive = await upload();
    if (!archive) throw new SourceError('the uploaded source is gone (the build was already run to the end once)');
    const size = archive.length < 10_240 ? `${archive.length} B` : `${Math.round(archive.length / 1024)} KiB`;
    opts.onLog(`unpacking the uploaded source (${size})`);
    await unpack(archive, opts.dir, opts.signal);
    return { commit: null, subject: null };
  }
  if (!build.repository) throw new SourceError('the build has no repository');
  opts.onLog(`fetching ${build.repository} ${build.commit ? `at ${build.commit}` : `branch ${build.branch}`}`);
  const fetched = await fetchSource({
    url: build.repository,
    ...(build.commit ? { commit: build.commit } : {}),
    ...(build.branch ? { branch: build.branch } : {}),
    dir: opts.dir,
    reuse: opts.reuse,
    auth: opts.auth,
    allowInsecureHttp: opts.allowInsecureHttp,
    timeoutMs: opts.timeoutMs,
    signal: opts.signal,
    onLog: opts.onLog,
  });
  opts.onLog(`checked out ${fetched.commit} "${fetched.subject}" by ${fetched.author}`);
  return { commit: fetched.commit, subject: fetched.subject.slice(0, 300) };
}

/**
 * Unpacks a gzip'd tar with GNU tar (an argument array, no shell): members are kept inside `dir` (tar refuses
 * absolute names and `..`), owners and permissions are not taken from the archive. Symlinks pointing out of the
 * tree are refused later by the context packer.
 */
async function unpack(archive: Buffer, dir: string, signal: AbortSignal): Promise<void> {
  await mkdir(dir, { recursive: true });
  await new Promise<void>((resolve, reject) => {
    const tar = spawn('tar', ['-xzf', '-', '-C', dir, '--no-same-owner', '--no-same-permissions', '--no-overwrite-dir'], {
      stdio: ['pipe', 'ignore', 'pipe'],
      signal,
    });
    let stderr = '';
    tar.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    tar.on('error', reject);
    tar.on('close', (code) =>
      code === 0 ? resolve() : reject(new SourceError(`the uploaded source is not a valid gzip'd tar: ${stderr.trim()}`)),
    );
    tar.stdin.on('error', () => undefined);
    tar.stdin.end(archive);
  });
}
