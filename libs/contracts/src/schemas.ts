import { z } from 'zod';
import { Cluster } from './apps.js';
import { DisplayName, Email, ListQuery, Password, Slug, TenantRef, Timestamp, Uuid } from './common.js';
import { PLAN_IDS, QUOTA_KEYS } from './quota.js';
import { ROLES } from './roles.js';

export const RoleSchema = z.enum(ROLES);
export const PlanIdSchema = z.enum(PLAN_IDS);
export const QuotaKeySchema = z.enum(QUOTA_KEYS);
export const TenantStatus = z.enum(['active', 'suspended']);

// ── users and sessions ────────────────────────────────────────────────────────
export const User = z.object({
  id: Uuid,
  email: z.string(),
  name: z.string(),
  isPlatformAdmin: z.boolean(),
  createdAt: Timestamp,
});
export type User = z.infer<typeof User>;

export const SignupBody = z.strictObject({ email: Email, password: Password, name: DisplayName });
export const LoginBody = z.strictObject({ email: Email, password: z.string().min(1).max(256) });
export const RefreshBody = z.strictObject({ refreshToken: z.string().min(20).max(200).optional() });
export const LogoutBody = RefreshBody;

export const Session = z.object({
  user: User,
  accessToken: z.string(),
  accessTokenExpiresAt: Timestamp,
  refreshToken: z.string(),
  refreshTokenExpiresAt: Timestamp,
});
export type Session = z.infer<typeof Session>;

// ── tenants ───────────────────────────────────────────────────────────────────
export const Tenant = z.object({
  id: Uuid,
  slug: z.string(),
  name: z.string(),
  planId: PlanIdSchema,
  status: TenantStatus,
  suspendedReason: z.string().nullable(),
  personal: z.boolean(),
  createdAt: Timestamp,
  /** The caller's role in this tenant. */
  role: RoleSchema,
});
export type Tenant = z.infer<typeof Tenant>;

export const SignupResult = Session.extend({ tenant: Tenant });
export type SignupResult = z.infer<typeof SignupResult>;

export const Me = z.object({ user: User, tenants: z.array(Tenant) });
export type Me = z.infer<typeof Me>;

export const CreateTenantBody = z.strictObject({ name: DisplayName, slug: Slug.optional() });
export const UpdateTenantBody = z.strictObject({ name: DisplayName });
export const TenantParams = z.strictObject({ tenant: TenantRef });

// ── members and invitations ───────────────────────────────────────────────────
export const Member = z.object({
  userId: Uuid,
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  joinedAt: Timestamp,
});
export type Member = z.infer<typeof Member>;
export const MemberParams = TenantParams.extend({ userId: Uuid });
export const UpdateMemberBody = z.strictObject({ role: RoleSchema });

export const InvitationStatus = z.enum(['pending', 'accepted', 'revoked', 'expired']);
export const Invitation = z.object({
  id: Uuid,
  email: z.string(),
  role: RoleSchema,
  status: InvitationStatus,
  expiresAt: Timestamp,
  createdAt: Timestamp,
  invitedBy: z.object({ id: Uuid, name: z.string() }).nullable(),
});
export type Invitation = z.infer<typeof Invitation>;
export const InvitationParams = TenantParams.extend({ invitationId: Uuid });
export const CreateInvitationBody = z.strictObject({
  email: Email,
  role: RoleSchema,
  expiresInHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(72),
});
export const CreatedInvitation = z.object({
  invitation: Invitation,
  /** The secret token, shown once. */
  token: z.string(),
  /** Link for the invitee to open in the dashboard. */
  url: z.string(),
});
export const InvitationTokenBody = z.strictObject({ token: z.string().min(20).max(200) });
export const InvitationPreview = z.object({
  tenant: z.object({ name: z.string(), slug: z.string() }),
  email: z.string(),
  role: RoleSchema,
  status: InvitationStatus,
  expiresAt: Timestamp,
});

// ── API tokens ────────────────────────────────────────────────────────────────
export const ApiToken = z.object({
  id: Uuid,
  name: z.string(),
  /** The first characters of the token, to recognise it. */
  prefix: z.string(),
  user: z.object({ id: Uuid, name: z.string() }),
  expiresAt: Timestamp.nullable(),
  lastUsedAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
  createdAt: Timestamp,
});
export type ApiToken = z.infer<typeof ApiToken>;
export const ApiTokenParams = TenantParams.extend({ tokenId: Uuid });
export const CreateApiTokenBody = z.strictObject({
  name: DisplayName,
  /** Days until it expires; null for a token that never expires. */
  expiresInDays: z.number().int().min(1).max(365).nullable().default(90),
});
export const CreatedApiToken = z.object({ apiToken: ApiToken, token: z.string() });

