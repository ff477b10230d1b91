import { z } from 'zod';
import { DisplayName, TenantRef, Timestamp, Uuid } from './common.js';
import { AppParams, EnvironmentName } from './params.js';

/** Build regions: each has its own builder queue (`build-<region>`) and builders (domestic and international). */
export const BUILD_REGIONS = ['global', 'cn'] as const;
export const BuildRegion = z.enum(BUILD_REGIONS);
export type BuildRegion = z.infer<typeof BuildRegion>;

export const BUILD_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type BuildStatusName = (typeof BUILD_STATUSES)[number];
export const FINAL_BUILD_STATUSES: readonly BuildStatusName[] = ['succeeded', 'failed', 'cancelled'];

/** How the image is made: the repository's Dockerfile, or a Dockerfile Wharf writes for the detected program. */
export const PROGRAM_TYPES = ['auto', 'dockerfile', 'node', 'python', 'go', 'java', 'static'] as const;

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse them
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;
/** A path inside the repository (checked again against the checkout: no escaping it). */
const RepoPath = z
  .string()
  .min(1)
  .max(255)
  .regex(NO_CONTROL, 'must not contain control characters')
  .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'a path inside the repository');
export const BuildArgName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'letters, digits and _; not a digit first');
const BuildArgs = (max: number) =>
  z
    .record(
      BuildArgName,
      z
        .string()
        .max(4096)
        .refine((v) => !v.includes('\0'), 'must not contain NUL'),
    )
    .refine((a) => Object.keys(a).length <= max, `at most ${max} build args`);

export const BuildSettings = z.strictObject({
  programType: z.enum(PROGRAM_TYPES).default('auto'),
  dockerfilePath: RepoPath.default('Dockerfile'),
  context: RepoPath.default('.'),
  target: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'a build stage name')
    .optional(),
  buildArgs: BuildArgs(50).default({}),
  /** Your own version of the Dockerfile Wharf generated (the "program type" override); used as written. */
  dockerfile: z
    .string()
    .min(1)
    .max(64 * 1024)
    .optional(),
  timeoutMinutes: z.number().int().min(1).max(120).default(30),
});
export type BuildSettings = z.infer<typeof BuildSettings>;

/** A branch name as text (git's own rules are checked by the service). */
export const GitBranch = z.string().min(1).max(255);
export const CommitSha = z.string().regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, 'a full commit id (40 hex digits)');
export const GitProviderName = z.enum(['github', 'gitlab', 'gitee']);

export const SourceAuthBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  /** HTTPS with an access token (sealed at rest, never returned; left out: the stored one is kept). */
  z.strictObject({ kind: z.literal('token'), token: z.string().min(1).max(512).regex(NO_CONTROL).optional() }),
  /** SSH with a deploy key Wharf generates for the app: add its public half to the repository. */
  z.strictObject({ kind: z.literal('ssh') }),
  /** Through one of the tenant's git connections (its token). */
  z.strictObject({ kind: z.literal('connection'), connectionId: Uuid }),
]);

export const SetSourceBody = z.strictObject({
  repository: z.string().min(1).max(2048),
  auth: SourceAuthBody.default({ kind: 'none' }),
  region: BuildRegion.default('global'),
  settings: BuildSettings.default(BuildSettings.parse({})),
  /** Secret build args: given to the build, masked in its log, never returned. Replaces the set when given. */
  secretBuildArgs: BuildArgs(20).optional(),
  /** Environment → the branch it tracks (null: none): a push to a tracked branch builds and deploys it. */
  tracking: z
    .record(EnvironmentName, GitBranch.nullable())
    .refine((t) => Object.keys(t).length <= 20, 'at most 20 environments')
    .optional(),
});
export type SetSourceBody = z.infer<typeof SetSourceBody>;

export const AppSource = z.object({
  repository: z.string(),
  auth: z.enum(['none', 'token', 'ssh', 'connection']),
  connectionId: Uuid.nullable(),
  /** The public half of the app's deploy key (SSH): add it to the repository as a read-only deploy key. */
  deployKey: z.string().nullable(),
  region: BuildRegion,
  settings: BuildSettings,
  secretBuildArgs: z.array(z.string()),
  tracking: z.record(z.string(), z.string()),
  webhook: z.object({
    url: z.string(),
    /** Only in the answer that created or rotated it. */
    secret: z.string().optional(),
  }),
});
export type AppSource = z.infer<typeof AppSource>;

export const BuildPlanView = z.object({
  programType: z.string(),
  generated: z.boolean(),
  dockerfile: z.string(),
  reason: z.string(),
});

export const Build = z.object({
  id: Uuid,
  number: z.number().int(),
  status: z.enum(BUILD_STATUSES),
  kind: z.enum(['git', 'upload']),
  trigger: z.enum(['manual', 'webhook', 'cli']),
  region: z.string(),
  repository: z.string().nullable(),
  branch: z.string().nullable(),
  commit: z.string().nullable(),
  commitSubject: z.string().nullable(),
  environments: z.array(z.string()),
  plan: BuildPlanView.nullable(),
  image: z.string().nullable(),
  digest: z.string().nullable(),
  /** A compose stack's build: service → its image, pinned to the digest. */
  images: z.record(z.string(), z.string()).nullable(),
  reason: z.string().nullable(),
  cancelRequested: z.boolean(),
  createdAt: Timestamp,
  startedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
  seconds: z.number().int(),
});
export type Build = z.infer<typeof Build>;

export const CreateBuildBody = z.strictObject({
  /** Build this branch's newest commit (default: the branch production tracks, else the default branch). */
  branch: GitBranch.optional(),
  /** Build exactly this commit (of `branch`). */
  commit: CommitSha.optional(),
  /** Deploy the image to these environments when the build succeeds (default: those tracking the branch). */
  environments: z.array(EnvironmentName).max(10).optional(),
});
export const BuildParams = AppParams.extend({ build: Uuid });
export const UploadQuery = z.strictObject({
  environment: EnvironmentName.optional(),
});
/** The largest source archive `wharf deploy` may upload (gzip'd tar). */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

export const GitConnection = z.object({
  id: Uuid,
  provider: GitProviderName,
  account: z.string(),
  createdAt: Timestamp,
});
export const CreateGitConnectionBody = z.strictObject({
  provider: GitProviderName,
  token: z.string().min(1).max(512).regex(NO_CONTROL, 'must not contain control characters'),
  name: DisplayName.optional(),
});
export const GitConnectionParams = z.strictObject({ tenant: TenantRef, connection: Uuid });
export const GitRepository = z.object({
  fullName: z.string(),
  private: z.boolean(),
  defaultBranch: z.string(),
  cloneUrl: z.string(),
  sshUrl: z.string(),
  htmlUrl: z.string(),
});
export const RepositoriesResult = z.object({ items: z.array(GitRepository) });
export const BranchesQuery = z.strictObject({ repository: z.string().min(1).max(512) });
export const BranchesResult = z.object({ items: z.array(z.object({ name: z.string(), commit: z.string() })) });

export const HookParams = z.strictObject({ hook: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'not a webhook of this platform') });
export const HookResult = z.object({
  /** What the delivery did: builds started, or why nothing was built. */
  result: z.enum(['building', 'ignored']),
  message: z.string(),
  builds: z.array(Uuid),
});
