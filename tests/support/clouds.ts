import type { CloudProvider } from '@wharf/contracts';
import { type AccountIdentity, type MachineProvider, ProviderError } from '@wharf/providers';
import type { CloudCredentials, ProviderFactory } from '../../apps/api/src/clouds/provider-factory.js';

/** A test access key and secret of the right shapes (AWS and Aliyun). */
export const AWS_KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
export const ALIYUN_KEY = { accessKeyId: 'LTAI5tExampleKeyId0001', accessKeySecret: 'aliyunSecretExample0123456789ab' };
export const awsRoleArn = (name = 'WharfHosts', account = '123456789012') => `arn:aws:iam::${account}:role/${name}`;

/** The account a credential reaches in the offline adapter: the role's account, or a fixed one for keys. */
function offlineIdentity(provider: CloudProvider, credentials: CloudCredentials): AccountIdentity {
  if (credentials.kind === 'role') {
    const account = /::(\d+):role\//.exec(credentials.roleArn)?.[1] ?? 'unknown';
    return { account, principal: credentials.roleArn };
  }
  return { account: provider === 'aws' ? '210987654321' : '1234567890123456', principal: `user/${credentials.accessKeyId}` };
}

/**
 * No test reaches a real cloud: by default the test app's adapters accept any well-formed credential and answer a
 * made-up identity (like the hosting APIs pointed at a closed port in testConfig). Tests of the verification itself
 * hand `startTestApp` a factory of the real adapters against recorded SDK answers instead.
 */
export function offlineProviderFactory(): ProviderFactory {
  return {
    create(provider, credentials): MachineProvider {
      const offline = async (): Promise<never> => {
        throw new ProviderError('unavailable', 'The offline test adapter only verifies credentials.');
      };
      return {
        kind: provider,
        verify: async () => offlineIdentity(provider, credentials),
        regions: offline,
        instanceTypes: offline,
        images: offline,
        create: offline,
        observe: offline,
        delete: offline,
        list: offline,
      };
    },
  };
}
