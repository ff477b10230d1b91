import { describe, expect, it } from 'vitest';
import { MANIFEST_ACCEPT, RegistryError, registryClient } from './registry-client.js';
import { applyRetention } from './retention.js';

const digestOf = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

/** An in-memory registry behind `fetch`: `n`/`last` tag paging with a relative Link, as Distribution does. */
function memoryRegistry(
  tagCount: number,
  opts: { deleteEnabled?: boolean; shared?: Record<string, number>; maxPages?: number } = {},
) {
  const manifests = new Map<string, string>(
    Array.from({ length: tagCount }, (_, i) => [`v${String(i).padStart(3, '0')}`, digestOf(opts.shared?.[`v${i}`] ?? i + 1)]),
  );
  const calls: string[] = [];
  const fetchStub: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    calls.push(`${method} ${url.pathname}${url.search}`);
    const headers = new Headers(init?.headers);
    if (headers.get('authorization') !== `Basic ${Buffer.from('robot:pw').toString('base64')}`) {
      return new Response('{}', { status: 401 });
    }
    const tags = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname);
    if (tags) {
      const n = Number(url.searchParams.get('n'));
      const last = url.searchParams.get('last');
      const all = [...manifests.keys()].sort();
      const page = all.filter((t) => !last || t > last).slice(0, n);
      const more = page.length === n && all.at(-1) !== page.at(-1);
      const link = more ? { link: `</v2/${tags[1]}/tags/list?last=${page.at(-1)}&n=${n}>; rel="next"` } : undefined;
      return new Response(JSON.stringify({ name: tags[1], tags: page }), { headers: link });
    }
    const manifest = /^\/v2\/(.+)\/manifests\/(.+)$/.exec(url.pathname);
    const ref = manifest?.[2] ?? '';
    if (method === 'HEAD') {
      expect(headers.get('accept')).toBe(MANIFEST_ACCEPT);
      const digest = manifests.get(ref);
      return digest ? new Response(null, { headers: { 'docker-content-digest': digest } }) : new Response(null, { status: 404 });
    }
    if (method === 'DELETE') {
      if (!opts.deleteEnabled) return new Response('{}', { status: 405 });
      const tagsOn = [...manifests].filter(([, d]) => d === ref).map(([t]) => t);
      for (const t of tagsOn) manifests.delete(t);
      return new Response(null, { status: tagsOn.length ? 202 : 404 });
    }
    return new Response('{}', { status: 400 });
  };
  const client = registryClient({
    url: 'http://registry.test',
    username: 'robot',
    password: 'pw',
    fetch: fetchStub,
    pageSize: 10,
    maxPages: opts.maxPages,
  });
  return { client, calls, manifests };
}

const newestFirst = (tags: string[]) => [...tags].sort().reverse();

describe('registry client', () => {
  it('lists every tag across pages following the Link header', async () => {
    const { client, calls } = memoryRegistry(25);
    const tags = await client.tags('wharf/app');
    expect(tags).toHaveLength(25);
    expect(calls.filter((c) => c.includes('/tags/list'))).toEqual([
      'GET /v2/wharf/app/tags/list?n=10',
      'GET /v2/wharf/app/tags/list?last=v009&n=10',
      'GET /v2/wharf/app/tags/list?last=v019&n=10',
    ]);
  });

  it('throws rather than list part of the tags when there are more pages than allowed', async () => {
    const { client } = memoryRegistry(25, { maxPages: 2 });
    await expect(client.tags('wharf/app')).rejects.toMatchObject({ kind: 'invalid', message: /more than 2 pages/ });
    expect(await memoryRegistry(25, { maxPages: 3 }).client.tags('wharf/app')).toHaveLength(25);
  });

  it('has no tags for a repository that does not exist', async () => {
    const missing = registryClient({ url: 'http://registry.test', fetch: async () => new Response('{}', { status: 404 }) });
    expect(await missing.tags('wharf/none')).toEqual([]);
  });

  it('reads a digest, and undefined for a tag that is gone', async () => {
    const { client } = memoryRegistry(3);
    expect(await client.manifestDigest('wharf/app', 'v001')).toBe(digestOf(2));
    expect(await client.manifestDigest('wharf/app', 'nope')).toBeUndefined();
  });

  it('says how to enable deletion when the registry refuses it (405)', async () => {
    const { client } = memoryRegistry(3);
    const err = await client.deleteManifest('wharf/app', digestOf(1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as RegistryError).kind).toBe('deletion_disabled');
    expect((err as RegistryError).message).toContain('storage.delete.enabled: true');
  });

  it('maps a refused login and refuses names that are not repository names', async () => {
    const bad = registryClient({ url: 'http://registry.test', fetch: async () => new Response('{}', { status: 401 }) });
    await expect(bad.tags('wharf/app')).rejects.toMatchObject({ kind: 'auth' });
    await expect(bad.tags('../etc')).rejects.toMatchObject({ kind: 'invalid' });
    await expect(bad.manifestDigest('wharf/app', '../x')).rejects.toMatchObject({ kind: 'invalid' });
    await expect(bad.deleteManifest('wharf/app', 'latest')).rejects.toMatchObject({ kind: 'invalid' });
  });
});

