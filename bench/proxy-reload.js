// How the edge proxy (Caddy) behaves while upstreams change, as they do in a rolling update: four clients request
// through it without pause (a new connection each, like the rollout tests) while the upstreams change every 50 ms,
// alternating between one and two. Two ways to change them:
//   reload  — load a new configuration (what the agent did before): Caddy 2.6 resets connections arriving meanwhile;
//   dns     — the agent's upstream DNS (apps/agent/dist/proxy/upstream-dns.js; build first): no reload at all.
// Prints requests, failures by kind, and failures per change. Run: node bench/proxy-reload.js [reload|dns] [changes]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';

const MODE = process.argv[2] === 'dns' ? 'dns' : 'reload';
const RELOADS = Number(process.argv[3] ?? 100);
const { UpstreamDns, upstreamName } = await import('../apps/agent/dist/proxy/upstream-dns.js');
const dns = new UpstreamDns();
const dnsAddress = MODE === 'dns' ? await dns.listen() : undefined;
const resolver = { addresses: [dnsAddress] };
const PORTS = { proxy: 18480, admin: 18419, a: 18481, b: 18482 };
const admin = `http://127.0.0.1:${PORTS.admin}`;
const dir = mkdtempSync(path.join(tmpdir(), 'wharf-proxy-bench-'));
const upstreamA = http.createServer((_, res) => res.end('a')).listen(PORTS.a, '127.0.0.1');
const upstreamB = http.createServer((_, res) => res.end('b')).listen(PORTS.b, '127.0.0.1');
writeFileSync(path.join(dir, 'caddy.json'), JSON.stringify({ admin: { listen: `127.0.0.1:${PORTS.admin}` } }));
const caddy = spawn('caddy', ['run', '--config', path.join(dir, 'caddy.json')], { stdio: 'ignore' });

const config = (upstreams) => ({
  admin: { listen: `127.0.0.1:${PORTS.admin}` },
  apps: {
    http: {
      servers: {
        edge: {
          listen: [`127.0.0.1:${PORTS.proxy}`],
          automatic_https: { disable: true },
          routes: [
            {
              match: [{ host: ['app.localhost'] }],
              handle: [
                {
                  handler: 'reverse_proxy',
                  upstreams: upstreams.map((p) => ({ dial: `127.0.0.1:${p}` })),
                  ...(dnsAddress
                    ? {
                        dynamic_upstreams: {
                          source: 'srv',
                          service: 'http',
                          proto: 'tcp',
                          name: upstreamName('app.localhost'),
                          refresh: '250ms',
                          resolver,
                        },
                        transport: { protocol: 'http', resolver },
                      }
                    : {}),
                },
              ],
            },
          ],
        },
      },
    },
  },
});
// Caddy closes the admin connection a load arrived on once the load is done: one connection per load
const load = (upstreams) =>
  new Promise((resolve, reject) => {
    const body = JSON.stringify(config(upstreams));
    const req = http.request(
      `${admin}/load`,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`load: ${res.statusCode} ${text}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
const request = () =>
  new Promise((resolve) => {
    const req = http.get(
      { host: '127.0.0.1', port: PORTS.proxy, path: '/', headers: { host: 'app.localhost' }, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200 ? undefined : `status ${res.statusCode}`));
      },
    );
    req.on('error', (err) => resolve(err.message.replace(/ \d+\.\d+\.\d+\.\d+:\d+$/, '')));
  });

try {
  for (let i = 0; i < 50; i++) {
    if (
      await fetch(`${admin}/config/`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await load([PORTS.a]);
  let running = true;
  let total = 0;
  const failures = {};
  const clients = [1, 2, 3, 4].map(async () => {
    while (running) {
      const failure = await request();
      total++;
      if (failure) failures[failure] = (failures[failure] ?? 0) + 1;
    }
  });
  const change = async (upstreams) => {
    if (MODE === 'reload') return load(upstreams);
    dns.set([{ host: 'app.localhost', upstreams: upstreams.map((p) => `127.0.0.1:${p}`) }]);
  };
  for (let i = 0; i < RELOADS; i++) {
    await change(i % 2 ? [PORTS.a] : [PORTS.a, PORTS.b]);
    await new Promise((r) => setTimeout(r, 50));
  }
  running = false;
  await Promise.all(clients);
  const failed = Object.values(failures).reduce((a, b) => a + b, 0);
  console.log(`${MODE}: ${RELOADS} upstream changes, requests: ${total}, failed: ${failed}`, failures);
  console.log(`failed requests per change: ${(failed / RELOADS).toFixed(3)}`);
} finally {
  caddy.kill();
  await dns.close();
  upstreamA.close();
  upstreamB.close();
  rmSync(dir, { recursive: true, force: true });
}
