import type { App, Deployment, Page } from '../api-types.js';
import { environmentOf, str } from '../args.js';
import type { ApiClient } from '../client.js';
import { CliError } from '../errors.js';
import { deployAndReport } from '../follow.js';
import { step } from '../output.js';
import { resolveApp } from '../project.js';

type Values = Record<string, string | boolean | undefined>;

/** `wharf rollback`: deploys an earlier revision again (default: the live one before the current) and follows it. */
export async function rollback(client: ApiClient, values: Values, dir = process.cwd()): Promise<void> {
  const { app } = await resolveApp(str(values, 'app'), dir);
  const environment = environmentOf(values);
  let target = str(values, 'to');
  if (!target) {
    const [view, page] = await Promise.all([
      client.get<App>(client.appPath(app), 'reading the app'),
      client.get<Page<Deployment>>(client.appPath(app, 'deployments'), 'listing the deployments', { environment, limit: 100 }),
    ]);
    const current = view.environments.find((e) => e.name === environment)?.currentDeploymentId ?? null;
    const found = rollbackTarget(page.items, current);
    if (!found) throw new CliError(`${app} has no earlier live deployment in ${environment} to go back to.`);
    const when = found.createdAt.slice(0, 19).replace('T', ' ');
    step(`Rolling ${app} (${environment}) back to deployment #${found.revision} of ${when} UTC (${found.id})`);
    target = found.id;
  } else step(`Rolling ${app} (${environment}) back to ${target}`);
  const deployment = await client.request<Deployment>('POST', client.appPath(app, 'deployments'), {
    what: 'starting the rollback',
    body: { environment, rollbackTo: target },
  });
  await deployAndReport(client, app, deployment);
}

/**
 * Among deployments newest first: the first that ended live after the current one (after the first live one when
 * the current one is not in the list).
 */
export function rollbackTarget(deployments: Deployment[], currentId: string | null): Deployment | undefined {
  const at = currentId ? deployments.findIndex((d) => d.id === currentId) : -1;
  const from = at >= 0 ? at + 1 : deployments.findIndex((d) => d.status === 'live') + 1;
  if (from <= 0) return undefined;
  return deployments.slice(from).find((d) => d.status === 'live');
}
