import { Controller } from '@nestjs/common';
import { clusterRoutes, providerCatalogRoutes, type RouteInput, type RouteOutput } from '@wharf/contracts';
import type { TenantScope } from '@wharf/db';
import { Endpoint, Input, Scope, State } from '../core/endpoint.decorator.js';
import { type RequestState, tenantSlug } from '../core/request-state.js';
import { ProviderCatalogService } from './provider-catalog.service.js';
import { TenantClustersService } from './tenant-clusters.service.js';

@Controller()
export class TenantClustersController {
  constructor(
    private readonly clusters: TenantClustersService,
    private readonly catalog: ProviderCatalogService,
  ) {}

  @Endpoint(clusterRoutes.list)
  async list(@Scope() scope: TenantScope): Promise<RouteOutput<typeof clusterRoutes.list>> {
    return { items: await this.clusters.list(scope), nextCursor: null };
  }

  @Endpoint(clusterRoutes.create)
  create(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Input() input: RouteInput<typeof clusterRoutes.create>,
  ): Promise<RouteOutput<typeof clusterRoutes.create>> {
    state.auditTarget = `cluster=${input.body.name}`;
    return this.clusters.create(scope, tenantSlug(state), input.body);
  }

  @Endpoint(clusterRoutes.get)
  get(
    @Scope() scope: TenantScope,
    @Input() input: RouteInput<typeof clusterRoutes.get>,
  ): Promise<RouteOutput<typeof clusterRoutes.get>> {
    return this.clusters.get(scope, input.params.clusterId);
  }

  @Endpoint(clusterRoutes.remove)
  remove(
    @Scope() scope: TenantScope,
    @State() state: RequestState,
    @Input() input: RouteInput<typeof clusterRoutes.remove>,
  ): Promise<void> {
    state.auditTarget = `cluster=${input.params.clusterId}`;
    return this.clusters.remove(scope, input.params.clusterId);
  }

  @Endpoint(providerCatalogRoutes.regions)
  async regions(
    @Scope() scope: TenantScope,
    @Input() input: RouteInput<typeof providerCatalogRoutes.regions>,
  ): Promise<RouteOutput<typeof providerCatalogRoutes.regions>> {
    return { items: await this.catalog.regions(scope, input.params.accountId) };
  }

  @Endpoint(providerCatalogRoutes.instanceTypes)
  async instanceTypes(
    @Scope() scope: TenantScope,
    @Input() input: RouteInput<typeof providerCatalogRoutes.instanceTypes>,
  ): Promise<RouteOutput<typeof providerCatalogRoutes.instanceTypes>> {
    return { items: await this.catalog.instanceTypes(scope, input.params.accountId, input.query.region) };
  }
}
