import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { ProviderError } from '../errors.js';
import { awsError, errorCode } from './errors.js';

/*
 * How Wharf reaches a tenant's AWS account. The recommended way is a role in the tenant's account whose trust policy
 * lets Wharf's own account assume it with an ExternalId (no long-lived secret leaves the tenant's account); access
 * keys of an IAM user are the fallback.
 */

export type AwsCredentials =
  | { kind: 'role'; roleArn: string; externalId: string }
  | { kind: 'keys'; accessKeyId: string; secretAccessKey: string };

/** What the SDK's clients accept as `credentials` (the shape of `AwsCredentialIdentity`). */
export interface AwsIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export type AwsIdentityProvider = () => Promise<AwsIdentity>;

export type AwsPartition = 'aws' | 'aws-cn' | 'aws-us-gov';

export interface RoleArn {
  partition: AwsPartition;
  account: string;
  /** The role's path and name (`wharf/hosts`, `WharfHosts`). */
  role: string;
}

const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64})$/;
/** STS: 2 to 1224 characters of letters, digits and `+=,.@:/-`. */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/** STS allows 2 to 64 characters; Wharf's sessions all start with `wharf-` so the tenant's CloudTrail shows who it was. */
const SESSION_NAME = /^wharf-[\w+=,.@-]{1,58}$/;

/** The region each partition's global calls (STS, DescribeRegions) go to when the caller names none. */
export const HOME_REGION: Record<AwsPartition, string> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
};

export function parseRoleArn(arn: string): RoleArn {
  const match = ROLE_ARN.exec(arn);
  if (!match?.[1] || !match[2] || !match[3])
    throw new ProviderError(
      'invalid',
      'The role ARN is not an IAM role ARN: it must look like arn:aws:iam::123456789012:role/WharfHosts. Copy it from the role’s summary page in the IAM console.',
      'InvalidRoleArn',
    );
  return { partition: match[1] as AwsPartition, account: match[2], role: match[3] };
}

/** Refuses credentials that could not work before anything is sent. */
export function checkCredentials(credentials: AwsCredentials): void {
  if (credentials.kind === 'role') {
    parseRoleArn(credentials.roleArn);
    if (!EXTERNAL_ID.test(credentials.externalId))
      throw new ProviderError(
        'invalid',
        'The ExternalId must be 2 to 1224 letters, digits or +=,.@:/- characters: use the one Wharf showed when you created the role.',
        'InvalidExternalId',
      );
    return;
  }
  if (!/^[A-Z0-9]{16,128}$/.test(credentials.accessKeyId) || !/^\S{16,}$/.test(credentials.secretAccessKey))
    throw new ProviderError(
      'invalid',
      'The access key does not look like an AWS access key (an id such as AKIA… and its secret): copy both from the IAM console.',
      'InvalidAccessKey',
    );
}

export function checkSessionName(name: string): string {
  if (!SESSION_NAME.test(name))
    throw new ProviderError(
      'invalid',
      `The STS session name ${JSON.stringify(name)} must be wharf- and up to 58 more characters.`,
    );
  return name;
}

/** STS codes of a refused AssumeRole: the trust policy, the ExternalId, or Wharf's own credentials. */
const ASSUME_REFUSED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
]);

export interface AssumeRoleOptions {
  /** The STS client that assumes the role: it signs with the platform's own credentials (the default chain). */
  sts: STSClient;
  sessionName: string;
  /** Default one hour, the most a role allows unless its maximum session duration was raised. */
  durationSeconds?: number;
  /** Credentials are renewed this long before they expire (default five minutes). */
  refreshBeforeMs?: number;
  now?: () => number;
}

/**
 * The temporary credentials of the role, assumed once and reused until shortly before they expire. Concurrent callers
 * share one AssumeRole call; a failed call is not cached, so the next caller tries again.
 */
export function assumeRole(role: Extract<AwsCredentials, { kind: 'role' }>, options: AssumeRoleOptions): AwsIdentityProvider {
  const now = options.now ?? Date.now;
  const refreshBeforeMs = options.refreshBeforeMs ?? 5 * 60_000;
  let current: AwsIdentity | undefined;
  let pending: Promise<AwsIdentity> | undefined;

  const fetch = async (): Promise<AwsIdentity> => {
    try {
      const out = await options.sts.send(
        new AssumeRoleCommand({
          RoleArn: role.roleArn,
          ExternalId: role.externalId,
          RoleSessionName: options.sessionName,
          DurationSeconds: options.durationSeconds ?? 3600,
        }),
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken)
        throw new ProviderError('failed', 'AWS STS answered AssumeRole without credentials: try again later.');
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        ...(c.Expiration ? { expiration: c.Expiration } : {}),
      };
    } catch (error) {
      const code = errorCode(error);
      if (code && ASSUME_REFUSED.has(code)) {
        const ours = code !== 'AccessDenied' && code !== 'AccessDeniedException';
        throw new ProviderError(
          'auth',
          `Wharf could not assume the role ${role.roleArn} (${code}). The role's trust policy must allow Wharf's AWS account to call ` +
            `sts:AssumeRole with the condition sts:ExternalId = "${role.externalId}"; check the role ARN and its trust policy.` +
            (ours ? ' If both are right, Wharf’s own AWS credentials were refused: contact Wharf’s support.' : ''),
          code,
        );
      }
      throw awsError(error, { operation: 'sts:AssumeRole' });
    }
  };

  return async () => {
    const fresh = current?.expiration === undefined || current.expiration.getTime() - now() > refreshBeforeMs;
    if (current && fresh) return current;
    pending ??= fetch().then(
      (identity) => {
        current = identity;
        pending = undefined;
        return identity;
      },
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
}

/** The STS client that assumes tenants' roles, in the role's partition. */
export function sourceSts(
  partition: AwsPartition,
  config: { region?: string; endpoint?: string; maxAttempts?: number; credentials?: AwsIdentityProvider },
): STSClient {
  return new STSClient({
    region: config.region ?? HOME_REGION[partition],
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.maxAttempts ? { maxAttempts: config.maxAttempts } : {}),
    // absent: the SDK's default chain (environment, the instance's or task's role, ~/.aws) — the platform's identity
    ...(config.credentials ? { credentials: config.credentials } : {}),
  });
}
