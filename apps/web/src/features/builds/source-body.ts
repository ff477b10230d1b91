import { PROGRAM_TYPES, type RouteOutput, type RouteRequest, type sourceRoutes } from '@wharf/contracts';

/** What `PUT …/source` takes (and `source` of the create body): `SetSourceBody` as the API accepts it. */
export type SourceInput = RouteRequest<typeof sourceRoutes.set>['body'];
/** The app's source as the API answers it. */
export type AppSource = RouteOutput<typeof sourceRoutes.get>;
export type SettingsInput = NonNullable<SourceInput['settings']>;
export type AuthInput = NonNullable<SourceInput['auth']>;
export type ProgramType = (typeof PROGRAM_TYPES)[number];
export type AccessKind = AppSource['auth'];
export const ACCESS_KINDS: readonly AccessKind[] = ['none', 'token', 'ssh', 'connection'];

/** A `KEY=value` list that did not read: its field (`buildArgs`) and the 1-based lines that are not `KEY=value`. */
export class ArgsError extends Error {
  constructor(
    readonly field: string,
    readonly lines: number[],
  ) {
    super(`${field}: not KEY=value on line ${lines.join(', ')}`);
    this.name = 'ArgsError';
  }
}

/**
 * Build args from a textarea, one `KEY=value` a line (the value as written, `=` included; blank lines and
 * `#` comments skipped). The API judges the names.
 */
export function parseArgs(text: string, field = 'buildArgs'): Record<string, string> {
  const args: Record<string, string> = {};
  const bad: number[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const eq = raw.indexOf('=');
    if (eq <= 0 || raw.slice(0, eq).trim() === '') bad.push(index + 1);
    else args[raw.slice(0, eq).trim()] = raw.slice(eq + 1);
  });
  if (bad.length > 0) throw new ArgsError(field, bad);
  return args;
}

export function formatArgs(args: Readonly<Record<string, string>>): string {
  return Object.entries(args)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

function isProgramType(value: string): value is ProgramType {
  return PROGRAM_TYPES.some((type) => type === value);
}

/** The build settings fields (`programType`, `dockerfilePath`, …; `dockerfile` on the source page only). */
export function readSettings(form: FormData): SettingsInput {
  const programType = text(form, 'programType');
  const target = text(form, 'target');
  const dockerfile = String(form.get('dockerfile') ?? '');
  const timeout = text(form, 'timeoutMinutes');
  return {
    programType: isProgramType(programType) ? programType : 'auto',
    dockerfilePath: text(form, 'dockerfilePath') || 'Dockerfile',
    context: text(form, 'context') || '.',
    ...(target ? { target } : {}),
    buildArgs: parseArgs(String(form.get('buildArgs') ?? '')),
    ...(dockerfile.trim() ? { dockerfile } : {}),
    ...(timeout ? { timeoutMinutes: Number(timeout) } : {}),
  };
}

/** The access the form chose: `none`, a token, the app's deploy key, or a git connection. */
export function readAuth(form: FormData): AuthInput {
  const kind = text(form, 'access');
  if (kind === 'token') return { kind: 'token', token: text(form, 'token') };
  if (kind === 'ssh') return { kind: 'ssh' };
  if (kind === 'connection') return { kind: 'connection', connectionId: text(form, 'connectionId') };
  return { kind: 'none' };
}

function region(form: FormData): 'global' | 'cn' {
  return text(form, 'region') === 'cn' ? 'cn' : 'global';
}

function readSecretArgs(form: FormData): Record<string, string> {
  return parseArgs(String(form.get('secretBuildArgs') ?? ''), 'secretBuildArgs');
}

/**
 * The git source of the create form: a pasted URL (with its access) or a connection's repository, the branch
 * production tracks, the build settings and the secret build args.
 */
export function readCreateSource(form: FormData): SourceInput {
  const branch = text(form, 'branch');
  const secretBuildArgs = readSecretArgs(form);
  return {
    repository: text(form, 'repository'),
    auth: readAuth(form),
    region: region(form),
    settings: readSettings(form),
    ...(Object.keys(secretBuildArgs).length > 0 ? { secretBuildArgs } : {}),
    ...(branch ? { tracking: { production: branch } } : {}),
  };
}

/**
 * The source page's form: everything `PUT …/source` replaces. Tracking: one `track.<environment>` field per
 * environment (empty: tracks nothing). Secret build args are sent only when "replace" is ticked.
 */
export function readSourceForm(form: FormData, environments: readonly string[]): SourceInput {
  const tracking = Object.fromEntries(environments.map((name) => [name, text(form, `track.${name}`) || null]));
  const secretBuildArgs = form.get('replaceSecrets') === 'on' ? readSecretArgs(form) : undefined;
  return {
    repository: text(form, 'repository'),
    auth: readAuth(form),
    region: region(form),
    settings: readSettings(form),
    ...(secretBuildArgs ? { secretBuildArgs } : {}),
    tracking,
  };
}

/**
 * The app's source as it is, with `settings` changed (saving a Dockerfile override from a build). A token is
 * never returned by the API, so a source reached with one needs it again: `undefined` when it is missing.
 */
export function withSettings(source: AppSource, settings: SettingsInput, token?: string): SourceInput | undefined {
  let auth: AuthInput;
  if (source.auth === 'token') {
    if (!token) return undefined;
    auth = { kind: 'token', token };
  } else if (source.auth === 'connection' && source.connectionId) {
    auth = { kind: 'connection', connectionId: source.connectionId };
  } else auth = { kind: source.auth === 'ssh' ? 'ssh' : 'none' };
  return { repository: source.repository, auth, region: source.region, settings };
}
