import { hashToken } from '@wharf/crypto';
import {
  AgentsRepository,
  type Database,
  type HostState,
  HostsRepository,
  type HostView,
  type TenantId,
  type TenantScope,
} from '@wharf/db';
import { ProviderError } from '@wharf/providers';
import { type JobPayload, RetryLater } from '@wharf/queue';
import type { Logger } from 'pino';
import type { WorkerConfig } from '../config.js';
import { brokerOf, type HostBroker } from './host-broker.js';
import { HostCommandFailed, type HostSwarm } from './host-commands.js';
import { type HostProviders, registrationToken } from './host-machines.js';
import { bootDecision, joinPlan, promotions, provisionStep } from './host-steps.js';

/** A step that cannot go on (a deadline passed, a machine in the wrong state): the host fails with this reason. */
export class HostStepFailed extends Error {
  override readonly name = 'HostStepFailed';
}

/** The reason a host fails with, for errors that end provisioning; undefined: an error worth a retry (or a bug). */
export function failureReason(err: unknown): string | undefined {
  if (err instanceof ProviderError) return err.retryable ? undefined : err.message;
  if (err instanceof HostStepFailed || err instanceof HostCommandFailed) return err.message;
  return undefined;
}

/** States a host leaves provisioning through: someone asked for its removal, or it failed. */
const OUT: readonly HostState[] = ['draining', 'leaving', 'terminating', 'terminated', 'failed'];

/**
 * `host.provision`: requested → creating (the provider call, with the host's client token and a bootstrap carrying
 * its one-time registration token) → booting (until the machine runs) → bootstrapping (until its agent registered;
 * the API moves it on to joining) → joining (the cluster's first host inits the Swarm, the others join through a
 * ready manager) → ready (and the cluster grows to 3 managers once it has 3 ready hosts). Each run reads the host
 * and continues from its persisted state; a waiting step puts the job back with a delay (RetryLater). A failure that
 * no retry mends deletes the machine, if there is one, and ends the host `failed` with the reason.
 */
export class HostProcessor {
  private readonly hosts = new HostsRepository();
  private readonly agents = new AgentsRepository();

  constructor(
    private readonly db: Database,
    private readonly machines: HostProviders,
    private readonly commands: HostSwarm,
    private readonly config: WorkerConfig,
    private readonly log: Logger,
    /** Broker mode (`ssh` hosts); without it such a host fails. */
    private readonly broker?: HostBroker,
  ) {}

  async provision({ tenantId, hostId }: JobPayload<'host.provision'>): Promise<void> {
    const tenant = tenantId as TenantId;
    for (;;) {
      const host = await this.read(tenant, hostId);
      if (!host) return;
      const step = provisionStep(host.state);
      if (step.kind === 'stop') return;
      try {
        // a brought or ssh host starts bootstrapping: there is no machine for Wharf to create or watch boot
        if ((host.provider === 'byo' || host.provider === 'ssh') && (step.kind === 'create' || step.kind === 'await-running'))
          throw new HostStepFailed('a brought host has no machine for Wharf to create');
        if (step.kind === 'create') await this.create(tenant, host);
        else if (step.kind === 'await-running') await this.awaitRunning(tenant, host);
        else if (step.kind === 'await-agent') await this.awaitAgent(tenant, host);
        else if (step.kind === 'join') await this.join(tenant, host);
        else {
          await this.promote(tenant, host);
          return;
        }
      } catch (err) {
        const reason = failureReason(err);
        if (reason === undefined) throw err;
        await this.failAndClean(tenant, hostId, reason);
        return;
      }
    }
  }

  /** The job's last attempt failed (a provider down each time, an unexpected error): clean up and fail the host. */
  async gaveUp({ tenantId, hostId }: JobPayload<'host.provision'>, message: string): Promise<void> {
    await this.failAndClean(tenantId as TenantId, hostId, `provisioning failed: ${message}`);
  }

  private read(tenant: TenantId, hostId: string): Promise<HostView | undefined> {
    return this.db.withTenant(tenant, null, (s) => this.hosts.find(s, hostId));
  }

  private tx<T>(tenant: TenantId, fn: (s: TenantScope) => Promise<T>): Promise<T> {
    return this.db.withTenant(tenant, null, fn);
  }

