import { Module } from '@nestjs/common';
import { BuildsController } from '../builds/builds.controller.js';
import { BuildsService } from '../builds/builds.service.js';
import { GitConnectionsController } from '../builds/git-connections.controller.js';
import { HooksController } from '../builds/hooks.controller.js';
import { SourcesService } from '../builds/sources.service.js';
import { EnvironmentsService } from '../stacks/environments.service.js';
import { RevisionsService } from '../stacks/revisions.service.js';
import { StacksController } from '../stacks/stacks.controller.js';
import { StacksService } from '../stacks/stacks.service.js';
import { AppsController } from './apps.controller.js';
import { AppsService } from './apps.service.js';
import { DeploymentsController } from './deployments.controller.js';
import { DeploymentsService } from './deployments.service.js';
import { StreamsService } from './streams.service.js';
import { VariablesService } from './variables.service.js';

/** Apps, their environments, stacks, variables, deployments, logs, and builds from source. */
@Module({
  controllers: [
    AppsController,
    DeploymentsController,
    StacksController,
    BuildsController,
    GitConnectionsController,
    HooksController,
  ],
  providers: [
    AppsService,
    DeploymentsService,
    VariablesService,
    StreamsService,
    RevisionsService,
    StacksService,
    EnvironmentsService,
    SourcesService,
    BuildsService,
  ],
})
export class AppsModule {}
