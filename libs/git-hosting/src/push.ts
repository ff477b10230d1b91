import { z } from 'zod';
import type { GitProvider } from './types.js';

/** A push of commits to a branch: what redeploys an app. */
export interface PushEvent {
  provider: GitProvider;
  /** What to remember to refuse a replay (see verifyWebhook). */
  deliveryId: string;
  branch: string;
  /** The commit the branch now points at (40 hex, or 64 for SHA-256 repositories). */
  commit: string;
  /** `owner/name` (GitLab: `group/subgroup/name`). */
  repository: string;
  pusher?: string;
  /** The head commit's message, when the payload carries it. */
  message?: string;
}

/** A genuine delivery that asks for nothing: `ping`, `tag push`, `branch deleted`, `event <name>`. */
export interface IgnoredDelivery {
  ignored: string;
  deliveryId: string;
}

const GithubPush = z.object({
  ref: z.string(),
  after: z.string(),
  deleted: z.boolean().nullish(),
  repository: z.object({ full_name: z.string().min(1) }),
  pusher: z.object({ name: z.string().nullish() }).nullish(),
  head_commit: z.object({ message: z.string() }).nullish(),
});

const GitlabPush = z.object({
  ref: z.string(),
  after: z.string(),
  user_username: z.string().nullish(),
  project: z.object({ path_with_namespace: z.string().min(1) }),
  commits: z.array(z.object({ id: z.string(), message: z.string() })).nullish(),
});

const GiteePush = z.object({
  ref: z.string(),
  after: z.string(),
  deleted: z.boolean().nullish(),
  repository: z.object({ path_with_namespace: z.string().min(1).nullish(), full_name: z.string().min(1) }),
  pusher: z.object({ username: z.string().nullish(), name: z.string().nullish() }).nullish(),
  user_name: z.string().nullish(),
  head_commit: z.object({ message: z.string() }).nullish(),
});

interface PushFields {
  ref: string;
  after: string;
  deleted: boolean;
  repository: string;
  pusher?: string | null;
  message?: string | null;
}

/** A payload that is JSON but not the push it claims to be. */
export class MalformedPush extends Error {}

const MAX_MESSAGE = 4096;
const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const ZERO = /^0+$/;

/** The push in an already-authenticated body, or why it is ignored. Throws MalformedPush. */
export function parsePush(provider: GitProvider, deliveryId: string, body: unknown): PushEvent | IgnoredDelivery {
  const fields = pushFields(provider, body);
  if (fields.ref.startsWith('refs/tags/')) return { ignored: 'tag push', deliveryId };
  if (!fields.ref.startsWith('refs/heads/')) return { ignored: 'not a branch', deliveryId };
  if (fields.deleted || ZERO.test(fields.after)) return { ignored: 'branch deleted', deliveryId };
  const branch = fields.ref.slice('refs/heads/'.length);
  if (!isBranchName(branch)) throw new MalformedPush('the pushed ref is not a valid branch name');
  if (!COMMIT.test(fields.after)) throw new MalformedPush('the pushed commit is not a commit id');
  return {
    provider,
    deliveryId,
    branch,
    commit: fields.after,
    repository: fields.repository,
    ...(fields.pusher ? { pusher: fields.pusher } : {}),
    ...(fields.message ? { message: fields.message.slice(0, MAX_MESSAGE) } : {}),
  };
}

function pushFields(provider: GitProvider, body: unknown): PushFields {
  if (provider === 'github') {
    const p = check(GithubPush, body);
    return {
      ref: p.ref,
      after: p.after,
      deleted: p.deleted === true,
      repository: p.repository.full_name,
      pusher: p.pusher?.name,
      message: p.head_commit?.message,
    };
  }
  if (provider === 'gitlab') {
    const p = check(GitlabPush, body);
    return {
      ref: p.ref,
      after: p.after,
      deleted: false,
      repository: p.project.path_with_namespace,
      pusher: p.user_username,
      message: p.commits?.find((c) => c.id === p.after)?.message,
    };
  }
  const p = check(GiteePush, body);
  return {
    ref: p.ref,
    after: p.after,
    deleted: p.deleted === true,
    repository: p.repository.path_with_namespace ?? p.repository.full_name,
    pusher: p.pusher?.username ?? p.pusher?.name ?? p.user_name,
    message: p.head_commit?.message,
  };
}

function check<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new MalformedPush(`the push payload is not as expected${issue?.path.length ? ` at ${issue.path.join('.')}` : ''}`);
}

/** The rules of `git check-ref-format --branch`, conservatively: what can safely reach git and logs. */
export function isBranchName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= 255 &&
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
    !/[\u0000-\u0020\u007f~^:?*[\\]/.test(name) &&
    !name.startsWith('-') &&
    !name.startsWith('/') &&
    !name.endsWith('/') &&
    !name.endsWith('.') &&
    !name.endsWith('.lock') &&
    !name.includes('..') &&
    !name.includes('//') &&
    !name.includes('@{') &&
    !name.split('/').some((part) => part.startsWith('.')) &&
    name !== '@'
  );
}
