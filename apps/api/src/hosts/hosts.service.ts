import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  ConflictError,
  type CreatedHost,
  type CreateHostBody,
  type FieldError,
  type Host,
  type InstallCommand,
  LIVE_HOST_STATES,
  NotFoundError,
  UnprocessableError,
} from '@wharf/contracts';
import type { Keyring } from '@wharf/crypto';
import { admit, CloudAccountsRepository, HostsRepository, type HostView, type TenantScope } from '@wharf/db';
import {
  type InstanceType,
  LOCAL_INSTANCE_TYPE,
  localInstanceType,
  localRegions,
  ProviderError,
  type ProviderFactory,
} from '@wharf/providers';
import { JOBS, type JobQueues } from '@wharf/queue';
import { CONFIG, type Config } from '../config.js';
import { KEYRING, PROVIDER_FACTORY, QUEUES } from '../core/tokens.js';
import { BrokersService, dedicatedCluster } from './brokers.service.js';
import { InstallService } from './install.service.js';

export function toHost(r: HostView): Host {
  return {
    id: r.id,
    clusterId: r.clusterId,
    name: r.name,
    provider: r.provider,
    cloudAccountId: r.cloudAccountId,
    region: r.region,
    zone: r.zone,
    instanceType: r.instanceType,
    vcpus: r.vcpus,
    memoryMib: r.memoryMib,
    state: r.state,
    failure: r.failure,
    machineId: r.machineId,
    privateIp: r.privateIp,
    publicIp: r.publicIp,
    swarmRole: r.swarmRole,
    lastSeenAt: r.lastSeenAt?.toISOString() ?? null,
    stateChangedAt: r.stateChangedAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
    readyAt: r.readyAt?.toISOString() ?? null,
    terminatedAt: r.terminatedAt?.toISOString() ?? null,
    ...(r.provider === 'ssh' && r.sshAddress && r.sshPort && r.sshUser && r.sshHostKey && r.dockerSocket && r.brokerId
      ? {
          ssh: {
            address: r.sshAddress,
            port: r.sshPort,
            user: r.sshUser,
            hostKey: r.sshHostKey,
            dockerSocket: r.dockerSocket,
            brokerId: r.brokerId,
          },
        }
      : {}),
  };
}

type AfterCommit = (fn: () => Promise<void>) => void;
type MachineHostBody = Exclude<CreateHostBody, { provider: 'byo' | 'ssh' }>;
/** Hosts Wharf creates no machine for: brought ones (with an agent of their own) and those a broker drives. */
const isBrought = (body: CreateHostBody): body is Exclude<CreateHostBody, MachineHostBody> =>
  body.provider === 'byo' || body.provider === 'ssh';

const unprocessable = (path: string, message: string, code: string) => new UnprocessableError([{ path, message, code }], message);

/**
 * Hosts of a tenant's dedicated clusters. Adding one checks the region and instance type against the provider's own
 * lists, admits it against the host quotas (hosts, their vCPUs) in the transaction that records it, and hands it
 * to the `host` workers; removing one hands it to them too. The API never calls a provider to create or delete.
 */
@Injectable()
export class HostsService {
  private readonly hosts = new HostsRepository();
  private readonly accounts = new CloudAccountsRepository();

  constructor(
    @Inject(KEYRING) private readonly keyring: Keyring,
    @Inject(PROVIDER_FACTORY) private readonly providers: ProviderFactory,
    @Inject(QUEUES) private readonly queues: JobQueues,
    @Inject(CONFIG) private readonly config: Config,
    private readonly install: InstallService,
    private readonly brokers: BrokersService,
  ) {}

  async list(scope: TenantScope, clusterId: string, page: { limit: number; cursor?: string | undefined }) {
    await dedicatedCluster(scope, clusterId);
    const result = await this.hosts.listPage(scope, clusterId, page);
    return { items: result.items.map(toHost), nextCursor: result.nextCursor };
  }

