import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostingClient } from './client.js';
import { HostingError } from './errors.js';
import { type FakeHosting, startFakeHosting } from './testing/fake-hosting.js';
import { GIT_PROVIDERS, type GitProvider } from './types.js';

const TOKEN = 'tok-right';
let fake: FakeHosting;

beforeAll(async () => {
  fake = await startFakeHosting({ repos: 250, branchesPerRepo: 130, token: TOKEN });
});
afterAll(async () => {
  await fake.close();
});

const client = (provider: GitProvider, extra: { token?: string; maxPages?: number } = {}) =>
  hostingClient(provider, { baseUrl: fake.url(provider), token: extra.token ?? TOKEN, maxPages: extra.maxPages });

async function refusal(p: Promise<unknown>): Promise<HostingError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HostingError);
  return err as HostingError;
}

describe.each(GIT_PROVIDERS)('%s client against the fake', (provider) => {
  it('verifies the token and names the account', async () => {
    expect(await client(provider).account()).toEqual({ login: 'octo', name: 'Octo Cat' });
  });

  it('lists every repository across pages (250 repositories: 3 pages of 100)', async () => {
    const before = fake.requests.length;
    const repos = await client(provider).repositories();
    expect(repos).toHaveLength(250);
    expect(new Set(repos.map((r) => r.fullName)).size).toBe(250);
    const pages = fake.requests.slice(before).filter((r) => r.provider === provider);
    expect(pages).toHaveLength(3);
    expect(repos.find((r) => r.fullName === 'octo/repo-0249')).toMatchObject({
      id: '1249',
      name: 'repo-0249',
      owner: 'octo',
      private: false,
      defaultBranch: 'main',
      cloneUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/git\/octo\/repo-0249\.git$/),
      sshUrl: 'git@127.0.0.1:octo/repo-0249.git',
    });
    expect(repos.find((r) => r.fullName === 'octo/repo-0000')?.private).toBe(true);
  });

  it('lists every branch across pages', async () => {
    const branches = await client(provider).branches('octo/repo-0007');
    expect(branches).toHaveLength(130);
    expect(branches[0]).toEqual({ name: 'main', commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(branches.at(-1)?.name).toBe('branch-129');
  });

  it('refuses a wrong token as an auth error that names the provider', async () => {
    const err = await refusal(client(provider, { token: 'tok-wrong' }).repositories());
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(/^the token was refused by (GitHub|GitLab|Gitee) \(401\)/);
    expect(err.message).not.toContain('tok-wrong');
  });

  it('throws, never truncates, when the listing has more pages than allowed', async () => {
    const err = await refusal(client(provider, { maxPages: 2 }).repositories());
    expect(err.kind).toBe('invalid');
    expect(err.message).toMatch(/more than 2 pages of .*partial list/);
    // exactly as many pages as allowed is fine
    expect(await client(provider, { maxPages: 3 }).repositories()).toHaveLength(250);
  });

  it('reports a body of the wrong shape as invalid', async () => {
    fake.respondOnce(provider, 200, JSON.stringify([{ id: 'not-a-number' }]));
    expect((await refusal(client(provider).repositories())).kind).toBe('invalid');
    fake.respondOnce(provider, 200, '<html>');
    const err = await refusal(client(provider).account());
    expect([err.kind, err.message]).toEqual(['invalid', expect.stringContaining('not JSON')]);
  });

  it('maps rate limits, missing repositories and outages', async () => {
    fake.respondOnce(provider, 429, '{}', { 'retry-after': '30' });
    expect(await refusal(client(provider).account())).toMatchObject({ kind: 'rate_limited', details: { retryAfterSeconds: 30 } });
    fake.respondOnce(provider, 403, '{}', { 'x-ratelimit-remaining': '0' });
    expect((await refusal(client(provider).account())).kind).toBe('rate_limited');
    expect((await refusal(client(provider).branches('octo/nope'))).kind).toBe('not_found');
    fake.respondOnce(provider, 502, 'bad gateway');
    expect((await refusal(client(provider).account())).kind).toBe('unavailable');
  });
});

describe('hosting client edges', () => {
  it('reports an unreachable service as unavailable', async () => {
    const c = hostingClient('github', { baseUrl: 'http://127.0.0.1:9', token: TOKEN });
    expect((await refusal(c.account())).kind).toBe('unavailable');
  });

  it('times out a request that does not answer', async () => {
    const hang: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const c = hostingClient('gitlab', { baseUrl: 'https://gitlab.example/api/v4', token: TOKEN, fetch: hang, timeoutMs: 50 });
    const err = await refusal(c.account());
    expect([err.kind, err.message]).toEqual(['unavailable', expect.stringContaining('did not answer within 50 ms')]);
  });

  it('does not follow a next-page link to another host (the token would go with it)', async () => {
    const stub: typeof fetch = async () =>
      new Response('[]', { headers: { link: '<https://evil.example/user/repos?page=2>; rel="next"' } });
    const c = hostingClient('github', { baseUrl: 'https://api.github.com', token: TOKEN, fetch: stub });
    expect(await refusal(c.repositories())).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('outside its API'),
    });
  });

  it('stops a next-page link that loops', async () => {
    const stub: typeof fetch = async () =>
      new Response('[]', { headers: { link: '<https://api.github.com/user/repos?page=1>; rel="next"' } });
    const c = hostingClient('github', { baseUrl: 'https://api.github.com', token: TOKEN, fetch: stub });
    await expect(c.repositories()).rejects.toThrow(HostingError);
  });

  it('sends GitHub its API version and the token as a Bearer header, Gitee the token as access_token', async () => {
    const seen: { url: string; headers: Record<string, string> }[] = [];
    const stub: typeof fetch = async (input, init) => {
      seen.push({ url: String(input), headers: init?.headers as Record<string, string> });
      return new Response(JSON.stringify({ login: 'octo', username: 'octo' }));
    };
    await hostingClient('github', { baseUrl: 'https://api.github.com/', token: 't1', fetch: stub }).account();
    await hostingClient('gitee', { baseUrl: 'https://gitee.com/api/v5', token: 't2', fetch: stub }).account();
    expect(seen[0]).toMatchObject({
      url: 'https://api.github.com/user',
      headers: { authorization: 'Bearer t1', accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' },
    });
    expect(seen[1]?.url).toBe('https://gitee.com/api/v5/user?access_token=t2');
  });

  it('refuses an answer larger than it will read', async () => {
    const big: typeof fetch = async () => new Response(new Blob([`[${'0,'.repeat(9 * 1024 * 1024)}0]`]).stream());
    const c = hostingClient('gitee', { baseUrl: 'https://gitee.com/api/v5', token: TOKEN, fetch: big });
    expect(await refusal(c.repositories())).toMatchObject({ kind: 'invalid', message: expect.stringContaining('more than') });
  });

  it('refuses an unknown provider', () => {
    expect(() => hostingClient('bitbucket' as GitProvider, { baseUrl: 'https://x', token: TOKEN })).toThrow(RangeError);
  });

  it('refuses a repository name that is not owner/name before asking', async () => {
    const err = await refusal(client('github').branches('../../user'));
    expect(err.kind).toBe('invalid');
  });
});
