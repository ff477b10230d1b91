import { loadavg } from 'node:os';
import type { Host } from '@wharf/contracts';
import { afterAll, beforeAll, it } from 'vitest';
import { type LocalHosts, startLocalHosts } from '../tests/support/local-hosts.js';

/*
 * Hosts on the `local` provider, from request to ready: `POST …/hosts` through the API until the host's state is
 * `ready` (a network namespace with its own dockerd made, the agent started in it registered through the relay,
 * the Swarm initialised or joined), with a real worker process of the `host` role — the set-up of
 * tests/workloads/hosts.e2e.spec.ts. One host at a time (each the only host of its cluster: it inits the Swarm), and
 * three requested at once (one inits, two join through it). Every host is removed through the API after its round
 * (drained, left, terminated), so each round starts from an empty cluster. Prints medians and p90; asserts nothing
 * about speed.
 *
 *   npm run bench:hosts            (BENCH_ROUNDS=7 to change the number of rounds)
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** How often the hosts' states are read (from the database, so the polling costs the API nothing). */
const POLL_MS = 25;
const PHASES = ['requested', 'creating', 'booting', 'bootstrapping', 'joining', 'ready'] as const;
type Phase = (typeof PHASES)[number];

let h: LocalHosts;

beforeAll(async () => {
  h = await startLocalHosts('hosts-bench', 'wb', { ownerName: 'Hosts Bench' });
}, 120_000);
afterAll(async () => h?.stop(), 300_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)] ?? Number.NaN;
/** Nearest rank: with 5 samples it is the largest. */
const p90 = (xs: number[]) => sorted(xs)[Math.ceil(xs.length * 0.9) - 1] ?? Number.NaN;
const s = (ms: number) => (ms / 1000).toFixed(2);

/** When each state of each host was first seen, ms after `t0`, until all are ready. */
async function follow(ids: string[], t0: number): Promise<Map<string, Partial<Record<Phase, number>>>> {
  const seen = new Map(ids.map((id) => [id, {} as Partial<Record<Phase, number>>]));
  const deadline = Date.now() + 180_000;
  for (;;) {
    const { rows } = await h.t.owner.query<{ id: string; state: string; failure: string | null }>(
      'select id, state, failure from hosts where id = any($1::uuid[])',
      [ids],
    );
    const at = performance.now() - t0;
    for (const r of rows) {
      if (r.state === 'failed') throw new Error(`host ${r.id} failed: ${r.failure}`);
      const times = seen.get(r.id);
      if (times && PHASES.includes(r.state as Phase)) times[r.state as Phase] ??= at;
    }
    if ([...seen.values()].every((t) => t.ready !== undefined)) return seen;
    if (Date.now() > deadline) throw new Error(`hosts not ready after 180 s: ${JSON.stringify(rows)}`);
    await sleep(POLL_MS);
  }
}

/** Requests `count` hosts at once; the time of each to ready, and of its phases. */
async function round(prefix: string, count: number) {
  const t0 = performance.now();
  const hosts: Host[] = await Promise.all(Array.from({ length: count }, (_, i) => h.request(`${prefix}-${i}`)));
  const times = await follow(
    hosts.map((x) => x.id),
    t0,
  );
  // newest first: the host that inited the Swarm leaves last
  const removeStart = performance.now();
  for (const x of [...hosts].reverse()) await h.remove(x.id);
  return { times: [...times.values()], removal: performance.now() - removeStart };
}

/** Median time spent in each state (from first seeing it to first seeing the next one seen). */
function phaseMedians(all: Partial<Record<Phase, number>>[]): string {
  const spans = PHASES.slice(0, -1).map((phase) => {
    const xs = all.flatMap((t) => {
      const start = phase === 'requested' ? 0 : t[phase];
      const next = PHASES.slice(PHASES.indexOf(phase) + 1).find((p) => t[p] !== undefined);
      return start === undefined || next === undefined ? [] : [(t[next] ?? 0) - start];
    });
    return `${phase} ${xs.length ? Math.round(median(xs)) : '–'}`;
  });
  return spans.join(' · ');
}

it('hosts: request → ready on the local provider, one at a time and three at once', async () => {
  console.log(
    `\nload average before: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  await round('warmup', 1);

  const one: number[] = [];
  const oneTimes: Partial<Record<Phase, number>>[] = [];
  const removals: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const r = await round(`one${i}`, 1);
    one.push(r.times[0]?.ready ?? Number.NaN);
    oneTimes.push(...r.times);
    removals.push(r.removal);
    await sleep(500);
  }

  const each: number[] = [];
  const batch: number[] = [];
  const threeTimes: Partial<Record<Phase, number>>[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const r = await round(`three${i}`, 3);
    const ready = r.times.map((t) => t.ready ?? Number.NaN);
    each.push(...ready);
    batch.push(Math.max(...ready));
    threeTimes.push(...r.times);
    await sleep(500);
  }

  const row = (label: string, xs: number[]) =>
    `| ${label.padEnd(40)} | ${s(median(xs)).padStart(6)} s | ${s(p90(xs)).padStart(6)} s | ${xs.map(s).join(', ')}`;
  console.log(`\nlocal hosts, ${ROUNDS} rounds each (seconds; POST → first seen ready, polled every ${POLL_MS} ms)`);
  console.log(`| ${''.padEnd(40)} | median   | p90      | samples`);
  console.log(row('one host', one));
  console.log(row('three at once: each host', each));
  console.log(row('three at once: all three ready', batch));
  console.log(row('one host: DELETE → terminated', removals));
  console.log('\nmedian ms in each state:');
  console.log(`  one host:      ${phaseMedians(oneTimes)}`);
  console.log(`  three at once: ${phaseMedians(threeTimes)}`);
  console.log(
    `load average after: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
});
