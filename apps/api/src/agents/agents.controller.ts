import { Controller, Req, Res } from '@nestjs/common';
import { agentRoutes, type RouteInput, type RouteOutput } from '@wharf/contracts';
import type { FastifyReply } from 'fastify';
import { Endpoint, Input } from '../core/endpoint.decorator.js';
import { stateOf, type WharfRequest } from '../core/request-state.js';
import type { AgentPrincipal } from './agent-auth.service.js';
import { AgentsService } from './agents.service.js';

function agentOf(req: WharfRequest): AgentPrincipal {
  const agent = stateOf(req).agent;
  if (!agent) throw new Error('agent route without an authenticated agent');
  return agent;
}

/** The agent API: agents dial out to it; it never calls them. */
@Controller()
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  @Endpoint(agentRoutes.register)
  register(@Input() input: RouteInput<typeof agentRoutes.register>): Promise<RouteOutput<typeof agentRoutes.register>> {
    return this.agents.register(input.body.joinToken, input.body.name, null, input.body.machine, input.body.broker);
  }

  @Endpoint(agentRoutes.poll)
  poll(
    @Req() req: WharfRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Input() input: RouteInput<typeof agentRoutes.poll>,
  ): Promise<RouteOutput<typeof agentRoutes.poll>> {
    // an agent that hangs up (stopped, crashed, restarting) ends its long-poll. The response tells: it closes unsent.
    // The request's own 'close' comes as soon as its body has been read, before this handler runs.
    const abort = new AbortController();
    reply.raw.once('close', () => abort.abort());
    return this.agents.poll(agentOf(req), input.body, abort.signal);
  }

  @Endpoint(agentRoutes.result)
  result(@Req() req: WharfRequest, @Input() input: RouteInput<typeof agentRoutes.result>): Promise<void> {
    return this.agents.result(agentOf(req), input.params.commandId, input.body);
  }

  @Endpoint(agentRoutes.progress)
  progress(@Req() req: WharfRequest, @Input() input: RouteInput<typeof agentRoutes.progress>): Promise<void> {
    return this.agents.progress(agentOf(req), input.params.commandId, input.body.message);
  }

  @Endpoint(agentRoutes.heartbeat)
  heartbeat(
    @Req() req: WharfRequest,
    @Input() input: RouteInput<typeof agentRoutes.heartbeat>,
  ): Promise<RouteOutput<typeof agentRoutes.heartbeat>> {
    return this.agents.heartbeat(agentOf(req), input.body);
  }

  @Endpoint(agentRoutes.events)
  async events(@Req() req: WharfRequest, @Input() input: RouteInput<typeof agentRoutes.events>): Promise<void> {
    const agent = agentOf(req);
    const recorded = await this.agents.events(agent, input.body.events);
    req.log.info({ clusterId: agent.clusterId, events: input.body.events.length, recorded }, 'engine events');
  }

  @Endpoint(agentRoutes.logs)
  logs(
    @Req() req: WharfRequest,
    @Input() input: RouteInput<typeof agentRoutes.logs>,
  ): Promise<RouteOutput<typeof agentRoutes.logs>> {
    agentOf(req);
    return this.agents.logs(input.params.streamId, input.body);
  }

  @Endpoint(agentRoutes.rotate)
  rotate(@Req() req: WharfRequest): Promise<RouteOutput<typeof agentRoutes.rotate>> {
    return this.agents.rotate(agentOf(req));
  }
}
