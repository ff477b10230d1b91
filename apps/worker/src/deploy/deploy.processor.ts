import { ApplyResult, QuotaExceededError } from '@wharf/contracts';
import type { SecretBox } from '@wharf/crypto';
import {
  AppsRepository,
  admit,
  ClustersRepository,
  type Database,
  type DeploymentRow,
  DeploymentsRepository,
  FINAL_DEPLOYMENT_STATUSES,
  type TenantId,
  type TenantScope,
  TenantsRepository,
} from '@wharf/db';
import { type Bus, CHANNELS, type JobPayload, RetryLater } from '@wharf/queue';
import type { Logger } from 'pino';
import type { Commands } from '../commands.js';
import type { WorkerConfig } from '../config.js';
import { desiredReplicas, desiredStack } from '../desired.js';

/** How long a deploy waits before trying again when its tenant is at its concurrent-deploy limit. */
const BUSY_RETRY_MS = 500;
type Final = 'live' | 'failed' | 'rolled_back' | 'cancelled';

/**
 * `deploy.run`: queued → preparing (admitted against the tenant's concurrent deploys, one rollout per app) →
 * rolling out (a `stack.apply` command for the cluster's agent, which waits for Swarm's start-first update to
 * converge or roll back) → live | failed | rolled back | cancelled. Every step is persisted, the command is keyed by
 * the deployment, so a retried job (another worker, after a crash) picks the rollout up where it was.
 */
export class DeployProcessor {
  private readonly apps = new AppsRepository();
  private readonly clusters = new ClustersRepository();
  private readonly deployments = new DeploymentsRepository();
  private readonly tenants = new TenantsRepository();

  constructor(
    private readonly db: Database,
    private readonly bus: Bus,
    private readonly box: SecretBox,
    private readonly commands: Commands,
    private readonly config: WorkerConfig,
    private readonly log: Logger,
  ) {}

  async run({ tenantId, deploymentId }: JobPayload<'deploy.run'>): Promise<void> {
    const tenant = tenantId as TenantId;
    const started = await this.db.withTenant(tenant, null, (s) => this.admit(s, deploymentId));
    await this.bus.publish(CHANNELS.deployment(deploymentId));
    if (!started) return;
    const { deployment, clusterId, desired } = started;
    const command = await this.commands.send(clusterId, tenant, `deploy-${deployment.id}`, {
      kind: 'stack.apply',
      desired,
      timeoutMs: this.config.DEPLOY_TIMEOUT_MS,
    });
    if (deployment.status === 'preparing') {
      await this.step(tenant, deployment.id, (s) =>
        this.deployments.transition(s, deployment.id, 'rolling_out', `rolling out ${desired.stack.services[0]?.image ?? ''}`),
      );
    }
    const deadline = (deployment.startedAt?.getTime() ?? Date.now()) + this.config.DEPLOY_TIMEOUT_MS + 30_000;
    const outcome = await this.commands.wait(command.id, deadline, () => this.cancelRequested(tenant, deployment.id));
    if ('timedOut' in outcome) {
      return this.finish(tenant, deployment, 'failed', 'the cluster did not finish the rollout in time (is its agent running?)');
    }
    if ('interrupted' in outcome) {
      if (await this.commands.cancelPending(clusterId, command.id)) {
        return this.finish(tenant, deployment, 'cancelled', 'cancelled before the cluster started it');
      }
      const rollback = await this.commands.send(clusterId, tenant, `cancel-${deployment.id}`, {
        kind: 'stack.rollback',
        scope: desired.scope,
      });
      await this.commands.wait(rollback.id, Date.now() + 120_000, async () => undefined);
      return this.finish(tenant, deployment, 'cancelled', 'cancelled; the previous revision was restored');
    }
    const row = outcome.done;
    if (row.state === 'cancelled') return this.finish(tenant, deployment, 'cancelled', 'cancelled');
    if (row.state === 'failed') return this.finish(tenant, deployment, 'failed', row.error ?? 'the agent failed the command');
    const result = ApplyResult.safeParse(row.result);
    if (!result.success) return this.finish(tenant, deployment, 'failed', 'the agent sent an unreadable result');
    const reason = result.data.reason ?? null;
    return this.finish(
      tenant,
      deployment,
      result.data.outcome,
      reason ?? (result.data.outcome === 'live' ? 'live' : 'no reason given'),
    );
  }

