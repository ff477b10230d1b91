import { Inject, Injectable } from '@nestjs/common';
import {
  LOCAL_ACCOUNT,
  NotFoundError,
  type ProviderInstanceType,
  type ProviderRegion,
  UnprocessableError,
} from '@wharf/contracts';
import type { Keyring } from '@wharf/crypto';
import { CloudAccountsRepository, type TenantScope } from '@wharf/db';
import { localInstanceType, localRegions, type MachineProvider, ProviderError, type ProviderFactory } from '@wharf/providers';
import { CONFIG, type Config } from '../config.js';
import { KEYRING, PROVIDER_FACTORY } from '../core/tokens.js';

/**
 * What a provider offers, for the add-host form: the regions and instance types of a cloud account's provider, asked
 * through the account's adapter (the lists the host routes admit against), or the embedded `local` provider's own.
 */
@Injectable()
export class ProviderCatalogService {
  private readonly accounts = new CloudAccountsRepository();

  constructor(
    @Inject(KEYRING) private readonly keyring: Keyring,
    @Inject(PROVIDER_FACTORY) private readonly providers: ProviderFactory,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async regions(scope: TenantScope, accountId: string): Promise<ProviderRegion[]> {
    if (accountId === LOCAL_ACCOUNT) return localRegions(this.config.HOSTS_LOCAL_DATACENTERS);
    const provider = await this.provider(scope, accountId);
    return this.ask(async () => (await provider.regions()).map(({ id, name }) => ({ id, name })));
  }

  async instanceTypes(scope: TenantScope, accountId: string, region: string): Promise<ProviderInstanceType[]> {
    if (accountId === LOCAL_ACCOUNT) {
      const regions = localRegions(this.config.HOSTS_LOCAL_DATACENTERS).map((r) => r.id);
      if (!regions.includes(region)) throw unknownRegion(`The local provider's regions are ${regions.join(', ')}.`);
      return [localInstanceType()];
    }
    const provider = await this.provider(scope, accountId);
    return this.ask(async () => {
      if (!(await provider.regions()).some((r) => r.id === region))
        throw unknownRegion(`The account's provider has no region "${region}".`);
      return (await provider.instanceTypes(region)).map(({ id, vcpus, memoryMiB }) => ({ id, vcpus, memoryMiB }));
    });
  }

  private async provider(scope: TenantScope, accountId: string): Promise<MachineProvider> {
    const account = await this.accounts.credentials(scope, accountId, this.keyring);
    if (!account) throw new NotFoundError('cloud account');
    return this.providers.create(account.provider, account.credentials);
  }

  /** A provider's refusal (credentials revoked, a permission missing, the API down) as a 422 naming the account. */
  private async ask<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      throw new UnprocessableError(
        [{ path: 'params.accountId', message: err.message, code: `provider_${err.kind}` }],
        `The provider refused: ${err.message}`,
      );
    }
  }
}

function unknownRegion(message: string): UnprocessableError {
  return new UnprocessableError([{ path: 'query.region', message, code: 'unknown_region' }], message);
}
