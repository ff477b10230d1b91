import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, type Deployment, NotFoundError } from '@wharf/contracts';
import { AAD, type SecretBox } from '@wharf/crypto';
import { type AppRow, AppsRepository, DeploymentsRepository, type TenantScope, type UserId } from '@wharf/db';
import { imageAppStack } from '@wharf/engine';
import type { JobQueues } from '@wharf/queue';
import { QUEUES, SECRET_BOX } from '../core/tokens.js';
import { toDeployment } from './app-views.js';

type After = (fn: () => Promise<void>) => void;

/**
 * Deployments: each one an immutable revision (the app's stack as it was, its variables, its secrets sealed), rolled
 * out by the worker's `deploy.run` job. A rollback is a new deployment of an earlier revision's snapshot.
 */
@Injectable()
export class DeploymentsService {
  private readonly apps = new AppsRepository();
  private readonly deployments = new DeploymentsRepository();

  constructor(
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    @Inject(QUEUES) private readonly queues: JobQueues,
  ) {}

  /** Call with the app row locked. */
  async deploy(scope: TenantScope, app: AppRow, by: UserId, rollbackTo: string | undefined, after: After): Promise<Deployment> {
    let spec: unknown;
    let secretsSealed: string | null;
    if (rollbackTo) {
      const earlier = await this.deployments.find(scope, app.id, rollbackTo);
      if (!earlier) throw new NotFoundError('deployment');
      spec = earlier.spec;
      secretsSealed = earlier.secretsSealed;
    } else {
      const variables = await this.apps.variables(scope, app.id);
      const secrets = Object.fromEntries(
        variables
          .filter((v) => v.secret && v.valueSealed)
          .map((v) => [v.key, this.box.open(v.valueSealed ?? '', AAD.variable(scope.tenantId, app.id, v.key))]),
      );
      spec = imageAppStack({
        service: app.service,
        image: app.image,
        httpPort: app.httpPort,
        command: app.command,
        healthcheck: app.healthcheck as Parameters<typeof imageAppStack>[0]['healthcheck'],
        replicas: app.replicas,
        cpuMillis: app.cpuMillis,
        memoryMiB: app.memoryMib,
        env: Object.fromEntries(variables.filter((v) => !v.secret).map((v) => [v.key, v.value ?? ''])),
        secretKeys: Object.keys(secrets),
      });
      secretsSealed = this.box.seal(JSON.stringify(secrets), AAD.deploymentSecrets(scope.tenantId, app.id));
    }
    const row = await this.deployments.create(scope, {
      appId: app.id,
      spec,
      secretsSealed,
      rollbackOf: rollbackTo ?? null,
      createdBy: by,
    });
    await this.deployments.event(scope, row.id, 'status', rollbackTo ? `queued (rollback to ${rollbackTo})` : 'queued');
    if (app.status !== 'stopped') await this.apps.setStatus(scope, app.id, 'deploying');
    after(async () => void (await this.queues.enqueue('deploy.run', { tenantId: scope.tenantId, deploymentId: row.id })));
    return toDeployment(row);
  }

  async list(scope: TenantScope, appId: string, page: { limit: number; cursor?: string | undefined }) {
    const result = await this.deployments.list(scope, appId, page);
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

  async cancelAll(scope: TenantScope, appId: string): Promise<void> {
    const page = await this.deployments.list(scope, appId, { limit: 100 });
    for (const d of page.items) {
      if (d.status === 'queued' || d.status === 'preparing' || d.status === 'rolling_out') {
        await this.deployments.requestCancel(scope, d.id);
        if (d.status === 'queued') await this.deployments.transition(scope, d.id, 'cancelled', 'the app was deleted');
      }
    }
  }
}
