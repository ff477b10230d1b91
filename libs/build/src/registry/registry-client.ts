import { createHash } from 'node:crypto';
import { RegistryAuth } from './registry-auth.js';
import { RegistryError } from './registry-error.js';

export { RegistryError, type RegistryErrorKind } from './registry-error.js';

/** The Docker Registry HTTP API v2 (Distribution), as much as image retention needs. */
export interface RegistryClient {
  /** Every tag of a repository, across pages; none when the repository does not exist. */
  tags(repo: string): Promise<string[]>;
  /** The digest a tag points at (of the index, for a multi-platform image); undefined when the tag is gone. */
  manifestDigest(repo: string, tag: string): Promise<string | undefined>;
  /** Deletes a manifest and so every tag pointing at it; already gone is success. */
  deleteManifest(repo: string, digest: string): Promise<void>;
}

export interface RegistryClientOptions {
  /** e.g. http://127.0.0.1:5000 */
  url: string;
  username?: string;
  password?: string;
  fetch?: typeof fetch;
  /** Per request, in milliseconds (default 30 s). */
  timeoutMs?: number;
  /** Upper bound on pages of one tag listing; reaching it throws (default 1000). */
  maxPages?: number;
  /** Tags asked for per page (default 100). */
  pageSize?: number;
}

/** Every manifest kind an image can be pushed as; a HEAD without them gets a schema-1 conversion or a 404. */
export const MANIFEST_ACCEPT = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

const REPO = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

export function registryClient(opts: RegistryClientOptions): RegistryClient {
  const base = new URL(opts.url.replace(/\/+$/, ''));
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxPages = opts.maxPages ?? 1000;
  const pageSize = opts.pageSize ?? 100;
  const auth = new RegistryAuth(base, doFetch, timeoutMs, opts);

  /** One request; `scope` (repository and action) picks the token when the registry uses token auth. */
  async function call(method: string, url: URL, scope: string, accept?: string): Promise<Response> {
    const res = await send(method, url, scope, accept);
    if (res.status !== 401 || !(await auth.answer(res, scope))) return check(method, url, res);
    await res.body?.cancel();
    return check(method, url, await send(method, url, scope, accept));
  }

  async function send(method: string, url: URL, scope: string, accept?: string): Promise<Response> {
    const headers: Record<string, string> = {};
    const authorization = auth.header(scope);
    if (authorization) headers.authorization = authorization;
    if (accept) headers.accept = accept;
    let res: Response;
    try {
      res = await doFetch(url, { method, headers, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new RegistryError(
        'unavailable',
        `the registry at ${base.origin} did not answer ${method} ${url.pathname}`,
        undefined,
        {
          cause: err,
        },
      );
    }
    return res;
  }

  async function check(method: string, url: URL, res: Response): Promise<Response> {
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new RegistryError('auth', `the registry at ${base.origin} refused the credentials (${res.status})`, res.status);
    }
    if (res.status >= 500) {
      await res.body?.cancel();
      throw new RegistryError(
        'unavailable',
        `the registry at ${base.origin} failed (${res.status}) on ${method} ${url.pathname}`,
        res.status,
      );
    }
    return res;
  }

  const unexpected = async (res: Response, what: string) => {
    await res.body?.cancel();
    return new RegistryError('invalid', `the registry answered ${res.status} to ${what}`, res.status);
  };

  return {
    async tags(repo) {
      checkRepo(repo);
      const tags: string[] = [];
      const seen = new Set<string>();
      let url: URL | undefined = new URL(`${base.href.replace(/\/+$/, '')}/v2/${repo}/tags/list?n=${pageSize}`);
      for (let page = 1; url; page++) {
        if (page > maxPages) {
          throw new RegistryError(
            'invalid',
            `${repo} has more than ${maxPages} pages of tags; stopped rather than list part of them`,
          );
        }
        seen.add(url.href);
        const res = await call('GET', url, `${repo}:pull`);
        if (res.status === 404 && page === 1) {
          await res.body?.cancel();
          return [];
        }
        if (res.status !== 200) throw await unexpected(res, `the tag list of ${repo}`);
        const body = (await res.json().catch(() => undefined)) as { tags?: unknown } | undefined;
        const pageTags = body?.tags ?? [];
        if (!Array.isArray(pageTags) || !pageTags.every((t): t is string => typeof t === 'string')) {
          throw new RegistryError('invalid', `the registry sent a tag list of ${repo} that is not a list of names`);
        }
        tags.push(...pageTags);
        const next = linkNext(res.headers.get('link'));
        url = next === undefined ? undefined : new URL(next, base);
        if (url && (url.origin !== base.origin || seen.has(url.href))) {
          throw new RegistryError('invalid', `the registry sent an unusable next-page link for ${repo}`);
        }
      }
      return [...new Set(tags)];
    },

    async manifestDigest(repo, tag) {
      checkRepo(repo);
      if (!TAG.test(tag)) throw new RegistryError('invalid', `"${tag.slice(0, 140)}" is not an image tag`);
      const url = new URL(`${base.href.replace(/\/+$/, '')}/v2/${repo}/manifests/${tag}`);
      const head = await call('HEAD', url, `${repo}:pull`, MANIFEST_ACCEPT);
      if (head.status === 404) return undefined;
      if (head.status !== 200) throw await unexpected(head, `HEAD ${repo}:${tag}`);
      const digest = head.headers.get('docker-content-digest');
      if (digest && DIGEST.test(digest)) return digest;
      // a registry that leaves the header off a HEAD: the digest is the sha256 of the manifest's bytes
      const get = await call('GET', url, `${repo}:pull`, MANIFEST_ACCEPT);
      if (get.status === 404) return undefined;
      if (get.status !== 200) throw await unexpected(get, `GET ${repo}:${tag}`);
      const header = get.headers.get('docker-content-digest');
      const bytes = Buffer.from(await get.arrayBuffer());
      return header && DIGEST.test(header) ? header : `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    },

    async deleteManifest(repo, digest) {
      checkRepo(repo);
      if (!DIGEST.test(digest)) throw new RegistryError('invalid', `"${digest.slice(0, 140)}" is not a manifest digest`);
      const url = new URL(`${base.href.replace(/\/+$/, '')}/v2/${repo}/manifests/${digest}`);
      const res = await call('DELETE', url, `${repo}:delete`);
      await res.body?.cancel();
      if (res.status === 202 || res.status === 200 || res.status === 404) return;
      if (res.status === 405) {
        throw new RegistryError(
          'deletion_disabled',
          `the registry at ${base.origin} has deletion disabled: set storage.delete.enabled: true in its configuration`,
          405,
        );
      }
      throw new RegistryError('invalid', `the registry answered ${res.status} to deleting ${repo}@${digest}`, res.status);
    },
  };
}

function checkRepo(repo: string): void {
  if (repo.length > 255 || !REPO.test(repo))
    throw new RegistryError('invalid', `"${repo.slice(0, 255)}" is not a repository name`);
}

/** The `rel="next"` target of a `Link` header. */
export function linkNext(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    const rel = m?.[2] ? /(?:^|;)\s*rel\s*=\s*"?([^";]+)"?/i.exec(m[2]) : null;
    if (m?.[1] && rel?.[1]?.toLowerCase().split(/\s+/).includes('next')) return m[1];
  }
  return undefined;
}
