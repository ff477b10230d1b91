import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { type IgnoredDelivery, MalformedPush, type PushEvent, parsePush } from './push.js';
import type { GitProvider } from './types.js';

export interface WebhookRequest {
  /** As node:http gives them (lower-case names); other casings are accepted too. */
  headers: Record<string, string | string[] | undefined>;
  /** The exact bytes received: signatures cover them, not a re-serialisation. The caller limits the size. */
  rawBody: Buffer;
}

export type WebhookRefusal = 'unsigned' | 'bad_signature' | 'stale' | 'malformed';

export type WebhookVerification =
  | { ok: true; event: PushEvent | IgnoredDelivery }
  | { ok: false; reason: WebhookRefusal; message: string };

export interface VerifyWebhookOptions {
  now?: Date;
  /** Gitee signature mode: how old the signed timestamp may be (default 5 minutes). */
  maxAgeMs?: number;
  /** Gitee signature mode: how far in the future the signed timestamp may be (default 1 minute, for clock skew). */
  maxFutureMs?: number;
}

export const DEFAULT_WEBHOOK_MAX_AGE_MS = 5 * 60_000;
export const DEFAULT_WEBHOOK_MAX_FUTURE_MS = 60_000;

/**
 * Checks that a webhook delivery comes from the provider holding `secret`, then reads the push in it.
 *
 * - GitHub: `X-Hub-Signature-256` is the HMAC-SHA256 of the body. The signature covers no timestamp, so a captured
 *   delivery replays cleanly: refusing replays rests on the delivery id (`X-GitHub-Delivery`), which the caller
 *   must remember (per webhook) and refuse when seen again. `head_commit.timestamp` is the commit's author date,
 *   not the delivery's, and is deliberately not used.
 * - GitLab: `X-Gitlab-Token` is the secret itself (compared in constant time); no freshness either. The delivery
 *   id is `Idempotency-Key` (GitLab 17.4+, the same across retries of one delivery), else `X-Gitlab-Event-UUID`,
 *   else `X-Gitlab-Webhook-UUID`, else a hash of the body (which names the pushed commit).
 * - Gitee, signature mode (recommended): `X-Gitee-Token` is base64(HMAC-SHA256(secret, `${timestamp}\n${secret}`))
 *   with `X-Gitee-Timestamp` in ms; a timestamp older than `maxAgeMs` or further ahead than `maxFutureMs` is
 *   refused as stale. The signature covers the timestamp, not the body: within that window a captured signature
 *   could carry another body, so treat a Gitee push as a hint and confirm the branch's commit through the API
 *   (`hostingClient('gitee', …).branches()`) before deploying it. Password mode (the token is the secret) is
 *   accepted too, with no freshness. The delivery id is `X-Gitee-Delivery` when sent (Gitee does not
 *   document one), else a hash of the timestamp and body.
 *
 * Signatures are checked over the raw bytes before anything is parsed; header values that arrive twice are refused.
 */
export function verifyWebhook(
  provider: GitProvider,
  req: WebhookRequest,
  secret: string,
  opts: VerifyWebhookOptions = {},
): WebhookVerification {
  if (!secret) throw new RangeError('a webhook secret is required');
  try {
    const headers = new HeaderReader(req.headers);
    const deliveryId = VERIFIERS[provider](headers, req.rawBody, secret, opts);
    const event = headers.get(EVENT_HEADER[provider]);
    if (!event) return refuse('malformed', `the ${EVENT_HEADER[provider]} header is missing`);
    const ignored = ignoredEvent(provider, event);
    if (ignored) return { ok: true, event: { ignored, deliveryId } };
    return { ok: true, event: parsePush(provider, deliveryId, parseBody(req.rawBody)) };
  } catch (err) {
    if (err instanceof Refused) return refuse(err.reason, err.message);
    if (err instanceof MalformedPush) return refuse('malformed', err.message);
    throw err;
  }
}

const EVENT_HEADER: Record<GitProvider, string> = {
  github: 'x-github-event',
  gitlab: 'x-gitlab-event',
  gitee: 'x-gitee-event',
};

/** undefined: a push to read; else why the delivery asks for nothing. */
function ignoredEvent(provider: GitProvider, event: string): string | undefined {
  const push = provider === 'github' ? 'push' : 'Push Hook';
  if (event === push) return undefined;
  if (provider === 'github' && event === 'ping') return 'ping';
  if (event === 'Tag Push Hook') return 'tag push';
  return `event ${event.slice(0, 64)}`;
}

type Verifier = (h: HeaderReader, body: Buffer, secret: string, opts: VerifyWebhookOptions) => string;

