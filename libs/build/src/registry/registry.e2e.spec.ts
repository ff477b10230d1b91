import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine, follow, pushTo, REGISTRY, startPrivateRegistry } from '../../../../tests/support/engine.js';
import { registryClient } from './registry-client.js';
import { applyRetention } from './retention.js';

// the local registry that scripts/test.sh starts (infra/local/services.sh, deletion enabled)
const repo = `wharf-test-${randomBytes(4).toString('hex')}/app`;
const client = registryClient({ url: `http://${REGISTRY}` });
const docker = engine();
const refs: string[] = [];

/** A `FROM scratch` image of one file (so each has its own digest), built by the engine and pushed. */
async function pushTinyImage(tag: string): Promise<string> {
  const ref = `${REGISTRY}/${repo}:${tag}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'wharf-retention-'));
  try {
    writeFileSync(path.join(dir, 'version.txt'), `${repo} ${tag}\n`);
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY version.txt /version.txt\n');
    const build = await docker.buildImage(
      { context: dir, src: ['Dockerfile', 'version.txt'] },
      { t: ref, networkmode: 'none', version: '1' },
    );
    await follow(docker, build);
    await follow(docker, await docker.getImage(ref).push({ authconfig: { serveraddress: REGISTRY } }));
    refs.push(ref);
    return ref;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const numericNewestFirst = (tags: string[]) => tags.filter((t) => /^\d+$/.test(t)).sort((a, b) => Number(b) - Number(a));

// every tag this file pushed, gone from the registry and the engine
afterAll(async () => {
  for (const tag of await client.tags(repo)) {
    const digest = await client.manifestDigest(repo, tag);
    if (digest) await client.deleteManifest(repo, digest);
  }
  for (const ref of refs) {
    await docker
      .getImage(ref)
      .remove({ force: true })
      .catch((err: { statusCode?: number }) => {
        if (err.statusCode !== 404) throw err;
      });
  }
});

describe('registry retention against the local registry', () => {
  const digests = new Map<string, string>();

  beforeAll(async () => {
    for (const n of ['1', '2', '3', '4']) await pushTinyImage(n);
    // `latest` on the same image as 4: a second tag on a kept manifest
    await docker.getImage(`${REGISTRY}/${repo}:4`).tag({ repo: `${REGISTRY}/${repo}`, tag: 'latest' });
    await follow(docker, await docker.getImage(`${REGISTRY}/${repo}:latest`).push({ authconfig: { serveraddress: REGISTRY } }));
    refs.push(`${REGISTRY}/${repo}:latest`);
  });

  it('lists the pushed tags and their digests', async () => {
    expect((await client.tags(repo)).sort()).toEqual(['1', '2', '3', '4', 'latest']);
    for (const tag of ['1', '2', '3', '4', 'latest']) {
      const digest = await client.manifestDigest(repo, tag);
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      digests.set(tag, digest ?? '');
    }
    expect(new Set(digests.values()).size).toBe(4);
    expect(digests.get('latest')).toBe(digests.get('4'));
    expect(await client.manifestDigest(repo, 'never-pushed')).toBeUndefined();
  });

  it('keeps the newest 2 and the protected digest, deletes the rest; deleted ones are gone', async () => {
    const result = await applyRetention(client, repo, 2, new Set([digests.get('1') ?? '']), numericNewestFirst);
    expect(result).toEqual({ deleted: [digests.get('2')], deletedTags: ['2'] });
    expect(await client.manifestDigest(repo, '2')).toBeUndefined();
    const res = await fetch(`http://${REGISTRY}/v2/${repo}/manifests/${digests.get('2')}`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    expect(res.status).toBe(404);
    expect((await client.tags(repo)).sort()).toEqual(['1', '3', '4', 'latest']);
    // again: nothing more to do, and deleting what is gone is fine
    expect(await applyRetention(client, repo, 2, new Set([digests.get('1') ?? '']), numericNewestFirst)).toEqual({
      deleted: [],
      deletedTags: [],
    });
    await client.deleteManifest(repo, digests.get('2') ?? '');
  });
});

describe('a registry that requires a login', () => {
  it('lists with the right Basic credentials and refuses the wrong ones', async () => {
    const registry = await startPrivateRegistry();
    try {
      const image = await pushTinyImage('login');
      await pushTo(image, registry, 'wharf/login:1');
      const url = `http://${registry.addr}`;
      const client = registryClient({ url, username: registry.username, password: registry.password });
      expect(await client.tags('wharf/login')).toEqual(['1']);
      expect(await client.manifestDigest('wharf/login', '1')).toMatch(/^sha256:/);
      const stranger = registryClient({ url, username: registry.username, password: 'wrong' });
      await expect(stranger.tags('wharf/login')).rejects.toMatchObject({ kind: 'auth' });
      refs.push(`${registry.addr}/wharf/login:1`);
    } finally {
      await registry.stop();
    }
  });
});
