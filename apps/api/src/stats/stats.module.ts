import { Module } from '@nestjs/common';
import { StatsController } from './stats.controller.js';
import { StatsService } from './stats.service.js';

/** CPU and memory of services: the agents' reports in, per-app series out. */
@Module({ controllers: [StatsController], providers: [StatsService] })
export class StatsModule {}
