import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GitProvider } from '../types.js';

export interface FakeHostingOptions {
  repos: number;
  branchesPerRepo: number;
  /** The one token the fake accepts; any other gets 401. */
  token: string;
  /** Owner of every repository (default `octo`). */
  owner?: string;
  /** The https clone URL of a repository (default `<server>/git/<fullName>.git`): point it at a real git server. */
  cloneUrl?: (fullName: string, provider: GitProvider) => string;
}

export interface FakeHosting {
  /** The API base URL of one provider, for `hostingClient(provider, { baseUrl })`. */
  url(provider: GitProvider): string;
  /** Every request served, in order (path and query; the token is masked). */
  readonly requests: { provider: GitProvider; path: string; query: string }[];
  /** The next request for `provider` gets this answer instead. */
  respondOnce(provider: GitProvider, status: number, body: string, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

const PREFIX: Record<GitProvider, string> = { github: '/github', gitlab: '/gitlab/api/v4', gitee: '/gitee/api/v5' };

/**
 * A local stand-in for the GitHub, GitLab and Gitee APIs (node:http on 127.0.0.1, a free port) with their real
 * paging (GitHub's `Link`, GitLab's `X-Next-Page`/`X-Total-Pages`, Gitee's `total_count`/`total_page`) and auth
 * (Bearer; GitLab's PRIVATE-TOKEN; Gitee's access_token). Test code only.
 */
export async function startFakeHosting(opts: FakeHostingOptions): Promise<FakeHosting> {
  const owner = opts.owner ?? 'octo';
  const requests: FakeHosting['requests'] = [];
  const faults = new Map<GitProvider, { status: number; body: string; headers: Record<string, string> }>();
  const repos = Array.from({ length: opts.repos }, (_, i) => ({
    id: 1000 + i,
    name: `repo-${String(i).padStart(4, '0')}`,
    fullName: `${owner}/repo-${String(i).padStart(4, '0')}`,
    private: i % 2 === 0,
  }));
  const branches = Array.from({ length: opts.branchesPerRepo }, (_, i) => (i === 0 ? 'main' : `branch-${i}`));
  let origin = '';
  const cloneUrl = (full: string, p: GitProvider) => opts.cloneUrl?.(full, p) ?? `${origin}/git/${full}.git`;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const provider = (Object.keys(PREFIX) as GitProvider[]).find((p) => url.pathname.startsWith(`${PREFIX[p]}/`));
    if (!provider) return send(res, 404, { message: 'Not Found' });
    const path = url.pathname.slice(PREFIX[provider].length);
    const query = new URLSearchParams(url.searchParams);
    if (query.has('access_token')) query.set('access_token', '***');
    requests.push({ provider, path, query: query.toString() });
    const fault = faults.get(provider);
    if (fault) {
      faults.delete(provider);
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      return res.end(fault.body);
    }
    if (!authorised(provider, req, url)) return send(res, 401, { message: '401 Unauthorized' });
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 20) || 20));
    const paged = <T>(items: T[], map: (t: T) => unknown) => {
      const slice = items.slice((page - 1) * perPage, page * perPage).map(map);
      send(res, 200, slice, pagingHeaders(provider, url, page, perPage, items.length));
    };

    if (path === '/user') {
      return send(
        res,
        200,
        provider === 'gitlab' ? { id: 1, username: owner, name: 'Octo Cat' } : { id: 1, login: owner, name: 'Octo Cat' },
      );
    }
    if ((provider !== 'gitlab' && path === '/user/repos') || (provider === 'gitlab' && path === '/projects')) {
      return paged(repos, (r) => repoJson(provider, r, cloneUrl(r.fullName, provider), origin));
    }
    const m =
      provider === 'gitlab'
        ? /^\/projects\/([^/]+)\/repository\/branches$/.exec(url.pathname.slice(PREFIX.gitlab.length))
        : /^\/repos\/([^/]+\/[^/]+)\/branches$/.exec(path);
    const fullName = m?.[1] && decodeURIComponent(m[1]);
    if (fullName && repos.some((r) => r.fullName === fullName)) {
      return paged(branches, (name) => {
        const sha = createHash('sha1').update(`${fullName}:${name}`).digest('hex');
        return provider === 'gitlab'
          ? { name, commit: { id: sha, short_id: sha.slice(0, 8) } }
          : { name, commit: { sha, url: '' } };
      });
    }
    send(res, 404, { message: '404 Not Found' });
  });

  function authorised(provider: GitProvider, req: IncomingMessage, url: URL): boolean {
    if (provider === 'gitee') return url.searchParams.get('access_token') === opts.token;
    if (provider === 'gitlab' && req.headers['private-token'] === opts.token) return true;
    return req.headers.authorization === `Bearer ${opts.token}`;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (provider) => `${origin}${PREFIX[provider]}`,
    requests,
    respondOnce(provider, status, body, headers = {}) {
      faults.set(provider, { status, body, headers });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function pagingHeaders(provider: GitProvider, url: URL, page: number, perPage: number, total: number): Record<string, string> {
  const pages = Math.max(1, Math.ceil(total / perPage));
  const at = (n: number) => {
    const u = new URL(url);
    u.searchParams.set('page', String(n));
    return u.href;
  };
  if (provider === 'gitee') return { total_count: String(total), total_page: String(pages) };
  const links = [
    ...(page < pages ? [`<${at(page + 1)}>; rel="next"`] : []),
    ...(page > 1 ? [`<${at(page - 1)}>; rel="prev"`] : []),
    `<${at(1)}>; rel="first"`,
    `<${at(pages)}>; rel="last"`,
  ].join(', ');
  if (provider === 'github') return { link: links };
  return {
    link: links,
    'x-page': String(page),
    'x-per-page': String(perPage),
    'x-next-page': page < pages ? String(page + 1) : '',
    'x-prev-page': page > 1 ? String(page - 1) : '',
    'x-total': String(total),
    'x-total-pages': String(pages),
  };
}

function repoJson(
  provider: GitProvider,
  r: { id: number; name: string; fullName: string; private: boolean },
  clone: string,
  origin: string,
): unknown {
  const web = `${origin}/web/${r.fullName}`;
  const ssh = `git@127.0.0.1:${r.fullName}.git`;
  const owner = r.fullName.split('/')[0];
  if (provider === 'github') {
    return {
      id: r.id,
      node_id: `R_${r.id}`,
      name: r.name,
      full_name: r.fullName,
      owner: { login: owner, id: 1, type: 'User' },
      private: r.private,
      default_branch: 'main',
      clone_url: clone,
      ssh_url: ssh,
      html_url: web,
      permissions: { admin: true, push: true, pull: true },
    };
  }
  if (provider === 'gitlab') {
    return {
      id: r.id,
      name: r.name,
      path: r.name,
      path_with_namespace: r.fullName,
      namespace: { id: 1, full_path: owner, kind: 'user' },
      visibility: r.private ? 'private' : 'public',
      default_branch: 'main',
      http_url_to_repo: clone,
      ssh_url_to_repo: ssh,
      web_url: web,
    };
  }
  return {
    id: r.id,
    full_name: r.fullName,
    human_name: `Octo Cat/${r.name}`,
    path: r.name,
    name: r.name,
    owner: { login: owner, name: 'Octo Cat' },
    namespace: { id: 1, type: 'personal', name: 'Octo Cat', path: owner },
    private: r.private,
    public: !r.private,
    internal: false,
    default_branch: 'main',
    html_url: clone.endsWith('.git') ? clone : `${clone}.git`,
    ssh_url: ssh,
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
