import { type ProviderFactory, SdkProviderFactory } from '@wharf/providers';
import type { Config } from '../config.js';

/*
 * The adapters' factory lives in libs/providers (the host workers build adapters of the same accounts). Injected as
 * PROVIDER_FACTORY, so that tests hand the API the real adapters wired to recorded SDK answers instead of the
 * providers' endpoints.
 */
export type { CloudCredentials, ProviderFactory } from '@wharf/providers';

/** The real adapters, with the platform's identity from the configuration. */
export function sdkProviderFactory(
  config: Pick<Config, 'ALIYUN_PLATFORM_ACCESS_KEY_ID' | 'ALIYUN_PLATFORM_ACCESS_KEY_SECRET'>,
): ProviderFactory {
  const { ALIYUN_PLATFORM_ACCESS_KEY_ID: accessKeyId, ALIYUN_PLATFORM_ACCESS_KEY_SECRET: accessKeySecret } = config;
  return new SdkProviderFactory(accessKeyId && accessKeySecret ? { aliyunPlatformKey: { accessKeyId, accessKeySecret } } : {});
}
