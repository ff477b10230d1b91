import type { Deployment, Page, Variable } from '../api-types.js';
import { environmentOf, parseAssignments, str } from '../args.js';
import type { ApiClient } from '../client.js';
import { UsageError } from '../errors.js';
import { deployAndReport } from '../follow.js';
import { dim, green, say, table } from '../output.js';
import { resolveApp } from '../project.js';

type Values = Record<string, string | boolean | undefined>;

/** `wharf env [set KEY=VALUE… | unset KEY…]`: an environment's variables and secrets. */
export async function env(client: ApiClient, positionals: string[], values: Values, dir = process.cwd()): Promise<void> {
  const [action = 'list', ...args] = positionals;
  const { app } = await resolveApp(str(values, 'app'), dir);
  const environment = environmentOf(values);
  if (action === 'list' || action === 'ls') {
    if (args.length > 0) throw new UsageError(`env: unexpected argument "${args[0]}"`);
    return list(client, app, environment);
  }
  if (action !== 'set' && action !== 'unset') throw new UsageError(`env: unknown action "${action}" (set, unset or nothing)`);
  if (action === 'unset' && values.secret) throw new UsageError('env unset: --secret is for env set');
  if (action === 'set') {
    const secret = values.secret === true;
    for (const { key, value } of parseAssignments(args)) {
      await client.request<Variable>('PUT', client.appPath(app, 'variables', key), {
        what: `setting ${key}`,
        query: { environment },
        body: { value, secret },
      });
      say(`${green('set')} ${key}${secret ? ' (secret)' : ''}`);
    }
  } else {
    if (args.length === 0) throw new UsageError('env unset: give at least one KEY');
    for (const key of args) {
      await client.request('DELETE', client.appPath(app, 'variables', key), { what: `removing ${key}`, query: { environment } });
      say(`${green('removed')} ${key}`);
    }
  }
  if (values.deploy !== true) {
    say(
      dim(`Changes apply with the next deployment of ${app} (${environment}): run \`wharf env … --deploy\` or \`wharf deploy\`.`),
    );
    return;
  }
  const deployment = await client.request<Deployment>('POST', client.appPath(app, 'deployments'), {
    what: 'starting a deployment',
    body: { environment },
  });
  await deployAndReport(client, app, deployment);
}

async function list(client: ApiClient, app: string, environment: string): Promise<void> {
  const page = await client.get<Page<Variable>>(client.appPath(app, 'variables'), 'listing the variables', { environment });
  if (page.items.length === 0) {
    say(dim(`${app} has no variables in ${environment}.`));
    return;
  }
  const rows = page.items.map((v) => [v.key, v.secret ? dim('(secret)') : (v.value ?? ''), v.updatedAt]);
  say(table(['KEY', 'VALUE', 'UPDATED'], rows));
}
