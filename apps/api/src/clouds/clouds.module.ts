import { type DynamicModule, Module } from '@nestjs/common';
import { CONFIG, type Config } from '../config.js';
import { PROVIDER_FACTORY } from '../core/tokens.js';
import { CloudsController } from './clouds.controller.js';
import { CloudsService } from './clouds.service.js';
import { type ProviderFactory, SdkProviderFactory } from './provider-factory.js';

@Module({})
export class CloudsModule {
  /** `providers`: the adapters' factory; the SDKs against the providers' endpoints unless given (tests give theirs). */
  static forRoot(providers?: ProviderFactory): DynamicModule {
    return {
      module: CloudsModule,
      controllers: [CloudsController],
      providers: [
        providers
          ? { provide: PROVIDER_FACTORY, useValue: providers }
          : { provide: PROVIDER_FACTORY, useFactory: (config: Config) => new SdkProviderFactory(config), inject: [CONFIG] },
        CloudsService,
      ],
      exports: [CloudsService],
    };
  }
}
