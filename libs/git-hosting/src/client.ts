import { giteeClient } from './gitee.js';
import { githubClient } from './github.js';
import { gitlabClient } from './gitlab.js';
import type { GitHostingClient, GitProvider, HostingClientOptions, HostingRepository } from './types.js';

const FACTORIES: Record<GitProvider, (opts: HostingClientOptions) => GitHostingClient> = {
  github: githubClient,
  gitlab: gitlabClient,
  gitee: giteeClient,
};

/**
 * A client for one user's token on one hosting service. Repositories are listed across every page (a repository
 * that moves between pages while they are read is reported once).
 */
export function hostingClient(provider: GitProvider, opts: HostingClientOptions): GitHostingClient {
  const factory = Object.hasOwn(FACTORIES, provider) ? FACTORIES[provider] : undefined;
  if (!factory) throw new RangeError(`unknown git provider "${String(provider).slice(0, 40)}"`);
  const client = factory(opts);
  return {
    account: () => client.account(),
    branches: (fullName) => client.branches(fullName),
    async repositories() {
      const byId = new Map<string, HostingRepository>();
      for (const repo of await client.repositories()) byId.set(repo.id, repo);
      return [...byId.values()];
    },
  };
}
