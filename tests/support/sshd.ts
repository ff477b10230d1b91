import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

// A real OpenSSH server for tests (Debian: openssh-server, /usr/sbin/sshd), on 127.0.0.1 with its own config and
// host key. Only public-key login for the current user, and every session is forced into a script that runs
// git-upload-pack on a repository directly under `repoRoot`, read only; no shell, no forwarding, no pty.

const run = promisify(execFile);
const SSHD = '/usr/sbin/sshd';
const SAFE_PATH = /^[A-Za-z0-9._/-]+$/;

export interface Sshd {
  port: number;
  /** A known_hosts line for this server: `[127.0.0.1]:<port> ssh-ed25519 AAAA…`. */
  hostKeyLine: string;
  /** ssh://<user>@127.0.0.1:<port>/<name>.git, served from `<repoRoot>/<name>.git`. */
  sshUrl(name: string): string;
  close(): Promise<void>;
}

// SSH_ORIGINAL_COMMAND is `git-upload-pack '/<name>.git'`; anything else is refused. The name is checked against a
// strict pattern before it is used, and the repository is opened with --strict (no searching for .git).
const forceCommand = (root: string) => `#!/bin/sh
set -eu
cmd="\${SSH_ORIGINAL_COMMAND:-}"
case "$cmd" in
  "git-upload-pack '/"*".git'") name="\${cmd#git-upload-pack \\'/}"; name="\${name%\\'}" ;;
  *) echo "only git-upload-pack is allowed" >&2; exit 1 ;;
esac
case "$name" in
  ""|.*|*[!A-Za-z0-9._-]*) echo "bad repository name" >&2; exit 1 ;;
esac
exec git-upload-pack --strict -- "${root}/$name"
`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  await new Promise<void>((ok) => server.close(() => ok()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Resolves once the server at `host:port` sends its SSH banner. */
export async function waitForBanner(port: number, child: ChildProcess, deadline: number, host = '127.0.0.1'): Promise<void> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}`);
    const ready = await new Promise<boolean>((ok) => {
      const socket = connect(port, host);
      const done = (result: boolean) => {
        socket.destroy();
        ok(result);
      };
      socket.setTimeout(1000);
      socket.once('data', (d) => done(d.toString().startsWith('SSH-2.0')));
      socket.once('error', () => done(false));
      socket.once('timeout', () => done(false));
      socket.once('close', () => done(false));
    });
    if (ready) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('sshd did not start');
}

/**
 * sshd options shared by the test servers: its files under `dir` (host_key, sshd.pid, authorized_keys), one user
 * by public key only, and no tty, TCP or agent forwarding, X11 or tunnel.
 */
export function publicKeyOnlyConfig(dir: string, user: string): string[] {
  return [
    `HostKey ${dir}/host_key`,
    `PidFile ${dir}/sshd.pid`,
    `AuthorizedKeysFile ${dir}/authorized_keys`,
    `AllowUsers ${user}`,
    'AuthenticationMethods publickey',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'UsePAM no',
    'StrictModes no', // the key file lives under the world-writable /tmp
    'PermitTTY no',
    'AllowTcpForwarding no',
    'AllowAgentForwarding no',
    'X11Forwarding no',
    'PermitTunnel no',
    'PermitUserEnvironment no',
    'PrintMotd no',
    'LogLevel VERBOSE',
  ];
}

/** SIGTERM to the server (if it still runs), then its directory removed. */
export async function stopSshd(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((ok) => child.once('exit', ok));
    child.kill('SIGTERM');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
}

export async function startSshd(opts: { authorizedKey: string; repoRoot: string }): Promise<Sshd> {
  if (!/^ssh-[a-z0-9-]+ [A-Za-z0-9+/=]+(?: [\x20-\x7e]*)?$/.test(opts.authorizedKey.trim())) {
    throw new Error('authorizedKey must be one OpenSSH public key line');
  }
  if (!SAFE_PATH.test(opts.repoRoot)) throw new Error('repoRoot must be a plain absolute path');
  const dir = await mkdtemp(join(tmpdir(), 'wharf-sshd-'));
  if (!SAFE_PATH.test(dir)) throw new Error(`unexpected temp path ${dir}`);
  const user = userInfo().username;
  let child: ChildProcess | undefined;
  try {
    await mkdir('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege separation directory
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', join(dir, 'host_key')]);
    await writeFile(join(dir, 'authorized_keys'), `restrict ${opts.authorizedKey.trim()}\n`, { mode: 0o600 });
    await writeFile(join(dir, 'git-only.sh'), forceCommand(opts.repoRoot), { mode: 0o755 });
    await chmod(dir, 0o755);
    const port = await freePort();
    const config = [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      ...publicKeyOnlyConfig(dir, user),
      `ForceCommand ${dir}/git-only.sh`,
      'AcceptEnv GIT_PROTOCOL',
      'AllowStreamLocalForwarding no',
    ];
    await writeFile(join(dir, 'sshd_config'), `${config.join('\n')}\n`, { mode: 0o600 });
    child = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      log = (log + chunk).slice(-8192);
    });
    await waitForBanner(port, child, Date.now() + 10_000).catch((err: Error) => {
      throw new Error(`${err.message}: ${log}`);
    });
    const hostKey = (await readFile(join(dir, 'host_key.pub'), 'utf8')).trim().split(' ').slice(0, 2).join(' ');
    const running = child;
    return {
      port,
      hostKeyLine: `[127.0.0.1]:${port} ${hostKey}`,
      sshUrl: (name) => `ssh://${user}@127.0.0.1:${port}/${name}.git`,
      close: () => stopSshd(running, dir),
    };
  } catch (err) {
    child?.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
