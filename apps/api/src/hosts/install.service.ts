import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Inject, Injectable } from '@nestjs/common';
import {
  ConflictError,
  INSTALL_TOKEN_PREFIX,
  type InstallCommand,
  installRoutes,
  JOIN_TOKEN_PREFIX,
  NotFoundError,
} from '@wharf/contracts';
import { hashToken, randomSecret } from '@wharf/crypto';
import { type Database, HostsRepository, type TenantScope } from '@wharf/db';
import { renderInstallScript } from '@wharf/providers';
import { CONFIG, type Config } from '../config.js';
import { DATABASE } from '../core/tokens.js';

/** The agent file the API hands out, and its SHA-256 (read again when the file changes: a rebuild, a deploy). */
interface AgentPackage {
  path: string;
  bytes: Buffer;
  sha256: string;
  /** Size and modification time of the file read. */
  stamp: string;
}

const INSTALL_TOKEN = new RegExp(`^${INSTALL_TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`);

/**
 * Brought hosts (`byo`): their one-time install commands, the install scripts those fetch, and the agent file the
 * scripts download. An install token is good for one fetch of the script: serving it swaps the token (only its
 * hash is stored, in the host's registration-token column) for the registration token the script hands the agent,
 * so a copied command is worthless once used, and the agent's token never travels in a URL.
 */
@Injectable()
export class InstallService {
  private readonly hosts = new HostsRepository();
  private cached: AgentPackage | undefined;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** A fresh install command for a brought host still waiting for its agent; the previous one stops working. */
  async issue(scope: TenantScope, hostId: string): Promise<InstallCommand> {
    const token = `${INSTALL_TOKEN_PREFIX}${randomSecret()}`;
    const expiresAt = new Date(Date.now() + this.config.HOSTS_INSTALL_TOKEN_TTL_MS);
    const host = await this.hosts.issueInstallToken(scope, hostId, hashToken(token), expiresAt);
    if (!host) throw new ConflictError('Only a brought host still waiting for its agent gets an install command.');
    const url = `${this.config.API_PUBLIC_URL}${installRoutes.script.path.replace('{token}', token)}`;
    return { command: `curl -fsSL '${url}' | sudo sh`, expiresAt: expiresAt.toISOString() };
  }

  /** The install script for `token`, once; 404 for a token unknown, used, expired, or of a host no longer waiting. */
  async script(token: string): Promise<string> {
    if (!INSTALL_TOKEN.test(token)) throw new NotFoundError('install script');
    // read before the token is used up: a missing agent file must not cost the user their command
    const agent = await this.agentPackage();
    const registrationToken = `${JOIN_TOKEN_PREFIX}${randomSecret()}`;
    const expiresAt = new Date(Date.now() + this.config.HOSTS_INSTALL_TOKEN_TTL_MS);
    const host = await this.db.withPlatform((p) =>
      this.hosts.exchangeInstallToken(p, hashToken(token), hashToken(registrationToken), expiresAt),
    );
    if (!host) throw new NotFoundError('install script');
    return renderInstallScript({
      apiUrl: this.config.API_PUBLIC_URL,
      registrationToken,
      agentPackageUrl: `${this.config.API_PUBLIC_URL}${installRoutes.agentPackage.path}`,
      agentSha256: agent.sha256,
    });
  }

  /** The bundled agent (`npm run build` of apps/agent makes it); a missing file is the deployment's fault (500). */
  async agentPackage(): Promise<AgentPackage> {
    const path = this.bundlePath();
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new Error(`the agent bundle ${path} is missing: run \`npm run build -w @wharf/agent\``);
    const stamp = `${info.size}-${info.mtimeMs}`;
    if (this.cached?.path !== path || this.cached.stamp !== stamp) {
      const bytes = await readFile(path);
      this.cached = { path, bytes, sha256: createHash('sha256').update(bytes).digest('hex'), stamp };
    }
    return this.cached;
  }

  private bundlePath(): string {
    if (this.config.AGENT_BUNDLE_PATH) return this.config.AGENT_BUNDLE_PATH;
    try {
      return createRequire(import.meta.url).resolve('@wharf/agent/bundle');
    } catch {
      throw new Error('the agent bundle (@wharf/agent/bundle) is missing: run `npm run build -w @wharf/agent`');
    }
  }
}
