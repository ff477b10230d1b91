import { describe, expect, it } from 'vitest';
import { tenantNav } from './tenant-nav';

describe('tenantNav', () => {
  it('shows owners every section of the team', () => {
    const items = tenantNav('acme', 'owner').flatMap((s) => s.items.map((i) => i.href));
    expect(items).toEqual([
      '/t/acme/apps',
      '/t/acme',
      '/t/acme/members',
      '/t/acme/tokens',
      '/t/acme/registries',
      '/t/acme/git-connections',
      '/t/acme/cloud-accounts',
      '/t/acme/clusters',
      '/t/acme/audit',
    ]);
  });

  it('puts the apps first, for every role', () => {
    for (const role of ['owner', 'admin', 'developer', 'viewer'] as const) {
      const [first] = tenantNav('acme', role);
      expect(first?.title).toBe('nav.section.workloads');
      expect(first?.items.map((i) => i.href)).toEqual(['/t/acme/apps']);
    }
  });

  it('hides the audit log from developers', () => {
    const items = tenantNav('acme', 'developer').flatMap((s) => s.items.map((i) => i.href));
    expect(items).not.toContain('/t/acme/audit');
    expect(items).toContain('/t/acme/members');
  });
});
