import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localProvider } from '@wharf/providers';
import type { TestProject } from 'vitest/node';
import { type FakeHosting, startFakeHosting } from '../../../libs/git-hosting/src/testing/fake-hosting.js';
import { dropTestDatabases } from '../../../tests/support/db.js';
import { type FakeSts, startFakeSts } from '../../../tests/support/fake-sts.js';
import { runNetwork } from '../../../tests/support/local-network.js';
import { freePort, type RunningApi, startApi, waitFor } from '../../../tests/support/stack.js';
import { startWorkload, type Workload } from '../../../tests/support/workload.js';
import './provided.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const WEB = join(ROOT, 'apps/web');
const NEXT_BIN = join(ROOT, 'node_modules/next/dist/bin/next');
const LOG_DIR = join(ROOT, 'artifacts/logs');
const SCREENSHOT_DIR = join(ROOT, 'artifacts/screenshots');
/** Wharf's own AWS account as the API and the STS stand-in know it (the roles' trust policies name it). */
const PLATFORM_ACCOUNT = '111122223333';
/** An access key of the right shape that the STS stand-in does not know (InvalidClientTokenId). */
const REFUSED_AWS_KEY_ID = 'AKIAREFUSEDEXAMPLE01';

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), stat.mtimeMs);
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

/** When the sources were read for the current build: the time its `next build` started, written by the package's
 * build script (a file edited during a build is newer than this, so the next run builds again). */
const BUILT_FROM = join(WEB, '.next/wharf-built-from');

/** Builds the dashboard when it has no build or its sources (or the libs it bundles) changed since it was built. */
async function ensureWebBuild(): Promise<void> {
  const built = existsSync(BUILT_FROM) ? Number(readFileSync(BUILT_FROM, 'utf8')) : 0;
  const sources = Math.max(
    newestMtime(join(WEB, 'src')),
    newestMtime(join(WEB, 'next.config.ts')),
    newestMtime(join(WEB, 'package.json')),
    newestMtime(join(ROOT, 'libs/contracts/src')),
    newestMtime(join(ROOT, 'libs/engine/src')), // the contracts bundle its schemas
  );
  if (built > sources) return;
  await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'libs/contracts'], ROOT);
  await run('npm', ['run', 'build'], WEB);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

const BUILT = ['apps/api/dist/main.js', 'apps/api/dist/cli.js', 'apps/agent/dist/main.js', 'apps/worker/dist/main.js'];

