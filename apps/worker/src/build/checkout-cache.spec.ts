import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckoutCache } from './checkout-cache.js';

let root: string;
let scratch: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'wharf-checkouts-'));
  scratch = mkdtempSync(join(tmpdir(), 'wharf-scratch-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

/** A pid no process has: a builder that was killed. */
const DEAD_PID = 2 ** 22 + 17;

describe('CheckoutCache', () => {
  it("lends an app's checkout to one build at a time; the next build gets it back as it was left", async () => {
    const cache = new CheckoutCache(root, 5);
    const app = randomUUID();
    const first = await cache.lease(app, join(scratch, 'a'), { clean: false });
    expect(first).toMatchObject({ dir: join(root, app), reuse: true });
    mkdirSync(first.dir);
    writeFileSync(join(first.dir, 'kept'), 'x');

    // held: a second build of the app at once gets a fresh directory
    const second = await cache.lease(app, join(scratch, 'b'), { clean: false });
    expect(second).toMatchObject({ dir: join(scratch, 'b'), reuse: false });
    await second.release();
    await first.release();

    const third = await cache.lease(app, join(scratch, 'c'), { clean: false });
    expect(third.reuse).toBe(true);
    expect(existsSync(join(third.dir, 'kept'))).toBe(true);
    await third.release();
  });

  it('takes over the lock of a builder that is gone; keeps off one that is running', async () => {
    const cache = new CheckoutCache(root, 5);
    const app = randomUUID();
    writeFileSync(join(root, `${app}.lock`), String(DEAD_PID));
    expect(await cache.lease(app, join(scratch, 'a'), { clean: false })).toMatchObject({ reuse: true });

    const other = randomUUID();
    writeFileSync(join(root, `${other}.lock`), '1'); // init: always running
    expect(await cache.lease(other, join(scratch, 'b'), { clean: false })).toMatchObject({ reuse: false });
  });

  it('empties the checkout for a build taken over from a killed builder', async () => {
    const cache = new CheckoutCache(root, 5);
    const app = randomUUID();
    mkdirSync(join(root, app));
    writeFileSync(join(root, app, 'half-written'), 'x');
    const lease = await cache.lease(app, join(scratch, 'a'), { clean: true });
    expect(lease.reuse).toBe(true);
    expect(existsSync(lease.dir)).toBe(false);
  });

  it('keeps the most recently built apps only', async () => {
    const cache = new CheckoutCache(root, 2);
    const apps = [randomUUID(), randomUUID(), randomUUID()];
    for (const [i, app] of apps.entries()) {
      mkdirSync(join(root, app));
      utimesSync(join(root, app), 1000 + i, 1000 + i);
    }
    const lease = await cache.lease(apps[0] as string, join(scratch, 'a'), { clean: false });
    await lease.release(); // now the most recent
    expect((await readdir(root)).sort()).toEqual([apps[0], apps[2]].sort());
  });

  it('is off with keep = 0, and for ids that are not UUIDs', async () => {
    expect(await new CheckoutCache(root, 0).lease(randomUUID(), join(scratch, 'a'), { clean: false })).toMatchObject({
      reuse: false,
    });
    expect(await new CheckoutCache(root, 5).lease('../escape', join(scratch, 'b'), { clean: false })).toMatchObject({
      reuse: false,
    });
  });
});
