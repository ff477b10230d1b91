import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseRelays, tcpRelay } from './relay.js';

describe('parseRelays', () => {
  it('reads <port>=<host>:<port> lists', () => {
    expect(parseRelays('3000=127.0.0.1:3000, 5000=localhost:5001')).toEqual([
      { port: 3000, upstream: '127.0.0.1:3000' },
      { port: 5000, upstream: 'localhost:5001' },
    ]);
    expect(parseRelays('')).toEqual([]);
  });

  it('refuses what is not one, saying which', () => {
    expect(() => parseRelays('3000')).toThrow('relay "3000" is not <port>=<host>:<port>');
    expect(() => parseRelays('3000=127.0.0.1')).toThrow('"3000=127.0.0.1"');
    expect(() => parseRelays('70000=127.0.0.1:1')).toThrow('"70000=127.0.0.1:1"');
    expect(() => parseRelays('3000=$(id):1')).toThrow('is not <port>=<host>:<port>');
    expect(() => parseRelays('3000=a:1,3000=b:2')).toThrow('two relays listen on the same port');
  });
});

describe('tcpRelay', () => {
  it('carries bytes both ways to its upstream, and stops listening when closed', async () => {
    const echo = net.createServer((s) => s.pipe(s));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const upstream = `127.0.0.1:${(echo.address() as net.AddressInfo).port}`;
    const relay = await tcpRelay('127.0.0.1', 0, upstream);
    const port = Number(relay.addr.split(':')[1]);
    try {
      expect(port).toBeGreaterThan(0);
      const answer = await new Promise<string>((resolve, reject) => {
        const c = net.connect(port, '127.0.0.1', () => c.end('ping'));
        let got = '';
        c.on('data', (d) => {
          got += d.toString();
        });
        c.on('end', () => resolve(got));
        c.on('error', reject);
      });
      expect(answer).toBe('ping');
    } finally {
      await relay.close();
      echo.close();
    }
    const refused = await new Promise<string>((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => resolve('connected'));
      c.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});
