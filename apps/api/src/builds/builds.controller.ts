import { Controller, Headers, Req, Res } from '@nestjs/common';
import { buildRoutes, type RouteInput, type RouteOutput, sourceRoutes, ValidationError } from '@wharf/contracts';
import type { TenantScope } from '@wharf/db';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppsService } from '../apps/apps.service.js';
import { openEventStream, StreamsService } from '../apps/streams.service.js';
import { Caller, Endpoint, Input, Scope, State } from '../core/endpoint.decorator.js';
import type { Principal } from '../core/principal.js';
import { afterCommit, type RequestState } from '../core/request-state.js';
import { BuildsService } from './builds.service.js';
import { SourcesService } from './sources.service.js';

/** An app's git source, its builds (from the repository or an uploaded archive), their logs, cancel. */
@Controller()
export class BuildsController {
  constructor(
    private readonly apps: AppsService,
    private readonly sources: SourcesService,
    private readonly builds: BuildsService,
    private readonly streams: StreamsService,
  ) {}

  @Endpoint(sourceRoutes.get)
  async getSource(@Scope() scope: TenantScope, @Input() input: RouteInput<typeof sourceRoutes.get>) {
    return this.sources.view(scope, await this.apps.find(scope, input.params.app));
  }

  @Endpoint(sourceRoutes.set)
  async setSource(@Scope() scope: TenantScope, @Input() input: RouteInput<typeof sourceRoutes.set>) {
    return this.sources.set(scope, await this.apps.locked(scope, input.params.app), input.body);
  }

  @Endpoint(sourceRoutes.rotateHook)
  async rotateHook(@Scope() scope: TenantScope, @Input() input: RouteInput<typeof sourceRoutes.rotateHook>) {
    return this.sources.rotateHook(scope, await this.apps.locked(scope, input.params.app));
  }

  @Endpoint(buildRoutes.list)
  async list(@Scope() scope: TenantScope, @Input() input: RouteInput<typeof buildRoutes.list>) {
    return this.builds.list(scope, (await this.apps.find(scope, input.params.app)).id, input.query);
  }

  @Endpoint(buildRoutes.create)
  async create(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Caller() caller: Principal,
    @Input() input: RouteInput<typeof buildRoutes.create>,
  ): Promise<RouteOutput<typeof buildRoutes.create>> {
    const app = await this.apps.locked(scope, input.params.app);
    state.auditTarget = `app=${app.slug}`;
    const { branch, commit, environments } = input.body;
    const after = (fn: () => Promise<void>) => afterCommit(state, fn);
    return this.builds.start(scope, app, { trigger: 'manual', branch, commit, environments }, caller.userId, after);
  }

  @Endpoint(buildRoutes.upload)
  async upload(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Caller() caller: Principal,
    @Input() input: RouteInput<typeof buildRoutes.upload>,
    @Req() req: FastifyRequest,
  ): Promise<RouteOutput<typeof buildRoutes.upload>> {
    const app = await this.apps.locked(scope, input.params.app);
    const archive = req.body;
    if (!Buffer.isBuffer(archive) || archive.length === 0) {
      throw new ValidationError([
        { path: 'body', message: 'send the source as a gzip-compressed tar (Content-Type: application/gzip)', code: 'required' },
      ]);
    }
    if (archive[0] !== 0x1f || archive[1] !== 0x8b) {
      throw new ValidationError([{ path: 'body', message: 'not a gzip-compressed archive', code: 'invalid' }]);
    }
    state.auditTarget = `app=${app.slug} upload=${archive.length}B`;
    const environments = input.query.environment ? [input.query.environment] : undefined;
    const after = (fn: () => Promise<void>) => afterCommit(state, fn);
    return this.builds.start(scope, app, { trigger: 'cli', environments, upload: archive }, caller.userId, after);
  }

  @Endpoint(buildRoutes.get)
  async get(@Scope() scope: TenantScope, @Input() input: RouteInput<typeof buildRoutes.get>) {
    return this.builds.get(scope, (await this.apps.find(scope, input.params.app)).id, input.params.build);
  }

  @Endpoint(buildRoutes.cancel)
  async cancel(@Scope() scope: TenantScope, @Input() input: RouteInput<typeof buildRoutes.cancel>) {
    return this.builds.cancel(scope, (await this.apps.find(scope, input.params.app)).id, input.params.build);
  }

  @Endpoint(buildRoutes.logs)
  async logs(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Input() input: RouteInput<typeof buildRoutes.logs>,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const app = await this.apps.find(scope, input.params.app);
    const build = await this.builds.findBuild(scope, app.id, input.params.build);
    const after = lastEventId && /^\d{1,9}$/.test(lastEventId) ? Number(lastEventId) : -1;
    afterCommit(state, async () => {
      reply.hijack();
      openEventStream(reply.raw);
      this.streams.buildLog(reply.raw, scope.tenantId, build.id, after);
    });
  }
}
