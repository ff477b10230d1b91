import { ConflictError, type Deployment, NotFoundError, QuotaExceededError } from '@wharf/contracts';
import { AAD, type SecretBox } from '@wharf/crypto';
import {
  type AppRow,
  admit,
  type BuildRow,
  DeploymentsRepository,
  EnvironmentsRepository,
  type TenantScope,
  type UserId,
} from '@wharf/db';
import { StackSpec, stackUsage } from '@wharf/engine';
import type { JobQueues } from '@wharf/queue';
import { builtBy, quotaAtLines, type Revision, Revisions } from './revisions.js';
import { toDeployment } from './views.js';

export interface ReleaseOptions {
  /** Redeploy an earlier revision of the environment (its stack, variables and secrets as they were). */
  rollbackTo?: string | undefined;
  /** Run the stack's integration test first. */
  test?: boolean;
  /** The build whose image to run (apps built from source); default: the one the environment runs now. */
  build?: BuildRow | undefined;
}

/** Runs `fn` once the surrounding transaction has committed (the job must not see uncommitted rows). */
export type AfterCommit = (fn: () => Promise<void>) => void;

/**
 * Deployments: each one an immutable revision of one environment (its stack as it was, its variables, its secrets
 * sealed), rolled out by the worker's `deploy.run` job. A rollback is a new deployment of an earlier revision's
 * snapshot. The environment holds the quota of the stack it deploys: a bigger stack is admitted here. Used by the
 * API (a user deploys) and by the builders (a build that succeeded deploys its image).
 */
export class Releases {
  private readonly deployments = new DeploymentsRepository();
  private readonly environments = new EnvironmentsRepository();

  constructor(
    private readonly box: SecretBox,
    private readonly queues: JobQueues,
    private readonly revisions: Revisions = new Revisions(box),
  ) {}

  /** Call with the app row locked. */
  async deploy(
    scope: TenantScope,
    app: AppRow,
    environment: string,
    by: UserId | null,
    options: ReleaseOptions,
    after: AfterCommit,
  ): Promise<Deployment> {
    const { rollbackTo, test = false } = options;
    const env = await this.environments.lock(scope, app.id, environment);
    if (!env) throw new NotFoundError('environment');
    let spec: StackSpec;
    let secretsSealed: string | null;
    let configs: Record<string, string>;
    let testSpec: StackSpec | undefined;
    let locate: Revision['locate'];
    let buildId: string | null = null;
    if (rollbackTo) {
      const earlier = await this.deployments.find(scope, app.id, rollbackTo);
      if (!earlier || earlier.environment !== environment) throw new NotFoundError('deployment');
      spec = StackSpec.parse(earlier.spec);
      secretsSealed = earlier.secretsSealed;
      configs = earlier.configs;
      buildId = earlier.buildId;
      if (test && !earlier.testSpec) throw new ConflictError('That revision was deployed without a test stage to run again.');
      testSpec = test && earlier.testSpec ? StackSpec.parse(earlier.testSpec) : undefined;
    } else {
      const build = await this.revisions.buildToRun(scope, app, env.currentDeploymentId, options.build);
      buildId = build?.id ?? null;
      const built = builtBy(app, build);
      const revision = await this.revisions.build(scope, app, env, 'deploy', built);
      spec = revision.spec;
      locate = revision.locate;
      configs = revision.configs;
      let secrets = revision.secrets;
      if (test) {
        // the test service may use secrets and configs of its own: the snapshot holds both stages' values
        const staged = await this.revisions.build(scope, app, env, 'test', built);
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
      buildId,
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
}
