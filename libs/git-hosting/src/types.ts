/** The Git hosting services Wharf can list repositories from and receive push webhooks from. */
export type GitProvider = 'github' | 'gitlab' | 'gitee';

export const GIT_PROVIDERS: readonly GitProvider[] = ['github', 'gitlab', 'gitee'];

/** A repository the token's user can see, in one shape whatever the provider. */
export interface HostingRepository {
  /** The provider's id, as a string. */
  id: string;
  /** `owner/name` (GitLab: `group/subgroup/name`): what the branches call and webhooks name the repository by. */
  fullName: string;
  name: string;
  owner: string;
  private: boolean;
  /** Empty when the repository has no commits yet (GitLab and Gitee report no default branch then). */
  defaultBranch: string;
  /** https clone URL */
  cloneUrl: string;
  sshUrl: string;
  htmlUrl: string;
}

export interface HostingBranch {
  name: string;
  /** The commit the branch points at. */
  commit: string;
}

export interface HostingAccount {
  login: string;
  name?: string;
}

/** One user's view of a hosting service, through their access token. */
export interface GitHostingClient {
  /** The token's user; verifies the token. */
  account(): Promise<HostingAccount>;
  /** All of the user's repositories, across every page; throws rather than return a partial list. */
  repositories(): Promise<HostingRepository[]>;
  /** All branches of one repository (`fullName` as `repositories()` reports it), across every page. */
  branches(fullName: string): Promise<HostingBranch[]>;
}

export interface HostingClientOptions {
  /** API base URL, e.g. https://api.github.com, https://gitlab.example.com/api/v4, https://gitee.com/api/v5 */
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  /** Hard upper bound on the pages one listing may take; reaching it is an error, never a silent cut. */
  maxPages?: number;
  /** Per request, in milliseconds. */
  timeoutMs?: number;
}

export const DEFAULT_BASE_URLS: Readonly<Record<GitProvider, string>> = {
  github: 'https://api.github.com',
  gitlab: 'https://gitlab.com/api/v4',
  gitee: 'https://gitee.com/api/v5',
};

export const PROVIDER_NAMES: Readonly<Record<GitProvider, string>> = {
  github: 'GitHub',
  gitlab: 'GitLab',
  gitee: 'Gitee',
};
