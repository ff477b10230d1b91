import type { Me, Tenant } from '../api-types.js';
import { str } from '../args.js';
import { ApiClient } from '../client.js';
import { configPath, normaliseApiUrl, readConfig, saveConfig } from '../config.js';
import { CliError, UsageError } from '../errors.js';
import { green, say } from '../output.js';

const DEFAULT_API = 'http://127.0.0.1:4000';
const TOKEN_PREFIX = 'wharf_';

type Values = Record<string, string | boolean | undefined>;

/** `wharf login`: checks the token with `GET /me` and stores the API, token and tenant (0600). */
export async function login(values: Values): Promise<void> {
  const file = configPath();
  const stored = await readConfig(file).catch(() => undefined);
  const api = normaliseApiUrl(str(values, 'api') ?? stored?.api ?? DEFAULT_API);
  const token = (str(values, 'token') ?? (process.env.WHARF_TOKEN || undefined) ?? (await askToken())).trim();
  if (!token.startsWith(TOKEN_PREFIX) || token.length <= TOKEN_PREFIX.length) {
    throw new UsageError(`login: a personal API token starts with "${TOKEN_PREFIX}" (create one in the dashboard: API tokens)`);
  }
  const client = new ApiClient(api, token, '');
  const me = await client.get<Me>('/api/v1/me', 'checking the token');
  const tenant = pickTenant(me.tenants, str(values, 'tenant'));
  await saveConfig(file, { api, token, tenant: tenant.slug, user: me.user.email });
  say(`${green('Logged in')} to ${api} as ${me.user.name} <${me.user.email}>, tenant ${tenant.slug} (${tenant.name}).`);
  say(`Saved to ${file}.`);
}

/** `--tenant` (slug or id) among the token's tenants; without it, the only one or the personal one. */
export function pickTenant(tenants: Tenant[], wanted: string | undefined): Tenant {
  if (wanted) {
    const found = tenants.find((t) => t.slug === wanted || t.id === wanted);
    if (!found) {
      const names = tenants.map((t) => t.slug).join(', ') || 'none';
      throw new CliError(`This token does not reach the tenant "${wanted}" (it reaches: ${names}).`);
    }
    return found;
  }
  const only = tenants.length === 1 ? tenants[0] : tenants.find((t) => t.personal);
  if (!only) {
    if (tenants.length === 0) throw new CliError('This token reaches no tenant.');
    throw new UsageError(`login: pick a tenant with --tenant (one of ${tenants.map((t) => t.slug).join(', ')})`);
  }
  return only;
}

/** Asks for the token on a terminal without echoing it. */
async function askToken(): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) throw new UsageError('login: give --token TOKEN or set WHARF_TOKEN (no terminal to ask on)');
  process.stdout.write('API token (wharf_…): ');
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = '';
      const onData = (chunk: string) => {
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n') {
            input.off('data', onData);
            return resolve(value);
          }
          if (ch === '\u0003') {
            input.off('data', onData);
            return reject(new CliError('cancelled', 130));
          }
          value = ch === '\u007f' || ch === '\b' ? value.slice(0, -1) : value + ch;
        }
      };
      input.on('data', onData);
    });
  } finally {
    input.setRawMode(false);
    input.pause();
    process.stdout.write('\n');
  }
}
