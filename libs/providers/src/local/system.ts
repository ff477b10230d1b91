import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ProviderError } from '../errors.js';

/*
 * The few things the local provider asks of the kernel and its tools (ip, iptables, nsenter, umount), always as an
 * argument array, never through a shell; and what it reads back from /proc and /sys.
 */

export const NETNS_DIR = '/var/run/netns';

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a tool; a non-zero exit is a ProviderError('failed') naming the command and its stderr. */
export function run(command: string, args: readonly string[], timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const detail = String(stderr).trim() || err.message;
        reject(new ProviderError('failed', `${command} ${args.join(' ')}: ${detail}`, 'LocalCommandFailed'));
      } else resolve({ stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Runs a tool and answers whether it exited 0 (for checks such as `iptables -C`). */
export function succeeds(command: string, args: readonly string[]): Promise<boolean> {
  return run(command, args).then(
    () => true,
    () => false,
  );
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A network interface of the host's own namespace. */
export function hostLinkExists(name: string): boolean {
  return existsSync(path.join('/sys/class/net', name));
}

export function netnsExists(name: string): boolean {
  return existsSync(path.join(NETNS_DIR, name));
}

export function netnsLinkExists(netns: string, name: string): Promise<boolean> {
  return succeeds('ip', ['-n', netns, 'link', 'show', 'dev', name]);
}

/** The inode of a named network namespace (what /proc/<pid>/ns/net of its processes links to). */
export function netnsInode(name: string): number | undefined {
  try {
    return statSync(path.join(NETNS_DIR, name)).ino;
  } catch {
    return undefined;
  }
}

function readProc(pid: number, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

/** The command line of a live process ('' for a process gone or a zombie), its arguments joined by spaces. */
export function cmdline(pid: number): string {
  return readProc(pid, 'cmdline').split('\0').join(' ').trim();
}

/** A live process (not a zombie) whose command line contains `marker`: guards against a recycled pid. */
export function processMatches(pid: number | undefined, marker: string): boolean {
  return pid !== undefined && pid > 0 && cmdline(pid).includes(marker);
}

/** A live process whose environment holds exactly `entry` (`NAME=value`). */
export function processHasEnv(pid: number | undefined, entry: string): boolean {
  return pid !== undefined && pid > 0 && readProc(pid, 'environ').split('\0').includes(entry);
}

function pids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => pid !== process.pid);
}

/** Every process that belongs to a machine: its command line names the machine's directory, it lives in the
 * machine's network namespace, or in the machine's cgroup parent (its containers). */
export function machineProcesses(marks: { dir: string; netnsInode?: number; cgroup: string }): number[] {
  return pids().filter((pid) => {
    if (cmdline(pid).includes(marks.dir)) return true;
    if (marks.netnsInode !== undefined) {
      try {
        const link = statSync(`/proc/${pid}/ns/net`);
        if (link.ino === marks.netnsInode) return true;
      } catch {
        // the process ended while we looked
      }
    }
    return readProc(pid, 'cgroup')
      .split('\n')
      .some((line) => line.endsWith(`:${marks.cgroup}`) || line.includes(`:${marks.cgroup}/`));
  });
}

export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Waits until `gone()` holds, up to `ms`; answers whether it did. */
export async function waitFor(gone: () => boolean | Promise<boolean>, ms: number, stepMs = 100): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(stepMs)) {
    if (await gone()) return true;
  }
  return gone();
}

/** SIGTERM, then SIGKILL when the process is still there after `graceMs`. `alive` re-checks identity each time. */
export async function stopProcess(pid: number, alive: () => boolean, graceMs: number): Promise<void> {
  if (!alive()) return;
  signal(pid, 'SIGTERM');
  if (await waitFor(() => !alive(), graceMs)) return;
  signal(pid, 'SIGKILL');
  await waitFor(() => !alive(), 5_000);
}

/** `GET /_ping` on a Docker engine's unix socket: true when it answers OK. */
export function pingEngine(socketPath: string, timeoutMs = 1_000): Promise<boolean> {
  if (!existsSync(socketPath)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: '/_ping', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** One call to a Docker engine's API on its unix socket: the status and the parsed JSON body ('' when none). */
function engineCall(
  socketPath: string,
  method: 'GET' | 'POST',
  apiPath: string,
  timeoutMs = 5_000,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method, path: apiPath, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : '' });
        } catch {
          resolve({ status: res.statusCode ?? 0, body: text });
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${apiPath}: timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Kills every running container of an engine (best effort: what is left is killed by the process sweep). */
export async function killContainers(socketPath: string): Promise<void> {
  if (!(await pingEngine(socketPath))) return;
  try {
    const { status, body } = await engineCall(socketPath, 'GET', '/containers/json');
    if (status !== 200 || !Array.isArray(body)) return;
    const ids = body
      .map((c: { Id?: unknown }) => c.Id)
      .filter((id): id is string => typeof id === 'string' && /^[0-9a-f]{64}$/.test(id));
    await Promise.all(ids.map((id) => engineCall(socketPath, 'POST', `/containers/${id}/kill`).catch(() => undefined)));
  } catch {
    // the engine stopped answering: the sweep after it handles what is left
  }
}

/** Mount points at or under `dir`, deepest first (so each can be unmounted before its parent). */
export function mountsUnder(dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  const decode = (p: string) => p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => p !== undefined)
    .map(decode)
    .filter((p) => p === dir || p.startsWith(prefix))
    .sort((a, b) => b.length - a.length);
}

export async function unmountAll(dir: string): Promise<void> {
  for (const mount of mountsUnder(dir)) {
    // a lazy unmount when a plain one is refused (busy): the directory is about to go anyway
    if (!(await succeeds('umount', [mount]))) await succeeds('umount', ['-l', mount]);
  }
  const left = mountsUnder(dir);
  if (left.length > 0) throw new ProviderError('failed', `could not unmount ${left.join(', ')}`, 'LocalMountBusy');
}

/** Removes a cgroup (`/wharf-<id>`) and the ones under it from every hierarchy, as the engine left them (empty). */
export function removeCgroups(name: string): void {
  const root = '/sys/fs/cgroup';
  const roots = [root, ...readdirSafe(root).map((d) => path.join(root, d))];
  const rmTree = (dir: string): void => {
    for (const child of readdirSafe(dir)) {
      const p = path.join(dir, child);
      try {
        if (statSync(p).isDirectory()) rmTree(p);
      } catch {
        // gone already
      }
    }
    try {
      rmdirSync(dir);
    } catch {
      // busy or not ours to remove (a hierarchy that never had it): left as the kernel keeps it
    }
  };
  for (const hierarchy of roots) {
    const dir = path.join(hierarchy, name);
    if (existsSync(dir)) rmTree(dir);
  }
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
