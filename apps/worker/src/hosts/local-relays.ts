import { type LocalDatacenters, type TcpRelay, tcpRelay } from '@wharf/providers';
import type { Logger } from 'pino';

/**
 * The services of this machine the `local` provider's machines need (the API their agents dial, the registry their
 * engines pull from), relayed from each local bridge's own address while this worker runs: the bridge is set up
 * first, so the relays are there before the first machine is. A port taken on one bridge is logged and skipped,
 * never fatal: the worker's other work goes on.
 */
export async function openLocalRelays(
  local: LocalDatacenters,
  relays: readonly { port: number; upstream: string }[],
  log: Logger,
): Promise<TcpRelay[]> {
  const open: TcpRelay[] = [];
  if (relays.length === 0) return open;
  for (const dc of local.all()) {
    await dc.ensureNetwork();
    for (const { port, upstream } of relays) {
      try {
        open.push(await tcpRelay(dc.gateway, port, upstream));
      } catch (err) {
        log.error({ err: (err as Error).message, region: dc.region, port, upstream }, 'local relay not opened');
      }
    }
  }
  log.info({ relays: open.map((r) => r.addr) }, 'local machines reach this machine through relays');
  return open;
}