// ── registry credentials ──────────────────────────────────────────────────────
/** A registry host as images name it: `ghcr.io`, `registry.example.com:5000`, `127.0.0.1:5000`. */
export const RegistryServer = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$/, 'a registry host name, optionally with :port (no scheme, no path)')
  .refine((s) => Number(s.split(':')[1] ?? 1) <= 65_535, 'the port must be at most 65535');
export const RegistryCredential = z.object({
  id: Uuid,
  server: z.string(),
  username: z.string(),
  createdAt: Timestamp,
  createdBy: z.object({ id: Uuid, name: z.string() }).nullable(),
});
export type RegistryCredential = z.infer<typeof RegistryCredential>;
export const RegistryCredentialParams = TenantParams.extend({ credentialId: Uuid });
export const CreateRegistryCredentialBody = z.strictObject({
  server: RegistryServer,
  username: z.string().min(1).max(256),
  /** Stored encrypted; never returned. */
  password: z.string().min(1).max(8192),
});

// ── quota and usage ───────────────────────────────────────────────────────────
export const QuotaUsage = z.object({
  key: QuotaKeySchema,
  limit: z.number().int(),
  used: z.number().int(),
  planLimit: z.number().int(),
  overridden: z.boolean(),
});
export type QuotaUsage = z.infer<typeof QuotaUsage>;
export const Usage = z.object({ planId: PlanIdSchema, quotas: z.array(QuotaUsage) });
export type Usage = z.infer<typeof Usage>;

export const Plan = z.object({
  id: PlanIdSchema,
  name: z.string(),
  limits: z.record(QuotaKeySchema, z.number().int()),
});
export type Plan = z.infer<typeof Plan>;

// ── audit ─────────────────────────────────────────────────────────────────────
export const AuditOutcome = z.enum(['success', 'denied', 'failure']);
export const AuditEvent = z.object({
  id: Uuid,
  at: Timestamp,
  actor: z.object({ id: Uuid, email: z.string() }).nullable(),
  action: z.string(),
  target: z.string().nullable(),
  outcome: AuditOutcome,
  status: z.number().int(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;
export const AuditQuery = ListQuery.extend({
  action: z
    .string()
    .max(100)
    .regex(/^[a-z.-]+$/)
    .optional(),
});

// ── platform admin ────────────────────────────────────────────────────────────
export const AdminTenant = Tenant.omit({ role: true }).extend({
  memberCount: z.number().int(),
  quotas: z.array(QuotaUsage),
});
export type AdminTenant = z.infer<typeof AdminTenant>;
export const AdminTenantParams = z.strictObject({ tenantId: Uuid });
export const AdminTenantQuery = ListQuery.extend({
  q: z.string().max(100).optional(),
  status: TenantStatus.optional(),
});
export const ChangePlanBody = z.strictObject({ planId: PlanIdSchema });
export const QuotaOverridesBody = z.strictObject({
  /** A number sets the tenant's limit; null removes the override (the plan's limit applies). */
  overrides: z.partialRecord(QuotaKeySchema, z.number().int().min(0).max(1_000_000_000).nullable()),
});
export const SuspendBody = z.strictObject({ reason: DisplayName });

// ── platform admin: clusters and agents ───────────────────────────────────────
/** A DNS name (lowercase labels of letters, digits and inner hyphens, dot-separated): apps get host names under it. */
export const DnsName = z
  .string()
  .min(1)
  .max(253)
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/,
    'a DNS name: lowercase letters, digits and hyphens in dot-separated labels (no scheme, port or trailing dot)',
  );
export const AdminCluster = Cluster.extend({
  /** The tenant of a dedicated cluster; null for the platform's shared ones. */
  tenantId: Uuid.nullable(),
  proxyPort: z.number().int(),
  createdAt: Timestamp,
});
export type AdminCluster = z.infer<typeof AdminCluster>;
export const AdminClusterParams = z.strictObject({ clusterId: Uuid });
export const AdminAgentParams = AdminClusterParams.extend({ agentId: Uuid });
export const CreateClusterBody = z.strictObject({
  name: Slug,
  domain: DnsName,
  /** The port the cluster's edge proxy serves apps on. */
  proxyPort: z.number().int().min(1).max(65_535),
  /** Make it a dedicated cluster of this tenant (its own hosts); without it the cluster is shared. */
  tenantId: Uuid.optional(),
});
/** A one-time join token: shown once, stored hashed, valid for a day; an agent trades it for its credential. */
export const IssuedJoinToken = z.object({ joinToken: z.string() });
export const CreatedCluster = IssuedJoinToken.extend({ cluster: AdminCluster });
/** A cluster's agent (its credential is never shown again after registration). */
export const AdminAgent = z.object({
  id: Uuid,
  name: z.string(),
  version: z.string().nullable(),
  createdAt: Timestamp,
  rotatedAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
  lastSeenAt: Timestamp.nullable(),
});
export type AdminAgent = z.infer<typeof AdminAgent>;

export const Health = z.object({ status: z.enum(['ok', 'unavailable']), checks: z.record(z.string(), z.string()) });
