import { Inject, Injectable } from '@nestjs/common';
import {
  type Broker,
  ConflictError,
  type CreatedBroker,
  installRoutes,
  JOIN_TOKEN_PREFIX,
  NotFoundError,
} from '@wharf/contracts';
import { hashToken, randomSecret } from '@wharf/crypto';
import {
  AgentsRepository,
  BrokersRepository,
  type BrokerView,
  ClustersRepository,
  type Database,
  HostsRepository,
  type TenantScope,
} from '@wharf/db';
import { CONFIG, type Config } from '../config.js';
import { DATABASE } from '../core/tokens.js';

export function toBroker(b: BrokerView): Broker {
  return {
    id: b.id,
    clusterId: b.clusterId,
    name: b.name,
    registered: b.agentId !== null,
    sshPublicKey: b.sshPublicKey,
    lastSeenAt: b.lastSeenAt?.toISOString() ?? null,
    createdAt: b.createdAt.toISOString(),
  };
}

/**
 * Brokers of a tenant's dedicated clusters (broker mode). Creating one issues its one-time token (only the hash is
 * stored; it expires like an install command, `HOSTS_INSTALL_TOKEN_TTL_MS`) and the command that starts the broker
 * with the agent bundle; the broker registers with it and reports its SSH public key, shown in the list.
 */
@Injectable()
export class BrokersService {
  private readonly brokers = new BrokersRepository();
  private readonly hosts = new HostsRepository();
  private readonly agents = new AgentsRepository();

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(DATABASE) private readonly db: Database,
  ) {}

  async create(scope: TenantScope, clusterId: string, name: string): Promise<CreatedBroker> {
    await dedicatedCluster(scope, clusterId);
    const joinToken = `${JOIN_TOKEN_PREFIX}${randomSecret()}`;
    const expiresAt = new Date(Date.now() + this.config.HOSTS_INSTALL_TOKEN_TTL_MS);
    const broker = await this.brokers.create(scope, {
      clusterId,
      name,
      registrationTokenHash: hashToken(joinToken),
      registrationExpiresAt: expiresAt,
    });
    const bundle = `${this.config.API_PUBLIC_URL}${installRoutes.agentPackage.path}`;
    // the values are Wharf's own (a URL it is configured with, a token of base64url characters): nothing typed by a user
    const command = [
      `curl -fsSLo wharf-agent.mjs '${bundle}' &&`,
      `WHARF_API_URL='${this.config.API_PUBLIC_URL}' WHARF_JOIN_TOKEN='${joinToken}' WHARF_AGENT_BROKER=1`,
      `WHARF_AGENT_STATE=/var/lib/wharf-broker/state.json node wharf-agent.mjs`,
    ].join(' ');
    return { broker: toBroker(broker), joinToken, expiresAt: expiresAt.toISOString(), command };
  }

  async list(scope: TenantScope, clusterId: string): Promise<{ items: Broker[] }> {
    await dedicatedCluster(scope, clusterId);
    return { items: (await this.brokers.listForCluster(scope, clusterId)).map(toBroker) };
  }

  /**
   * Removes a broker: refused (409) while it still drives a host that is not terminated (removing that host needs
   * it). The row is marked first, which locks it: a host being added with this broker (`find` with `share`) is
   * either seen here, or refused once this commits. Its unused token dies with it, and the agent it registered as is
   * revoked before the request commits, so the broker is refused from its next call on (agents are platform rows:
   * revoked in a platform transaction of their own; a removal rolled back after that leaves a broker whose agent is
   * refused, which removing again finishes).
   */
  async remove(scope: TenantScope, clusterId: string, brokerId: string): Promise<void> {
    const broker = await this.find(scope, clusterId, brokerId);
    const removed = broker && (await this.brokers.remove(scope, broker.id));
    if (!removed) throw new NotFoundError('broker');
    const driven = (await this.hosts.listForCluster(scope, clusterId)).filter(
      (h) => h.brokerId === removed.id && h.state !== 'terminated',
    );
    // thrown, the error rolls the request's transaction (and the mark) back
    if (driven.length > 0)
      throw new ConflictError(
        `The broker still drives ${driven.map((h) => h.name).join(', ')}: remove ${driven.length === 1 ? 'that host' : 'those hosts'} first.`,
      );
    const agentId = removed.agentId;
    if (agentId) await this.db.withPlatform((p) => this.agents.revoke(p, clusterId, agentId));
  }

  /** A broker of this cluster of the tenant, or undefined; `share`: locked until the transaction ends (see remove). */
  find(
    scope: TenantScope,
    clusterId: string,
    brokerId: string,
    options: { share?: boolean } = {},
  ): Promise<BrokerView | undefined> {
    return this.brokers.find(scope, brokerId, options).then((b) => (b?.clusterId === clusterId ? b : undefined));
  }
}

const clusters = new ClustersRepository();

/** Hosts and brokers belong to the tenant's own dedicated clusters; a shared cluster is answered like a missing one. */
export async function dedicatedCluster(scope: TenantScope, clusterId: string): Promise<void> {
  const cluster = await clusters.findForTenant(scope, clusterId);
  if (cluster?.kind !== 'dedicated' || cluster.tenantId !== scope.tenantId) throw new NotFoundError('cluster');
}
