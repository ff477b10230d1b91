import { z } from 'zod';
import { apiContext, apiUrl, collectPages, getJson, linkNext, ownerRepoPath, PER_PAGE } from './http.js';
import type { GitHostingClient, HostingClientOptions, HostingRepository } from './types.js';

const Account = z.object({ login: z.string().min(1), name: z.string().nullish() });
const Repository = z.object({
  id: z.number().int(),
  name: z.string().min(1),
  full_name: z.string().min(1),
  owner: z.object({ login: z.string().min(1) }),
  private: z.boolean(),
  default_branch: z.string().nullish(),
  clone_url: z.url(),
  ssh_url: z.string().min(1),
  html_url: z.url(),
});
const Branch = z.object({ name: z.string().min(1), commit: z.object({ sha: z.string().min(1) }) });

/**
 * GitHub REST API (also GitHub Enterprise Server at `https://<host>/api/v3`). Pages follow the `Link` header, which
 * is the only documented way on /user/repos.
 */
export function githubClient(opts: HostingClientOptions): GitHostingClient {
  const ctx = apiContext('github', opts, {
    headers: {
      authorization: `Bearer ${opts.token}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
    },
  });
  const nextLink = ({ headers }: { headers: Headers }) => linkNext(headers.get('link'));
  return {
    async account() {
      const { data } = await getJson(ctx, apiUrl(ctx, '/user'), Account, 'the account');
      return { login: data.login, ...(data.name ? { name: data.name } : {}) };
    },
    async repositories() {
      const first = apiUrl(ctx, '/user/repos', {
        per_page: PER_PAGE,
        affiliation: 'owner,collaborator,organization_member',
        sort: 'full_name',
      });
      const repos = await collectPages(ctx, first, z.array(Repository), 'repositories', nextLink);
      return repos.map(
        (r): HostingRepository => ({
          id: String(r.id),
          fullName: r.full_name,
          name: r.name,
          owner: r.owner.login,
          private: r.private,
          defaultBranch: r.default_branch ?? '',
          cloneUrl: r.clone_url,
          sshUrl: r.ssh_url,
          htmlUrl: r.html_url,
        }),
      );
    },
    async branches(fullName) {
      const first = apiUrl(ctx, `/repos/${ownerRepoPath(ctx, fullName)}/branches`, { per_page: PER_PAGE });
      const branches = await collectPages(ctx, first, z.array(Branch), `the branches of ${fullName}`, nextLink);
      return branches.map((b) => ({ name: b.name, commit: b.commit.sha }));
    },
  };
}