  /** The job failed for good (its last attempt threw): the deployment ends `failed` with the error, visibly. */
  async gaveUp({ tenantId, deploymentId }: JobPayload<'deploy.run'>, error: string): Promise<void> {
    const tenant = tenantId as TenantId;
    const deployment = await this.db.withTenant(tenant, null, (s) => this.deployments.get(s, deploymentId));
    if (deployment) await this.finish(tenant, deployment, 'failed', `the deploy job failed: ${error}`.slice(0, 2000));
  }

  /** The admission step (in the tenant's transaction). Undefined: nothing (more) to do. */
  private async admit(s: TenantScope, deploymentId: string) {
    const deployment = await this.deployments.get(s, deploymentId, true);
    if (!deployment || FINAL_DEPLOYMENT_STATUSES.includes(deployment.status)) return undefined;
    const tenant = await this.tenants.get(s);
    const app = await this.apps.getIncludingDeleted(s, deployment.appId);
    if (!app || app.deletedAt) {
      await this.deployments.transition(s, deployment.id, 'cancelled', 'the app was deleted');
      return undefined;
    }
    if (deployment.status === 'queued') {
      if (deployment.cancelRequested) {
        await this.deployments.transition(s, deployment.id, 'cancelled', 'cancelled before it started');
        return undefined;
      }
      if (tenant.status === 'suspended') {
        await this.deployments.transition(s, deployment.id, 'failed', 'the tenant is suspended', 'the tenant is suspended');
        return undefined;
      }
      if (await this.deployments.activeForApp(s, app.id, deployment.id)) {
        throw new RetryLater(BUSY_RETRY_MS, 'another deployment of this app is rolling out');
      }
      try {
        await admit(s, { concurrentDeploys: 1 });
      } catch (err) {
        if (err instanceof QuotaExceededError)
          throw new RetryLater(BUSY_RETRY_MS, 'the tenant is at its concurrent-deploy limit');
        throw err;
      }
      const preparing = await this.deployments.transition(s, deployment.id, 'preparing', 'preparing');
      if (preparing) Object.assign(deployment, preparing);
    }
    const cluster = await this.clusters.findForTenant(s, app.clusterId);
    if (!cluster) throw new Error(`deployment ${deployment.id}: cluster ${app.clusterId} not found`);
    const desired = await desiredStack(s, this.box, { app, tenant, cluster, deployment });
    if (desiredReplicas(app, tenant) === 0) this.log.info({ deploymentId }, 'deploying a stopped app: 0 replicas');
    return { deployment, clusterId: cluster.id, desired };
  }

  private async cancelRequested(tenant: TenantId, deploymentId: string): Promise<true | undefined> {
    const row = await this.db.withTenant(tenant, null, (s) => this.deployments.get(s, deploymentId));
    return row?.cancelRequested ? true : undefined;
  }

  private async finish(tenant: TenantId, deployment: DeploymentRow, status: Final, reason: string): Promise<void> {
    await this.step(tenant, deployment.id, async (s) => {
      const done = await this.deployments.transition(
        s,
        deployment.id,
        status,
        status === 'live' ? 'live' : `${status}: ${reason}`,
        status === 'live' ? null : reason,
      );
      if (!done) return;
      const app = await this.apps.getIncludingDeleted(s, deployment.appId);
      if (!app || app.deletedAt) return;
      if (status === 'live') {
        await this.apps.update(s, app.id, { currentDeploymentId: deployment.id, status: app.stopped ? 'stopped' : 'running' });
      } else {
        await this.apps.update(s, app.id, { status: app.stopped ? 'stopped' : app.currentDeploymentId ? 'running' : 'failed' });
      }
    });
    this.log.info({ tenantId: tenant, deploymentId: deployment.id, status, reason }, 'deployment finished');
  }

  private async step(tenant: TenantId, deploymentId: string, fn: (s: TenantScope) => Promise<unknown>): Promise<void> {
    await this.db.withTenant(tenant, null, fn);
    await this.bus.publish(CHANNELS.deployment(deploymentId));
  }
}
