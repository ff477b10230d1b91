import { aliyunProvider } from './aliyun/aliyun.js';
import { awsProvider } from './aws/aws.js';
import type { MachineProvider } from './types.js';

/** The clouds a tenant connects accounts of. */
export type CloudKind = 'aws' | 'aliyun';

/** How Wharf reaches an account: the role it assumes (with the tenant's ExternalId), or an access key. */
export type CloudCredentials =
  | { kind: 'role'; roleArn: string; externalId: string }
  | { kind: 'keys'; accessKeyId: string; secret: string };

/**
 * Builds the adapter of a cloud account. Shared by the API (verifying an account, listing regions and instance
 * types) and the host workers (creating, observing and deleting machines). Tests hand in their own factory wired
 * to recorded SDK answers instead of the providers' endpoints.
 */
export interface ProviderFactory {
  /** May throw a ProviderError for credentials the adapter refuses before calling anything. */
  create(provider: CloudKind, credentials: CloudCredentials): MachineProvider;
}

export interface SdkProviderFactoryOptions {
  /** The platform's own Aliyun AccessKey: RAM roles of tenants are assumed with it. */
  aliyunPlatformKey?: { accessKeyId: string; accessKeySecret: string };
}

/** The real adapters, against the providers' own endpoints. */
export class SdkProviderFactory implements ProviderFactory {
  constructor(private readonly options: SdkProviderFactoryOptions = {}) {}

  create(provider: CloudKind, credentials: CloudCredentials): MachineProvider {
    if (provider === 'aws') {
      return awsProvider(
        credentials.kind === 'role'
          ? credentials
          : { kind: 'keys', accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secret },
      );
    }
    return aliyunProvider(
      credentials.kind === 'role'
        ? credentials
        : { kind: 'keys', accessKeyId: credentials.accessKeyId, accessKeySecret: credentials.secret },
      this.options.aliyunPlatformKey ? { platformKey: this.options.aliyunPlatformKey } : {},
    );
  }
}
