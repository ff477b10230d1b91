import type { PlanId, QuotaLimits, Role } from '@wharf/contracts';
import type { ColumnType, Generated, Selectable } from 'kysely';

/** Column names are snake_case in Postgres and camelCase here (Kysely's CamelCasePlugin). */
type CreatedAt = ColumnType<Date, Date | undefined, never>;

export type TenantId = string & { readonly __brand: 'TenantId' };
export type UserId = string & { readonly __brand: 'UserId' };

export interface PlansTable {
  id: PlanId;
  name: string;
  limits: ColumnType<QuotaLimits, string, string>;
  createdAt: CreatedAt;
}

export interface UsersTable {
  id: ColumnType<UserId, UserId | undefined, never>;
  email: string;
  name: string;
  passwordHash: string;
  isPlatformAdmin: Generated<boolean>;
  createdAt: CreatedAt;
  updatedAt: Generated<Date>;
}

export interface TenantsTable {
  id: ColumnType<TenantId, TenantId, never>;
  slug: string;
  name: string;
  planId: PlanId;
  status: Generated<'active' | 'suspended'>;
  suspendedReason: string | null;
  personal: Generated<boolean>;
  createdAt: CreatedAt;
}

export interface MembershipsTable {
  tenantId: TenantId;
  userId: UserId;
  role: Role;
  createdAt: CreatedAt;
}

export interface InvitationsTable {
  tenantId: TenantId;
  id: Generated<string>;
  email: string;
  role: Role;
  tokenHash: string;
  invitedBy: UserId | null;
  expiresAt: Date;
  acceptedAt: Date | null;
  acceptedBy: UserId | null;
  revokedAt: Date | null;
  createdAt: CreatedAt;
}

export interface ApiTokensTable {
  tenantId: TenantId;
  id: Generated<string>;
  userId: UserId;
  name: string;
  prefix: string;
  tokenHash: string;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: CreatedAt;
}

export interface RefreshTokensTable {
  id: Generated<string>;
  familyId: string;
  userId: UserId;
  tokenHash: string;
  expiresAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: CreatedAt;
}

export interface TenantQuotaOverridesTable {
  tenantId: TenantId;
  quotaKey: string;
  limitValue: ColumnType<number, number, number>;
  updatedBy: UserId | null;
  updatedAt: Generated<Date>;
}

export interface AuditEventsTable {
  tenantId: TenantId | null;
  id: Generated<string>;
  at: CreatedAt;
  actorId: UserId | null;
  actorEmail: string | null;
  action: string;
  target: string | null;
  outcome: 'success' | 'denied' | 'failure';
  status: number;
  ip: string | null;
  requestId: string | null;
}

export interface RegistryCredentialsTable {
  tenantId: TenantId;
  id: Generated<string>;
  server: string;
  username: string;
  passwordSealed: string;
  createdBy: UserId | null;
  createdAt: CreatedAt;
}

export interface DB {
  plans: PlansTable;
  users: UsersTable;
  tenants: TenantsTable;
  memberships: MembershipsTable;
  invitations: InvitationsTable;
  apiTokens: ApiTokensTable;
  refreshTokens: RefreshTokensTable;
  tenantQuotaOverrides: TenantQuotaOverridesTable;
  auditEvents: AuditEventsTable;
  registryCredentials: RegistryCredentialsTable;
}

export type UserRow = Selectable<UsersTable>;
export type TenantRow = Selectable<TenantsTable>;
export type MembershipRow = Selectable<MembershipsTable>;
export type InvitationRow = Selectable<InvitationsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type RefreshTokenRow = Selectable<RefreshTokensTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type RegistryCredentialRow = Selectable<RegistryCredentialsTable>;
