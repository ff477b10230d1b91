import { type App, AppHealthcheck, type appRoutes, type RouteRequest } from '@wharf/contracts';
import type { HealthcheckValue } from './health-check-fields';
import { parseArgv } from './read-app-form';

/** What the settings form sends: `UpdateAppBody` as the API accepts it (only what changed). */
export type UpdateAppInput = RouteRequest<typeof appRoutes.update>['body'];

/** The app settings the form edits, as the app answers them. */
export type AppSettings = Pick<
  App,
  'kind' | 'displayName' | 'image' | 'port' | 'cpuMillis' | 'memoryMiB' | 'command' | 'healthcheck'
>;

/** An app's health check as the fields show it (null: none, or one this dashboard does not know). */
export function currentHealthcheck(app: Pick<App, 'healthcheck'>): HealthcheckValue | null {
  const parsed = AppHealthcheck.safeParse(app.healthcheck);
  return parsed.success ? parsed.data : null;
}

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** A number input as typed (the API judges it); `null` when empty. */
function numberOrNull(form: FormData, name: string): number | null {
  const raw = text(form, name);
  return raw === '' ? null : Number(raw);
}

/** The health check of the form; its interval stays what it was when the kind of check stays. */
function readHealthcheck(form: FormData, before: HealthcheckValue | null): HealthcheckValue | null {
  const choice = text(form, 'healthcheck');
  const interval = before?.type === choice && before.intervalSeconds ? { intervalSeconds: before.intervalSeconds } : {};
  if (choice === 'http') return { type: 'http', path: text(form, 'healthPath') || '/', ...interval };
  if (choice === 'command') return { type: 'command', command: parseArgv(String(form.get('healthCommand') ?? '')), ...interval };
  return null;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The PATCH body of the settings form: the fields that differ from the app's (undefined when nothing does). A
 * compose app's settings are in its file: only its display name is sent; an app built from source runs the image of
 * its builds: no image.
 */
export function readAppSettings(form: FormData, app: AppSettings): UpdateAppInput | undefined {
  const body: NonNullable<UpdateAppInput> = {};
  const displayName = text(form, 'displayName');
  if (displayName !== app.displayName) body.displayName = displayName;
  if (app.kind !== 'compose') {
    if (app.kind === 'image') {
      const image = text(form, 'image');
      if (image !== (app.image ?? '')) body.image = image;
    }
    const port = numberOrNull(form, 'port');
    if (port !== app.port) body.port = port;
    const cpuMillis = numberOrNull(form, 'cpuMillis');
    if (cpuMillis !== null && cpuMillis !== app.cpuMillis) body.cpuMillis = cpuMillis;
    const memoryMiB = numberOrNull(form, 'memoryMiB');
    if (memoryMiB !== null && memoryMiB !== app.memoryMiB) body.memoryMiB = memoryMiB;
    const argv = parseArgv(String(form.get('command') ?? ''));
    const command = argv.length > 0 ? argv : null;
    if (!same(command, app.command)) body.command = command;
    const before = currentHealthcheck(app);
    const healthcheck = readHealthcheck(form, before);
    if (!same(healthcheck, before)) body.healthcheck = healthcheck;
  }
  return Object.keys(body).length > 0 ? body : undefined;
}