  /** requested → creating (the token's hash stored first) → the provider call → booting with the machine's id. */
  private async create(tenant: TenantId, host: HostView): Promise<void> {
    const token = registrationToken(this.config.MASTER_KEY, host);
    if (host.state === 'requested') {
      const expires = new Date(Date.now() + this.config.HOSTS_BOOT_TIMEOUT_MS + this.config.HOSTS_BOOTSTRAP_TIMEOUT_MS);
      const moved = await this.tx(tenant, (s) =>
        this.hosts.transition(s, host.id, ['requested'], 'creating', {
          registrationTokenHash: hashToken(token),
          registrationExpiresAt: expires,
        }),
      );
      if (!moved) return; // moved meanwhile (removed before it was created): the loop reads it again
    }
    const provider = await this.tx(tenant, (s) => this.machines.providerOf(s, host));
    const machine = await provider.create({
      region: host.region,
      ...(host.zone ? { zone: host.zone } : {}),
      instanceType: host.instanceType ?? '',
      clientToken: host.clientToken,
      tags: { tenant: host.tenantId, cluster: host.clusterId, host: host.id },
      name: host.name,
      bootstrap: {
        apiUrl: this.config.HOSTS_AGENT_API_URL,
        registrationToken: token,
        agentPackageUrl:
          this.config.HOSTS_AGENT_PACKAGE_URL ??
          `${this.config.HOSTS_AGENT_API_URL.replace(/\/+$/, '')}/api/v1/agent/wharf-agent.mjs`,
      },
    });
    const booted = await this.tx(tenant, (s) =>
      this.hosts.transition(s, host.id, ['creating'], 'booting', {
        machineId: machine.id,
        zone: machine.zone ?? host.zone,
        privateIp: machine.privateIp ?? null,
        publicIp: machine.publicIp ?? null,
      }),
    );
    if (booted) {
      this.log.info({ tenantId: tenant, hostId: host.id, machineId: machine.id }, 'host machine created');
      return;
    }
    // removed while the provider call ran: the machine it made must not outlive the host
    const now = await this.read(tenant, host.id);
    if (now && OUT.includes(now.state) && now.machineId === null) {
      await this.tx(tenant, (s) => this.hosts.record(s, host.id, OUT, { machineId: machine.id }));
      await provider.delete(host.region, machine.id);
    }
  }

  private async awaitRunning(tenant: TenantId, host: HostView): Promise<void> {
    if (!host.machineId) throw new HostStepFailed('the machine id was not recorded');
    const provider = await this.tx(tenant, (s) => this.machines.providerOf(s, host));
    const machine = await provider.observe(host.region, host.machineId);
    const decision = bootDecision(machine, Date.now() - host.stateChangedAt.getTime(), this.config.HOSTS_BOOT_TIMEOUT_MS);
    if (decision.kind === 'fail') throw new HostStepFailed(decision.reason);
    if (decision.kind === 'wait') throw new RetryLater(this.config.HOSTS_POLL_MS, `host ${host.id}: booting`);
    await this.tx(tenant, (s) =>
      this.hosts.transition(s, host.id, ['booting'], 'bootstrapping', {
        privateIp: machine?.privateIp ?? host.privateIp,
        publicIp: machine?.publicIp ?? host.publicIp,
      }),
    );
  }

  /**
   * The API moves a bootstrapping host to joining when its agent registers; an agent that came earlier is bound
   * already. A brought host's clock starts when its install command is issued (a new command restarts it), and it
   * is not given up while its install or registration token still works.
   */
  private async awaitAgent(tenant: TenantId, host: HostView): Promise<void> {
    if (host.agentId) {
      await this.tx(tenant, (s) => this.hosts.transition(s, host.id, ['bootstrapping'], 'joining'));
      return;
    }
    const waited = Date.now() - host.stateChangedAt.getTime();
    const tokenValid = host.provider === 'byo' && (host.registrationExpiresAt?.getTime() ?? 0) > Date.now();
    if (waited >= this.config.HOSTS_BOOTSTRAP_TIMEOUT_MS && !tokenValid)
      throw new HostStepFailed(`the host's agent did not register within ${Math.round(waited / 1000)} s`);
    if (host.provider === 'ssh') await this.attach(tenant, host);
    throw new RetryLater(this.config.HOSTS_POLL_MS, `host ${host.id}: waiting for its agent`);
  }

  /**
   * An `ssh` host's agent runs inside its broker: the host's registration token (derived like a created machine's,
   * so a resumed job sends the same one; its hash stored first) goes to the broker with `broker.attach`, which
   * answers once it reached the host's engine. A refusal (the host key is not the pinned one, the key is not
   * authorised) fails the host with the broker's reason.
   */
  private async attach(tenant: TenantId, host: HostView): Promise<void> {
    if (!this.broker) throw new HostStepFailed('this worker does not run broker mode');
    const token = registrationToken(this.config.MASTER_KEY, host);
    if (!host.registrationExpiresAt) {
      const expires = new Date(host.stateChangedAt.getTime() + this.config.HOSTS_BOOTSTRAP_TIMEOUT_MS);
      await this.tx(tenant, (s) =>
        this.hosts.record(s, host.id, ['bootstrapping'], {
          registrationTokenHash: hashToken(token),
          registrationExpiresAt: expires,
        }),
      );
    }
    const broker = await this.tx(tenant, (s) => brokerOf(s, host));
    if (!broker) throw new RetryLater(this.config.HOSTS_POLL_MS, `host ${host.id}: waiting for its broker to register`);
    await this.broker.attach(broker, host, token);
  }

