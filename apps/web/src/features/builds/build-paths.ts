/** `…/apps/{app}/builds`, below the app's base path (as in the address bar). */
export function buildsPath(appBase: string): string {
  return `${appBase}/builds`;
}

export function buildPath(appBase: string, buildId: string): string {
  return `${buildsPath(appBase)}/${encodeURIComponent(buildId)}`;
}

export function sourcePath(appBase: string): string {
  return `${appBase}/source`;
}

/** The tenant's git connections page. */
export function gitConnectionsPath(tenantSlug: string): string {
  return `/t/${encodeURIComponent(tenantSlug)}/git-connections`;
}
