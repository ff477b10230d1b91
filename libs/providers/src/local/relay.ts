import net from 'node:net';

export interface TcpRelay {
  /** `<host>:<port>`: where the relay listens. */
  addr: string;
  close(): Promise<void>;
}

/**
 * Plain TCP from `<host>:<port>` to `upstream` (`host:port`), for as long as it runs. The local provider's machines
 * (network namespaces behind a bridge) reach this machine only at the bridge's own address, while the services they
 * need — the API their agents dial, the registry their engines pull from — usually listen on loopback: a relay on
 * the bridge's address carries them, and the services stay as they are.
 */
export function tcpRelay(host: string, port: number, upstream: string): Promise<TcpRelay> {
  const colon = upstream.lastIndexOf(':');
  const [upHost, upPort] = [upstream.slice(0, colon), Number(upstream.slice(colon + 1))];
  const sockets = new Set<net.Socket>();
  // half-open both ways: a side that has finished sending still receives the answer (pipe ends the other's writing)
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    const up = net.connect({ port: upPort, host: upHost, allowHalfOpen: true });
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
        // the port taken (port 0: one the system chose)
        addr: `${host}:${(server.address() as net.AddressInfo).port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    );
  });
}

/** `3000=127.0.0.1:3000,5000=127.0.0.1:5000` → the relays to open on each bridge; throws saying what is wrong. */
export function parseRelays(text: string): { port: number; upstream: string }[] {
  const relays = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const m = /^(\d{1,5})=([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(entry);
      const [port, upPort] = [Number(m?.[1]), Number(m?.[3])];
      if (!m || port < 1 || port > 65_535 || upPort < 1 || upPort > 65_535) {
        throw new Error(`relay "${entry}" is not <port>=<host>:<port>`);
      }
      return { port, upstream: `${m[2]}:${upPort}` };
    });
  if (new Set(relays.map((r) => r.port)).size !== relays.length) throw new Error('two relays listen on the same port');
  return relays;
}
