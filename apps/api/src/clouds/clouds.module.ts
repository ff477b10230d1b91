import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { CONFIG, type Config } from '../config.js';
import { PROVIDER_FACTORY } from '../core/tokens.js';
import { CloudsController } from './clouds.controller.js';
import { CloudsService } from './clouds.service.js';
import { type ProviderFactory, sdkProviderFactory } from './provider-factory.js';

/** PROVIDER_FACTORY: the given factory (tests), else the SDKs against the providers' endpoints. */
export function providerFactoryProvider(providers?: ProviderFactory): Provider {
  return providers
    ? { provide: PROVIDER_FACTORY, useValue: providers }
    : { provide: PROVIDER_FACTORY, useFactory: (config: Config) => sdkProviderFactory(config), inject: [CONFIG] };
}

@Module({})
export class CloudsModule {
  /** `providers`: the adapters' factory; the SDKs against the providers' endpoints unless given (tests give theirs). */
  static forRoot(providers?: ProviderFactory): DynamicModule {
    return {
      module: CloudsModule,
      controllers: [CloudsController],
      providers: [providerFactoryProvider(providers), CloudsService],
      exports: [CloudsService],
    };
  }
}
