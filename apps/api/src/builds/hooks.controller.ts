import { Controller, Inject, Req } from '@nestjs/common';
import {
  ConflictError,
  hookRoutes,
  NotFoundError,
  type RouteInput,
  type RouteOutput,
  UnauthenticatedError,
  ValidationError,
} from '@wharf/contracts';
import { AppsRepository, BuildsRepository, type Database, EnvironmentsRepository, SourcesRepository } from '@wharf/db';
import { type GitProvider, verifyWebhook } from '@wharf/git-hosting';
import type { FastifyRequest } from 'fastify';
import { CONFIG, type Config } from '../config.js';
import { Endpoint, Input } from '../core/endpoint.decorator.js';
import { DATABASE } from '../core/tokens.js';
import { BuildsService } from './builds.service.js';
import { SourcesService } from './sources.service.js';

/** Which hosting service sent a delivery, from the event header each one sets. */
function providerOf(headers: FastifyRequest['headers']): GitProvider | undefined {
  if (headers['x-github-event']) return 'github';
  if (headers['x-gitlab-event']) return 'gitlab';
  if (headers['x-gitee-event']) return 'gitee';
  return undefined;
}

/**
 * Push webhooks: one URL per app (an unguessable id) with its own secret. A delivery is checked — signature or
 * token, freshness where the provider signs a time, a delivery id never seen before — and a push to a branch that
 * environments track builds and deploys them. Anything refused changes nothing.
 */
@Controller()
export class HooksController {
  private readonly sources = new SourcesRepository();
  private readonly builds = new BuildsRepository();
  private readonly apps = new AppsRepository();
  private readonly environments = new EnvironmentsRepository();

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CONFIG) private readonly config: Config,
    private readonly sourcesService: SourcesService,
    private readonly buildsService: BuildsService,
  ) {}

  @Endpoint(hookRoutes.deliver)
  async deliver(
    @Input() input: RouteInput<typeof hookRoutes.deliver>,
    @Req() req: FastifyRequest & { rawBody?: Buffer },
  ): Promise<RouteOutput<typeof hookRoutes.deliver>> {
    const provider = providerOf(req.headers);
    if (!provider) throw new UnauthenticatedError('Not a GitHub, GitLab or Gitee webhook delivery.');
    if (!req.rawBody) {
      throw new ValidationError([{ path: 'body', message: 'a JSON body is required', code: 'required' }]);
    }
    const source = await this.db.withPlatform((s) => this.sources.findByHook(s, input.params.hook));
    if (!source) throw new NotFoundError('webhook');
    const after: (() => Promise<void>)[] = [];
    const result = await this.db.withTenant(source.tenantId, null, async (scope) => {
      const secret = this.sourcesService.hookSecret(scope, source);
      const verified = verifyWebhook(provider, { headers: req.headers, rawBody: req.rawBody as Buffer }, secret, {
        maxAgeMs: this.config.WEBHOOK_MAX_AGE_SECONDS * 1000,
      });
      if (!verified.ok) throw new UnauthenticatedError(`Delivery refused (${verified.reason}): ${verified.message}`);
      const event = verified.event;
      if (!(await this.builds.recordDelivery(scope, source.appId, event.deliveryId))) {
        throw new ConflictError(`Delivery ${event.deliveryId} was received before: a replay is not built again.`);
      }
      if ('ignored' in event) return { result: 'ignored' as const, message: `Nothing to build: ${event.ignored}.`, builds: [] };
      const app = await this.apps.lock(scope, source.appId);
      if (!app) throw new NotFoundError('webhook');
      const tracking = (await this.environments.tracking(scope, app.id, event.branch)).map((e) => e.name);
      if (tracking.length === 0) {
        return { result: 'ignored' as const, message: `No environment tracks the branch ${event.branch}.`, builds: [] };
      }
      // Gitee's signature does not cover the body: build the branch as it is now, not the commit the body names
      const commit = provider === 'gitee' ? undefined : event.commit;
      const build = await this.buildsService.start(
        scope,
        app,
        { trigger: 'webhook', branch: event.branch, commit, environments: tracking },
        null,
        (fn) => after.push(fn),
      );
      return {
        result: 'building' as const,
        message: `Building ${event.branch} for ${tracking.join(', ')}.`,
        builds: [build.id],
      };
    });
    for (const fn of after) await fn();
    return result;
  }
}
