/** Path prefixes shared by the route files. */
export const V1 = '/api/v1';
/** Tenant-scoped resources: `{tenant}` is the tenant's id or slug. */
export const T = `${V1}/tenants/{tenant}`;
