import { AgentsRepository, type Database, HostsRepository, type HostView, type TenantId, type TenantScope } from '@wharf/db';
import { type JobPayload, RetryLater } from '@wharf/queue';
import type { Logger } from 'pino';
import type { WorkerConfig } from '../config.js';
import { deleteMachine } from './host.processor.js';
import { brokerOf, type HostBroker } from './host-broker.js';
import { HostCommandFailed, type HostSwarm } from './host-commands.js';
import type { HostProviders } from './host-machines.js';
import { deprovisionStep, drained, leavePlan, managerOtherThan } from './host-steps.js';

/**
 * `host.deprovision`: ready → draining (availability drain through a manager; node.status polled until no task
 * runs or stops there) → leaving (a manager is demoted first; swarm.leave on the host's own agent; node.remove
 * through another manager) → terminating (the machine deleted — an `ssh` host's is the tenant's: its broker lets
 * go of it instead —, the agent's credential revoked) → terminated.
 * A host not yet in the Swarm goes straight to terminating; one never created ends at once. Each run continues from
 * the persisted state. A Swarm step that cannot finish before its deadline (the host's agent is dead, the machine
 * gone) is skipped: what matters is that the machine is terminated and nothing of it is left.
 */
export class HostDeprovisionProcessor {
  private readonly hosts = new HostsRepository();
  private readonly agents = new AgentsRepository();

  constructor(
    private readonly db: Database,
    private readonly machines: HostProviders,
    private readonly commands: HostSwarm,
    private readonly config: WorkerConfig,
    private readonly log: Logger,
    /** Broker mode: an `ssh` host is detached from its broker before its agent is revoked. */
    private readonly broker?: HostBroker,
  ) {}

  async deprovision({ tenantId, hostId }: JobPayload<'host.deprovision'>): Promise<void> {
    const tenant = tenantId as TenantId;
    for (;;) {
      const host = await this.tx(tenant, (s) => this.hosts.find(s, hostId));
      if (!host) return;
      const step = deprovisionStep(host);
      switch (step.kind) {
        case 'done':
          return;
        case 'end-now':
          await this.tx(tenant, (s) => this.hosts.transition(s, hostId, ['requested'], 'terminated'));
          break;
        case 'terminate':
          await this.tx(tenant, (s) => this.hosts.transition(s, hostId, [host.state], 'terminating'));
          break;
        case 'drain':
          await this.tx(tenant, (s) => this.hosts.transition(s, hostId, [host.state], 'draining'));
          break;
        case 'await-drained':
          await this.awaitDrained(tenant, host);
          break;
        case 'leave':
          await this.leave(tenant, host);
          break;
        case 'delete-machine':
          await this.terminate(tenant, host);
          break;
      }
    }
  }

  private tx<T>(tenant: TenantId, fn: (s: TenantScope) => Promise<T>): Promise<T> {
    return this.db.withTenant(tenant, null, fn);
  }

  private overdue(host: HostView): boolean {
    return Date.now() - host.stateChangedAt.getTime() >= this.config.HOSTS_DRAIN_TIMEOUT_MS;
  }

  private async awaitDrained(tenant: TenantId, host: HostView): Promise<void> {
    const cluster = await this.tx(tenant, (s) => this.hosts.listForCluster(s, host.clusterId));
    // the host's own engine may drain itself when it is the last manager
    const manager = managerOtherThan(host, cluster) ?? (host.swarmRole === 'manager' ? host : undefined);
    const done = await this.orSkip(host, 'drain', async () => {
      if (!manager) return true;
      await this.commands.nodeUpdate(manager, host, 'drain', { availability: 'drain' });
      const slot = Math.floor(Date.now() / this.config.HOSTS_POLL_MS);
      return drained(await this.commands.nodeStatus(manager, host, slot));
    });
    if (!done) {
      if (!this.overdue(host)) throw new RetryLater(this.config.HOSTS_POLL_MS, `host ${host.id}: draining`);
      this.log.warn({ tenantId: tenant, hostId: host.id }, 'host drain timed out: tasks still on it are stopped with it');
    }
    await this.tx(tenant, (s) => this.hosts.transition(s, host.id, ['draining'], 'leaving'));
  }

  private async leave(tenant: TenantId, host: HostView): Promise<void> {
    const cluster = await this.tx(tenant, (s) => this.hosts.listForCluster(s, host.clusterId));
    const plan = leavePlan(host, cluster);
    await this.orSkip(host, 'leave', async () => {
      if (plan.demote && plan.via) await this.commands.nodeUpdate(plan.via, host, 'demote', { role: 'worker' });
      if (host.agentId) await this.commands.swarmLeave(host, plan.force);
      if (plan.via) await this.commands.nodeRemove(plan.via, host);
      return true;
    });
    await this.tx(tenant, (s) => this.hosts.transition(s, host.id, ['leaving'], 'terminating'));
  }

  private async terminate(tenant: TenantId, host: HostView): Promise<void> {
    await deleteMachine(this.db, this.machines, tenant, host);
    if (host.provider === 'ssh' && this.broker) {
      const broker = this.broker;
      // the broker stops the host's agent and forgets the host (skipped past the deadline: the revocation stops it)
      await this.orSkip(host, 'broker detach', async () => {
        const target = await this.tx(tenant, (s) => brokerOf(s, host));
        // a broker that never registered was never given the host
        if (target) await broker.detach(target, host);
        return true;
      });
    }
    if (host.agentId) await this.db.withPlatform((p) => this.agents.revoke(p, host.clusterId, host.agentId ?? ''));
    const ended = await this.tx(tenant, (s) => this.hosts.transition(s, host.id, ['terminating'], 'terminated'));
    if (ended) this.log.info({ tenantId: tenant, hostId: host.id }, 'host terminated');
  }

  /**
   * Runs a Swarm step; past the step's deadline, or when an agent refuses it, the step is skipped (answers true) so
   * the machine still gets terminated. Before the deadline a step still waiting puts the job back (RetryLater).
   */
  private async orSkip(host: HostView, what: string, step: () => Promise<boolean>): Promise<boolean> {
    try {
      return await step();
    } catch (err) {
      const waiting = err instanceof RetryLater;
      if (!waiting && !(err instanceof HostCommandFailed)) throw err;
      if (waiting && !this.overdue(host)) throw err;
      this.log.warn({ tenantId: host.tenantId, hostId: host.id, err: (err as Error).message }, `host ${what} skipped`);
      return true;
    }
  }
}
