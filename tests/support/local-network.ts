import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { bridgeAddArgs } from '@wharf/providers';

/** What a test run of the `local` provider gets to itself: a bridge, a free /24, its gateway and a state directory. */
export interface RunNetwork {
  /** Bytes derived from the run name and the salt: for other per-run values (ports, names). */
  hash: Buffer;
  bridge: string;
  subnet: string;
  gateway: string;
  stateDir: string;
}

export const ip = (...args: string[]) => execFileSync('ip', args, { encoding: 'utf8' });

/** A bridge of the run made by the test (relays can then listen on its address before any machine exists). */
export function bridgeUp(bridge: string, gateway: string): void {
  ip(...bridgeAddArgs(bridge));
  ip('addr', 'add', `${gateway}/24`, 'dev', bridge);
  ip('link', 'set', bridge, 'up');
}

/**
 * Names derived from WHARF_TEST_RUN and `salt` (each spec its own, so specs of one run running side by side do not
 * collide): a bridge `<prefix><6 hex>`, the first 10.213.x.0/24 (x in 100–249) no route of the machine uses yet,
 * and a fresh state directory under /tmp (short: engine sockets live under it).
 */
export function runNetwork(salt: string, prefix: string): RunNetwork {
  const run = process.env.WHARF_TEST_RUN ?? `p${process.pid}`;
  const hash = createHash('sha256').update(`${salt}:${run}`).digest();
  let subnet: string | undefined;
  for (let i = 0; i < 150 && !subnet; i++) {
    const cidr = `10.213.${100 + ((hash.readUInt8(0) + i) % 150)}.0/24`;
    if (ip('-4', 'route', 'show', cidr).trim() === '') subnet = cidr;
  }
  if (!subnet) throw new Error('no free 10.213.x.0/24');
  return {
    hash,
    bridge: `${prefix}${hash.toString('hex').slice(0, 6)}`,
    subnet,
    gateway: subnet.replace(/\.0\/24$/, '.1'),
    stateDir: mkdtempSync(`/tmp/wharf-${prefix}-${run.slice(0, 8)}-`),
  };
}
