import type { App } from '@wharf/contracts';

/** Path segments below `/t/{tenant}/apps` that are pages, not apps: an app with such a name is linked by id. */
const RESERVED = new Set(['new']);

export function appsPath(tenantSlug: string): string {
  return `/t/${encodeURIComponent(tenantSlug)}/apps`;
}

/** `/t/{tenant}/apps/{name}`, the app's page (by id when its name is a reserved segment). */
export function appPath(tenantSlug: string, app: Pick<App, 'id' | 'name'>): string {
  return `${appsPath(tenantSlug)}/${encodeURIComponent(RESERVED.has(app.name) ? app.id : app.name)}`;
}