/**
 * The real stack for the browser tests: a fresh migrated database, the built API, a cluster for it (edge
 * proxy, agent and worker on the local engine), and the built dashboard on free ports (`next start`,
 * proxying `/api/*` to that API). Invitation links point at it; apps get URLs on the cluster's proxy port.
 */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  process.env.WHARF_TEST_RUN ??= `p${process.pid}`;
  const missing = BUILT.filter((file) => !existsSync(join(ROOT, file)));
  if (missing.length > 0) {
    throw new Error(`${missing.join(', ')} missing: build first (npx nx run-many -t build)`);
  }
  await ensureWebBuild();
  // Screenshots of this run only.
  rmSync(SCREENSHOT_DIR, { recursive: true, force: true });

  const webPort = await freePort();
  const webUrl = `http://127.0.0.1:${webPort}`;
  // The API queues deployments for the worker under this prefix.
  const queuePrefix = `wharf-web-${process.pid}-${Date.now().toString(36)}`;
  let api: RunningApi | undefined;
  let workload: Workload | undefined;
  let web: ChildProcess | undefined;
  let hosting: FakeHosting | undefined;
  let sts: FakeSts | undefined;
  // the `local` provider's machines of this run: a bridge and subnet of its own, the API relayed on its address
  const hostNet = runNetwork('web', 'wbw');
  const teardown = async () => {
    if (web) await stopProcess(web);
    await workload?.stop();
    // the machines a failed test left, then the bridge and rules the worker's provider added
    await localProvider({ stateDir: hostNet.stateDir, bridge: hostNet.bridge, subnet: hostNet.subnet }).destroyAll();
    rmSync(hostNet.stateDir, { recursive: true, force: true });
    await api?.stop();
    await hosting?.close();
    await sts?.close();
    await dropTestDatabases();
  };

  // GitHub, GitLab and Gitee as the API sees them: a local fake accepting one token (git connections)
  const gitHostingToken = `ghp_web_${process.pid}`;
  try {
    hosting = await startFakeHosting({ repos: 12, branchesPerRepo: 3, token: gitHostingToken });
    // AWS STS as the API sees it (cloud accounts): a local stand-in, and the platform's own key for AssumeRole
    sts = await startFakeSts({
      platformAccount: PLATFORM_ACCOUNT,
      keysAccount: '210987654321',
      refusedKeyIds: [REFUSED_AWS_KEY_ID],
    });
    api = await startApi({
      PUBLIC_URL: webUrl,
      // Every test signs up and logs in from 127.0.0.1; the defaults are sized for real clients.
      SIGNUP_RATE_LIMIT_PER_IP: '10000',
      LOGIN_RATE_LIMIT_PER_IP: '10000',
      LOGIN_RATE_LIMIT_PER_ACCOUNT: '10000',
      QUEUE_PREFIX: queuePrefix,
      AGENT_HEARTBEAT_MS: '1000',
      // the builds test's git server listens on 127.0.0.1 over plain HTTP (the worker gets it from startWorkload)
      GIT_ALLOW_LOCAL: 'true',
      GITHUB_API_URL: hosting.url('github'),
      GITLAB_API_URL: hosting.url('gitlab'),
      GITEE_API_URL: hosting.url('gitee'),
      AWS_PLATFORM_ACCOUNT_ID: PLATFORM_ACCOUNT,
      // the AWS SDK's endpoint for STS (the adapter's verify and AssumeRole), the source credentials of its default chain
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_ACCESS_KEY_ID: sts.platformKey.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sts.platformKey.secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    workload = await startWorkload({
      apiUrl: api.url,
      databaseUrl: api.databaseUrl,
      queuePrefix,
      // every role: hosts added in the browser are machines of the `local` provider (network namespaces on this
      // run's bridge), whose agents dial the API through the relay the worker opens on the bridge's address
      workerEnv: {
        HOSTS_LOCAL_STATE_DIR: hostNet.stateDir,
        HOSTS_LOCAL_BRIDGE: hostNet.bridge,
        HOSTS_LOCAL_SUBNET: hostNet.subnet,
        HOSTS_LOCAL_RELAYS: `${new URL(api.url).port}=${new URL(api.url).host}`,
        HOSTS_AGENT_API_URL: `http://${hostNet.gateway}:${new URL(api.url).port}`,
        HOSTS_POLL_MS: '500',
        HOSTS_BOOT_TIMEOUT_MS: '60000',
        HOSTS_BOOTSTRAP_TIMEOUT_MS: '120000',
        HOSTS_DRAIN_TIMEOUT_MS: '60000',
      },
    });
    mkdirSync(LOG_DIR, { recursive: true });
    const log = createWriteStream(join(LOG_DIR, 'web.log'));
    web = spawn(process.execPath, [NEXT_BIN, 'start', '-p', String(webPort), '-H', '127.0.0.1'], {
      cwd: WEB,
      env: { ...process.env, API_URL: api.url, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    web.stdout?.pipe(log);
    web.stderr?.pipe(log);
    await waitFor(`${webUrl}/login`, 60_000);
    // Through the dashboard's proxy to the API: proves the whole chain answers.
    await waitFor(`${webUrl}/api/v1/plans`, 30_000);
  } catch (error) {
    await teardown();
    throw error;
  }

  project.provide('webUrl', webUrl);
  project.provide('apiUrl', api.url);
  project.provide('ownerDatabaseUrl', api.ownerDatabaseUrl);
  project.provide('queuePrefix', queuePrefix);
  project.provide('proxyPort', workload.proxyPort);
  project.provide('appsDomain', workload.domain);
  project.provide('gitHostingToken', gitHostingToken);
  project.provide('stsUrl', sts.url);
  project.provide('refusedAwsKeyId', REFUSED_AWS_KEY_ID);
  return teardown;
}