const VERIFIERS: Record<GitProvider, Verifier> = {
  github(h, body, secret) {
    const signature = h.get('x-hub-signature-256');
    if (!signature) throw new Refused('unsigned', 'the X-Hub-Signature-256 header is missing');
    const m = /^sha256=([0-9a-fA-F]{64})$/.exec(signature);
    const expected = createHmac('sha256', secret).update(body).digest('hex');
    if (!m?.[1] || !timingSafeEqual(Buffer.from(m[1].toLowerCase()), Buffer.from(expected))) {
      throw new Refused('bad_signature', 'the X-Hub-Signature-256 signature does not match the body and secret');
    }
    return deliveryId(h.get('x-github-delivery'), 'X-GitHub-Delivery');
  },
  gitlab(h, body, secret) {
    const token = h.get('x-gitlab-token');
    if (!token) throw new Refused('unsigned', 'the X-Gitlab-Token header is missing');
    if (!safeEqual(token, secret)) throw new Refused('bad_signature', 'the X-Gitlab-Token does not match the secret');
    const id = h.get('idempotency-key') ?? h.get('x-gitlab-event-uuid') ?? h.get('x-gitlab-webhook-uuid');
    return id ? deliveryId(id, 'Idempotency-Key') : `sha256:${sha256(body)}`;
  },
  gitee(h, body, secret, opts) {
    const token = h.get('x-gitee-token');
    if (!token) throw new Refused('unsigned', 'the X-Gitee-Token header is missing');
    const timestamp = h.get('x-gitee-timestamp');
    if (timestamp && /^\d{1,16}$/.test(timestamp) && giteeSigned(token, timestamp, secret)) {
      const age = (opts.now ?? new Date()).getTime() - Number(timestamp);
      if (age > (opts.maxAgeMs ?? DEFAULT_WEBHOOK_MAX_AGE_MS)) {
        throw new Refused('stale', `the delivery was signed ${Math.round(age / 1000)} s ago: too old to accept`);
      }
      if (-age > (opts.maxFutureMs ?? DEFAULT_WEBHOOK_MAX_FUTURE_MS)) {
        throw new Refused('stale', 'the delivery is signed with a timestamp in the future');
      }
    } else if (!safeEqual(token, secret)) {
      throw new Refused('bad_signature', 'the X-Gitee-Token is neither a valid signature nor the webhook password');
    }
    const id = h.get('x-gitee-delivery');
    return id
      ? deliveryId(id, 'X-Gitee-Delivery')
      : `sha256:${sha256(Buffer.concat([Buffer.from(`${timestamp ?? ''}\n`), body]))}`;
  },
};

/** Gitee's signature of a timestamp; the header may arrive URL-encoded (Gitee's docs describe that step). */
function giteeSigned(token: string, timestamp: string, secret: string): boolean {
  const expected = giteeSignature(timestamp, secret);
  if (safeEqual(token, expected)) return true;
  if (!token.includes('%')) return false;
  try {
    return safeEqual(decodeURIComponent(token), expected);
  } catch (err) {
    if (err instanceof URIError) return false;
    throw err;
  }
}

export function giteeSignature(timestamp: string, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

function parseBody(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  // GitHub webhooks set to application/x-www-form-urlencoded carry the JSON in a `payload` field
  const json = text.startsWith('payload=') ? (new URLSearchParams(text).get('payload') ?? '') : text;
  try {
    return JSON.parse(json);
  } catch {
    throw new Refused('malformed', 'the body is not JSON');
  }
}

function deliveryId(value: string | undefined, header: string): string {
  if (!value) throw new Refused('malformed', `the ${header} header is missing`);
  if (!/^[\x21-\x7e]{1,200}$/.test(value)) throw new Refused('malformed', `the ${header} header is not a delivery id`);
  return value;
}

/** Constant-time whatever the lengths: compares digests. */
function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

class Refused extends Error {
  constructor(
    readonly reason: WebhookRefusal,
    message: string,
  ) {
    super(message);
  }
}

function refuse(reason: WebhookRefusal, message: string): WebhookVerification {
  return { ok: false, reason, message };
}

class HeaderReader {
  private readonly values = new Map<string, string | string[] | undefined>();

  constructor(headers: WebhookRequest['headers']) {
    for (const [k, v] of Object.entries(headers)) this.values.set(k.toLowerCase(), v);
  }

  /** The header's value; a header sent twice is refused (which of the two would be the genuine one?). */
  get(name: string): string | undefined {
    const v = this.values.get(name);
    if (Array.isArray(v)) {
      if (v.length > 1) throw new Refused('malformed', `the ${name} header was sent more than once`);
      return v[0]?.trim() || undefined;
    }
    return v?.trim() || undefined;
  }
}
