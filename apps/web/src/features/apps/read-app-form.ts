import type { appRoutes, RouteRequest } from '@wharf/contracts';
import type { SourceInput } from '@/features/builds/source-body';

/** What the create form sends: `CreateAppBody` as the API accepts it. */
export type CreateAppInput = RouteRequest<typeof appRoutes.create>['body'];

/** What the app runs: one image and its settings, the stack a compose file describes, or an image built from git. */
export type AppSource = 'image' | 'compose' | 'git';
export const APP_SOURCES: readonly AppSource[] = ['image', 'compose', 'git'];

export type HealthcheckChoice = 'none' | 'http' | 'command';
export const HEALTHCHECK_CHOICES: readonly HealthcheckChoice[] = ['none', 'http', 'command'];

/** One row of the variables editor. `id` keys the row while its key is being typed. */
export interface VariableRow {
  id: number;
  key: string;
  value: string;
  secret: boolean;
}

/**
 * An argument vector from a textarea: one argument per line, used as written (spaces and quotes included,
 * no shell involved); empty lines are skipped.
 */
export function parseArgv(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line !== '');
}

/** Keys given more than once (ignoring empty rows). */
export function duplicateKeys(rows: readonly VariableRow[]): Set<string> {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const { key } of rows) {
    const name = key.trim();
    if (!name) continue;
    if (seen.has(name)) duplicates.add(name);
    seen.add(name);
  }
  return duplicates;
}

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** A number input: `undefined` when empty (the API's default applies); the API judges the value. */
function numberField(form: FormData, name: string): number | undefined {
  const raw = text(form, name);
  return raw === '' ? undefined : Number(raw);
}

function readHealthcheck(form: FormData): CreateAppInput['healthcheck'] {
  const choice = text(form, 'healthcheck');
  if (choice === 'http') return { type: 'http', path: text(form, 'healthPath') || '/' };
  if (choice === 'command') return { type: 'command', command: parseArgv(String(form.get('healthCommand') ?? '')) };
  return undefined;
}

function readVariables(rows: readonly VariableRow[]): { env: Record<string, string>; secrets: Record<string, string> } {
  const env: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const row of rows) {
    const key = row.key.trim();
    if (!key) continue;
    (row.secret ? secrets : env)[key] = row.value;
  }
  return { env, secrets };
}

/** The request body of the create form: its fields plus the variable rows (secrets apart). */
export function readCreateApp(form: FormData, rows: readonly VariableRow[]): CreateAppInput {
  const { env, secrets } = readVariables(rows);
  const command = parseArgv(String(form.get('command') ?? ''));
  const cluster = text(form, 'cluster');
  return {
    name: text(form, 'name'),
    image: text(form, 'image'),
    port: numberField(form, 'port'),
    replicas: numberField(form, 'replicas'),
    cpuMillis: numberField(form, 'cpuMillis'),
    memoryMiB: numberField(form, 'memoryMiB'),
    command: command.length > 0 ? command : undefined,
    healthcheck: readHealthcheck(form),
    env,
    secrets,
    cluster: cluster || undefined,
    deploy: form.get('deploy') === 'on',
  };
}

/**
 * The request body of the create form for an app from a compose file: the name, cluster and variables of the
 * form, and the file as written (the image settings are the file's own).
 */
export function readCreateComposeApp(form: FormData, rows: readonly VariableRow[], compose: string): CreateAppInput {
  const cluster = text(form, 'cluster');
  return {
    name: text(form, 'name'),
    compose,
    ...readVariables(rows),
    cluster: cluster || undefined,
    deploy: form.get('deploy') === 'on',
  };
}

/**
 * The request body of the create form for an app built from a git repository: the name, port, resources, cluster
 * and variables of the form, and its source (`readCreateSource`). With a deploy key nothing is built yet: the
 * repository must first be given the key's public half.
 */
export function readCreateSourceApp(form: FormData, rows: readonly VariableRow[], source: SourceInput): CreateAppInput {
  const cluster = text(form, 'cluster');
  return {
    name: text(form, 'name'),
    source,
    port: numberField(form, 'port'),
    replicas: numberField(form, 'replicas'),
    cpuMillis: numberField(form, 'cpuMillis'),
    memoryMiB: numberField(form, 'memoryMiB'),
    ...readVariables(rows),
    cluster: cluster || undefined,
    deploy: form.get('deploy') === 'on' && source.auth?.kind !== 'ssh',
  };
}
