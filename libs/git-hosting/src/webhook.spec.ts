import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pushPayload, signWebhook } from './testing/sign-webhook.js';
import { GIT_PROVIDERS, type GitProvider } from './types.js';
import { verifyWebhook, type WebhookRequest } from './webhook.js';

const SECRET = 'whsec-0123456789';
const NOW = new Date('2026-11-28T12:00:00Z');
const COMMIT = 'a'.repeat(40);

function request(provider: GitProvider, body: unknown, opts: { event?: string; timestamp?: number } = {}): WebhookRequest {
  const rawBody = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const headers = signWebhook(provider, rawBody, SECRET, { deliveryId: 'd-1', timestamp: NOW.getTime(), ...opts });
  return { headers, rawBody };
}

const push = (provider: GitProvider, ref = 'refs/heads/main', after = COMMIT) =>
  pushPayload(provider, { repository: 'octo/app', ref, after, pusher: 'alice', message: 'fix: things' });

const verify = (provider: GitProvider, req: WebhookRequest, now = NOW) => verifyWebhook(provider, req, SECRET, { now });

describe.each(GIT_PROVIDERS)('%s webhooks', (provider) => {
  it('accepts a signed push and reads it', () => {
    expect(verify(provider, request(provider, push(provider)))).toEqual({
      ok: true,
      event: {
        provider,
        deliveryId: 'd-1',
        branch: 'main',
        commit: COMMIT,
        repository: 'octo/app',
        pusher: 'alice',
        message: 'fix: things',
      },
    });
  });

  it('refuses a delivery without its signature header as unsigned', () => {
    const req = request(provider, push(provider));
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !/token|signature/.test(k)));
    expect(verify(provider, { ...req, headers })).toMatchObject({ ok: false, reason: 'unsigned' });
  });

  it('refuses a wrong secret, and a body changed after signing where the signature covers it', () => {
    const req = request(provider, push(provider));
    expect(verifyWebhook(provider, req, 'another-secret', { now: NOW })).toMatchObject({ ok: false, reason: 'bad_signature' });
    if (provider === 'github') {
      const tampered = { ...req, rawBody: Buffer.from(JSON.stringify(push(provider, 'refs/heads/prod'))) };
      expect(verify(provider, tampered)).toMatchObject({ ok: false, reason: 'bad_signature' });
    }
  });

  it('ignores tag pushes and deleted branches', () => {
    const tagEvent = { github: 'push', gitlab: 'Tag Push Hook', gitee: 'Tag Push Hook' }[provider];
    const tag = verify(provider, request(provider, push(provider, 'refs/tags/v1'), { event: tagEvent }));
    expect(tag).toEqual({ ok: true, event: { ignored: 'tag push', deliveryId: 'd-1' } });
    const deleted = verify(provider, request(provider, push(provider, 'refs/heads/old', '0'.repeat(40))));
    expect(deleted).toEqual({ ok: true, event: { ignored: 'branch deleted', deliveryId: 'd-1' } });
  });

  it('refuses a body that is not JSON, or not a push, as malformed', () => {
    expect(verify(provider, request(provider, '{"ref": '))).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verify(provider, request(provider, { ref: 'refs/heads/main' }))).toMatchObject({ ok: false, reason: 'malformed' });
    const badBranch = verify(provider, request(provider, push(provider, 'refs/heads/-x;rm -rf')));
    expect(badBranch).toMatchObject({ ok: false, reason: 'malformed' });
    const badCommit = verify(provider, request(provider, push(provider, 'refs/heads/main', 'HEAD~1')));
    expect(badCommit).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('refuses a signature header sent twice', () => {
    const req = request(provider, push(provider));
    const name = Object.keys(req.headers).find((k) => /token|signature/.test(k)) ?? '';
    const twice = { ...req.headers, [name]: [String(req.headers[name]), 'other'] };
    expect(verify(provider, { ...req, headers: twice })).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('ignores other events', () => {
    const other = { github: 'issues', gitlab: 'Issue Hook', gitee: 'Issue Hook' }[provider];
    expect(verify(provider, request(provider, { action: 'opened' }, { event: other }))).toMatchObject({
      ok: true,
      event: { ignored: `event ${other}` },
    });
  });
});

describe('provider specifics', () => {
  it('GitHub: a ping is ignored; the delivery id is required; form-encoded payloads are read', () => {
    expect(verify('github', request('github', { zen: 'Keep it simple.' }, { event: 'ping' }))).toEqual({
      ok: true,
      event: { ignored: 'ping', deliveryId: 'd-1' },
    });
    const req = request('github', push('github'));
    const { 'x-github-delivery': _, ...headers } = req.headers;
    expect(verify('github', { ...req, headers })).toMatchObject({ ok: false, reason: 'malformed' });
    const form = Buffer.from(new URLSearchParams({ payload: JSON.stringify(push('github')) }).toString());
    const formReq = { headers: signWebhook('github', form, SECRET, { deliveryId: 'd-2' }), rawBody: form };
    expect(verify('github', formReq)).toMatchObject({ ok: true, event: { branch: 'main', deliveryId: 'd-2' } });
  });

  it('GitHub: header names in any case', () => {
    const req = request('github', push('github'));
    const upper = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(verify('github', { ...req, headers: upper }).ok).toBe(true);
  });

  it('GitLab: without Idempotency-Key the event UUID, else a hash of the body, is the delivery id', () => {
    const req = request('gitlab', push('gitlab'));
    const { 'idempotency-key': _, ...rest } = req.headers;
    const withUuid = verify('gitlab', { ...req, headers: { ...rest, 'x-gitlab-event-uuid': 'ev-9' } });
    expect(withUuid).toMatchObject({ ok: true, event: { deliveryId: 'ev-9' } });
    expect(verify('gitlab', { ...req, headers: rest })).toMatchObject({
      ok: true,
      event: { deliveryId: /^sha256:[0-9a-f]{64}$/ },
    });
  });

  it('Gitee: a signed timestamp older than maxAgeMs, or ahead by more than a minute, is stale', () => {
    const old = request('gitee', push('gitee'), { timestamp: NOW.getTime() - 5 * 60_000 - 1 });
    expect(verify('gitee', old)).toMatchObject({ ok: false, reason: 'stale' });
    const recent = request('gitee', push('gitee'), { timestamp: NOW.getTime() - 4 * 60_000 });
    expect(verify('gitee', recent).ok).toBe(true);
    const ahead = request('gitee', push('gitee'), { timestamp: NOW.getTime() + 61_000 });
    expect(verify('gitee', ahead)).toMatchObject({ ok: false, reason: 'stale' });
    const skewed = request('gitee', push('gitee'), { timestamp: NOW.getTime() + 30_000 });
    expect(verify('gitee', skewed).ok).toBe(true);
    expect(verifyWebhook('gitee', old, SECRET, { now: NOW, maxAgeMs: 10 * 60_000 }).ok).toBe(true);
  });

  it("Gitee: the signature is Gitee's documented HMAC; a URL-encoded one and password mode are accepted", () => {
    const req = request('gitee', push('gitee'));
    const expected = createHmac('sha256', SECRET).update(`${NOW.getTime()}\n${SECRET}`).digest('base64');
    expect(req.headers['x-gitee-token']).toBe(expected);
    const encoded = { ...req.headers, 'x-gitee-token': encodeURIComponent(expected) };
    expect(verify('gitee', { ...req, headers: encoded }).ok).toBe(true);
    const password = { ...req.headers, 'x-gitee-token': SECRET, 'x-gitee-timestamp': '1' };
    expect(verify('gitee', { ...req, headers: password }).ok).toBe(true);
    const signedWithOtherTime = { ...req.headers, 'x-gitee-timestamp': String(NOW.getTime() - 1) };
    expect(verify('gitee', { ...req, headers: signedWithOtherTime })).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('Gitee: without X-Gitee-Delivery the id is derived from the timestamp and body', () => {
    const req = request('gitee', push('gitee'));
    const { 'x-gitee-delivery': _, ...headers } = req.headers;
    expect(verify('gitee', { ...req, headers })).toMatchObject({ ok: true, event: { deliveryId: /^sha256:[0-9a-f]{64}$/ } });
  });

  it('refuses to verify with an empty secret', () => {
    expect(() => verifyWebhook('gitlab', request('gitlab', push('gitlab')), '')).toThrow(RangeError);
  });
});
