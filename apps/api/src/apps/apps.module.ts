import { Module } from '@nestjs/common';
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

/** Apps, their environments, stacks, variables, deployments and logs. */
@Module({
  controllers: [AppsController, DeploymentsController, StacksController],
  providers: [
    AppsService,
    DeploymentsService,
    VariablesService,
    StreamsService,
    RevisionsService,
    StacksService,
    EnvironmentsService,
  ],
})
export class AppsModule {}
