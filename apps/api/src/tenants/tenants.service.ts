import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, type PlanId, type Tenant } from '@wharf/contracts';
import {
  Database,
  MembershipsRepository,
  type TenantId,
  type TenantScope,
  TenantsRepository,
  type UserId,
  type UserScope,
} from '@wharf/db';
import { DATABASE } from '../core/tokens.js';
import { slugify, toTenant } from './tenant-views.js';

@Injectable()
export class TenantsService {
  private readonly tenants = new TenantsRepository();
  private readonly memberships = new MembershipsRepository();

  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /**
   * Creates a tenant with `owner` as its owner, inside the caller's transaction. An explicit slug that is taken is a
   * conflict; a derived one gets a random suffix until it is free.
   */
  async create(
    scope: UserScope | TenantScope,
    owner: UserId,
    input: { name: string; slug?: string | undefined; planId: PlanId; personal: boolean },
  ): Promise<Tenant> {
    const tenantScope = await Database.rescope(scope, randomUUID() as TenantId);
    const base = input.slug ?? slugify(input.name);
    for (let attempt = 0; attempt < 8; attempt++) {
      // `base` is at most 40 characters; with the suffix the slug stays within the 40 a slug may have
      const slug = attempt === 0 ? base : `${base.slice(0, 33).replace(/-+$/, '')}-${randomBytes(3).toString('hex')}`;
      const row = await this.tenants.tryCreate(tenantScope, {
        slug,
        name: input.name,
        planId: input.planId,
        personal: input.personal,
      });
      if (row) {
        await this.memberships.add(tenantScope, owner, 'owner');
        return toTenant(row, 'owner');
      }
      if (input.slug) throw new ConflictError(`The slug "${input.slug}" is taken.`);
    }
    throw new ConflictError('Could not find a free slug; choose one.');
  }

  async listForUser(userId: UserId, page: { limit: number; cursor?: string | undefined }) {
    return this.db.withUser(userId, async (scope) => {
      const result = await this.tenants.listForUser(scope, page);
      return { items: result.items.map((r) => toTenant(r, r.role)), nextCursor: result.nextCursor };
    });
  }

  async rename(scope: TenantScope, name: string, role: Tenant['role']): Promise<Tenant> {
    return toTenant(await this.tenants.rename(scope, name), role);
  }
}
