import { describe, expect, it } from 'vitest';
import { Slug, TenantRef } from './common.js';
import { buildOpenApi } from './openapi.js';
import { can, canManageRole, PERMISSIONS, ROLES } from './roles.js';
import { ROUTES } from './routes/index.js';

describe('routes', () => {
  it('have unique ids and unique method + path', () => {
    expect(new Set(ROUTES.map((r) => r.id)).size).toBe(ROUTES.length);
    expect(new Set(ROUTES.map((r) => `${r.method} ${r.path}`)).size).toBe(ROUTES.length);
  });

  it('every tenant-scoped route lives under /tenants/{tenant} and names a permission', () => {
    for (const r of ROUTES.filter((x) => x.auth === 'tenant')) {
      expect(r.path.startsWith('/api/v1/tenants/{tenant}'), r.id).toBe(true);
      expect(PERMISSIONS).toContain(r.permission);
    }
  });
});

describe('OpenAPI', () => {
  const doc = buildOpenApi(ROUTES, { version: 'test' }) as {
    openapi: string;
    paths: Record<string, Record<string, { operationId: string; requestBody?: unknown; responses: Record<string, unknown> }>>;
  };

  it('has one operation per route, with request bodies and problem responses', () => {
    expect(doc.openapi).toBe('3.1.0');
    const ops = Object.values(doc.paths).flatMap((p) => Object.values(p));
    expect(ops.map((o) => o.operationId).sort()).toEqual(ROUTES.map((r) => r.id).sort());
    const invite = doc.paths['/api/v1/tenants/{tenant}/invitations']?.post;
    expect(invite?.requestBody).toBeDefined();
    expect(Object.keys(invite?.responses ?? {})).toEqual(expect.arrayContaining(['201', '400', '401', '403', '404']));
  });

  it('marks unknown body fields as refused', () => {
    const body = doc.paths['/api/v1/auth/signup']?.post?.requestBody as {
      content: Record<string, { schema: { additionalProperties?: boolean } }>;
    };
    expect(body.content['application/json']?.schema.additionalProperties).toBe(false);
  });
});

describe('roles', () => {
  it('owners hold every permission, viewers cannot change the tenant', () => {
    for (const p of PERMISSIONS) expect(can('owner', p)).toBe(true);
    expect(can('viewer', 'tenant.update')).toBe(false);
    expect(can('developer', 'members.invite')).toBe(false);
    expect(ROLES).toEqual(['owner', 'admin', 'developer', 'viewer']);
  });

  it('only owners grant or take away the owner role', () => {
    expect(canManageRole('owner', 'owner', 'viewer')).toBe(true);
    expect(canManageRole('admin', 'developer', 'admin')).toBe(true);
    expect(canManageRole('admin', 'owner', 'admin')).toBe(false);
    expect(canManageRole('admin', 'viewer', 'owner')).toBe(false);
    expect(canManageRole('developer', 'viewer', 'viewer')).toBe(false);
  });
});

describe('names', () => {
  it('slugs are DNS labels; hostile ones are refused', () => {
    for (const ok of ['acme', 'a1', 'my-team-2']) expect(Slug.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['A', '-x', 'x-', 'a--b', '../etc', 'a/b', 'a b', 'x'.repeat(41), 'é'])
      expect(Slug.safeParse(bad).success, bad).toBe(false);
    expect(TenantRef.safeParse('3f0c6a4e-8a9b-4c1d-9e2f-1a2b3c4d5e6f').success).toBe(true);
  });
});
