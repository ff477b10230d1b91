import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, ensureTemplate } from './db.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A port free on 127.0.0.1 for a server a test starts. Drawn from 10000–29999, below the kernel's ephemeral range
 * (ip_local_port_range, 32768–60999 here): a port the kernel hands out for listen(0) is also one it may give any
 * outgoing connection as its source port between now and the server's bind, which then fails (EADDRINUSE).
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 10_000 + Math.floor(Math.random() * 20_000);
    if (await bindable(port)) return port;
  }
  throw new Error('no free port in 10000–29999');
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

export async function waitFor(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = new Error(`${url} answered ${res.status}`);
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not become ready: ${String(last)}`);
}

export interface RunningApi {
  url: string;
  databaseUrl: string;
  ownerDatabaseUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts the built API (`apps/api/dist/main.js`) as its own process on a free port, against a fresh test
 * database and the real Redis. For browser tests and benchmarks; API tests drive the app in-process.
 */
export async function startApi(env: Record<string, string> = {}): Promise<RunningApi> {
  await ensureTemplate();
  const db = await createTestDatabase();
  const port = await freePort();
  const child = spawn(process.execPath, ['apps/api/dist/main.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: db.appUrl,
      API_HOST: '127.0.0.1',
      API_PORT: String(port),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/readyz`);
  return {
    url,
    databaseUrl: db.appUrl,
    ownerDatabaseUrl: db.ownerUrl,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      await db.drop();
    },
  };
}
