import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { CliError } from './errors.js';

/** What `wharf login` stores: where the API is, the personal API token, the tenant commands act in. */
export interface CliConfig {
  api: string;
  token: string;
  tenant: string;
  /** Who the token belongs to (shown, never used to authenticate). */
  user?: string;
}

type Env = Record<string, string | undefined>;

/** `$WHARF_CONFIG`, else `$XDG_CONFIG_HOME/wharf/config.json`, else `~/.config/wharf/config.json`. */
export function configPath(env: Env = process.env): string {
  if (env.WHARF_CONFIG) return path.resolve(env.WHARF_CONFIG);
  const base =
    env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(homedir(), '.config');
  return path.join(base, 'wharf', 'config.json');
}

/** Writes the config readable by its owner only (0600; its directory 0700 when it creates it), atomically. */
export async function saveConfig(file: string, config: CliConfig): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  // the mode given to writeFile is masked by the umask and ignored for a file that exists
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}

export async function readConfig(file: string): Promise<CliConfig | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let parsed: Partial<CliConfig>;
  try {
    parsed = JSON.parse(text) as Partial<CliConfig>;
  } catch {
    throw new CliError(`${file} is not valid JSON: run \`wharf login\` again.`);
  }
  if (typeof parsed.api !== 'string' || typeof parsed.token !== 'string' || typeof parsed.tenant !== 'string') {
    throw new CliError(`${file} lacks the API URL, token or tenant: run \`wharf login\` again.`);
  }
  return { api: parsed.api, token: parsed.token, tenant: parsed.tenant, ...(parsed.user ? { user: parsed.user } : {}) };
}

/** The stored config; `WHARF_TOKEN` takes precedence over the stored token (CI). */
export async function loadConfig(env: Env = process.env): Promise<CliConfig> {
  const file = configPath(env);
  const stored = await readConfig(file);
  if (!stored) throw new CliError(`Not logged in (no ${file}): run \`wharf login\` first.`);
  return { ...stored, api: normaliseApiUrl(stored.api), token: env.WHARF_TOKEN || stored.token };
}

/** `https://wharf.example.com/api/v1/` → `https://wharf.example.com`; refuses anything but http(s) URLs. */
export function normaliseApiUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`${raw} is not a URL (expected e.g. https://wharf.example.com).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`${raw}: only http and https URLs.`);
  const pathname = url.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  return `${url.origin}${pathname}`;
}
