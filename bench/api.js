// API throughput benchmark: starts the built API as its own process against a fresh database, seeds one tenant, and
// drives it with autocannon. Prints figures; asserts nothing about speed (see docs/benchmarks.md).
//
//   npm run bench:api
//   npm run bench:api -- --duration=30 --only=members,api-tokens
//
// Configuration comes from the environment (DATABASE_URL, DATABASE_OWNER_URL, DATABASE_APP_ROLE, REDIS_URL, JWT_SECRET,
// MASTER_KEY); when it is not set, the bench loads .wharf/env the way scripts/ do (scripts/lib/common.sh, load_env).
// Needs the build (`npx tsc -b apps/api`): it runs apps/api/dist/main.js and libs/db/dist/src/migrate.js. The API
// inherits the environment, NODE_OPTIONS included (how bench/experiments/ and `perf` maps get into it).

import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { cpuMeter } from './support/proc-cpu.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

// Not configured: run again through the shell helper every script uses, which exports .wharf/env.
if (!process.env.DATABASE_OWNER_URL && !process.env.WHARF_BENCH_ENV_LOADED) {
  console.error('bench: loading .wharf/env (scripts/lib/common.sh load_env)');
  const child = spawnSync(
    'bash',
    [
      '-c',
      'source scripts/lib/common.sh && load_env && exec "$0" "$@"',
      process.execPath,
      ...process.execArgv,
      ...process.argv.slice(1),
    ],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, WHARF_BENCH_ENV_LOADED: '1' } },
  );
  process.exit(child.status ?? 1);
}

const API_MAIN = path.join(ROOT, 'apps/api/dist/main.js');
const MIGRATE = path.join(ROOT, 'libs/db/dist/src/migrate.js');
const PROFILER = path.join(ROOT, 'bench/support/profiler.js');

/** The goal for an authenticated, tenant-scoped list on this machine class (a figure to read, not a CI gate). */
const GOAL = { rps: 2_500, p99Ms: 40 };
const UNLIMITED = '100000000';

// ── options ────────────────────────────────────────────────────────────────────────────────────────────────────────

const TARGETS = ['healthz', 'members', 'api-tokens', 'login'];