  async get(scope: TenantScope, clusterId: string, hostId: string): Promise<Host> {
    return toHost(await this.find(scope, clusterId, hostId));
  }

  /**
   * A machine Wharf creates starts `requested`; a brought one (`byo`) starts `bootstrapping`, waiting for the agent
   * its install command installs (its size, unknown until then, counts 0 vCPUs), and the answer carries that
   * command: the only time it is shown. An `ssh` host starts bootstrapping too: the workers hand it to its broker.
   */
  async create(scope: TenantScope, clusterId: string, body: CreateHostBody, after: AfterCommit): Promise<CreatedHost> {
    await dedicatedCluster(scope, clusterId);
    const size = isBrought(body) ? undefined : await this.size(scope, body);
    if (body.provider === 'ssh' && !(await this.brokers.find(scope, clusterId, body.brokerId, { share: true })))
      throw unprocessable('body.brokerId', 'No such broker in this cluster.', 'unknown_broker');
    // cheap before the quota lock; the insert below settles a race
    const siblings = await this.hosts.listForCluster(scope, clusterId);
    if (siblings.some((h) => h.name === body.name))
      throw new ConflictError(`The cluster already has a host named "${body.name}".`);
    if (!isBrought(body)) sameDatacenter(siblings, body);
    await admit(scope, { dedicatedHosts: 1, hostVcpus: size?.vcpus ?? 0 });
    const machine = isBrought(body) ? undefined : body;
    const row = await this.hosts.create(scope, {
      clusterId,
      cloudAccountId: machine?.provider === 'local' ? null : (machine?.cloudAccountId ?? null),
      provider: body.provider,
      region: body.region,
      zone: machine?.zone ?? null,
      instanceType: machine?.instanceType ?? null,
      vcpus: size?.vcpus ?? null,
      memoryMib: size?.memoryMiB ?? null,
      name: body.name,
      // the provider's idempotency token: a create repeated after a crash answers the machine the first call made
      clientToken: randomUUID(),
      ...(isBrought(body) ? { state: 'bootstrapping' as const } : {}),
      ...(body.provider === 'ssh'
        ? {
            sshAddress: body.address,
            sshPort: body.port,
            sshUser: body.user,
            sshHostKey: body.hostKey,
            dockerSocket: body.dockerSocket,
            brokerId: body.brokerId,
          }
        : {}),
    });
    if (!row) throw new ConflictError(`The cluster already has a host named "${body.name}".`);
    after(async () => {
      await this.queues.enqueue('host.provision', { tenantId: scope.tenantId, hostId: row.id });
    });
    if (body.provider !== 'byo') return toHost(row);
    const install = await this.install.issue(scope, row.id);
    // the host as it is now: issuing the command started its bootstrap clock
    return { ...toHost((await this.hosts.find(scope, row.id)) ?? row), install };
  }

  /** A fresh install command for a brought host still waiting for its agent (409 for any other host). */
  async installCommand(scope: TenantScope, clusterId: string, hostId: string): Promise<InstallCommand> {
    const host = await this.find(scope, clusterId, hostId);
    return this.install.issue(scope, host.id);
  }

  /**
   * Starts the host's removal: a host never created ends at once, a ready one starts draining; the workers do the
   * rest (and decide for hosts caught mid-provisioning, whose machine may be on its way). Removing a host already
   * terminated changes nothing.
   */
  async remove(scope: TenantScope, clusterId: string, hostId: string, after: AfterCommit): Promise<Host> {
    let host = await this.find(scope, clusterId, hostId);
    if (host.state === 'terminated') return toHost(host);
    const moved =
      host.state === 'requested'
        ? await this.hosts.transition(scope, host.id, ['requested'], 'terminated')
        : host.provider === 'byo' && host.state === 'bootstrapping'
          ? await this.endUnregistered(scope, host.id)
          : host.state === 'ready' && host.swarmNodeId
            ? await this.hosts.transition(scope, host.id, ['ready'], 'draining')
            : undefined;
    host = moved ?? host;
    if (host.state !== 'terminated') {
      after(async () => {
        // a removal whose job failed for good (kept, with its fixed id) is tried again rather than ignored
        const failed = await this.queues.queue('host').getJob(JOBS['host.deprovision'].jobId({ hostId: host.id }));
        if (failed && (await failed.isFailed())) await failed.retry('failed');
        else await this.queues.enqueue('host.deprovision', { tenantId: scope.tenantId, hostId: host.id });
      });
    }
    return toHost(host);
  }

