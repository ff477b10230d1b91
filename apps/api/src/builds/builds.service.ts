import { Inject, Injectable } from '@nestjs/common';
import { validateBranchName } from '@wharf/build';
import {
  type Build,
  ConflictError,
  DEFAULT_ENVIRONMENT,
  NotFoundError,
  RateLimitedError,
  ValidationError,
} from '@wharf/contracts';
import {
  type AppRow,
  admit,
  type BuildRow,
  BuildsRepository,
  type BuildTrigger,
  EnvironmentsRepository,
  SourcesRepository,
  type TenantScope,
  type UserId,
} from '@wharf/db';
import type { JobQueues } from '@wharf/queue';
import type { AfterCommit } from '@wharf/releases';
import { CONFIG, type Config } from '../config.js';
import { QUEUES } from '../core/tokens.js';
import { toBuild } from './build-views.js';

export interface BuildRequest {
  trigger: BuildTrigger;
  /** Git builds: the branch (default: the one production tracks, else `main`) and optionally the exact commit. */
  branch?: string | undefined;
  commit?: string | undefined;
  /** Where the image goes when the build succeeds (default: the environments tracking the branch, else production). */
  environments?: string[] | undefined;
  /** An uploaded source archive instead of the repository (`wharf deploy`). */
  upload?: Buffer;
}

/**
 * Builds of apps from source: admitted (the app builds from source, the tenant has build minutes left and is under
 * its backlog cap), recorded, and handed to the builders of the app's region (`build.run`). The builders enforce the
 * concurrent-build limit and fairness between tenants; a build that succeeds deploys its image.
 */
@Injectable()
export class BuildsService {
  private readonly builds = new BuildsRepository();
  private readonly sources = new SourcesRepository();
  private readonly environments = new EnvironmentsRepository();

  constructor(
    @Inject(QUEUES) private readonly queues: JobQueues,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** Call with the app row locked (builds are numbered per app). */
  async start(scope: TenantScope, app: AppRow, request: BuildRequest, by: UserId | null, after: AfterCommit): Promise<Build> {
    if (app.kind === 'image') throw new ConflictError('The app runs an image: it has nothing to build.');
    const source = await this.sources.find(scope, app.id);
    if (!source && !request.upload) throw new ConflictError('The app has no git source yet: set its repository first.');
    if (request.upload && app.kind === 'compose') {
      throw new ConflictError('A compose stack builds from its git source, not from an upload: push to the repository.');
    }
    let branch: string | null = null;
    if (!request.upload) {
      const production = await this.environments.find(scope, app.id, DEFAULT_ENVIRONMENT);
      branch = request.branch ?? production?.branch ?? 'main';
      const bad = validateBranchName(branch);
      if (bad) throw new ValidationError([{ path: 'body.branch', message: bad, code: 'invalid' }]);
    }
    const environments = await this.targets(scope, app, branch, request.environments);
    if ((await this.builds.countUnfinished(scope)) >= this.config.BUILD_BACKLOG_PER_TENANT) {
      throw new RateLimitedError(60);
    }
    // a build needs at least one minute left this month; the builder stops it when the minutes run out
    await admit(scope, { buildMinutesPerMonth: 1 });
    const row = await this.builds.create(scope, {
      appId: app.id,
      kind: request.upload ? 'upload' : 'git',
      trigger: request.trigger,
      region: source?.region ?? 'global',
      repository: request.upload ? null : (source?.repository ?? null),
      branch,
      commit: request.commit ?? null,
      environments,
      createdBy: by,
    });
    if (request.upload) await this.builds.putUpload(scope, row.id, request.upload);
    after(async () => {
      await this.queues.enqueue('build.run', { tenantId: scope.tenantId, buildId: row.id, region: row.region as 'global' });
    });
    return toBuild(row);
  }

  async list(scope: TenantScope, appId: string, page: { limit: number; cursor?: string | undefined }) {
    const result = await this.builds.list(scope, appId, page);
    return { items: result.items.map(toBuild), nextCursor: result.nextCursor };
  }

  async findBuild(scope: TenantScope, appId: string, id: string): Promise<BuildRow> {
    const row = await this.builds.find(scope, appId, id);
    if (!row) throw new NotFoundError('build');
    return row;
  }

  async get(scope: TenantScope, appId: string, id: string): Promise<Build> {
    return toBuild(await this.findBuild(scope, appId, id));
  }

  /** A queued build ends at once; a running one is stopped by its builder (which watches the flag). */
  async cancel(scope: TenantScope, appId: string, id: string): Promise<Build> {
    const row = await this.findBuild(scope, appId, id);
    const flagged = await this.builds.requestCancel(scope, id);
    if (!flagged) throw new ConflictError(`The build has already ended (${row.status}).`);
    if (flagged.status === 'queued') {
      const ended = await this.builds.transition(scope, id, 'cancelled', { reason: 'cancelled before it started' });
      await this.builds.dropUpload(scope, id);
      return toBuild(ended ?? flagged);
    }
    return toBuild(flagged);
  }

  private async targets(scope: TenantScope, app: AppRow, branch: string | null, asked: string[] | undefined): Promise<string[]> {
    if (asked) {
      for (const [i, name] of asked.entries()) {
        if (!(await this.environments.find(scope, app.id, name))) {
          throw new ValidationError([{ path: `body.environments.${i}`, message: 'no such environment', code: 'not_found' }]);
        }
      }
      return [...new Set(asked)];
    }
    const tracking = branch ? (await this.environments.tracking(scope, app.id, branch)).map((e) => e.name) : [];
    return tracking.length > 0 ? tracking : [DEFAULT_ENVIRONMENT];
  }
}