const { values: args } = parseArgs({
  options: {
    connections: { type: 'string', default: process.env.BENCH_CONNECTIONS ?? '50' },
    duration: { type: 'string', default: process.env.BENCH_DURATION ?? '10' },
    warmup: { type: 'string', default: process.env.BENCH_WARMUP ?? '3' },
    only: { type: 'string', default: process.env.BENCH_ONLY ?? TARGETS.join(',') },
    'cpu-prof': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (args.help) {
  console.log(`usage: node bench/api.js [--connections=50] [--duration=10] [--warmup=3] [--only=${TARGETS.join(',')}]
                         [--cpu-prof=DIR]
  --connections  concurrent connections (env BENCH_CONNECTIONS)
  --duration     seconds measured per target (env BENCH_DURATION)
  --warmup       seconds of unmeasured load per target, all targets warmed before any is measured, 0 for none
                 (env BENCH_WARMUP)
  --only         comma-separated targets (env BENCH_ONLY)
  --cpu-prof     write a V8 CPU profile of the API for each measured target into DIR (slows the API: the figures
                 of a profiled run are not the ones to report); summarise one with bench/profile-summary.js`);
  process.exit(0);
}

function positiveInt(name, value, min = 1) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer ≥ ${min} (got "${value}")`);
  return n;
}

const options = {
  connections: positiveInt('connections', args.connections),
  duration: positiveInt('duration', args.duration),
  warmup: positiveInt('warmup', args.warmup, 0),
  only: args.only
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
  cpuProfDir: args['cpu-prof'] ? path.resolve(args['cpu-prof']) : undefined,
};
for (const t of options.only) if (!TARGETS.includes(t)) fail(`unknown target "${t}" (targets: ${TARGETS.join(', ')})`);

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) fail(`${name} is not set (in the environment or .wharf/env)`);
  return value;
}

// ── database: a fresh, migrated one per run, dropped at the end ────────────────────────────────────────────────────

function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function asOwner(fn) {
  const client = new pg.Client({ connectionString: withDatabase(requiredEnv('DATABASE_OWNER_URL'), 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function createBenchDatabase() {
  // the name is ours alone (hex), never user input, so it can be spliced into DDL
  const name = `wharf_bench_${randomBytes(5).toString('hex')}`;
  await asOwner((c) => c.query(`create database ${name}`));
  const drop = () => asOwner((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined);
  try {
    const { migrate } = await import(pathToFileURL(MIGRATE).href);
    await migrate({ ownerUrl: withDatabase(requiredEnv('DATABASE_OWNER_URL'), name), appRole: requiredEnv('DATABASE_APP_ROLE') });
  } catch (err) {
    await drop();
    throw err;
  }
  return { name, appUrl: withDatabase(requiredEnv('DATABASE_URL'), name), drop };
}

// ── the API process ────────────────────────────────────────────────────────────────────────────────────────────────

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

async function startApi(databaseUrl) {
  const port = await freePort();
  const profiling = Boolean(options.cpuProfDir);
  const child = spawn(process.execPath, [...(profiling ? ['--import', PROFILER] : []), API_MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      API_HOST: '127.0.0.1',
      API_PORT: String(port),
      LOG_LEVEL: 'warn',
      // the bench logs in thousands of times a second from one address
      LOGIN_RATE_LIMIT_PER_IP: UNLIMITED,
      LOGIN_RATE_LIMIT_PER_ACCOUNT: UNLIMITED,
      SIGNUP_RATE_LIMIT_PER_IP: UNLIMITED,
    },
    stdio: ['ignore', 'inherit', 'inherit', ...(profiling ? ['ipc'] : [])],
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([
      waitForReady(`${url}/readyz`),
      exited.then(({ code, signal }) => {
        throw new Error(`the API exited during start-up (code ${code}, signal ${signal})`);
      }),
    ]);
  } catch (err) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    throw err;
  }
  return {
    url,
    pid: child.pid,
    exited,
    /** Asks the profiler preload (bench/support/profiler.js) to start or stop; stop writes `file`. */
    profile(command, file) {
      if (!profiling) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const onMessage = (msg) => {
          if (msg?.done !== command) return;
          child.off('message', onMessage);
          if (msg.error) reject(new Error(`profiler: ${msg.error}`));
          else resolve();
        };
        child.on('message', onMessage);
        child.send({ command, file });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitForReady(url, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
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

// ── seed: one tenant with 3 members (the free plan's seats), 5 API tokens (its quota) and 3 pending invitations ──

async function call(api, method, route, { token, body, expect } = {}) {
  const res = await fetch(`${api.url}${route}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== expect)
    throw new Error(`seed: ${method} ${route} answered ${res.status}, expected ${expect}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

async function seed(api) {
  const run = randomBytes(4).toString('hex');
  const password = `bench-${randomBytes(12).toString('hex')}`;
  const signup = (who) =>
    call(api, 'POST', '/api/v1/auth/signup', {
      body: { email: `${who}-${run}@bench.example`, password, name: `Bench ${who}` },
      expect: 201,
    });

  const owner = await signup('owner');
  const tenant = owner.tenant.id;
  const T = `/api/v1/tenants/${tenant}`;
  for (let i = 1; i <= 5; i++) {
    await call(api, 'POST', `${T}/api-tokens`, { token: owner.accessToken, body: { name: `bench token ${i}` }, expect: 201 });
  }
  for (const [who, role] of [
    ['developer', 'developer'],
    ['viewer', 'viewer'],
  ]) {
    const member = await signup(who);
    const { token } = await call(api, 'POST', `${T}/invitations`, {
      token: owner.accessToken,
      body: { email: member.user.email, role },
      expect: 201,
    });
    await call(api, 'POST', '/api/v1/invitations/accept', { token: member.accessToken, body: { token }, expect: 200 });
  }
  for (let i = 1; i <= 3; i++) {
    await call(api, 'POST', `${T}/invitations`, {
      token: owner.accessToken,
      body: { email: `pending-${i}-${run}@bench.example`, role: 'viewer' },
      expect: 201,
    });
  }

  // the lists must answer what was seeded, or the bench would measure the wrong thing
  const members = await call(api, 'GET', `${T}/members`, { token: owner.accessToken, expect: 200 });
  const tokens = await call(api, 'GET', `${T}/api-tokens`, { token: owner.accessToken, expect: 200 });
  if (members.items.length !== 3 || tokens.items.length !== 5) {
    throw new Error(`seed: expected 3 members and 5 tokens, the API lists ${members.items.length} and ${tokens.items.length}`);
  }
  return { email: owner.user.email, password, accessToken: owner.accessToken, tenant };
}

// ── load ───────────────────────────────────────────────────────────────────────────────────────────────────────────

function targetsFor(s) {
  const bearer = { authorization: `Bearer ${s.accessToken}` };
  return {
    healthz: { title: 'GET /healthz (framework ceiling)', method: 'GET', path: '/healthz' },
    members: {
      title: 'GET /api/v1/tenants/{tenant}/members',
      method: 'GET',
      path: `/api/v1/tenants/${s.tenant}/members`,
      headers: bearer,
      goal: true,
    },
    'api-tokens': {
      title: 'GET /api/v1/tenants/{tenant}/api-tokens',
      method: 'GET',
      path: `/api/v1/tenants/${s.tenant}/api-tokens`,
      headers: bearer,
      goal: true,
    },
    login: {
      title: 'POST /api/v1/auth/login (scrypt per request)',
      method: 'POST',
      path: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: s.email, password: s.password }),
      // 50 logins in flight at ~5–10 hashes/s on two cores queue for several seconds: that is the figure, not a
      // failure, so autocannon's default 10 s timeout would cut it short
      timeoutSeconds: 60,
    },
  };
}

function cannon(api, target, duration) {
  return autocannon({
    url: `${api.url}${target.path}`,
    method: target.method,
    headers: target.headers,
    body: target.body,
    connections: options.connections,
    duration,
    timeout: target.timeoutSeconds ?? 10,
  });
}

/** One request of the target after a load run: it queues behind what autocannon left in flight (libuv's pool and
 *  pg's pool are FIFO), so the next run starts on an idle API. Matters for login, whose scrypt queue is long. */
async function drain(api, target) {
  const res = await fetch(`${api.url}${target.path}`, { method: target.method, headers: target.headers, body: target.body });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${target.method} ${target.path} answered ${res.status} after the warm-up`);
}

/**
 * Every target is warmed up before any is measured: they share the pipeline (guards, interceptor, Kysely, pg), and
 * whichever ran first would otherwise pay for V8's optimisation and Postgres's catalog caches alone.
 */
async function warmUp(api, targets) {
  if (options.warmup === 0) return;
  for (const name of options.only) {
    console.log(`bench: warming up ${targets[name].title} (${options.warmup} s)`);
    await cannon(api, targets[name], options.warmup);
    await drain(api, targets[name]);
  }
}

async function measure(api, database, name, target) {
  await drain(api, target);
  const file = options.cpuProfDir ? path.join(options.cpuProfDir, `api-${name}.cpuprofile`) : undefined;
  await api.profile('start');
  const meter = cpuMeter({ apiPid: api.pid, database });
  const r = await cannon(api, target, options.duration);
  const cpu = meter.since();
  await api.profile('stop', file);
  await drain(api, target);
  const failures = r.non2xx + r.errors + r.timeouts;
  const codes = Object.entries(r.statusCodeStats ?? {})
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, { count }]) => `${code}×${count}`);
  return {
    name,
    title: target.title,
    goal: Boolean(target.goal),
    rps: r.requests.mean,
    total: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    failures,
    codes,
    cpu,
    profile: file,
  };
}