  /**
   * A brought server whose agent has not registered (it would have moved the host on to joining) has nothing to undo:
   * it ends at once, and its install and registration tokens with it.
   */
  private async endUnregistered(scope: TenantScope, hostId: string): Promise<HostView | undefined> {
    const leaving = await this.hosts.transition(scope, hostId, ['bootstrapping'], 'terminating');
    return leaving && (await this.hosts.transition(scope, hostId, ['terminating'], 'terminated'));
  }

  private async find(scope: TenantScope, clusterId: string, hostId: string): Promise<HostView> {
    const host = await this.hosts.find(scope, hostId);
    if (!host || host.clusterId !== clusterId) throw new NotFoundError('host');
    return host;
  }

  /** The instance type's size, from the provider's own lists (422 for a region or type it does not offer). */
  private async size(scope: TenantScope, body: MachineHostBody): Promise<InstanceType> {
    if (body.provider === 'local') {
      const regions = localRegions(this.config.HOSTS_LOCAL_DATACENTERS).map((r) => r.id);
      if (!regions.includes(body.region))
        throw unprocessable('body.region', `The local provider's regions are ${regions.join(', ')}.`, 'unknown_region');
      if (body.instanceType !== LOCAL_INSTANCE_TYPE)
        throw unprocessable(
          'body.instanceType',
          `The local provider has one instance type, "${LOCAL_INSTANCE_TYPE}".`,
          'unknown_instance_type',
        );
      return localInstanceType();
    }
    const account = body.cloudAccountId ? await this.accounts.credentials(scope, body.cloudAccountId, this.keyring) : undefined;
    if (!account) throw unprocessable('body.cloudAccountId', 'No such cloud account in this tenant.', 'unknown_cloud_account');
    if (account.provider !== body.provider)
      throw unprocessable(
        'body.cloudAccountId',
        `This is an ${account.provider} account, not ${body.provider}.`,
        'provider_mismatch',
      );
    try {
      const provider = this.providers.create(account.provider, account.credentials);
      const regions = await provider.regions();
      if (!regions.some((r) => r.id === body.region))
        throw unprocessable('body.region', `${body.provider} has no region "${body.region}" for this account.`, 'unknown_region');
      const type = (await provider.instanceTypes(body.region)).find((t) => t.id === body.instanceType);
      if (!type)
        throw unprocessable(
          'body.instanceType',
          `${body.provider} offers no instance type "${body.instanceType}" in ${body.region}.`,
          'unknown_instance_type',
        );
      return type;
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      const errors: FieldError[] = [{ path: 'body.cloudAccountId', message: err.message, code: `provider_${err.kind}` }];
      throw new UnprocessableError(errors, err.message);
    }
  }
}

/**
 * A cluster is one Swarm, and a Swarm one datacenter: its hosts (but those brought by the user, wherever they are)
 * share one provider and region. A host elsewhere could not reach the others' Swarm ports.
 */
function sameDatacenter(siblings: readonly HostView[], body: MachineHostBody): void {
  const live = siblings.find((h) => h.provider !== 'byo' && h.provider !== 'ssh' && LIVE_HOST_STATES.includes(h.state));
  if (!live || (live.provider === body.provider && live.region === body.region)) return;
  throw unprocessable(
    'body.region',
    `The hosts of a cluster share one datacenter: this cluster's hosts are in ${live.provider} ${live.region}.`,
    'other_datacenter',
  );
}
