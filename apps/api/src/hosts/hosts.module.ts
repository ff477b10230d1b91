import { type DynamicModule, Module } from '@nestjs/common';
import { providerFactoryProvider } from '../clouds/clouds.module.js';
import type { ProviderFactory } from '../clouds/provider-factory.js';
import { BrokersController } from './brokers.controller.js';
import { BrokersService } from './brokers.service.js';
import { HostsController } from './hosts.controller.js';
import { HostsService } from './hosts.service.js';
import { InstallController } from './install.controller.js';
import { InstallService } from './install.service.js';

@Module({})
export class HostsModule {
  /** `providers`: the cloud adapters' factory (tests give theirs), as CloudsModule. */
  static forRoot(providers?: ProviderFactory): DynamicModule {
    return {
      module: HostsModule,
      controllers: [HostsController, InstallController, BrokersController],
      providers: [providerFactoryProvider(providers), HostsService, InstallService, BrokersService],
    };
  }
}
