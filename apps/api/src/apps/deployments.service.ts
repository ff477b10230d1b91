import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, type Deployment, NotFoundError, QuotaExceededError } from '@wharf/contracts';
import { AAD, type SecretBox } from '@wharf/crypto';
import { type AppRow, admit, DeploymentsRepository, EnvironmentsRepository, type TenantScope, type UserId } from '@wharf/db';
import { StackSpec, stackUsage } from '@wharf/engine';
import type { JobQueues } from '@wharf/queue';
import { QUEUES, SECRET_BOX } from '../core/tokens.js';
import { quotaAtLines, type Revision, RevisionsService } from '../stacks/revisions.service.js';
import { toDeployment } from './app-views.js';

type After = (fn: () => Promise<void>) => void;

/**
 * Deployments: each one an immutable revision of one environment (its stack as it was, its variables, its secrets
 * sealed), rolled out by the worker's `deploy.run` job. A rollback is a new deployment of an earlier revision's
 * snapshot. The environment holds the quota of the stack it deploys: a bigger stack is admitted here.
 */
@Injectable()
export class DeploymentsService {
  private readonly deployments = new DeploymentsRepository();
  private readonly environments = new EnvironmentsRepository();

  constructor(
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    @Inject(QUEUES) private readonly queues: JobQueues,
    private readonly revisions: RevisionsService,
  ) {}

  /** Call with the app row locked. */
  async deploy(
    scope: TenantScope,
    app: AppRow,
    environment: string,
    by: UserId,
    rollbackTo: string | undefined,
    after: After,
    test = false,
  ): Promise<Deployment> {
    const env = await this.environments.lock(scope, app.id, environment);
    if (!env) throw new NotFoundError('environment');
    let spec: StackSpec;
    let secretsSealed: string | null;
    let configs: Record<string, string>;
    let testSpec: StackSpec | undefined;
    let locate: Revision['locate'];
    if (rollbackTo) {
      const earlier = await this.deployments.find(scope, app.id, rollbackTo);
      if (!earlier || earlier.environment !== environment) throw new NotFoundError('deployment');
      spec = StackSpec.parse(earlier.spec);
      secretsSealed = earlier.secretsSealed;
      configs = earlier.configs;
      if (test && !earlier.testSpec) throw new ConflictError('That revision was deployed without a test stage to run again.');
      testSpec = test && earlier.testSpec ? StackSpec.parse(earlier.testSpec) : undefined;
    } else {
      const revision = await this.revisions.build(scope, app, env);
      spec = revision.spec;
      locate = revision.locate;
      configs = revision.configs;
      let secrets = revision.secrets;
      if (test) {
        // the test service may use secrets and configs of its own: the snapshot holds both stages' values
        const staged = await this.revisions.build(scope, app, env, 'test');
        testSpec = staged.spec;
        secrets = { ...staged.secrets, ...secrets };
        configs = { ...staged.configs, ...configs };
      }
      secretsSealed = this.box.seal(JSON.stringify(secrets), AAD.deploymentSecrets(scope.tenantId, app.id));
    }
    const usage = stackUsage(spec);
    await admit(scope, {
      services: usage.services - env.services,
      ...(app.stopped ? {} : { cpuMillis: usage.cpuMillis - env.cpuMillis, memoryMiB: usage.memoryMiB - env.memoryMib }),
    }).catch((err: unknown) => {
      throw locate && err instanceof QuotaExceededError ? quotaAtLines(err, spec, locate) : err;
    });
    if (testSpec) {
      // the temporary stack of the integration stage runs next to everything else for a while: it must fit too
      const extra = stackUsage(testSpec);
      await admit(scope, { cpuMillis: extra.cpuMillis, memoryMiB: extra.memoryMiB });
    }
    const row = await this.deployments.create(scope, {
      appId: app.id,
      environment,
      spec,
      secretsSealed,
      configs,
      ...(testSpec ? { testSpec } : {}),
      rollbackOf: rollbackTo ?? null,
      createdBy: by,
    });
    await this.deployments.event(scope, row.id, 'status', rollbackTo ? `queued (rollback to ${rollbackTo})` : 'queued');
    await this.environments.update(scope, app.id, environment, {
      status: 'deploying',
      services: usage.services,
      cpuMillis: usage.cpuMillis,
      memoryMib: usage.memoryMiB,
    });
    after(async () => void (await this.queues.enqueue('deploy.run', { tenantId: scope.tenantId, deploymentId: row.id })));
    return toDeployment(row);
  }

  async list(scope: TenantScope, appId: string, page: { limit: number; cursor?: string | undefined }, environment?: string) {
    const result = await this.deployments.list(scope, appId, page, environment);
    return { items: result.items.map(toDeployment), nextCursor: result.nextCursor };
  }

  async get(scope: TenantScope, appId: string, id: string): Promise<Deployment> {
    const row = await this.deployments.find(scope, appId, id);
    if (!row) throw new NotFoundError('deployment');
    return toDeployment(row);
  }

  /** Queued deployments end at once (the worker sees the flag); one rolling out is rolled back by the worker. */
  async cancel(scope: TenantScope, appId: string, id: string): Promise<Deployment> {
    const row = await this.deployments.find(scope, appId, id);
    if (!row) throw new NotFoundError('deployment');
    const flagged = await this.deployments.requestCancel(scope, id);
    if (!flagged) throw new ConflictError(`The deployment has already ended (${row.status}).`);
    if (flagged.status === 'queued') {
      return toDeployment((await this.deployments.transition(scope, id, 'cancelled', 'cancelled before it started')) ?? flagged);
    }
    await this.deployments.event(scope, id, 'status', 'cancel requested');
    return toDeployment(flagged);
  }

  /** Cancels every unfinished deployment of the app (of one environment when named). */
  async cancelAll(scope: TenantScope, appId: string, environment?: string): Promise<void> {
    const page = await this.deployments.list(scope, appId, { limit: 100 }, environment);
    for (const d of page.items) {
      if (d.status === 'queued' || d.status === 'preparing' || d.status === 'rolling_out') {
        await this.deployments.requestCancel(scope, d.id);
        if (d.status === 'queued') await this.deployments.transition(scope, d.id, 'cancelled', 'the app was deleted');
      }
    }
  }
}
