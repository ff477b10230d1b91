import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { apiTokenRoutes } from '@wharf/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signup } from '../support/app.js';
import { until, viaProxy, waitServing } from '../support/apps.js';
import { type Platform, startPlatform } from '../support/workload.js';

/*
 * The `wharf` CLI as a user runs it: the built apps/cli/dist/main.js in a copy of the Node sample, logged in with a
 * personal API token, against the real API and a real cluster on the local engine. Deploys build on the builder,
 * roll out, and answer through the edge proxy; a broken Dockerfile fails the command with the build's error.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'apps/cli/dist/main.js');
const NODE_SAMPLE = path.join(ROOT, 'tests/fixtures/build-samples/node');

let p: Platform;
let owner: Account;
let token: string;
let work: string;
let project: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI's environment: its config in the test's temp dir, no token from the caller's environment. */
const cliEnv = () => ({ ...process.env, WHARF_CONFIG: path.join(work, 'config.json'), WHARF_TOKEN: '', NO_COLOR: '1' });

/** Runs the built CLI in `cwd` with its config in the test's temp dir; never throws on a non-zero exit. */
function wharf(cwd: string, ...args: string[]): Promise<Run> {
  const env = cliEnv();
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env, timeout: 240_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

const show = (r: Run) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

/** The `… is live at URL` line's URL. */
function liveUrl(r: Run): URL {
  const url = / is live at (\S+)/.exec(r.stdout)?.[1];
  if (!url) throw new Error(`no URL in the output:\n${show(r)}`);
  return new URL(url);
}

beforeAll(async () => {
  p = await startPlatform();
  owner = await signup(p.t, 'CLI user');
  const created = await p.t.call<{ token: string }>(apiTokenRoutes.create, {
    params: { tenant: owner.tenant.id },
    token: owner.accessToken,
    body: { name: 'laptop' },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  token = created.body.token;
  work = mkdtempSync(path.join(tmpdir(), 'wharf-cli-e2e-'));
  project = path.join(work, 'node');
  cpSync(NODE_SAMPLE, project, { recursive: true });
}, 120_000);
afterAll(async () => {
  await p?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
}, 60_000);

describe('the wharf CLI', () => {
  it('logs in with a personal API token and stores it readable by its owner only', async () => {
    const bad = await wharf(project, 'login', '--api', p.t.url, '--token', `wharf_${'x'.repeat(43)}`);
    expect(bad.code, show(bad)).not.toBe(0);
    expect(bad.stderr).toMatch(/checking the token: Unknown API token/);

    const r = await wharf(project, 'login', '--api', p.t.url, '--token', token);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain(owner.tenant.slug);
    expect(r.stdout).not.toContain(token);
    const file = path.join(work, 'config.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ api: p.t.url, token, tenant: owner.tenant.slug });
  });

  it('deploys the directory: creates the app, streams the build, follows the deployment, prints the URL', async () => {
    const r = await wharf(project, 'deploy', '--app', 'cli-node');
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain('Creating app cli-node');
    expect(r.stdout).toContain('unpacking the uploaded source');
    expect(r.stdout).toMatch(/Deployment #\d+ is live/);
    const url = liveUrl(r);
    expect(url.hostname).toBe(`web.cli-node.${owner.tenant.slug}.${p.cluster.domain}`);
    expect(JSON.parse(readFileSync(path.join(project, '.wharf.json'), 'utf8'))).toEqual({ app: 'cli-node' });
    await waitServing(p.cluster.proxyPort, url.hostname, 'hello from the node sample', 60_000);
    // .dockerignore held: the secret never left the machine
    const files = await viaProxy(p.cluster.proxyPort, url.hostname, '/files');
    expect(files.body).toContain('server.js');
    expect(files.body).not.toContain('secret.txt');
  }, 300_000);

  it('sets, lists and removes variables; lists the apps', async () => {
    const set = await wharf(project, 'env', 'set', 'GREETING=x', 'OTHER=a=b');
    expect(set.code, show(set)).toBe(0);
    expect(set.stdout).toMatch(/next deployment/);
    const listed = await wharf(project, 'env');
    expect(listed.code, show(listed)).toBe(0);
    expect(listed.stdout).toMatch(/^GREETING\s+x\s/m);
    expect(listed.stdout).toMatch(/^OTHER\s+a=b\s/m);
    const unset = await wharf(project, 'env', 'unset', 'OTHER');
    expect(unset.code, show(unset)).toBe(0);
    expect((await wharf(project, 'env')).stdout).not.toContain('OTHER');
    const secret = await wharf(project, 'env', 'set', 'API_KEY=s3cret-value', '--secret', '--deploy');
    expect(secret.code, show(secret)).toBe(0);
    expect(secret.stdout).toMatch(/Deployment #\d+ is live/);
    expect(secret.stdout).not.toContain('s3cret-value');
    const masked = await wharf(project, 'env');
    expect(masked.stdout).toMatch(/^API_KEY\s+\(secret\)/m);
    expect(masked.stdout).not.toContain('s3cret-value');
    const bad = await wharf(project, 'env', 'set', 'lower-case=1');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/setting lower-case:/);

    const apps = await wharf(project, 'apps');
    expect(apps.code, show(apps)).toBe(0);
    expect(apps.stdout).toMatch(/^NAME\s+KIND\s+STATUS\s+URL/m);
    expect(apps.stdout).toMatch(/^cli-node\s+source\s+running\s+http:\/\/web\.cli-node\./m);
  });

  it('deploys a change (the app from .wharf.json), then rolls back to the previous revision', async () => {
    writeFileSync(path.join(project, 'message.txt'), 'hello from the second deploy\n');
    const second = await wharf(project, 'deploy');
    expect(second.code, show(second)).toBe(0);
    const host = liveUrl(second).hostname;
    await waitServing(p.cluster.proxyPort, host, 'hello from the second deploy', 60_000);

    const back = await wharf(project, 'rollback');
    expect(back.code, show(back)).toBe(0);
    expect(back.stdout).toMatch(/Rolling cli-node \(production\) back to deployment #\d+/);
    await waitServing(p.cluster.proxyPort, host, 'hello from the node sample', 60_000);
  }, 300_000);

  it('prints the log lines of the running service', async () => {
    let last: Run | undefined;
    await until(
      'log lines',
      async () => {
        last = await wharf(project, 'logs', '--tail', '50');
        return last.code === 0 && last.stdout.includes('node sample listening on 8080');
      },
      30_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${last ? show(last) : ''}`);
    });
  }, 60_000);

  it('follows the logs with -f until Ctrl-C', async () => {
    const child = spawn(process.execPath, [CLI, 'logs', '-f', '--tail', '5'], { cwd: project, env: cliEnv() });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await until('a followed line', async () => stdout.includes('node sample listening on 8080'), 30_000);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 60_000);

  it('fails a deploy whose build fails, with the build error, and deploys nothing', async () => {
    const broken = path.join(work, 'broken');
    mkdirSync(broken);
    writeFileSync(path.join(broken, 'Dockerfile'), 'FROM 127.0.0.1:5000/wharf/base/static:1\nRUN exit 3\n');
    const r = await wharf(broken, 'deploy', '--app', 'cli-broken');
    expect(r.code, show(r)).not.toBe(0);
    expect(r.stderr).toMatch(/Build #1 failed/);
    expect(r.stdout + r.stderr).toMatch(/exit code: 3|returned a non-zero code: 3|exit 3/);
    expect(r.stdout).not.toMatch(/is live at/);
  }, 300_000);

  it('cancels the build on Ctrl-C and exits 130', async () => {
    const slow = path.join(work, 'slow');
    mkdirSync(slow);
    writeFileSync(path.join(slow, 'Dockerfile'), 'FROM 127.0.0.1:5000/wharf/base/static:1\nRUN sleep 60\n');
    const child = spawn(process.execPath, [CLI, 'deploy', '--app', 'cli-slow'], {
      cwd: slow,
      env: cliEnv(),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await until('the build to run', async () => stdout.includes('sleep 60'), 60_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${stdout}\n${stderr}`);
    });
    child.kill('SIGINT');
    const code = await exited;
    const run = { code: code ?? -1, stdout, stderr };
    expect(code, show(run)).toBe(130);
    expect(stdout).toContain('Cancelling the build');
    expect(stderr).toMatch(/Build #1 cancelled/);
  }, 120_000);
});
