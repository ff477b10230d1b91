import { type TcpRelay, tcpRelay } from '@wharf/providers';
import { REGISTRY } from './engine.js';

export type RegistryRelay = TcpRelay;

/**
 * The test registry (REGISTRY, 127.0.0.1:5000) listens on loopback only, which the engines of local machines (network
 * namespaces behind a bridge) cannot reach: this relays `<host>:<port>` (the bridge's own address) to it (or to
 * `upstream`). Images pushed to 127.0.0.1:5000/x are then pulled as <host>:<port>/x (the same repository and digests).
 */
export function relayRegistry(host: string, port = 5000, upstream = REGISTRY): Promise<RegistryRelay> {
  return tcpRelay(host, port, upstream);
}
