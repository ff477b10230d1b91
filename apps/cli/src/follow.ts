import type { App, BuildLogEvent, Deployment, DeploymentEvent, DeploymentStatus } from './api-types.js';
import type { ApiClient } from './client.js';
import { ApiError, CliError } from './errors.js';
import { dim, green, red, say, step, yellow } from './output.js';
import type { SseEvent } from './sse.js';

const RETRIES = 5;

/**
 * Reads an SSE stream until its `end` event, reconnecting with `Last-Event-ID` when the connection is cut before
 * it (the API replays what came after). Returns the `end` event's data.
 */
export async function followStream(
  client: ApiClient,
  path: string,
  what: string,
  onEvent: (e: SseEvent) => void,
  signal?: AbortSignal,
): Promise<string> {
  let lastEventId: string | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      const opts = { what, ...(lastEventId !== undefined ? { lastEventId } : {}), ...(signal ? { signal } : {}) };
      for await (const e of client.events(path, opts)) {
        if (e.id !== undefined) lastEventId = e.id;
        if (e.event === 'end') return e.data;
        onEvent(e);
      }
    } catch (e) {
      // refusals (401, 404) and an abort are final; a cut connection is not
      if (e instanceof ApiError || e instanceof CliError || signal?.aborted) throw e;
      if (attempt >= RETRIES) throw new CliError(`${what}: the stream broke (${(e as Error).message}).`);
    }
    if (attempt >= RETRIES) throw new CliError(`${what}: the stream kept ending early.`);
    await new Promise((r) => setTimeout(r, 1_000 * (attempt + 1)));
  }
}

/** Prints a build's log as it is written; returns how it ended. */
export async function followBuild(
  client: ApiClient,
  app: string,
  buildId: string,
  signal?: AbortSignal,
): Promise<{ status: string; reason: string | null }> {
  let atLineStart = true;
  const end = await followStream(
    client,
    client.appPath(app, 'builds', buildId, 'logs'),
    'following the build log',
    (e) => {
      if (e.event !== 'log') return;
      const { text } = JSON.parse(e.data) as BuildLogEvent;
      process.stdout.write(text);
      if (text.length > 0) atLineStart = text.endsWith('\n');
    },
    signal,
  );
  if (!atLineStart) say();
  const parsed = JSON.parse(end) as { status: string | null; reason: string | null };
  return { status: parsed.status ?? 'gone', reason: parsed.reason ?? null };
}

const STATUS_WORDS: Record<DeploymentStatus, string> = {
  queued: 'queued',
  preparing: 'preparing',
  testing: 'testing',
  rolling_out: 'rolling out',
  live: 'live',
  failed: 'failed',
  rolled_back: 'rolled back',
  cancelled: 'cancelled',
};

/** Prints a deployment's status changes and log until it ends; returns the deployment as it ended. */
export async function followDeployment(client: ApiClient, app: string, deployment: Deployment): Promise<Deployment> {
  step(`Deployment #${deployment.revision} to ${deployment.environment} (${deployment.id})`);
  await followStream(client, client.appPath(app, 'deployments', deployment.id, 'events'), 'following the deployment', (e) => {
    if (e.event !== 'status' && e.event !== 'log') return;
    const ev = JSON.parse(e.data) as DeploymentEvent;
    const time = dim(new Date(ev.at).toTimeString().slice(0, 8));
    say(ev.kind === 'status' ? `${time} ${yellow('status')} ${ev.message}` : `${time} ${ev.message}`);
  });
  const ended = await client.get<Deployment>(client.appPath(app, 'deployments', deployment.id), 'reading the deployment');
  const word = STATUS_WORDS[ended.status] ?? ended.status;
  const reason = ended.reason ? `: ${ended.reason}` : '';
  say(
    ended.status === 'live'
      ? green(`Deployment #${ended.revision} is live.`)
      : red(`Deployment #${ended.revision} ${word}${reason}`),
  );
  return ended;
}

/** The URL of the app in `environment` (its first HTTP service's), if it has one. */
export function urlOf(app: App, environment: string): string | null {
  const env = app.environments.find((e) => e.name === environment);
  const urls = env?.urls ?? {};
  return urls[app.service] ?? Object.values(urls)[0] ?? (environment === 'production' ? app.url : null);
}

/** Follows a deployment to its end, prints the app's URL; fails unless it went live. */
export async function deployAndReport(client: ApiClient, app: string, deployment: Deployment): Promise<void> {
  const ended = await followDeployment(client, app, deployment);
  if (ended.status !== 'live') throw new CliError(`The deployment ended ${STATUS_WORDS[ended.status] ?? ended.status}.`);
  const view = await client.get<App>(client.appPath(app), 'reading the app');
  const url = urlOf(view, deployment.environment);
  say(
    url ? `${green('✔')} ${app} is live at ${url}` : `${green('✔')} ${app} is live (it serves no HTTP port, so it has no URL).`,
  );
}
