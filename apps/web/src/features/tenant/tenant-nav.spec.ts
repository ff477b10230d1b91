import { describe, expect, it } from 'vitest';
import { tenantNav } from './tenant-nav';

describe('tenantNav', () => {
  it('shows owners every section of the team', () => {
    const items = tenantNav('acme', 'owner').flatMap((s) => s.items.map((i) => i.href));
    expect(items).toEqual(['/t/acme', '/t/acme/members', '/t/acme/tokens', '/t/acme/registries', '/t/acme/audit']);
  });

  it('hides the audit log from developers', () => {
    const items = tenantNav('acme', 'developer').flatMap((s) => s.items.map((i) => i.href));
    expect(items).not.toContain('/t/acme/audit');
    expect(items).toContain('/t/acme/members');
  });
});
