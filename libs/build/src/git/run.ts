import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GitError, type GitErrorKind } from './errors.js';
import type { RepositoryTransport } from './validate.js';

export type GitAuth =
  | { kind: 'none' }
  | { kind: 'token'; token: string; username?: string }
  | { kind: 'ssh'; privateKey: string; knownHosts?: string };

/** Accepted by GitHub (installation and personal tokens) and GitLab (personal, project, group and deploy tokens);
 * GitLab OAuth tokens want `oauth2`, Gitee the account's user name: pass `username` for those. */
export const DEFAULT_TOKEN_USERNAME = 'x-access-token';

/** One git invocation context: a private HOME, the credentials, and the config every command runs with. */
export interface GitSession {
  readonly dir: string;
  readonly env: Record<string, string>;
  readonly config: string[];
  mask(text: string): string;
  close(): Promise<void>;
}

const SAFE_PATH = /^[A-Za-z0-9._/-]+$/;
const MAX_OUTPUT = 1 << 20;

/** Checks that the credentials fit the transport; returns what is wrong, or undefined. */
export function checkAuth(auth: GitAuth, transport: RepositoryTransport): string | undefined {
  if (auth.kind === 'token') {
    if (transport === 'ssh') return 'a token works only with https:// URLs; use a deploy key for SSH URLs';
    if (!/^[\x21-\x7e]{1,4096}$/.test(auth.token)) return 'the token must be 1 to 4096 printable ASCII characters';
    if (auth.username !== undefined && !/^[A-Za-z0-9._@+-]{1,255}$/.test(auth.username)) {
      return 'the token user name may contain only letters, digits and . _ @ + -';
    }
  }
  if (auth.kind === 'ssh') {
    if (transport !== 'ssh') return 'an SSH key works only with ssh:// or user@host:path URLs';
    const key = auth.privateKey.replaceAll('\r\n', '\n').trim();
    if (!/^-----BEGIN [A-Z ]*PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n-----END [A-Z ]*PRIVATE KEY-----$/.test(key)) {
      return 'the SSH private key is not an unencrypted PEM/OpenSSH private key';
    }
    if (auth.knownHosts !== undefined && (auth.knownHosts.includes('\0') || auth.knownHosts.length > 65536)) {
      return 'known_hosts is not valid';
    }
  }
  return undefined;
}

