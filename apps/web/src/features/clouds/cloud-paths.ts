/** `/t/{tenant}/cloud-accounts`, the team's cloud accounts. */
export function cloudAccountsPath(tenantSlug: string): string {
  return `/t/${encodeURIComponent(tenantSlug)}/cloud-accounts`;
}

/** The connect wizard. */
export function connectCloudPath(tenantSlug: string): string {
  return `${cloudAccountsPath(tenantSlug)}/new`;
}
