import { Inject, Injectable } from '@nestjs/common';
import { type Broker, type CreatedBroker, installRoutes, JOIN_TOKEN_PREFIX, NotFoundError } from '@wharf/contracts';
import { hashToken, randomSecret } from '@wharf/crypto';
import { BrokersRepository, type BrokerView, ClustersRepository, type TenantScope } from '@wharf/db';
import { CONFIG, type Config } from '../config.js';

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

  constructor(@Inject(CONFIG) private readonly config: Config) {}

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

  /** A broker of this cluster of the tenant, or undefined. */
  find(scope: TenantScope, clusterId: string, brokerId: string): Promise<BrokerView | undefined> {
    return this.brokers.find(scope, brokerId).then((b) => (b?.clusterId === clusterId ? b : undefined));
  }
}

const clusters = new ClustersRepository();

/** Hosts and brokers belong to the tenant's own dedicated clusters; a shared cluster is answered like a missing one. */
export async function dedicatedCluster(scope: TenantScope, clusterId: string): Promise<void> {
  const cluster = await clusters.findForTenant(scope, clusterId);
  if (cluster?.kind !== 'dedicated' || cluster.tenantId !== scope.tenantId) throw new NotFoundError('cluster');
}
