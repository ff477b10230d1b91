import { z } from 'zod';
import { apiContext, apiUrl, collectPages, getJson, ownerRepoPath, type PageInfo, PER_PAGE } from './http.js';
import type { GitHostingClient, HostingClientOptions, HostingRepository } from './types.js';

const Account = z.object({ login: z.string().min(1), name: z.string().nullish() });
const Repository = z.object({
  id: z.number().int(),
  full_name: z.string().min(1),
  path: z.string().min(1),
  owner: z.object({ login: z.string().min(1) }),
  namespace: z.object({ path: z.string().min(1) }).nullish(),
  private: z.boolean(),
  default_branch: z.string().nullish(),
  html_url: z.url(),
  ssh_url: z.string().min(1),
});
const Branch = z.object({ name: z.string().min(1), commit: z.object({ sha: z.string().min(1) }) });

/**
 * Gitee pages by number and reports `total_count` / `total_page` headers. The next page is asked for while the
 * page was full and those headers (when sent) say there is more. A page longer than asked for means the endpoint
 * does not page: it was everything.
 */
function nextPage({ url, headers, count, total, page }: PageInfo): URL | undefined {
  if (count !== PER_PAGE) return undefined;
  const totalCount = Number(headers.get('total_count') ?? Number.NaN);
  const totalPages = Number(headers.get('total_page') ?? Number.NaN);
  if (Number.isFinite(totalCount) && total >= totalCount) return undefined;
  if (Number.isFinite(totalPages) && page >= totalPages) return undefined;
  const next = new URL(url);
  next.searchParams.set('page', String(page + 1));
  return next;
}

/** Gitee API v5. The token travels as the `access_token` query parameter, as Gitee documents. */
export function giteeClient(opts: HostingClientOptions): GitHostingClient {
  const ctx = apiContext('gitee', opts, { headers: { accept: 'application/json' }, query: { access_token: opts.token } });
  return {
    async account() {
      const { data } = await getJson(ctx, apiUrl(ctx, '/user'), Account, 'the account');
      return { login: data.login, ...(data.name ? { name: data.name } : {}) };
    },
    async repositories() {
      const first = apiUrl(ctx, '/user/repos', { per_page: PER_PAGE, page: 1, sort: 'full_name', direction: 'asc' });
      const repos = await collectPages(ctx, first, z.array(Repository), 'repositories', nextPage);
      return repos.map((r): HostingRepository => {
        // Gitee's html_url is sometimes the clone URL (ending in .git): one of each
        const web = r.html_url.replace(/\.git$/, '');
        return {
          id: String(r.id),
          fullName: r.full_name,
          name: r.path,
          owner: r.namespace?.path ?? r.full_name.slice(0, r.full_name.lastIndexOf('/')),
          private: r.private,
          defaultBranch: r.default_branch ?? '',
          cloneUrl: `${web}.git`,
          sshUrl: r.ssh_url,
          htmlUrl: web,
        };
      });
    },
    async branches(fullName) {
      const first = apiUrl(ctx, `/repos/${ownerRepoPath(ctx, fullName)}/branches`, { per_page: PER_PAGE, page: 1 });
      const branches = await collectPages(ctx, first, z.array(Branch), `the branches of ${fullName}`, nextPage);
      return branches.map((b) => ({ name: b.name, commit: b.commit.sha }));
    },
  };
}
