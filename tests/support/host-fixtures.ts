import { randomUUID } from 'node:crypto';
import { hashToken } from '@wharf/crypto';
import { AgentsRepository, type Database, HostsRepository, type HostView, type NewHost, type TenantId } from '@wharf/db';
import type pg from 'pg';

/*
 * Factories of the host workflow's specs that drive the processors against the database directly (no API): a
 * tenant with a dedicated cluster, a host request as the API would record it, and its agent's registration.
 */

/** A tenant on the team plan (hosts allowed) with one dedicated cluster, written as the owner role. */
export async function tenantWithCluster(owner: pg.Pool): Promise<{ tenant: TenantId; cluster: string }> {
  const tenant = randomUUID() as TenantId;
  await owner.query(`insert into tenants (id, slug, name, plan_id) values ($1, $2, 'hosts', 'team')`, [
    tenant,
    `t-${tenant.slice(0, 8)}`,
  ]);
  const c = await owner.query<{ id: string }>(
    `insert into clusters (tenant_id, name, kind, domain, proxy_port) values ($1, 'own', 'dedicated', 'own.example.test', 443) returning id`,
    [tenant],
  );
  return { tenant, cluster: c.rows[0]?.id ?? '' };
}

/** A host of the cluster as the API records it (a `local` one unless `over` says otherwise), with a fresh client token. */
export function hostRequest(cluster: string, name: string, over: Partial<NewHost> = {}): NewHost {
  return {
    clusterId: cluster,
    cloudAccountId: null,
    provider: 'local',
    region: 'local',
    zone: null,
    instanceType: 'local.small',
    vcpus: 1,
    memoryMib: 512,
    name,
    clientToken: randomUUID(),
    ...over,
  };
}

/**
 * What the API does when a host's agent registers with the one-time `token` its machine was given: the token used
 * up, an agent made for the host and bound to it (a bootstrapping host moves on to joining). Throws when refused.
 */
export async function registerAgent(db: Database, host: HostView, token: string): Promise<void> {
  const hosts = new HostsRepository();
  const agents = new AgentsRepository();
  await db.withPlatform(async (p) => {
    const admitted = await hosts.consumeRegistrationToken(p, hashToken(token));
    if (admitted?.id !== host.id) throw new Error(`registration of ${host.name} refused`);
    const agent = await agents.create(p, {
      clusterId: host.clusterId,
      name: host.name,
      credentialHash: randomUUID(),
      version: null,
      hostId: host.id,
    });
    await hosts.bindAgent(p, host.id, agent.id);
  });
}
