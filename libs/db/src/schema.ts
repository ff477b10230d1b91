import type { PlanId, QuotaLimits, Role } from '@wharf/contracts';
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { BuildTables } from './schema-builds.js';
import type { HostTables } from './schema-hosts.js';
import type { StatsTables } from './schema-stats.js';

/** Column names are snake_case in Postgres and camelCase here (Kysely's CamelCasePlugin). */
export type CreatedAt = ColumnType<Date, Date | undefined, never>;

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
  /** The ExternalId the roles of the tenant's cloud accounts require of Wharf (read by the cloud accounts only). */
  cloudExternalId: ColumnType<string, never, never>;
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

export type CloudProviderName = 'aws' | 'aliyun';
export type CloudAuth = 'role' | 'keys';
export interface CloudAccountsTable {
  tenantId: TenantId;
  /** Chosen by the app before the insert: the sealed secret's AAD names it. */
  id: string;
  provider: CloudProviderName;
  name: string;
  auth: CloudAuth;
  roleArn: string | null;
  accessKeyId: string | null;
  /** The access key's secret, envelope-sealed (Keyring, AAD.cloudAccount); null for roles. */
  secretSealed: string | null;
  identityAccount: string;
  identityPrincipal: string | null;
  verifiedAt: Date;
  createdBy: UserId | null;
  createdAt: CreatedAt;
}

export type ClusterStatus = 'pending' | 'ready' | 'unreachable';
export interface ClustersTable {
  id: Generated<string>;
  tenantId: TenantId | null;
  name: string;
  kind: 'shared' | 'dedicated';
  domain: string;
  proxyPort: number;
  status: Generated<ClusterStatus>;
  lastHeartbeatAt: Date | null;
  engine: ColumnType<unknown, string | null, string | null>;
  nodes: ColumnType<unknown[], string | undefined, string>;
  /** Policy rules (libs/compose POLICY_RULES) the owner of a dedicated cluster relaxed. */
  policyRelaxed: Generated<string[]>;
  createdAt: CreatedAt;
}

export interface ClusterJoinTokensTable {
  id: Generated<string>;
  clusterId: string;
  tokenHash: string;
  expiresAt: Date;
  usedAt: Date | null;
  createdAt: CreatedAt;
}

export interface AgentsTable {
  id: Generated<string>;
  clusterId: string;
  name: string;
  credentialHash: string;
  version: string | null;
  createdAt: CreatedAt;
  rotatedAt: Date | null;
  revokedAt: Date | null;
  lastSeenAt: Date | null;
  /** The host the agent registered for (with the host's token); null for an agent that joined with a cluster token. */
  hostId: string | null;
  /** `cluster`: joined with a cluster token; `host`: bound to one host; `broker`: runs only broker.* commands. */
  kind: Generated<AgentKind>;
  /** The broker the agent registered as (kind `broker`). */
  brokerId: string | null;
}

export type AgentKind = 'cluster' | 'host' | 'broker';

export type CommandState = 'pending' | 'delivered' | 'succeeded' | 'failed' | 'cancelled';
export interface AgentCommandsTable {
  id: Generated<string>;
  seq: Generated<number>;
  clusterId: string;
  tenantId: TenantId | null;
  idempotencyKey: string;
  kind: string;
  payload: ColumnType<unknown, string, string>;
  state: Generated<CommandState>;
  deliveries: Generated<number>;
  leaseUntil: Date | null;
  deliveredTo: string | null;
  /** The one agent the command is for; null: any agent of the cluster that may run cluster-wide commands. */
  agentId: string | null;
  result: ColumnType<unknown, string | null, string | null>;
  error: string | null;
  createdAt: CreatedAt;
  completedAt: Date | null;
}

/** One image; a compose stack; one image built from the app's git source (`app_sources`). */
export type AppKind = 'image' | 'compose' | 'source';
export interface AppsTable {
  tenantId: TenantId;
  id: Generated<string>;
  slug: string;
  name: string;
  clusterId: string;
  kind: Generated<AppKind>;
  /** The compose stack's YAML (compose apps). */
  compose: string | null;
  /** The image form (image apps; the service is `service`). */
  service: Generated<string>;
  image: string | null;
  httpPort: number | null;
  command: ColumnType<string[] | null, string | null, string | null>;
  healthcheck: ColumnType<unknown, string | null, string | null>;
  replicas: number | null;
  cpuMillis: number | null;
  memoryMib: number | null;
  stopped: Generated<boolean>;
  deletedAt: Date | null;
  createdBy: UserId | null;
  createdAt: CreatedAt;
  updatedAt: Generated<Date>;
}