// ── report ─────────────────────────────────────────────────────────────────────────────────────────────────────────

let loadBefore = os.loadavg();

/** Anything else running on the machine takes its cores from the API: say so before measuring. */
function warnIfBusy() {
  loadBefore = os.loadavg();
  const cores = os.cpus().length;
  if (loadBefore[0] > cores * 0.5) {
    console.warn(
      `bench: warning: 1-minute load average is ${loadBefore[0].toFixed(2)} on ${cores} cores before the bench starts; ` +
        'other processes will take CPU from the API and the figures will be low',
    );
  }
}

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function report(results) {
  const cpus = os.cpus();
  console.log(
    `\nWharf API bench — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}`,
  );
  console.log(
    `${options.connections} connections, ${options.duration} s per target after ${options.warmup} s warm-up of each; ` +
      'autocannon, the API, Postgres and Redis share these cores',
  );
  console.log(`load average before the run: ${loadBefore.map((l) => l.toFixed(2)).join(' ')}\n`);
  const header = ['target', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'requests', 'non-2xx', 'errors'];
  const rows = results.map((r) => [
    r.title,
    fmt(r.rps),
    fmt(r.p50),
    fmt(r.p99),
    fmt(r.max),
    fmt(r.total),
    fmt(r.non2xx),
    fmt(r.errors + r.timeouts),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));

  const metered = results.filter((r) => r.cpu && r.total > 0);
  if (metered.length) {
    console.log(
      '\nCPU per request (ms of CPU time; /proc). "API core" is the API process\'s CPU time over wall time: near 100 %',
    );
    console.log('means its event loop is saturated; login exceeds it because scrypt runs on the libuv pool. Redis counts');
    console.log('every client of the shared server.');
    const cpuHeader = ['target', 'API', 'Postgres', 'Redis', 'autocannon', 'API core'];
    const per = (r, ms) => fmt(ms / r.total, 3);
    const cpuRows = metered.map((r) => [
      r.title,
      per(r, r.cpu.api),
      per(r, r.cpu.postgres),
      per(r, r.cpu.redis),
      per(r, r.cpu.bench),
      `${fmt((100 * r.cpu.api) / r.cpu.wallMs)} %`,
    ]);
    const w = cpuHeader.map((h, i) => Math.max(h.length, ...cpuRows.map((row) => row[i].length)));
    const cpuLine = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
    console.log(cpuLine(cpuHeader));
    console.log(w.map((x) => '─'.repeat(x)).join('  '));
    for (const row of cpuRows) console.log(cpuLine(row));
  }

  const healthz = results.find((r) => r.name === 'healthz');
  const lists = results.filter((x) => x.goal);
  if (lists.length)
    console.log(`\ngoal for an authenticated tenant-scoped list: ≥ ${fmt(GOAL.rps)} req/s and p99 ≤ ${GOAL.p99Ms} ms`);
  for (const r of lists) {
    const pass = r.rps >= GOAL.rps && r.p99 <= GOAL.p99Ms;
    const ratio = healthz ? `, ${r.name}/healthz req/s ratio ${fmt(r.rps / healthz.rps, 3)}` : '';
    console.log(`  ${pass ? 'PASS' : 'MISS'}  ${r.name}: ${fmt(r.rps)} req/s, p99 ${fmt(r.p99)} ms${ratio}`);
  }
  for (const r of results) if (r.profile) console.log(`  profile: ${r.profile}`);
}

