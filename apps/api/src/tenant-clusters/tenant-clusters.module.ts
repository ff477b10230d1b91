import { type DynamicModule, Module } from '@nestjs/common';
import { providerFactoryProvider } from '../clouds/clouds.module.js';
import type { ProviderFactory } from '../clouds/provider-factory.js';
import { ProviderCatalogService } from './provider-catalog.service.js';
import { TenantClustersController } from './tenant-clusters.controller.js';
import { TenantClustersService } from './tenant-clusters.service.js';

@Module({})
export class TenantClustersModule {
  /** `providers`: the cloud adapters' factory (tests give theirs), as CloudsModule. */
  static forRoot(providers?: ProviderFactory): DynamicModule {
    return {
      module: TenantClustersModule,
      controllers: [TenantClustersController],
      providers: [providerFactoryProvider(providers), TenantClustersService, ProviderCatalogService],
    };
  }
}