export async function openSession(opts: { url: string; transport: RepositoryTransport; auth: GitAuth }): Promise<GitSession> {
  const { url, transport, auth } = opts;
  const dir = await mkdtemp(join(tmpdir(), 'wharf-git-'));
  const secrets: string[] = [];
  try {
    // GIT_SSH_COMMAND goes through a shell: it may only ever hold our own, plain temp paths
    if (!SAFE_PATH.test(dir)) throw new Error(`temp directory ${JSON.stringify(dir)} has unexpected characters`);
    const knownHosts = join(dir, 'known_hosts');
    await writeFile(knownHosts, auth.kind === 'ssh' ? (auth.knownHosts ?? '') : '', { mode: 0o600 });
    const ssh = [
      'ssh -F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -o ConnectTimeout=30',
      `-o StrictHostKeyChecking=${auth.kind === 'ssh' && auth.knownHosts ? 'yes' : 'accept-new'}`,
      `-o UserKnownHostsFile='${knownHosts}' -o GlobalKnownHostsFile=/dev/null`,
    ];
    if (auth.kind === 'ssh') {
      const key = join(dir, 'id_key');
      await writeFile(key, `${auth.privateKey.replaceAll('\r\n', '\n').trim()}\n`, { mode: 0o600, flag: 'wx' });
      ssh.push(`-i '${key}'`);
    } else {
      ssh.push('-o IdentityFile=none'); // ssh would otherwise try the service user's own ~/.ssh keys
    }

    const allowed = transport === 'http' ? ['https', 'ssh', 'http'] : ['https', 'ssh'];
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: dir,
      XDG_CONFIG_HOME: dir,
      LC_ALL: 'C',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CEILING_DIRECTORIES: dirname(dir),
      GIT_TERMINAL_PROMPT: '0',
      GIT_PROTOCOL_FROM_USER: '0',
      GIT_ALLOW_PROTOCOL: allowed.join(':'),
      GIT_SSH_COMMAND: ssh.join(' '),
      GIT_SSH_VARIANT: 'ssh',
    };
    const config = [
      'protocol.allow=never',
      ...allowed.map((p) => `protocol.${p}.allow=always`),
      'credential.helper=',
      'core.hooksPath=/dev/null',
      'core.fsmonitor=false',
      // symlinks are checked out as symlinks; the build context packer refuses any that point outside the tree
      'core.symlinks=true',
      'core.protectNTFS=true',
      'core.protectHFS=true',
      'submodule.recurse=false',
      'fetch.recurseSubmodules=false',
      'advice.detachedHead=false',
      'init.defaultBranch=main',
      'gc.auto=0',
      'maintenance.auto=false',
    ].flatMap((c) => ['-c', c]);

    if (auth.kind === 'token') {
      const basic = Buffer.from(`${auth.username ?? DEFAULT_TOKEN_USERNAME}:${auth.token}`).toString('base64');
      secrets.push(auth.token, basic);
      // the header travels in the environment (never argv, never the URL), scoped to this URL's origin, and
      // redirects are not followed so it cannot be carried to another host
      const origin = /^https?:\/\/(?:[^@/]*@)?[^/]+\//.exec(url)?.[0].replace(/\/\/[^@/]*@/, '//');
      Object.assign(env, {
        GIT_CONFIG_COUNT: '2',
        GIT_CONFIG_KEY_0: `http.${origin ?? url}.extraHeader`,
        GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
        GIT_CONFIG_KEY_1: 'http.followRedirects',
        GIT_CONFIG_VALUE_1: 'false',
      });
    }
    return {
      dir,
      env,
      config,
      mask: (text) => secrets.reduce((t, s) => (s ? t.replaceAll(s, '***') : t), text),
      close: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

export interface RunOptions {
  cwd: string;
  signal: AbortSignal;
  onLog?: (line: string) => void;
  /** How to name "the thing was not there" errors. */
  wanted?: 'branch' | 'commit';
}

/** Runs `git <config> <args>` without a shell, in its own process group so that an abort kills ssh and helpers too. */
export function runGit(session: GitSession, args: string[], opts: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    if (opts.signal.aborted) return reject(opts.signal.reason);
    const child = spawn('git', [...session.config, ...args], {
      cwd: opts.cwd,
      env: session.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    const onAbort = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    };
    opts.signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < MAX_OUTPUT) stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-16384);
      const lines = (pending + chunk).split(/[\r\n]/);
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) opts.onLog?.(session.mask(line));
    });
    child.on('error', (err) => {
      opts.signal.removeEventListener('abort', onAbort);
      reject(new GitError('failed', `could not run git: ${err.message}`));
    });
    child.on('close', (code) => {
      opts.signal.removeEventListener('abort', onAbort);
      if (pending.trim()) opts.onLog?.(session.mask(pending));
      if (opts.signal.aborted) return reject(opts.signal.reason);
      if (code === 0) return resolve(stdout);
      reject(classify(session.mask(stderr), opts.wanted));
    });
  });
}

const RULES: [GitErrorKind, RegExp, string][] = [
  ['host-key', /host key verification failed|remote host identification has changed/, 'the SSH host key did not match'],
  [
    'auth',
    /authentication failed|could not read (?:username|password)|terminal prompts disabled|permission denied \(|access denied|returned error: 40[13]|invalid username or password/,
    'authentication failed: check the token or that the deploy key is added to the repository',
  ],
  [
    'repository-not-found',
    /repository not found|repository '[^'\n]*' not found|returned error: 404|does not appear to be a git repository|no such repository/,
    'repository not found (or no access to it)',
  ],
  [
    'network',
    /could not resolve host|connection refused|connection timed out|failed to connect|network is unreachable|no route to host|connection reset|ssl|tls|certificate/,
    'could not reach the git server',
  ],
];

const MISSING = /couldn't find remote ref|unadvertised object|not our ref|no such remote ref|bad object|not a valid object/;

export function classify(stderr: string, wanted?: 'branch' | 'commit'): GitError {
  const s = stderr.toLowerCase();
  const detail = stderr.trim().split('\n').slice(-5).join('\n');
  for (const [kind, pattern, message] of RULES) {
    if (pattern.test(s)) return new GitError(kind, `${message}: ${detail}`, detail);
  }
  if (MISSING.test(s) && wanted === 'branch') return new GitError('ref-not-found', 'the branch does not exist', detail);
  if (MISSING.test(s) && wanted === 'commit') {
    return new GitError('commit-not-found', 'the commit was not found in the repository', detail);
  }
  return new GitError('failed', `git failed: ${detail}`, detail);
}
