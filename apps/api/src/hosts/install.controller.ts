import { Controller, Res } from '@nestjs/common';
import { installRoutes, type RouteInput } from '@wharf/contracts';
import type { FastifyReply } from 'fastify';
import { Endpoint, Input } from '../core/endpoint.decorator.js';
import { InstallService } from './install.service.js';

/** What a brought host's install command fetches: public, since the machine has no credential yet. */
@Controller()
export class InstallController {
  constructor(private readonly install: InstallService) {}

  @Endpoint(installRoutes.script)
  async script(
    @Res({ passthrough: true }) reply: FastifyReply,
    @Input() input: RouteInput<typeof installRoutes.script>,
  ): Promise<string> {
    const script = await this.install.script(input.params.token);
    // one fetch per token: no cache may keep (or hand out again) a script that carries a registration token
    reply.header('content-type', 'text/x-shellscript; charset=utf-8').header('cache-control', 'no-store');
    return script;
  }

  @Endpoint(installRoutes.agentPackage)
  async agentPackage(@Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const agent = await this.install.agentPackage();
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('etag', `"${agent.sha256}"`)
      .header('x-wharf-sha256', agent.sha256);
    return agent.bytes;
  }
}
