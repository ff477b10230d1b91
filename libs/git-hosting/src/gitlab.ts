import { z } from 'zod';
import { HostingError } from './errors.js';
import { apiContext, apiUrl, collectPages, getJson, linkNext, type PageInfo, PER_PAGE } from './http.js';
import type { GitHostingClient, HostingClientOptions, HostingRepository } from './types.js';

const Account = z.object({ username: z.string().min(1), name: z.string().nullish() });
const Project = z.object({
  id: z.number().int(),
  path: z.string().min(1),
  path_with_namespace: z.string().min(1),
  namespace: z.object({ full_path: z.string().min(1) }),
  visibility: z.enum(['private', 'internal', 'public']),
  default_branch: z.string().nullish(),
  http_url_to_repo: z.url(),
  ssh_url_to_repo: z.string().min(1),
  web_url: z.url(),
});
const Branch = z.object({ name: z.string().min(1), commit: z.object({ id: z.string().min(1) }) });

/** Offset paging: `Link: rel="next"` when present, else the `X-Next-Page` number (empty on the last page). */
function nextPage({ url, headers }: PageInfo): URL | string | undefined {
  const link = linkNext(headers.get('link'));
  if (link) return link;
  const page = headers.get('x-next-page')?.trim();
  if (!page) return undefined;
  if (!/^[1-9]\d{0,8}$/.test(page)) throw new HostingError('invalid', 'gitlab', `GitLab sent an unusable X-Next-Page header`);
  const next = new URL(url);
  next.searchParams.set('page', page);
  return next;
}

/** GitLab REST API v4 (gitlab.com or self-managed). Personal, OAuth, group and project tokens all take Bearer. */
export function gitlabClient(opts: HostingClientOptions): GitHostingClient {
  const ctx = apiContext('gitlab', opts, { headers: { authorization: `Bearer ${opts.token}`, accept: 'application/json' } });
  return {
    async account() {
      const { data } = await getJson(ctx, apiUrl(ctx, '/user'), Account, 'the account');
      return { login: data.username, ...(data.name ? { name: data.name } : {}) };
    },
    async repositories() {
      const first = apiUrl(ctx, '/projects', {
        membership: 'true',
        per_page: PER_PAGE,
        page: 1,
        order_by: 'id',
        sort: 'asc',
      });
      const projects = await collectPages(ctx, first, z.array(Project), 'projects', nextPage);
      return projects.map(
        (p): HostingRepository => ({
          id: String(p.id),
          fullName: p.path_with_namespace,
          name: p.path,
          owner: p.namespace.full_path,
          private: p.visibility !== 'public',
          defaultBranch: p.default_branch ?? '',
          cloneUrl: p.http_url_to_repo,
          sshUrl: p.ssh_url_to_repo,
          htmlUrl: p.web_url,
        }),
      );
    },
    async branches(fullName) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
      if (!fullName || fullName.length > 1024 || /[\u0000-\u001f\u007f]/.test(fullName) || fullName.includes('..')) {
        throw new HostingError('invalid', 'gitlab', `"${fullName.slice(0, 100)}" is not a GitLab project path`);
      }
      const first = apiUrl(ctx, `/projects/${encodeURIComponent(fullName)}/repository/branches`, { per_page: PER_PAGE, page: 1 });
      const branches = await collectPages(ctx, first, z.array(Branch), `the branches of ${fullName}`, nextPage);
      return branches.map((b) => ({ name: b.name, commit: b.commit.id }));
    },
  };
}
