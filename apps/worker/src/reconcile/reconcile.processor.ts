import { ConvergeResult, type DesiredStack, type StackScope } from '@wharf/contracts';
import type { SecretBox } from '@wharf/crypto';
import {
  BuildsRepository,
  ClustersRepository,
  type Database,
  DeploymentsRepository,
  EnvironmentsRepository,
  type TenantId,
  TenantsRepository,
} from '@wharf/db';
import type { BuildRegionName, JobPayload, JobQueues } from '@wharf/queue';
import type { Logger } from 'pino';
import type { Commands } from '../commands.js';
import type { WorkerConfig } from '../config.js';
import { testEnvironmentName } from '../deploy/test-stage.js';
import { desiredStack } from '../desired.js';

/** How long one reconcile pass waits for the agent. */
const CONVERGE_WAIT_MS = 60_000;

/**
 * `reconcile.sweep` (every RECONCILE_INTERVAL_MS): marks clusters whose agents went silent unreachable, enqueues
 * one `reconcile.cluster` per reachable cluster, and enqueues again deployments whose job was lost. `reconcile.cluster`: sends the cluster's agent every live app's
 * stack (`cluster.converge`): the agent recreates what was removed, restores replica counts changed by hand,
 * recreates lost networks, and prunes Wharf objects no app owns. Environments with a rollout in progress are left
 * alone.
 */
export class ReconcileProcessor {
  private readonly environments = new EnvironmentsRepository();
  private readonly clusters = new ClustersRepository();
  private readonly deployments = new DeploymentsRepository();
  private readonly builds = new BuildsRepository();
  private readonly tenants = new TenantsRepository();

  constructor(
    private readonly db: Database,
    private readonly box: SecretBox,
    private readonly commands: Commands,
    private readonly queues: JobQueues,
    private readonly config: WorkerConfig,
    private readonly log: Logger,
  ) {}

  async sweep(): Promise<void> {
    const clusters = await this.db.withPlatform(async (p) => {
      const silent = await this.clusters.markUnreachable(p, this.config.CLUSTER_SILENT_MS);
      if (silent.length) this.log.warn({ clusters: silent }, 'clusters unreachable: their agents stopped reporting');
      return this.clusters.listAll(p);
    });
    const round = Math.floor(Date.now() / this.config.RECONCILE_INTERVAL_MS);
    for (const cluster of clusters.filter((c) => c.status === 'ready')) {
      await this.queues.enqueue('reconcile.cluster', { clusterId: cluster.id, round });
    }
    // deployments whose job never reached the queue (the API died between its commit and the enqueue)
    const stale = await this.db.withPlatform((p) => this.deployments.staleQueued(p, this.config.STALE_QUEUED_MS));
    for (const d of stale) await this.queues.enqueue('deploy.run', { tenantId: d.tenantId, deploymentId: d.id });
    // the same for builds (enqueueing is idempotent: a build whose job exists is left alone)
    const builds = await this.db.withPlatform((p) => this.builds.staleQueued(p, this.config.STALE_QUEUED_MS));
    for (const b of builds) {
      await this.queues.enqueue('build.run', { tenantId: b.tenantId, buildId: b.id, region: b.region as BuildRegionName });
    }
  }

  async cluster({ clusterId, round }: JobPayload<'reconcile.cluster'>): Promise<void> {
    // the agent has not finished the last pass (busy, or gone): don't pile passes up behind it
    if (await this.commands.hasOpen(clusterId, 'cluster.converge')) return;
    const envs = await this.db.withPlatform((p) => this.environments.listOnCluster(p, clusterId));
    const stacks: DesiredStack[] = [];
    const keep: StackScope[] = [];
    for (const env of envs) {
      const { app } = env;
      const scope: StackScope = { tenantId: app.tenantId, app: app.slug, environment: env.name };
      const current = env.currentDeploymentId;
      const stack = await this.db.withTenant(app.tenantId as TenantId, null, async (s) => {
        if (!current || (await this.deployments.activeFor(s, app.id, env.name, current))) return undefined;
        const deployment = await this.deployments.get(s, current);
        const cluster = await this.clusters.findForTenant(s, clusterId);
        if (!deployment || !cluster) return undefined;
        return desiredStack(s, this.box, { app, env, tenant: await this.tenants.get(s), cluster, deployment });
      });
      if (stack) stacks.push(stack);
      else keep.push(scope);
    }
    // integration tests running on the cluster: their temporary stacks are not orphans
    for (const d of await this.db.withPlatform((p) => this.deployments.testingOnCluster(p, clusterId))) {
      keep.push({ tenantId: d.tenantId, app: d.app, environment: testEnvironmentName(d.id) });
    }
    const command = await this.commands.send(clusterId, null, `reconcile-${clusterId}-${round}`, {
      kind: 'cluster.converge',
      stacks,
      prune: true,
      keep,
    });
    const outcome = await this.commands.wait(command.id, Date.now() + CONVERGE_WAIT_MS, async () => undefined);
    if (!('done' in outcome)) {
      // a pass the agent never took would be stale by the time it did: withdraw it
      await this.commands.cancelPending(clusterId, command.id);
      this.log.warn({ clusterId }, 'reconcile: the agent did not answer in time');
      return;
    }
    const result = ConvergeResult.safeParse(outcome.done.result);
    if (outcome.done.state !== 'succeeded' || !result.success) {
      this.log.error({ clusterId, error: outcome.done.error }, 'reconcile failed');
      return;
    }
    const { created, updated, removed } = result.data;
    if (created.length + updated.length + removed.length > 0) {
      this.log.warn({ clusterId, created, updated, removed }, 'reconcile repaired drift');
    }
  }
}