// ── main ───────────────────────────────────────────────────────────────────────────────────────────────────────────

async function main() {
  for (const name of ['DATABASE_URL', 'DATABASE_OWNER_URL', 'DATABASE_APP_ROLE', 'REDIS_URL', 'JWT_SECRET', 'MASTER_KEY'])
    requiredEnv(name);
  for (const file of [API_MAIN, MIGRATE])
    if (!existsSync(file)) fail(`${path.relative(ROOT, file)} is missing: build first (npx tsc -b apps/api)`);
  if (options.cpuProfDir) mkdirSync(options.cpuProfDir, { recursive: true });
  warnIfBusy();

  const cleanups = [];
  let cleaning;
  const cleanup = () => {
    cleaning ??= (async () => {
      for (const fn of cleanups.reverse()) {
        try {
          await fn();
        } catch (err) {
          console.error(`bench: cleanup failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    })();
    return cleaning;
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      console.error(`\nbench: ${signal}, cleaning up`);
      void cleanup().then(() => process.exit(130));
    });
  }

  try {
    const db = await createBenchDatabase();
    cleanups.push(db.drop);
    console.log(`bench: database ${db.name} migrated; starting the API`);
    const api = await startApi(db.appUrl);
    cleanups.push(api.stop);
    void api.exited.then(({ code, signal }) => {
      if (cleaning) return;
      console.error(`bench: the API (pid ${api.pid}) exited under load (code ${code}, signal ${signal})`);
      void cleanup().then(() => process.exit(1));
    });
    console.log(`bench: API pid ${api.pid} on ${api.url}; seeding`);
    const seeded = await seed(api);
    const targets = targetsFor(seeded);

    const results = [];
    await warmUp(api, targets);
    for (const name of options.only) {
      console.log(`bench: measuring ${targets[name].title} (${options.duration} s)`);
      results.push(await measure(api, db.name, name, targets[name]));
    }
    report(results);

    const failed = results.filter((r) => r.failures > 0);
    if (failed.length) {
      for (const r of failed) {
        console.error(
          `bench: FAILED ${r.name}: ${r.non2xx} non-2xx (${r.codes.join(', ') || 'no status'}), ${r.errors} errors, ${r.timeouts} timeouts`,
        );
      }
      process.exitCode = 1;
    }
  } finally {
    await cleanup();
  }
}

main().catch((err) => {
  console.error(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
});
