import { Controller, Inject } from '@nestjs/common';
import {
  ConflictError,
  GitConnection,
  gitConnectionRoutes,
  NotFoundError,
  type RouteInput,
  type RouteOutput,
  ValidationError,
} from '@wharf/contracts';
import { AAD, type SecretBox } from '@wharf/crypto';
import { type GitConnectionRow, SourcesRepository, type TenantScope } from '@wharf/db';
import { type GitHostingClient, type GitProvider, HostingError, hostingClient } from '@wharf/git-hosting';
import type { z } from 'zod';
import { CONFIG, type Config } from '../config.js';
import { Caller, Endpoint, Input, Scope } from '../core/endpoint.decorator.js';
import type { Principal } from '../core/principal.js';
import { SECRET_BOX } from '../core/tokens.js';

function toConnection(row: GitConnectionRow): z.infer<typeof GitConnection> {
  return { id: row.id, provider: row.provider, account: row.account, createdAt: row.createdAt.toISOString() };
}

/**
 * The tenant's GitHub, GitLab and Gitee accounts (an access token each, checked with the provider when connected
 * and sealed at rest): every repository they reach and its branches, to pick an app's source from.
 */
@Controller()
export class GitConnectionsController {
  private readonly sources = new SourcesRepository();

  constructor(
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Endpoint(gitConnectionRoutes.list)
  async list(@Scope() scope: TenantScope): Promise<RouteOutput<typeof gitConnectionRoutes.list>> {
    return { items: (await this.sources.connections(scope)).map(toConnection), nextCursor: null };
  }

  @Endpoint(gitConnectionRoutes.create)
  async create(
    @Scope() scope: TenantScope,
    @Caller() caller: Principal,
    @Input() input: RouteInput<typeof gitConnectionRoutes.create>,
  ): Promise<RouteOutput<typeof gitConnectionRoutes.create>> {
    const { provider, token } = input.body;
    const account = await this.call(() => this.client(provider, token).account(), 'body.token');
    const row = await this.sources.createConnection(scope, {
      provider,
      account: account.login,
      tokenSealed: this.box.seal(token, AAD.gitConnection(scope.tenantId, provider, account.login)),
      createdBy: caller.userId,
    });
    return toConnection(row);
  }

  @Endpoint(gitConnectionRoutes.remove)
  async remove(@Scope() scope: TenantScope, @Input() input: RouteInput<typeof gitConnectionRoutes.remove>): Promise<void> {
    if (await this.sources.connectionInUse(scope, input.params.connection)) {
      throw new ConflictError('An app builds through this connection: change its source first.');
    }
    if (!(await this.sources.removeConnection(scope, input.params.connection))) throw new NotFoundError('git connection');
  }

  @Endpoint(gitConnectionRoutes.repositories)
  async repositories(
    @Scope() scope: TenantScope,
    @Input() input: RouteInput<typeof gitConnectionRoutes.repositories>,
  ): Promise<RouteOutput<typeof gitConnectionRoutes.repositories>> {
    const client = await this.connected(scope, input.params.connection);
    const repos = await this.call(() => client.repositories());
    return {
      items: repos.map((r) => ({
        fullName: r.fullName,
        private: r.private,
        defaultBranch: r.defaultBranch,
        cloneUrl: r.cloneUrl,
        sshUrl: r.sshUrl,
        htmlUrl: r.htmlUrl,
      })),
    };
  }

  @Endpoint(gitConnectionRoutes.branches)
  async branches(
    @Scope() scope: TenantScope,
    @Input() input: RouteInput<typeof gitConnectionRoutes.branches>,
  ): Promise<RouteOutput<typeof gitConnectionRoutes.branches>> {
    const client = await this.connected(scope, input.params.connection);
    const branches = await this.call(() => client.branches(input.query.repository), 'query.repository');
    return { items: branches.map((b) => ({ name: b.name, commit: b.commit })) };
  }

  private client(provider: GitProvider, token: string): GitHostingClient {
    const baseUrl = { github: this.config.GITHUB_API_URL, gitlab: this.config.GITLAB_API_URL, gitee: this.config.GITEE_API_URL }[
      provider
    ];
    return hostingClient(provider, { baseUrl, token });
  }

  private async connected(scope: TenantScope, id: string): Promise<GitHostingClient> {
    const row = await this.sources.connection(scope, id);
    if (!row) throw new NotFoundError('git connection');
    return this.client(
      row.provider,
      this.box.open(row.tokenSealed, AAD.gitConnection(scope.tenantId, row.provider, row.account)),
    );
  }

  /** The provider's refusals become the caller's problem at `field`; its outages a 409 that says so. */
  private async call<T>(fn: () => Promise<T>, field?: string): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof HostingError)) throw err;
      if ((err.kind === 'auth' || err.kind === 'not_found') && field) {
        throw new ValidationError([{ path: field, message: err.message, code: err.kind }]);
      }
      throw new ConflictError(err.message);
    }
  }
}