describe('registry token authentication', () => {
  it('answers a Bearer challenge with a token from the realm, per repository and action', async () => {
    const seen: string[] = [];
    const fetchStub: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      const auth = new Headers(init?.headers).get('authorization') ?? '';
      seen.push(`${init?.method ?? 'GET'} ${url.host}${url.pathname} ${auth.split(' ')[0] ?? ''}`);
      if (url.host === 'auth.test') {
        if (auth !== `Basic ${Buffer.from('robot:pw').toString('base64')}`) return new Response('{}', { status: 401 });
        return Response.json({ token: `tok-${url.searchParams.get('scope')}` });
      }
      const scope = `repository:wharf/app:${init?.method === 'DELETE' ? 'delete' : 'pull'}`;
      if (auth !== `Bearer tok-${scope}`) {
        const challenge = `Bearer realm="https://auth.test/token",service="registry.test",scope="${scope}"`;
        return new Response('{}', { status: 401, headers: { 'www-authenticate': challenge } });
      }
      if (init?.method === 'DELETE') return new Response(null, { status: 202 });
      return Response.json({ name: 'wharf/app', tags: ['1'] });
    };
    const client = registryClient({ url: 'https://registry.test', username: 'robot', password: 'pw', fetch: fetchStub });
    expect(await client.tags('wharf/app')).toEqual(['1']);
    expect(await client.tags('wharf/app')).toEqual(['1']);
    await client.deleteManifest('wharf/app', digestOf(1));
    expect(seen).toEqual([
      'GET registry.test/v2/wharf/app/tags/list Basic',
      'GET auth.test/token Basic',
      'GET registry.test/v2/wharf/app/tags/list Bearer',
      'GET registry.test/v2/wharf/app/tags/list Bearer',
      `DELETE registry.test/v2/wharf/app/manifests/${digestOf(1)} Basic`,
      'GET auth.test/token Basic',
      `DELETE registry.test/v2/wharf/app/manifests/${digestOf(1)} Bearer`,
    ]);
    const refused = registryClient({ url: 'https://registry.test', username: 'robot', password: 'wrong', fetch: fetchStub });
    await expect(refused.tags('wharf/app')).rejects.toMatchObject({ kind: 'auth' });
  });
});

describe('retention', () => {
  it('keeps the newest tags and the protected digests, deletes the rest', async () => {
    const { client, manifests } = memoryRegistry(6, { deleteEnabled: true });
    const result = await applyRetention(client, 'wharf/app', 2, new Set([digestOf(1)]), newestFirst);
    expect(result.deletedTags).toEqual(['v003', 'v002', 'v001']);
    expect(result.deleted).toEqual([digestOf(4), digestOf(3), digestOf(2)]);
    expect([...manifests.keys()].sort()).toEqual(['v000', 'v004', 'v005']);
    // twice is the same as once
    expect(await applyRetention(client, 'wharf/app', 2, new Set([digestOf(1)]), newestFirst)).toEqual({
      deleted: [],
      deletedTags: [],
    });
  });

  it('never deletes a digest a kept tag also points at, nor a tag the order leaves out', async () => {
    const { client, manifests } = memoryRegistry(4, { deleteEnabled: true, shared: { v0: 99, v3: 99 } });
    const order = (tags: string[]) => newestFirst(tags).filter((t) => t !== 'v001');
    const result = await applyRetention(client, 'wharf/app', 1, new Set(), order);
    expect(result.deletedTags).toEqual(['v002']);
    expect([...manifests.keys()].sort()).toEqual(['v000', 'v001', 'v003']);
  });
});
