import { Config } from '@alicloud/openapi-client';
import StsModule, { AssumeRoleRequest } from '@alicloud/sts20150401';
import { ProviderError } from '../errors.js';
import { mapAliyunError, mapAssumeRoleError } from './aliyun-errors.js';

/** How Wharf gets into a user's Aliyun account, and the key it signs ECS calls with. */

export type AliyunCredentials =
  /** A RAM role of the user's account that Wharf assumes (STS AssumeRole) with the platform's own AccessKey. */
  | { kind: 'role'; roleArn: string; externalId?: string }
  /** An AccessKey of a RAM user of the user's account. */
  | { kind: 'keys'; accessKeyId: string; accessKeySecret: string };

export interface AliyunAccessKey {
  accessKeyId: string;
  accessKeySecret: string;
}

export interface SessionKey extends AliyunAccessKey {
  securityToken?: string;
  /** Epoch ms; absent: long-lived keys. */
  expiresAt?: number;
  /** The assumed role's ARN as STS answered it. */
  principal?: string;
}

export interface SessionOptions {
  /** The platform's AccessKey, which assumes the users' roles (needed for `role` credentials). */
  platformKey?: AliyunAccessKey;
  /** STS endpoint; default `sts.aliyuncs.com`. */
  stsEndpoint?: string;
  /** `https` (default) or `http` (a local test endpoint). */
  protocol?: 'http' | 'https';
}

const ROLE_ARN = /^acs:ram::(\d{16}):role\/[A-Za-z0-9.@_-]{1,64}$/;
/** Renew assumed-role credentials this long before they expire. */
const RENEW_MS = 5 * 60_000;
const SESSION_SECONDS = 3600;

type StsClient = InstanceType<typeof StsModule.default>;
// a CommonJS package: Node hands its module.exports as the default import, some loaders the `default` inside it
const StsClientClass: typeof StsModule.default = StsModule.default ?? (StsModule as unknown as typeof StsModule.default);

/** The 16-digit account id of a RAM role ARN. */
export function roleAccount(roleArn: string): string {
  return ROLE_ARN.exec(roleArn)?.[1] ?? roleArn;
}

/**
 * The key ECS calls are signed with: the user's AccessKey as it is, or a role's temporary key from STS, assumed with
 * the platform's AccessKey and the ExternalId, kept until shortly before it expires. Credentials are checked when
 * the session is made.
 */
export class AliyunSession {
  private current?: SessionKey;

  constructor(
    private readonly credentials: AliyunCredentials,
    private readonly options: SessionOptions,
  ) {
    if (credentials.kind === 'role') {
      if (!ROLE_ARN.test(credentials.roleArn))
        throw new ProviderError(
          'invalid',
          'The role ARN must look like acs:ram::<16-digit account id>:role/<role name>, as the RAM console shows it.',
        );
      if (!options.platformKey)
        throw new ProviderError('failed', 'This Wharf has no Aliyun AccessKey of its own configured: it cannot assume roles.');
    } else if (!credentials.accessKeyId || !credentials.accessKeySecret) {
      throw new ProviderError('invalid', 'Both the AccessKey id and its secret are needed.');
    }
  }

  /** The assumed role's ARN, once assumed. */
  get principal(): string | undefined {
    return this.current?.principal;
  }

  /** An assumed session revoked or expired early: the next key() assumes the role again. */
  forget(): void {
    this.current = undefined;
  }

  async key(): Promise<SessionKey> {
    const { credentials } = this;
    if (credentials.kind === 'keys') return credentials;
    if (this.current?.expiresAt !== undefined && this.current.expiresAt - RENEW_MS > Date.now()) return this.current;
    this.forget();
    const platformKey = this.options.platformKey;
    if (!platformKey) throw new ProviderError('failed', 'This Wharf has no Aliyun AccessKey of its own configured.');
    const res = await this.sts(platformKey)
      .assumeRole(
        new AssumeRoleRequest({
          roleArn: credentials.roleArn,
          roleSessionName: 'wharf',
          externalId: credentials.externalId,
          durationSeconds: SESSION_SECONDS,
        }),
      )
      .catch((error: unknown) => {
        throw mapAssumeRoleError(error, credentials.roleArn);
      });
    const c = res.body?.credentials;
    if (!c?.accessKeyId || !c.accessKeySecret || !c.securityToken)
      throw new ProviderError('auth', `STS answered no credentials for the role ${credentials.roleArn}.`);
    const expires = c.expiration ? new Date(c.expiration).getTime() : Number.NaN;
    this.current = {
      accessKeyId: c.accessKeyId,
      accessKeySecret: c.accessKeySecret,
      securityToken: c.securityToken,
      expiresAt: Number.isNaN(expires) ? Date.now() + SESSION_SECONDS * 1000 : expires,
      principal: res.body?.assumedRoleUser?.arn,
    };
    return this.current;
  }

  /** The caller identity of an AccessKey (its account id and ARN). */
  async identity(key: AliyunAccessKey): Promise<{ account?: string; arn?: string }> {
    const identity = await this.sts(key)
      .getCallerIdentity()
      .catch((error: unknown) => {
        throw mapAliyunError(error, 'GetCallerIdentity');
      });
    return { account: identity.body?.accountId, arn: identity.body?.arn };
  }

  private sts(key: AliyunAccessKey): StsClient {
    return new StsClientClass(
      new Config({
        accessKeyId: key.accessKeyId,
        accessKeySecret: key.accessKeySecret,
        endpoint: this.options.stsEndpoint ?? 'sts.aliyuncs.com',
        protocol: this.options.protocol ?? 'https',
        connectTimeout: 10_000,
        readTimeout: 30_000,
      }),
    );
  }
}
