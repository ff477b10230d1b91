import type { App, Build, Deployment, Page } from '../api-types.js';
import { environmentOf, str } from '../args.js';
import type { ApiClient } from '../client.js';
import { ApiError, CliError } from '../errors.js';
import { deployAndReport, followBuild } from '../follow.js';
import { dim, kib, red, say, step, warn } from '../output.js';
import { packSource } from '../pack.js';
import { rememberApp, resolveApp } from '../project.js';

type Values = Record<string, string | boolean | undefined>;

/**
 * `wharf deploy`: creates the app on first use, uploads the directory as a gzip'd tar, follows the build's log,
 * then the deployment the build started; succeeds only when that deployment is live.
 */
export async function deploy(client: ApiClient, values: Values, dir = process.cwd()): Promise<void> {
  const { app } = await resolveApp(str(values, 'app'), dir);
  const environment = environmentOf(values);
  await ensureApp(client, app);
  if (await rememberApp(dir, app)) say(dim(`(wrote .wharf.json: later commands here act on ${app})`));

  step(`Packing ${dir}`);
  const packed = await packSource(dir);
  say(`${packed.files} files, ${kib(packed.bytes)} → ${kib(packed.archive.length)} compressed`);

  step(`Uploading to ${app} (${environment})`);
  const build = await client.request<Build>('POST', client.appPath(app, 'builds', 'upload'), {
    what: 'uploading the source',
    query: { environment },
    raw: { type: 'application/gzip', data: packed.archive },
    timeoutMs: 600_000,
  });
  step(`Build #${build.number} (${build.id})`);
  const ended = await buildWithCancel(client, app, build);
  if (ended.status !== 'succeeded') {
    const reason = ended.reason && ended.reason !== ended.status ? `: ${ended.reason}` : '';
    throw new CliError(`Build #${build.number} ${ended.status}${reason}`, ended.status === 'cancelled' ? 130 : 1);
  }
  say(`Build #${build.number} succeeded.`);
  const deployment = await deploymentOf(client, app, environment, build.id);
  await deployAndReport(client, app, deployment);
}

/** The app, created (built from uploads) when it does not exist; refused when it runs an image or compose file. */
async function ensureApp(client: ApiClient, app: string): Promise<void> {
  try {
    const found = await client.get<App>(client.appPath(app), 'reading the app');
    if (found.kind !== 'source') {
      throw new CliError(
        `${app} runs ${found.kind === 'image' ? 'an image' : 'a compose file'}: it cannot be deployed from source.`,
      );
    }
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e;
    step(`Creating app ${app} in ${client.tenant}`);
    await client.request('POST', client.tenantPath('apps'), { what: 'creating the app', body: { name: app, upload: true } });
  }
}

/** Follows the build's log; the first Ctrl-C cancels the build (and waits for it to end), a second one quits. */
async function buildWithCancel(client: ApiClient, app: string, build: Build) {
  let interrupted = false;
  const quit = new AbortController();
  const onSigint = () => {
    if (interrupted) {
      quit.abort();
      return;
    }
    interrupted = true;
    say(red('\nCancelling the build… (Ctrl-C again to stop waiting)'));
    client
      .request('POST', client.appPath(app, 'builds', build.id, 'cancel'), { what: 'cancelling the build' })
      .catch((e: Error) => warn(e.message));
  };
  process.on('SIGINT', onSigint);
  try {
    return await followBuild(client, app, build.id, quit.signal);
  } catch (e) {
    if (quit.signal.aborted) throw new CliError('Stopped waiting; the build is being cancelled.', 130);
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** The deployment a build started in the environment (it appears moments after the build ends). */
async function deploymentOf(client: ApiClient, app: string, environment: string, buildId: string): Promise<Deployment> {
  const until = Date.now() + 60_000;
  for (;;) {
    const page = await client.get<Page<Deployment>>(client.appPath(app, 'deployments'), 'listing the deployments', {
      environment,
      limit: 5,
    });
    const found = page.items.find((d) => d.buildId === buildId);
    if (found) return found;
    if (Date.now() > until) throw new CliError(`The build succeeded but no deployment of it to ${environment} appeared.`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
