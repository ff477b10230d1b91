import { Controller } from '@nestjs/common';
import { adminRoutes, type RouteOutput } from '@wharf/contracts';
import { Endpoint } from '../core/endpoint.decorator.js';
import { AdminOpsService } from './admin-ops.service.js';

/** Read-only operations views of the platform admin: queues and cluster health. */
@Controller()
export class AdminOpsController {
  constructor(private readonly ops: AdminOpsService) {}

  @Endpoint(adminRoutes.listQueues)
  listQueues(): Promise<RouteOutput<typeof adminRoutes.listQueues>> {
    return this.ops.queueStats();
  }

  @Endpoint(adminRoutes.clusterHealth)
  clusterHealth(): Promise<RouteOutput<typeof adminRoutes.clusterHealth>> {
    return this.ops.clusterHealth();
  }
}
