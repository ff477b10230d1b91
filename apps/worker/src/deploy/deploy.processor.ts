import { ApplyResult, type DesiredStack, QuotaExceededError } from '@wharf/contracts';
import type { SecretBox } from '@wharf/crypto';
import {
  AppsRepository,
  admit,
  ClustersRepository,
  type Database,
  type DeploymentRow,
  DeploymentsRepository,
  EnvironmentsRepository,
  FINAL_DEPLOYMENT_STATUSES,
  type TenantId,
  type TenantScope,
  TenantsRepository,
} from '@wharf/db';
import { StackSpec, stackUsage } from '@wharf/engine';
import { type Bus, CHANNELS, type JobPayload, RetryLater } from '@wharf/queue';
import type { Logger } from 'pino';
import type { Commands } from '../commands.js';
import type { WorkerConfig } from '../config.js';
import { desiredStack } from '../desired.js';
import { runTestStage } from './test-stage.js';

/** `127.0.0.1:5000/team/web:2` for a one-service stack; the service names of a bigger one. */
function rolloutSummary(desired: { stack: { services: { name: string; image: string }[] } }): string {
  const services = desired.stack.services;
  if (services.length === 1) return services[0]?.image ?? '';
  return `${services.length} services (${services.map((x) => x.name).join(', ')})`;
}

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
  private readonly environments = new EnvironmentsRepository();
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
    if (deployment.testSpec && (deployment.status === 'preparing' || deployment.status === 'testing')) {
      const passed = await this.testStage(tenant, deployment, clusterId, desired);
      if (!passed) return;
    }
    const command = await this.commands.send(clusterId, tenant, `deploy-${deployment.id}`, {
      kind: 'stack.apply',
      desired,
      timeoutMs: this.config.DEPLOY_TIMEOUT_MS,
    });
    if (deployment.status === 'preparing' || deployment.status === 'testing') {
      await this.step(tenant, deployment.id, (s) =>
        this.deployments.transition(s, deployment.id, 'rolling_out', `rolling out ${rolloutSummary(desired)}`),
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

  /** The integration stage; false when the deployment ended there (the test failed, or it was cancelled). */
  private async testStage(
    tenant: TenantId,
    deployment: DeploymentRow,
    clusterId: string,
    desired: DesiredStack,
  ): Promise<boolean> {
    if (deployment.status === 'preparing') {
      await this.step(tenant, deployment.id, (s) =>
        this.deployments.transition(s, deployment.id, 'testing', 'testing: running the stack’s test service'),
      );
    }
    const stage = await runTestStage(
      this.commands,
      { clusterId, tenantId: tenant, desired, testSpec: deployment.testSpec, timeoutMs: this.config.DEPLOY_TIMEOUT_MS },
      () => this.cancelRequested(tenant, deployment.id),
    );
    await this.step(tenant, deployment.id, async (s) => {
      await this.deployments.recordTest(s, deployment.id, stage.result);
      for (const line of stage.logs) await this.deployments.event(s, deployment.id, 'log', `test | ${line}`);
    });
    if (stage.result.passed) return true;
    if (stage.result.reason === 'cancelled')
      await this.finish(tenant, deployment, 'cancelled', 'cancelled during its integration test');
    else await this.finish(tenant, deployment, 'failed', `integration test failed: ${stage.result.reason ?? 'no reason given'}`);
    return false;
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
    const env = app && (await this.environments.find(s, app.id, deployment.environment));
    if (!app || app.deletedAt || !env) {
      await this.deployments.transition(
        s,
        deployment.id,
        'cancelled',
        `the ${app && !app.deletedAt ? 'environment' : 'app'} was deleted`,
      );
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
      if (await this.deployments.activeFor(s, app.id, env.name, deployment.id)) {
        throw new RetryLater(BUSY_RETRY_MS, `another deployment of this app's ${env.name} environment is rolling out`);
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
    const desired = await desiredStack(s, this.box, { app, env, tenant, cluster, deployment });
    if (app.stopped) this.log.info({ deploymentId }, 'deploying a stopped app: 0 replicas');
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
      const env = await this.environments.find(s, deployment.appId, deployment.environment);
      if (!env) return;
      if (status === 'live') {
        await this.environments.update(s, env.appId, env.name, { currentDeploymentId: deployment.id, status: 'running' });
      } else if (env.currentDeploymentId) {
        // the environment keeps running its current revision: it holds that revision's quota again
        const current = await this.deployments.get(s, env.currentDeploymentId);
        const usage = current ? stackUsage(StackSpec.parse(current.spec)) : undefined;
        await this.environments.update(s, env.appId, env.name, {
          status: 'running',
          ...(usage ? { services: usage.services, cpuMillis: usage.cpuMillis, memoryMib: usage.memoryMiB } : {}),
        });
      } else {
        await this.environments.update(s, env.appId, env.name, { status: 'failed' });
      }
    });
    this.log.info({ tenantId: tenant, deploymentId: deployment.id, status, reason }, 'deployment finished');
  }

  private async step(tenant: TenantId, deploymentId: string, fn: (s: TenantScope) => Promise<unknown>): Promise<void> {
    await this.db.withTenant(tenant, null, fn);
    await this.bus.publish(CHANNELS.deployment(deploymentId));
  }
}
