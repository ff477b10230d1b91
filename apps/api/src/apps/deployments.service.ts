import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, type Deployment, NotFoundError } from '@wharf/contracts';
import type { SecretBox } from '@wharf/crypto';
import { type AppRow, DeploymentsRepository, type TenantScope, type UserId } from '@wharf/db';
import type { JobQueues } from '@wharf/queue';
import { type AfterCommit, type ReleaseOptions, Releases, toDeployment } from '@wharf/releases';
import { QUEUES, SECRET_BOX } from '../core/tokens.js';
import { RevisionsService } from '../stacks/revisions.service.js';

/** Deployments of apps: created by the releases library (see Releases), listed, read and cancelled here. */
@Injectable()
export class DeploymentsService {
  private readonly deployments = new DeploymentsRepository();

  private readonly releases: Releases;

  constructor(@Inject(SECRET_BOX) box: SecretBox, @Inject(QUEUES) queues: JobQueues, revisions: RevisionsService) {
    this.releases = new Releases(box, queues, revisions);
  }

  /** Call with the app row locked. */
  async deploy(
    scope: TenantScope,
    app: AppRow,
    environment: string,
    by: UserId,
    options: ReleaseOptions,
    after: AfterCommit,
  ): Promise<Deployment> {
    return this.releases.deploy(scope, app, environment, by, options, after);
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
