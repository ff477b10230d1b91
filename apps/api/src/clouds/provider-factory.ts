import type { CloudProvider } from '@wharf/contracts';
import { aliyunProvider, awsProvider, type MachineProvider } from '@wharf/providers';
import type { Config } from '../config.js';

/** How Wharf reaches an account: the role it assumes (with the tenant's ExternalId), or an access key. */
export type CloudCredentials =
  | { kind: 'role'; roleArn: string; externalId: string }
  | { kind: 'keys'; accessKeyId: string; secret: string };

/**
 * Builds the adapter of a cloud account (libs/providers). Injected as PROVIDER_FACTORY, so that tests hand the API
 * the real adapters wired to recorded SDK answers instead of the providers' endpoints.
 */
export interface ProviderFactory {
  /** May throw a ProviderError for credentials the adapter refuses before calling anything. */
  create(provider: CloudProvider, credentials: CloudCredentials): MachineProvider;
}

/** The real adapters, against the providers' own endpoints, with the platform's identity from the configuration. */
export class SdkProviderFactory implements ProviderFactory {
  constructor(private readonly config: Pick<Config, 'ALIYUN_PLATFORM_ACCESS_KEY_ID' | 'ALIYUN_PLATFORM_ACCESS_KEY_SECRET'>) {}

  create(provider: CloudProvider, credentials: CloudCredentials): MachineProvider {
    if (provider === 'aws') {
      return awsProvider(
        credentials.kind === 'role'
          ? credentials
          : { kind: 'keys', accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secret },
      );
    }
    const { ALIYUN_PLATFORM_ACCESS_KEY_ID: id, ALIYUN_PLATFORM_ACCESS_KEY_SECRET: secret } = this.config;
    return aliyunProvider(
      credentials.kind === 'role'
        ? credentials
        : { kind: 'keys', accessKeyId: credentials.accessKeyId, accessKeySecret: credentials.secret },
      id && secret ? { platformKey: { accessKeyId: id, accessKeySecret: secret } } : {},
    );
  }
}
