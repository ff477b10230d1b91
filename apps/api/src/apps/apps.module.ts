import { Module } from '@nestjs/common';
import { AppsController } from './apps.controller.js';
import { AppsService } from './apps.service.js';
import { DeploymentsController } from './deployments.controller.js';
import { DeploymentsService } from './deployments.service.js';
import { StreamsService } from './streams.service.js';
import { VariablesService } from './variables.service.js';

@Module({
  controllers: [AppsController, DeploymentsController],
  providers: [AppsService, DeploymentsService, VariablesService, StreamsService],
})
export class AppsModule {}
