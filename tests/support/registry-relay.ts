import net from 'node:net';
import { REGISTRY } from './engine.js';

export interface RegistryRelay {
  /** `<host>:<port>`: the registry as the machines behind a bridge reach it. */
  addr: string;
  close(): Promise<void>;
}

/**
 * The test registry (REGISTRY, 127.0.0.1:5000) listens on loopback only, which the engines of local machines (network
 * namespaces behind a bridge) cannot reach. This relays plain TCP from `<host>:<port>` (the bridge's own address) to
 * it, for as long as the test runs: the registry, and what other tests rely on, stay as they are. Images pushed to
 * 127.0.0.1:5000/x are then pulled as <host>:<port>/x (the same repository, the same digests).
 */
export function relayRegistry(host: string, port = 5000, upstream = REGISTRY): Promise<RegistryRelay> {
  const [upHost, upPort] = [upstream.slice(0, upstream.lastIndexOf(':')), Number(upstream.slice(upstream.lastIndexOf(':') + 1))];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const up = net.connect(upPort, upHost);
    for (const s of [client, up]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        up.destroy();
      });
    }
    client.pipe(up);
    up.pipe(client);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () =>
      resolve({
        addr: `${host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    );
  });
}
