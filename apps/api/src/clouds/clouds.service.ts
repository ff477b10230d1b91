import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  type CloudAccount,
  type CloudAccountSetup,
  ConflictError,
  type CreateCloudAccountBody,
  cloudAccessOf,
  type FieldError,
  maskAccessKeyId,
  NotFoundError,
  VerificationFailedError,
} from '@wharf/contracts';
import { AAD, type Keyring } from '@wharf/crypto';
import { CloudAccountsRepository, type CloudAccountView, type TenantScope, type UserId } from '@wharf/db';
import { ProviderError } from '@wharf/providers';
import { CONFIG, type Config } from '../config.js';
import { KEYRING, PROVIDER_FACTORY } from '../core/tokens.js';
import { aliyunRamPolicy, awsPermissionsPolicy, awsTrustPolicy } from './policies.js';
import type { CloudCredentials, ProviderFactory } from './provider-factory.js';

export function toCloudAccount(r: CloudAccountView): CloudAccount {
  return {
    id: r.id,
    provider: r.provider,
    name: r.name,
    auth: r.auth,
    roleArn: r.roleArn,
    accessKeyId: r.accessKeyId === null ? null : maskAccessKeyId(r.accessKeyId),
    identity: { account: r.identityAccount, principal: r.identityPrincipal },
    verifiedAt: r.verifiedAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
    createdBy: r.createdBy ? { id: r.createdBy, name: r.creatorName ?? '' } : null,
  };
}

/** The provider's refusals the user fixes by changing what they typed (the others are worth a retry later). */
const FIELD_KINDS = new Set(['auth', 'permission', 'invalid', 'not-found']);

@Injectable()
export class CloudsService {
  private readonly accounts = new CloudAccountsRepository();

  constructor(
    @Inject(KEYRING) private readonly keyring: Keyring,
    @Inject(PROVIDER_FACTORY) private readonly providers: ProviderFactory,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async list(scope: TenantScope, page: { limit: number; cursor?: string | undefined }) {
    const result = await this.accounts.list(scope, page);
    return { items: result.items.map(toCloudAccount), nextCursor: result.nextCursor };
  }

  async get(scope: TenantScope, id: string): Promise<CloudAccount> {
    const account = await this.accounts.find(scope, id);
    if (!account) throw new NotFoundError('cloud account');
    return toCloudAccount(account);
  }

  async setup(scope: TenantScope): Promise<CloudAccountSetup> {
    const externalId = await this.accounts.externalId(scope);
    return {
      externalId,
      aws: {
        trustPolicy: awsTrustPolicy(this.config.AWS_PLATFORM_ACCOUNT_ID, externalId),
        permissionsPolicy: awsPermissionsPolicy(),
      },
      aliyun: { ramPolicy: aliyunRamPolicy() },
    };
  }

  /** Verifies the credentials with the provider, then stores the account (its secret sealed); nothing on failure. */
  async connect(scope: TenantScope, by: UserId, body: CreateCloudAccountBody): Promise<CloudAccount> {
    const conflict = () => new ConflictError(`There is already a cloud account named "${body.name}".`);
    // cheap before the provider is asked; the insert below settles a race
    if (await this.accounts.nameTaken(scope, body.name)) throw conflict();

    const access = cloudAccessOf(body);
    const credentials: CloudCredentials =
      access.kind === 'role'
        ? { kind: 'role', roleArn: access.roleArn, externalId: await this.accounts.externalId(scope) }
        : { kind: 'keys', accessKeyId: access.accessKeyId, secret: access.secret };
    const fields = access.kind === 'role' ? ['body.roleArn'] : ['body.accessKeyId', `body.${access.secretField}`];
    const identity = await this.verify(body.provider, credentials, fields);

    const id = randomUUID();
    const created = await this.accounts.create(scope, {
      id,
      provider: body.provider,
      name: body.name,
      auth: access.kind,
      roleArn: access.kind === 'role' ? access.roleArn : null,
      accessKeyId: access.kind === 'keys' ? access.accessKeyId : null,
      secretSealed: access.kind === 'keys' ? this.keyring.seal(access.secret, AAD.cloudAccount(scope.tenantId, id)) : null,
      identityAccount: identity.account,
      identityPrincipal: identity.principal ?? null,
      verifiedAt: new Date(),
      createdBy: by,
    });
    if (!created) throw conflict();
    return toCloudAccount(created);
  }

  /** Refused (409) while hosts that have not ended use the account; ended hosts keep their history without it. */
  async remove(scope: TenantScope, id: string): Promise<void> {
    const removed = await this.accounts.remove(scope, id);
    if (removed.kind === 'missing') throw new NotFoundError('cloud account');
    if (removed.kind === 'in-use') {
      const n = removed.hosts;
      throw new ConflictError(`${n} host${n === 1 ? '' : 's'} still use${n === 1 ? 's' : ''} this account: remove them first.`);
    }
  }

  private async verify(provider: CreateCloudAccountBody['provider'], credentials: CloudCredentials, fields: string[]) {
    try {
      return await this.providers.create(provider, credentials).verify();
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      const errors: FieldError[] = FIELD_KINDS.has(err.kind)
        ? fields.map((path) => ({ path, message: err.message, code: `provider_${err.kind}` }))
        : [];
      throw new VerificationFailedError(err.message, err.kind, errors);
    }
  }
}
