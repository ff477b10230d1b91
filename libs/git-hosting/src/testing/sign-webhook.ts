import { createHmac } from 'node:crypto';
import type { GitProvider } from '../types.js';
import { giteeSignature } from '../webhook.js';

export interface SignOptions {
  deliveryId: string;
  /** Gitee: the signed timestamp in ms (default now). */
  timestamp?: number;
  /** The event header's value (default: the provider's push event). */
  event?: string;
  /** Gitee: send the secret itself (password mode) instead of a signature. */
  giteePassword?: boolean;
}

/** The headers a provider would send with `body`, for tests and local tools. Test code only. */
export function signWebhook(
  provider: GitProvider,
  body: string | Buffer,
  secret: string,
  opts: SignOptions,
): Record<string, string> {
  const json = { 'content-type': 'application/json' };
  if (provider === 'github') {
    return {
      ...json,
      'x-github-event': opts.event ?? 'push',
      'x-github-delivery': opts.deliveryId,
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    };
  }
  if (provider === 'gitlab') {
    return {
      ...json,
      'x-gitlab-event': opts.event ?? 'Push Hook',
      'x-gitlab-token': secret,
      'idempotency-key': opts.deliveryId,
    };
  }
  const timestamp = String(opts.timestamp ?? Date.now());
  return {
    ...json,
    'user-agent': 'git-oschina-hook',
    'x-gitee-event': opts.event ?? 'Push Hook',
    'x-gitee-timestamp': timestamp,
    'x-gitee-token': opts.giteePassword ? secret : giteeSignature(timestamp, secret),
    'x-gitee-delivery': opts.deliveryId,
  };
}

/** A push payload in the provider's shape (the fields Wharf reads, and a few it does not). */
export function pushPayload(
  provider: GitProvider,
  p: { repository: string; ref: string; after: string; pusher?: string; message?: string; deleted?: boolean },
): Record<string, unknown> {
  const commit = { id: p.after, message: p.message ?? 'a change', timestamp: '2026-01-01T00:00:00Z' };
  if (provider === 'gitlab') {
    return {
      object_kind: 'push',
      ref: p.ref,
      before: '0'.repeat(40),
      after: p.after,
      user_username: p.pusher ?? 'octo',
      project: { path_with_namespace: p.repository, git_http_url: `https://gitlab.example/${p.repository}.git` },
      commits: [commit],
    };
  }
  return {
    ref: p.ref,
    before: '0'.repeat(40),
    after: p.after,
    deleted: p.deleted ?? false,
    repository: { full_name: p.repository, ...(provider === 'gitee' ? { path_with_namespace: p.repository } : {}) },
    pusher: { name: p.pusher ?? 'octo' },
    head_commit: commit,
    ...(provider === 'gitee' ? { hook_name: 'push_hooks', user_name: p.pusher ?? 'octo' } : {}),
  };
}
