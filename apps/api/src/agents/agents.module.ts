import { Module } from '@nestjs/common';
import { AgentAuthService } from './agent-auth.service.js';
import { AgentsController } from './agents.controller.js';
import { AgentsService } from './agents.service.js';

@Module({ controllers: [AgentsController], providers: [AgentsService, AgentAuthService], exports: [AgentAuthService] })
export class AgentsModule {}
