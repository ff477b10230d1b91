import { mkdir, readdir, readFile, rm, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A checkout directory lent to one build. */
export interface Lease {
  dir: string;
  /** Whether `dir` is the app's cached checkout (updated in place) rather than a fresh one. */
  reuse: boolean;
  release(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Each app's last checkout, kept on the builder so that its next build fetches only the new commit and rewrites
 * only the files that changed (and the engine, holding the context under the app's key, receives only those).
 * One build holds an app's checkout at a time, across the builder processes that share the directory: a lock file
 * with the holder's pid, taken over when that process is gone. A build that finds it held, or a build taken over
 * from a killed builder, uses a fresh directory instead. The least recently used checkouts beyond `keep` are removed.
 */
export class CheckoutCache {
  constructor(
    private readonly root: string,
    private readonly keep: number,
  ) {}

  async lease(appId: string, fresh: string, opts: { clean: boolean }): Promise<Lease> {
    const temporary: Lease = { dir: fresh, reuse: false, release: () => rm(fresh, { recursive: true, force: true }) };
    if (this.keep === 0 || !UUID.test(appId)) return temporary;
    await mkdir(this.root, { recursive: true });
    const dir = join(this.root, appId);
    const lock = `${dir}.lock`;
    if (!(await this.acquire(lock))) return temporary;
    if (opts.clean) await rm(dir, { recursive: true, force: true });
    return {
      dir,
      reuse: true,
      release: async () => {
        const now = new Date();
        await utimes(dir, now, now).catch(() => undefined);
        await unlink(lock).catch(() => undefined);
        await this.evict();
      },
    };
  }

  /** Takes the lock file, or takes it over from a process that is gone; false when a live process holds it. */
  private async acquire(lock: string): Promise<boolean> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await writeFile(lock, String(process.pid), { flag: 'wx' });
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const holder = Number(await readFile(lock, 'utf8').catch(() => ''));
      // held by another build of this process, or by a builder still running
      if (Number.isInteger(holder) && holder > 0 && (holder === process.pid || alive(holder))) return false;
      await unlink(lock).catch(() => undefined);
    }
    return false;
  }

  private async evict(): Promise<void> {
    const names = (await readdir(this.root).catch(() => [] as string[])).filter((n) => UUID.test(n));
    if (names.length <= this.keep) return;
    const aged = await Promise.all(
      names.map(async (name) => ({ name, at: (await stat(join(this.root, name)).catch(() => undefined))?.mtimeMs ?? 0 })),
    );
    aged.sort((a, b) => a.at - b.at);
    for (const { name } of aged.slice(0, aged.length - this.keep)) {
      const lock = join(this.root, `${name}.lock`);
      if (!(await this.acquire(lock))) continue; // in use: kept
      await rm(join(this.root, name), { recursive: true, force: true });
      await unlink(lock).catch(() => undefined);
    }
  }
}
