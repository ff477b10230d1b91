import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publicKeyOnlyConfig, stopSshd, waitForBanner } from './sshd.js';

/*
 * A real OpenSSH server (Debian openssh-server) inside a machine of the `local` provider: started in the machine's
 * network namespace (`nsenter --net=…`), listening on the machine's address, port 22, with its own host key. It
 * admits one user, root, by public key only (the broker's key, set with `authorize`), forwards stream-local (unix
 * socket) channels — which OpenSSH allows only with local TCP forwarding — and nothing else: no shell or command
 * (ForceCommand /bin/false), no remote forwarding, no tty.
 * That is all broker mode needs of a host besides its dockerd.
 */

const SSHD = '/usr/sbin/sshd';

export interface MachineSshd {
  /** The server's host key: one OpenSSH public key line (`ssh-ed25519 AAAA…`), what a user pins. */
  hostKey: string;
  /** Replaces the authorized keys (sshd reads the file at each login). */
  authorize(publicKey: string): Promise<void>;
  close(): Promise<void>;
}

export async function startMachineSshd(machine: { netns: string; address: string }): Promise<MachineSshd> {
  if (!/^[A-Za-z0-9_.-]+$/.test(machine.netns) || !/^[0-9.]+$/.test(machine.address))
    throw new Error('a machine netns name and IPv4 address');
  const dir = await mkdtemp(join(tmpdir(), 'wharf-msshd-'));
  let child: ChildProcess | undefined;
  try {
    await mkdir('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege separation directory
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', join(dir, 'host_key')], { stdio: 'ignore' });
    await writeFile(join(dir, 'authorized_keys'), '', { mode: 0o600 });
    const config = [
      'Port 22',
      `ListenAddress ${machine.address}`,
      // before the shared options: sshd keeps the first value of a keyword. OpenSSH lets a unix-socket channel
      // through only when local TCP forwarding is allowed too (`AllowTcpForwarding no` denies it)
      'AllowTcpForwarding local',
      'AllowStreamLocalForwarding local',
      ...publicKeyOnlyConfig(dir, 'root'),
      'ForceCommand /bin/false',
    ];
    await writeFile(join(dir, 'sshd_config'), `${config.join('\n')}\n`, { mode: 0o600 });
    child = spawn('nsenter', [`--net=/var/run/netns/${machine.netns}`, SSHD, '-D', '-e', '-f', join(dir, 'sshd_config')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      log = (log + chunk).slice(-8192);
    });
    await waitForBanner(22, child, Date.now() + 10_000, machine.address).catch((err: Error) => {
      throw new Error(`${err.message}: ${log}`);
    });
    const hostKey = (await readFile(join(dir, 'host_key.pub'), 'utf8')).trim().split(' ').slice(0, 2).join(' ');
    const running = child;
    return {
      hostKey,
      authorize: (publicKey) => writeFile(join(dir, 'authorized_keys'), `${publicKey.trim()}\n`, { mode: 0o600 }),
      close: () => stopSshd(running, dir),
    };
  } catch (err) {
    child?.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
