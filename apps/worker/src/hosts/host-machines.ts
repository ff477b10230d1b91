import { createHmac } from 'node:crypto';
import { JOIN_TOKEN_PREFIX } from '@wharf/contracts';
import type { Keyring } from '@wharf/crypto';
import { CloudAccountsRepository, type HostView, type TenantScope } from '@wharf/db';
import {
  type LocalDatacenters,
  localDatacenters,
  type MachineProvider,
  type ProviderFactory,
  SdkProviderFactory,
} from '@wharf/providers';
import type { WorkerConfig } from '../config.js';

/**
 * The adapters the host workers act through: the `local` provider of this worker's configuration (one per process:
 * its machines live on this box; a region per datacenter), and a cloud account's adapter built from the account's credentials, its sealed
 * secret opened with the Keyring (the factory is the one the API verifies accounts with).
 */
export class HostMachines {
  private local: LocalDatacenters | undefined;
  private readonly accounts = new CloudAccountsRepository();
  private readonly clouds: ProviderFactory;

  constructor(
    private readonly config: WorkerConfig,
    private readonly keyring: Keyring,
    clouds?: ProviderFactory,
  ) {
    const { ALIYUN_PLATFORM_ACCESS_KEY_ID: accessKeyId, ALIYUN_PLATFORM_ACCESS_KEY_SECRET: accessKeySecret } = config;
    this.clouds =
      clouds ??
      new SdkProviderFactory(accessKeyId && accessKeySecret ? { aliyunPlatformKey: { accessKeyId, accessKeySecret } } : {});
  }

  /** The adapter of the host's provider. Throws for a host whose cloud account is gone. */
  async providerOf(scope: TenantScope, host: HostView): Promise<MachineProvider> {
    if (host.provider === 'local') return this.localProvider();
    if (host.provider === 'byo' || host.cloudAccountId === null) throw new Error(`host ${host.id}: no provider creates it`);
    const provider = await this.accountProvider(scope, host.cloudAccountId);
    if (!provider) throw new Error('its cloud account was removed');
    return provider;
  }

  /** The adapter of one of the tenant's cloud accounts; undefined when the tenant has no such account. */
  async accountProvider(scope: TenantScope, accountId: string): Promise<MachineProvider | undefined> {
    const account = await this.accounts.credentials(scope, accountId, this.keyring);
    return account && this.clouds.create(account.provider, account.credentials);
  }

  localProvider(): LocalDatacenters {
    this.local ??= localDatacenters(
      {
        stateDir: this.config.HOSTS_LOCAL_STATE_DIR,
        bridge: this.config.HOSTS_LOCAL_BRIDGE,
        subnet: this.config.HOSTS_LOCAL_SUBNET,
        ...(this.config.HOSTS_LOCAL_REGISTRY ? { registry: this.config.HOSTS_LOCAL_REGISTRY } : {}),
        // started inside the machine the way cloud-init starts it on a cloud host
        agent: { command: [process.execPath, this.config.HOSTS_LOCAL_AGENT], env: { WHARF_AGENT_HOST: '1' } },
        // and beside it the edge proxy cloud-init installs on a cloud host
        ...(this.config.HOSTS_LOCAL_CADDY !== 'off'
          ? { edge: { caddy: this.config.HOSTS_LOCAL_CADDY, listen: this.config.HOSTS_LOCAL_EDGE_LISTEN } }
          : {}),
      },
      this.config.HOSTS_LOCAL_DATACENTERS,
    );
    return this.local;
  }
}

/** What the host processors need of HostMachines (tests hand in a fake provider). */
export type HostProviders = Pick<HostMachines, 'providerOf'>;
/** What the leak sweep needs of HostMachines. */
export interface SweepProviders {
  accountProvider: HostMachines['accountProvider'];
  localProvider(): MachineProvider;
}

/**
 * A host's one-time registration token, derived from the master key, the host and its client token: the worker
 * can hand the same token to a create call it repeats after a crash (the provider answers the first machine, whose
 * bootstrap carries it), and only its hash is stored. A different master key derives a different token, so a key
 * rotation between the first create call and its retry is the one case where the machine's token no longer
 * matches; the host then fails at bootstrapping and is cleaned up.
 */
export function registrationToken(masterKey: string, host: Pick<HostView, 'id' | 'clientToken'>): string {
  const key = createHmac('sha256', Buffer.from(masterKey, 'base64')).update('wharf-host-registration').digest();
  const mac = createHmac('sha256', key).update(`${host.id}:${host.clientToken}`).digest('base64url');
  return `${JOIN_TOKEN_PREFIX}${mac}`;
}
