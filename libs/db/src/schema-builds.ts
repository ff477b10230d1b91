import type { ColumnType, Generated, Selectable } from 'kysely';
import type { CreatedAt, TenantId, UserId } from './schema.js';

export type GitProviderName = 'github' | 'gitlab' | 'gitee';
export interface GitConnectionsTable {
  tenantId: TenantId;
  id: Generated<string>;
  provider: GitProviderName;
  /** The account's login on the provider. */
  account: string;
  tokenSealed: string;
  createdBy: UserId | null;
  createdAt: CreatedAt;
}

export type SourceAuth = 'none' | 'token' | 'ssh' | 'connection';
export interface AppSourcesTable {
  tenantId: TenantId;
  appId: string;
  repository: string;
  auth: SourceAuth;
  connectionId: string | null;
  tokenSealed: string | null;
  deployKeyPublic: string | null;
  deployKeySealed: string | null;
  /** The build region whose builders build the app (its queue is `build-<region>`). */
  region: string;
  /** Build settings (contracts' `BuildSettings`). */
  settings: ColumnType<unknown, string, string>;
  /** Secret build args (sealed JSON map): passed to the build, masked in its log. */
  secretArgsSealed: string | null;
  /** The webhook's path id (`/api/v1/hooks/{hookId}`) and its sealed secret. */
  hookId: string;
  hookSecretSealed: string;
  updatedAt: Generated<Date>;
}

export type BuildStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type BuildKind = 'git' | 'upload';
export type BuildTrigger = 'manual' | 'webhook' | 'cli';
export interface BuildsTable {
  tenantId: TenantId;
  id: Generated<string>;
  appId: string;
  number: number;
  status: Generated<BuildStatus>;
  kind: BuildKind;
  trigger: BuildTrigger;
  region: string;
  repository: string | null;
  branch: string | null;
  commit: string | null;
  commitSubject: string | null;
  /** Environments the image is deployed to when the build succeeds. */
  environments: ColumnType<string[], string[] | undefined, string[]>;
  /** What was built: the program type, the Dockerfile text, whether Wharf wrote it, why. */
  plan: ColumnType<unknown, never, string | null>;
  image: string | null;
  digest: string | null;
  /** A compose stack's build: service → the image built for it, pinned (`image:tag@sha256:…`). */
  images: ColumnType<Record<string, string> | null, never, string | null>;
  reason: string | null;
  cancelRequested: Generated<boolean>;
  billedSeconds: Generated<number>;
  createdBy: UserId | null;
  createdAt: CreatedAt;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface BuildLogsTable {
  tenantId: TenantId;
  buildId: string;
  seq: number;
  text: string;
}

export interface BuildUploadsTable {
  tenantId: TenantId;
  buildId: string;
  archive: Buffer;
}

export interface WebhookDeliveriesTable {
  tenantId: TenantId;
  appId: string;
  deliveryId: string;
  receivedAt: CreatedAt;
}

export interface BuildTables {
  gitConnections: GitConnectionsTable;
  appSources: AppSourcesTable;
  builds: BuildsTable;
  buildLogs: BuildLogsTable;
  buildUploads: BuildUploadsTable;
  webhookDeliveries: WebhookDeliveriesTable;
}

export type GitConnectionRow = Selectable<GitConnectionsTable>;
export type AppSourceRow = Selectable<AppSourcesTable>;
export type BuildRow = Selectable<BuildsTable>;