export type EnvironmentStatus = 'created' | 'deploying' | 'running' | 'failed';
export interface AppEnvironmentsTable {
  tenantId: TenantId;
  appId: string;
  name: string;
  /** Binding name → what it is bound to (contracts' `Binding`). */
  bindings: ColumnType<Record<string, unknown>, string | undefined, string>;
  status: Generated<EnvironmentStatus>;
  currentDeploymentId: string | null;
  /** The git branch the environment tracks: a push to it builds and deploys it (apps built from source). */
  branch: string | null;
  actual: ColumnType<unknown, string | null, string | null>;
  actualAt: Date | null;
  /** The quota the environment holds: its stack's services, and CPU and memory of all their replicas. */
  services: Generated<number>;
  cpuMillis: Generated<number>;
  memoryMib: Generated<number>;
  createdAt: CreatedAt;
  updatedAt: Generated<Date>;
}

export interface AppVariablesTable {
  tenantId: TenantId;
  appId: string;
  environment: string;
  key: string;
  secret: boolean;
  value: string | null;
  valueSealed: string | null;
  updatedAt: Generated<Date>;
}

export type DeploymentStatus =
  | 'queued'
  | 'preparing'
  | 'testing'
  | 'rolling_out'
  | 'live'
  | 'failed'
  | 'rolled_back'
  | 'cancelled';

/** The verdict of a deployment's integration stage. */
export interface TestResult {
  passed: boolean;
  exitCode: number | null;
  reason: string | null;
}
export interface DeploymentsTable {
  tenantId: TenantId;
  id: Generated<string>;
  appId: string;
  environment: string;
  revision: number;
  status: Generated<DeploymentStatus>;
  reason: string | null;
  spec: ColumnType<unknown, string, never>;
  secretsSealed: string | null;
  /** Stack config name → content (not secret). */
  configs: ColumnType<Record<string, string>, string | undefined, never>;
  /** The stack with its test service (a job), run in a temporary environment before the rollout. */
  testSpec: ColumnType<unknown, string | null | undefined, never>;
  testResult: ColumnType<TestResult | null, never, string | null>;
  rollbackOf: string | null;
  /** The build whose image the deployment runs (apps built from source). */
  buildId: string | null;
  cancelRequested: Generated<boolean>;
  createdBy: UserId | null;
  createdAt: CreatedAt;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface DeploymentEventsTable {
  tenantId: TenantId;
  deploymentId: string;
  seq: Generated<number>;
  at: CreatedAt;
  kind: 'status' | 'log';
  message: string;
}

export interface DB extends BuildTables, HostTables, StatsTables {
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
  cloudAccounts: CloudAccountsTable;
  clusters: ClustersTable;
  clusterJoinTokens: ClusterJoinTokensTable;
  agents: AgentsTable;
  agentCommands: AgentCommandsTable;
  apps: AppsTable;
  appEnvironments: AppEnvironmentsTable;
  appVariables: AppVariablesTable;
  deployments: DeploymentsTable;
  deploymentEvents: DeploymentEventsTable;
}

export type UserRow = Selectable<UsersTable>;
/** A tenant as the app reads it; its cloud ExternalId is read by CloudAccountsRepository.externalId only. */
export type TenantRow = Omit<Selectable<TenantsTable>, 'cloudExternalId'>;
export type MembershipRow = Selectable<MembershipsTable>;
export type InvitationRow = Selectable<InvitationsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type RefreshTokenRow = Selectable<RefreshTokensTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type RegistryCredentialRow = Selectable<RegistryCredentialsTable>;
export type CloudAccountRow = Selectable<CloudAccountsTable>;
export type ClusterRow = Selectable<ClustersTable>;
export type AgentRow = Selectable<AgentsTable>;
export type AgentCommandRow = Selectable<AgentCommandsTable>;
export type AppRow = Selectable<AppsTable>;
export type AppEnvironmentRow = Selectable<AppEnvironmentsTable>;
export type AppVariableRow = Selectable<AppVariablesTable>;
export type DeploymentRow = Selectable<DeploymentsTable>;
export type DeploymentEventRow = Selectable<DeploymentEventsTable>;