  private async join(tenant: TenantId, host: HostView): Promise<void> {
    if (!host.privateIp)
      throw new HostStepFailed(
        host.provider === 'byo' || host.provider === 'ssh'
          ? 'the host’s agent reported no address to advertise in the Swarm (WHARF_AGENT_ADDR)'
          : 'the machine has no private address to advertise in the Swarm',
      );
    const cluster = await this.tx(tenant, (s) => this.hosts.listForCluster(s, host.clusterId));
    const plan = joinPlan(host, cluster);
    if (plan.kind === 'wait') {
      if (Date.now() - host.stateChangedAt.getTime() >= this.config.HOSTS_BOOTSTRAP_TIMEOUT_MS)
        throw new HostStepFailed('no manager of the cluster became ready to join through');
      throw new RetryLater(this.config.HOSTS_POLL_MS, `host ${host.id}: waiting for the cluster's first host`);
    }
    if (plan.kind === 'init') {
      const { nodeId } = await this.commands.swarmInit(host, host.privateIp);
      await this.tx(tenant, (s) => this.hosts.record(s, host.id, ['joining'], { swarmNodeId: nodeId, swarmRole: 'manager' }));
    } else if (plan.kind === 'join') {
      const tokens = await this.commands.joinTokens(plan.via, host);
      const { nodeId } = await this.commands.swarmJoin(host, tokens.managerAddr, tokens.worker, host.privateIp);
      await this.tx(tenant, (s) => this.hosts.record(s, host.id, ['joining'], { swarmNodeId: nodeId, swarmRole: 'worker' }));
    }
    const ready = await this.tx(tenant, (s) => this.hosts.transition(s, host.id, ['joining'], 'ready'));
    if (ready) this.log.info({ tenantId: tenant, hostId: host.id, plan: plan.kind }, 'host ready');
  }

  /** Once the cluster has 3 ready hosts it gets 3 managers: the oldest ready workers are promoted. */
  private async promote(tenant: TenantId, host: HostView): Promise<void> {
    const cluster = await this.tx(tenant, (s) => this.hosts.listForCluster(s, host.clusterId));
    for (const worker of promotions(cluster)) {
      const manager = cluster.find((h) => h.state === 'ready' && h.swarmRole === 'manager' && h.agentId);
      if (!manager) return;
      await this.commands.nodeUpdate(manager, worker, 'promote', { role: 'manager' });
      await this.tx(tenant, (s) => this.hosts.record(s, worker.id, ['ready'], { swarmRole: 'manager' }));
      this.log.info({ tenantId: tenant, hostId: worker.id }, 'host promoted to Swarm manager');
    }
  }

  /**
   * Deletes the host's machine (found by its id, or by its tags when the create call's answer was lost), revokes
   * its agent, and ends the host `failed` with the reason. A delete the provider refuses is retried by the job.
   */
  private async failAndClean(tenant: TenantId, hostId: string, reason: string): Promise<void> {
    const host = await this.read(tenant, hostId);
    if (!host || host.state === 'terminated') return;
    this.log.warn({ tenantId: tenant, hostId, reason }, 'host failed');
    await deleteMachine(this.db, this.machines, tenant, host);
    if (host.provider === 'ssh') await this.detach(tenant, host);
    if (host.agentId) await this.db.withPlatform((p) => this.agents.revoke(p, host.clusterId, host.agentId ?? ''));
    await this.tx(tenant, (s) => this.hosts.fail(s, hostId, reason));
  }

  /**
   * The broker forgets a failed `ssh` host (it may have kept it, retrying to reach it). Not waited for long: a broker
   * that does not answer gets the command when it polls next, and the host's agent is revoked anyway.
   */
  private async detach(tenant: TenantId, host: HostView): Promise<void> {
    try {
      const broker = await this.tx(tenant, (s) => brokerOf(s, host));
      // a broker that never registered was never given the host
      if (broker) await this.broker?.detach(broker, host);
    } catch (err) {
      if (!(err instanceof RetryLater) && !(err instanceof HostCommandFailed)) throw err;
      this.log.warn({ tenantId: tenant, hostId: host.id, err: err.message }, 'broker.detach of a failed host not confirmed');
    }
  }
}

/** Terminates the host's machine: by its recorded id, else any machine carrying the host's tag. Gone is done. */
export async function deleteMachine(db: Database, machines: HostProviders, tenant: TenantId, host: HostView): Promise<void> {
  // a brought or ssh host's machine is the tenant's own: Wharf never terminates it
  if (host.provider === 'byo' || host.provider === 'ssh') return;
  const provider = await db.withTenant(tenant, null, (s) => machines.providerOf(s, host));
  if (host.machineId) {
    await provider.delete(host.region, host.machineId);
    return;
  }
  if (host.state === 'requested') return;
  const tagged = await provider.list(host.region, { tenant: host.tenantId, cluster: host.clusterId });
  for (const m of tagged.filter((m) => m.tags.host === host.id)) await provider.delete(host.region, m.id);
}
