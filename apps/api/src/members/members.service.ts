import { Inject, Injectable } from '@nestjs/common';
import {
  ConflictError,
  canManageRole,
  ForbiddenError,
  type Invitation,
  type Member,
  NotFoundError,
  type Role,
  type Tenant,
} from '@wharf/contracts';
import { hashToken, randomSecret } from '@wharf/crypto';
import {
  admit,
  Database,
  InvitationsRepository,
  type InvitationView,
  MembershipsRepository,
  type MemberView,
  type TenantId,
  type TenantScope,
  TenantsRepository,
  type UserId,
} from '@wharf/db';
import { CONFIG, type Config } from '../config.js';
import type { Principal } from '../core/principal.js';
import { DATABASE } from '../core/tokens.js';
import { toTenant } from '../tenants/tenant-views.js';

export function toMember(m: MemberView): Member {
  return { userId: m.userId, email: m.email, name: m.name, role: m.role, joinedAt: m.createdAt.toISOString() };
}

export function toInvitation(i: InvitationView, now = new Date()): Invitation {
  const status = i.acceptedAt ? 'accepted' : i.revokedAt ? 'revoked' : i.expiresAt <= now ? 'expired' : 'pending';
  return {
    id: i.id,
    email: i.email,
    role: i.role,
    status,
    expiresAt: i.expiresAt.toISOString(),
    createdAt: i.createdAt.toISOString(),
    invitedBy: i.invitedBy ? { id: i.invitedBy, name: i.inviterName ?? '' } : null,
  };
}

const INVITATION_PREFIX = 'winv_';

@Injectable()
export class MembersService {
  private readonly memberships = new MembershipsRepository();
  private readonly invitations = new InvitationsRepository();
  private readonly tenants = new TenantsRepository();

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async list(scope: TenantScope, page: { limit: number; cursor?: string | undefined }) {
    const result = await this.memberships.list(scope, page);
    return { items: result.items.map(toMember), nextCursor: result.nextCursor };
  }

  /** Owners manage everyone; admins everyone but owners. The last owner stays an owner. */
  async changeRole(scope: TenantScope, actorRole: Role, userId: UserId, role: Role): Promise<Member> {
    await this.tenants.lock(scope);
    const target = await this.memberships.find(scope, userId);
    if (!target) throw new NotFoundError('member');
    if (!canManageRole(actorRole, target.role, role))
      throw new ForbiddenError('Only an owner can grant or take away the owner role.');
    if (target.role === 'owner' && role !== 'owner' && (await this.memberships.count(scope, 'owner')) <= 1) {
      throw new ConflictError('The last owner cannot be demoted. Make someone else an owner first.');
    }
    await this.memberships.setRole(scope, userId, role);
    return toMember({ ...target, role });
  }

  async remove(scope: TenantScope, actorRole: Role, userId: UserId): Promise<void> {
    await this.tenants.lock(scope);
    const target = await this.memberships.find(scope, userId);
    if (!target) throw new NotFoundError('member');
    if (!canManageRole(actorRole, target.role, undefined)) throw new ForbiddenError('Only an owner can remove an owner.');
    if (target.role === 'owner' && (await this.memberships.count(scope, 'owner')) <= 1) {
      throw new ConflictError('The last owner cannot be removed.');
    }
    await this.memberships.remove(scope, userId);
  }

  async listInvitations(scope: TenantScope, page: { limit: number; cursor?: string | undefined }) {
    const result = await this.invitations.list(scope, page);
    const now = new Date();
    return { items: result.items.map((i) => toInvitation(i, now)), nextCursor: result.nextCursor };
  }

  async invite(
    scope: TenantScope,
    actor: Principal,
    actorRole: Role,
    input: { email: string; role: Role; expiresInHours: number },
  ) {
    if (!canManageRole(actorRole, undefined, input.role)) throw new ForbiddenError('Only an owner can invite owners.');
    const existing = await this.memberships.findByEmail(scope, input.email);
    if (existing) throw new ConflictError(`${input.email} is already a member.`);
    const token = `${INVITATION_PREFIX}${randomSecret(32)}`;
    const row = await this.invitations.create(scope, {
      email: input.email,
      role: input.role,
      tokenHash: hashToken(token),
      invitedBy: actor.userId,
      expiresAt: new Date(Date.now() + input.expiresInHours * 3600_000),
    });
    const view = await this.invitations.find(scope, row.id);
    if (!view) throw new Error('invitation vanished');
    return { invitation: toInvitation(view), token, url: `${this.config.PUBLIC_URL.replace(/\/$/, '')}/invite/${token}` };
  }

  async revokeInvitation(scope: TenantScope, id: string): Promise<void> {
    const found = await this.invitations.find(scope, id);
    if (!found) throw new NotFoundError('invitation');
    if (!(await this.invitations.revoke(scope, id))) throw new ConflictError('This invitation was already used or revoked.');
  }

  async preview(userId: UserId, token: string) {
    return this.withInvitation(userId, token, async (scope, invitation) => {
      const tenant = await this.tenants.get(scope);
      const view = toInvitation(invitation);
      return {
        tenant: { name: tenant.name, slug: tenant.slug },
        email: view.email,
        role: view.role,
        status: view.status,
        expiresAt: view.expiresAt,
      };
    });
  }

  /**
   * Accepts an invitation for the signed-in user. Admission locks the tenant row, so with N seats left exactly N of
   * any number of concurrent acceptances succeed.
   */
  async accept(actor: Principal, token: string, audit: { auditTenantId?: TenantId }): Promise<Tenant> {
    return this.withInvitation(actor.userId, token, async (scope, invitation) => {
      // refusals from here on are filed in the inviting tenant's audit log
      audit.auditTenantId = scope.tenantId;
      const status = toInvitation(invitation).status;
      if (status !== 'pending') throw new ConflictError(`This invitation is ${status}.`);
      if (invitation.email !== actor.email.toLowerCase()) {
        throw new ForbiddenError(
          `This invitation was sent to another email address; sign in as ${invitation.email} to accept it.`,
        );
      }
      if (await this.memberships.find(scope, actor.userId)) throw new ConflictError('You are already a member of this tenant.');
      await admit(scope, { members: 1 });
      if (!(await this.invitations.markAccepted(scope, invitation.id, actor.userId))) {
        throw new ConflictError('This invitation was already used or revoked.');
      }
      await this.memberships.add(scope, actor.userId, invitation.role);
      return toTenant(await this.tenants.get(scope), invitation.role);
    });
  }

  private withInvitation<T>(
    userId: UserId,
    token: string,
    fn: (scope: TenantScope, invitation: InvitationView) => Promise<T>,
  ): Promise<T> {
    const hash = hashToken(token);
    return this.db.withUser(userId, async (userScope) => {
      const tenantId = await this.invitations.tenantForToken(userScope.trx, hash);
      if (!tenantId) throw new NotFoundError('invitation');
      const scope = await Database.rescope(userScope, tenantId);
      const invitation = await this.invitations.findByTokenHash(scope, hash);
      if (!invitation) throw new NotFoundError('invitation');
      return fn(scope, invitation);
    });
  }
}
